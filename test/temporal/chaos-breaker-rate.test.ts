/**
 * The circuit breaker (issue 3, item 4) is for a venue that is down ("persistent failures"), not
 * for one that is busy. It opens on a count of failures in a window, whatever the number of
 * calls: a worker following a few resting orders polls the venue many times a second, so even a
 * 2% error rate on those polls reaches the default threshold (5 in 30 s) within seconds, and the
 * breaker then holds or denies new orders to a venue that answers 98% of requests.
 *
 * Repro of what the chaos run showed (orders ended DENIED VENUE_UNAVAILABLE under ~20% transient
 * errors): ten resting orders are followed while 2% of order look-ups fail with a 502 (order
 * placements never fail); market orders sent meanwhile must fill. With `whenOpen: "deny"` the
 * false positive shows at once; with the default "wait" the orders are held instead.
 */
import { randomUUID } from 'node:crypto';
import type { OrderState } from '../../src/domain/order-state';
import { type ChaosSimulator, startChaosSimulator } from '../support/chaos-sim';
import { simulatedVenues } from '../support/chaos-venues';
import { type TestOrdo, startTestOrdo } from '../support/ordo-worker';

jest.setTimeout(120_000);

let sim: ChaosSimulator;
let ordo: TestOrdo;

beforeAll(async () => {
  sim = await startChaosSimulator(19);
  const account = await sim.admin.createAccount();
  const { config } = simulatedVenues({
    simulatorUrl: sim.url,
    account,
    timeoutMs: 3_000,
    overrides: { breaker: { whenOpen: 'deny' } },
  });
  ordo = await startTestOrdo(config);
});

afterAll(async () => {
  await ordo?.shutdown();
  await sim?.close();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

test('a 2% error rate on status polls does not open the breaker against new orders', async () => {
  const mid = await sim.admin.mid('ETH/USDT');
  const run = randomUUID().slice(0, 8);
  const resting = Array.from({ length: 10 }, (_, i) => `rest-${run}-${i}`);
  for (const orderId of resting) {
    await ordo.orders.submit({
      orderId,
      symbol: 'ETH/USDT',
      side: 'buy',
      type: 'limit',
      quantity: '0.05',
      limitPrice: (mid * 0.9).toFixed(2),
      venue: 'sim',
    });
  }
  for (const id of resting)
    expect((await ordo.orders.waitFor(id, (s) => s.status === 'ACCEPTED')).status).toBe('ACCEPTED');

  await sim.admin.setFaults({
    seed: 2,
    errors: [{ kind: 'badGateway', rate: 0.02, scope: ['GET /api/v3/order'] }],
  });
  await sleep(10_000); // the polls run into a few 502s meanwhile (about one a second)
  const markets = Array.from({ length: 5 }, (_, i) => `mkt-${run}-${i}`);
  for (const orderId of markets) {
    await ordo.orders.submit({
      orderId,
      symbol: 'ETH/USDT',
      side: 'buy',
      type: 'market',
      quantity: '0.01',
      venue: 'sim',
    });
    await sleep(1_000);
  }
  const finals = await Promise.all(
    markets.map(async (id) => (await ordo.client.workflow.getHandle(id).result()) as OrderState),
  );
  const faults = (await sim.admin.faults()) as { errors: { fired: number }[] };
  await sim.admin.clearFaults();
  console.log(`502s on order look-ups while the market orders were sent: ${faults.errors[0]?.fired ?? 0}`);
  expect(finals.map((s) => ({ id: s.orderId, status: s.status, reason: s.reason }))).toEqual(
    markets.map((id) => ({ id, status: 'FILLED', reason: undefined })),
  );
});
