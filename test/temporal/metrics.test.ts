/**
 * The worker's Prometheus endpoint (ORDO_METRICS_ADDRESS): Temporal's runtime metrics and Ordo's
 * own — orders ended by status and venue, dead letters, submit latency per venue — scraped from a
 * worker process after it ran a filled and a refused order.
 */
import { Client, Connection } from '@temporalio/client';
import { OrdoOrders } from '../../src/client/orders';
import type { OrderState } from '../../src/domain/order-state';
import { freePort } from '../support/temporal-dev-server';
import { temporalAddress, testWorkerConfig, uniqueOrderId } from '../support/ordo-worker';
import { TEST_BALANCES, createSimAccount } from '../support/simulator-admin';
import { type WorkerProcess, startWorkerProcess } from '../support/worker-process';

jest.setTimeout(120_000);

let worker: WorkerProcess | undefined;
let client: Client | undefined;

afterAll(async () => {
  await worker?.kill('SIGTERM');
  await client?.connection.close();
});

test('orders ended, by status and venue, and submit latency are on the Prometheus endpoint', async () => {
  const account = await createSimAccount(TEST_BALANCES);
  const taskQueue = `test-metrics-${uniqueOrderId('q')}`;
  const address = `127.0.0.1:${await freePort()}`;
  worker = await startWorkerProcess({
    temporalAddress: temporalAddress(),
    taskQueue,
    config: testWorkerConfig({ ...account }),
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

  const text = await scrape(address, (body) => /ordo_orders_ended\S*\{[^}]*status="DENIED"/.test(body));
  const ended = (status: string) =>
    new RegExp(`^ordo_orders_ended\\S*\\{[^}]*status="${status}"[^}]*venue="sim"[^}]*\\} (\\d+)`, 'm').exec(
      text,
    ) ??
    new RegExp(`^ordo_orders_ended\\S*\\{[^}]*venue="sim"[^}]*status="${status}"[^}]*\\} (\\d+)`, 'm').exec(
      text,
    );
  expect(Number(ended('FILLED')?.[1])).toBe(1);
  expect(Number(ended('DENIED')?.[1])).toBe(1);
  expect(text).toMatch(/^ordo_submit_latency\S*_bucket\{[^}]*venue="sim"/m);
  expect(text).toMatch(/^ordo_submit_latency\S*_count\{[^}]*venue="sim"[^}]*\} 1$/m);
  // Temporal's own runtime metrics are on the same endpoint.
  expect(text).toMatch(/^temporal_\w+/m);
  expect(text).not.toMatch(/ordo_dead_letters\S*\{[^}]*\} [1-9]/);
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
