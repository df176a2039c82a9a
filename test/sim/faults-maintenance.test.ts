/**
 * A maintenance window: every API request fails while it lasts — HTTP 503 with Binance's
 * "System is under maintenance." body and a Retry-After (ccxt: OnMaintenance) — then the venue
 * is healthy again without anyone touching it. The admin API keeps working throughout.
 */
import type { RunningSimulator } from '../../src/sim/server';
import {
  faultSettings,
  ordersWithClientId,
  restingBuy,
  setFaults,
  thrownBy,
  watchedBinance,
  type WatchedExchange,
} from './faults-harness';
import { admin, clientId, startTestSimulator } from './harness';

const WINDOW_MS = 600;

let sim: RunningSimulator;
let client: WatchedExchange;

beforeAll(async () => {
  sim = await startTestSimulator();
  client = watchedBinance(sim);
  await client.exchange.loadMarkets();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await admin(sim, 'POST', '/admin/reset');
});

async function waitUntilOver(): Promise<void> {
  const window = (await faultSettings(sim)).maintenance;
  if (window)
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, window.until - Date.now()) + 20));
}

it('maintenance {forMs} fails public, signed and order requests with OnMaintenance, then recovers', async () => {
  await setFaults(sim, { maintenance: { forMs: WINDOW_MS } });
  expect((await faultSettings(sim)).maintenance).toMatchObject({ active: true });

  const id = clientId('maintenance');
  const calls: Promise<unknown>[] = [
    client.exchange.fetchTicker('BTC/USDT'),
    client.exchange.fetchBalance(),
    client.exchange.fetchOpenOrders('BTC/USDT'),
    restingBuy(client.exchange, id),
  ];
  for (const call of calls) expect((await thrownBy(call)).className).toBe('OnMaintenance');
  expect(client.seen()?.status).toBe(503);
  expect(JSON.parse(client.seen()?.body ?? '{}')).toEqual({ code: 1, msg: 'System is under maintenance.' });
  expect(Number(client.seen()?.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
  expect(await ordersWithClientId(sim, id)).toEqual([
    expect.objectContaining({ status: 'REJECTED', httpStatus: 503, fault: 'maintenance' }),
  ]);

  await waitUntilOver();
  expect((await faultSettings(sim)).maintenance).toMatchObject({ active: false });
  await client.exchange.fetchTicker('BTC/USDT');
  await client.exchange.fetchBalance();
  expect((await restingBuy(client.exchange, clientId('after-maintenance'))).status).toBe('open');
});

it('a window given by from/until (ISO or epoch ms) is inactive before it starts', async () => {
  const from = Date.now() + 60_000;
  await setFaults(sim, { maintenance: { from: new Date(from).toISOString(), until: from + 60_000 } });
  expect((await faultSettings(sim)).maintenance).toMatchObject({ from, until: from + 60_000, active: false });
  await client.exchange.fetchBalance();
});

it('scoped to order placement, the rest of the API stays up', async () => {
  await setFaults(sim, { maintenance: { forMs: 60_000, scope: ['@placeOrder'] } });
  expect(await thrownBy(restingBuy(client.exchange, clientId('scoped')))).toMatchObject({
    className: 'OnMaintenance',
  });
  await client.exchange.fetchBalance();
  await client.exchange.fetchTicker('BTC/USDT');
  await setFaults(sim, { maintenance: null });
  await restingBuy(client.exchange, clientId('ended'));
});
