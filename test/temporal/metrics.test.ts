/**
 * The worker's Prometheus endpoint (ORDO_METRICS_ADDRESS): Temporal's runtime metrics and Ordo's
 * own — orders ended by status and venue, dead letters, submit and fill latency per venue,
 * slippage per venue and side, each venue's breaker state — scraped from a worker process after
 * it ran a filled, a price-improved and a refused order, and sent one to a venue that does not answer.
 */
import { Client, Connection } from '@temporalio/client';
import { OrdoOrders } from '../../src/client/orders';
import type { OrderState } from '../../src/domain/order-state';
import { freePort } from '../support/temporal-dev-server';
import { temporalAddress, testWorkerConfig, uniqueOrderId } from '../support/ordo-worker';
import { TEST_BALANCES, createSimAccount, midOf, setMid } from '../support/simulator-admin';
import { type WorkerProcess, startWorkerProcess } from '../support/worker-process';

jest.setTimeout(120_000);

let worker: WorkerProcess | undefined;
let client: Client | undefined;

afterAll(async () => {
  await worker?.kill('SIGTERM');
  await client?.connection.close();
});

test('orders ended, dead letters, submit and fill latency, slippage and breaker states are on the endpoint', async () => {
  const account = await createSimAccount(TEST_BALANCES);
  const taskQueue = `test-metrics-${uniqueOrderId('q')}`;
  const address = `127.0.0.1:${await freePort()}`;
  const config = testWorkerConfig({ ...account });
  // A venue nobody listens for: its first failed call opens its breaker (the gauge goes to 2).
  const down = testWorkerConfig({
    simulatorUrl: `http://127.0.0.1:${await freePort()}`,
    maxAttempts: 2,
    breaker: { failureThreshold: 1, failureRate: 0.1, cooldownMs: 600_000, whenOpen: 'deny' },
  }).venues['sim'];
  if (down === undefined) throw new Error('no venue configuration');
  worker = await startWorkerProcess({
    temporalAddress: temporalAddress(),
    taskQueue,
    config: { ...config, venues: { ...config.venues, down } },
    env: { ORDO_METRICS_ADDRESS: address },
  });
  client = new Client({ connection: await Connection.connect({ address: temporalAddress() }) });
  const orders = new OrdoOrders(client, taskQueue);
  const filled = uniqueOrderId('metrics-fill');
  const denied = uniqueOrderId('metrics-deny');
  await orders.submit({
    orderId: filled,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    quantity: '0.001',
    venue: 'sim',
  });
  // Refused by the workflow before sending: a market the venue does not list.
  await orders.submit({
    orderId: denied,
    symbol: 'NOPE/USDT',
    side: 'buy',
    type: 'market',
    quantity: '1',
    venue: 'sim',
  });
  const results = await Promise.all(
    [filled, denied].map(
      async (id) => ((await client?.workflow.getHandle(id).result()) as OrderState).status,
    ),
  );
  expect(results).toEqual(['FILLED', 'DENIED']);
  // A resting buy the market then trades through: filled below its arrival mid, a price
  // improvement (negative slippage, which the SDK's histograms cannot take as such).
  const improved = uniqueOrderId('metrics-improve');
  const mid = await midOf('BTC/USDT');
  await orders.submit({
    orderId: improved,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.001',
    limitPrice: (mid * 0.999).toFixed(2),
    venue: 'sim',
  });
  await orders.waitFor(improved, (s) => s.status === 'ACCEPTED');
  await setMid('BTC/USDT', (mid * 0.995).toFixed(2));
  try {
    const state = (await orders.waitFor(improved, (s) => s.status === 'FILLED')) as OrderState;
    expect(state.status).toBe('FILLED');
  } finally {
    await setMid('BTC/USDT', mid.toFixed(2));
  }
  await orders.submit({
    orderId: uniqueOrderId('metrics-down'),
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    quantity: '0.001',
    venue: 'down',
  });

  const text = await scrape(
    address,
    (body) =>
      /ordo_orders_ended\S*\{[^}]*status="DENIED"/.test(body) &&
      /ordo_slippage_bps\S*_count\{[^}]*direction="improvement"/.test(body) &&
      /^ordo_venue_breaker_state\S*\{[^}]*venue="down"[^}]*\} 2$/m.test(body),
  );
  const ended = (status: string) =>
    new RegExp(`^ordo_orders_ended\\S*\\{[^}]*status="${status}"[^}]*venue="sim"[^}]*\\} (\\d+)`, 'm').exec(
      text,
    ) ??
    new RegExp(`^ordo_orders_ended\\S*\\{[^}]*venue="sim"[^}]*status="${status}"[^}]*\\} (\\d+)`, 'm').exec(
      text,
    );
  expect(Number(ended('FILLED')?.[1])).toBe(2);
  expect(Number(ended('DENIED')?.[1])).toBe(1);
  expect(text).toMatch(/^ordo_submit_latency\S*_bucket\{[^}]*venue="sim"/m);
  expect(text).toMatch(/^ordo_submit_latency\S*_count\{[^}]*venue="sim"[^}]*\} 2$/m);
  // Order received → first fill, once per order that filled (the denied one never did).
  expect(text).toMatch(/^ordo_fill_latency\S*_bucket\{[^}]*venue="sim"/m);
  expect(text).toMatch(/^ordo_fill_latency\S*_count\{[^}]*venue="sim"[^}]*\} 2$/m);
  // Slippage against the arrival mid, by venue, side and direction: the market buy paid (cost),
  // the resting buy gained (improvement); the denied order has none.
  const slippage = /^ordo_slippage_bps\S*_count\{([^}]*)\} (\d+)$/gm;
  const counted = [...text.matchAll(slippage)]
    .map((m) => [
      (m[1] ?? '')
        .split(',')
        .filter((tag) => /^(side|venue|direction)=/.test(tag))
        .sort()
        .join(','),
      m[2],
    ])
    .sort();
  expect(counted).toEqual([
    ['direction="cost",side="buy",venue="sim"', '1'],
    ['direction="improvement",side="buy",venue="sim"', '1'],
  ]);
  // Each venue's breaker: sim closed (0), the silent venue open (2).
  expect(text).toMatch(/^ordo_venue_breaker_state\S*\{[^}]*venue="sim"[^}]*\} 0$/m);
  expect(text).toMatch(/^ordo_venue_breaker_state\S*\{[^}]*venue="down"[^}]*\} 2$/m);
  // Temporal's own runtime metrics are on the same endpoint.
  expect(text).toMatch(/^temporal_\w+/m);
  expect(text).not.toMatch(/ordo_dead_letters\S*\{[^}]*venue="sim"[^}]*\} [1-9]/);
});

/** Scrapes until `ready` holds (metrics are exported on the runtime's own schedule). */
async function scrape(address: string, ready: (body: string) => boolean): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const body = await fetch(`http://${address}/metrics`).then(
      (r) => r.text(),
      () => '',
    );
    if (ready(body)) return body;
    if (Date.now() > deadline) throw new Error(`metrics not ready at ${address}:\n${body.slice(0, 2_000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
