/**
 * RECONCILIATION_MISMATCH exactly once per fact across a worker crash: a worker process runs a
 * reconciliation that finds an order placed directly at the simulator, is SIGKILLed while the
 * webhook holds the event's delivery, and a new worker process finishes the run. The receiver
 * keeps one event per Idempotency-Key: each finding of the run is there once, identical on every
 * delivery, and no other.
 */
import { Client, Connection } from '@temporalio/client';
import type { OrdoEvent } from '../../src/events/types';
import { createVenueRegistry } from '../../src/venues/factory';
import type { VenueRegistry } from '../../src/venues/registry';
import { type WorkerConfig, parseWorkerConfig } from '../../src/workers/config';
import type { ReconciliationReport } from '../../src/workflows/reconciliation-messages';
import { temporalAddress, testWorkerConfig, uniqueOrderId } from '../support/ordo-worker';
import { TEST_BALANCES, createSimAccount, midOf } from '../support/simulator-admin';
import { type WebhookReceiver, startWebhookReceiver, webhookEventsConfig } from '../support/webhook-receiver';
import { type WorkerProcess, startWorkerProcess } from '../support/worker-process';

jest.setTimeout(240_000);

let receiver: WebhookReceiver;
let client: Client;
let registry: VenueRegistry;
let worker: WorkerProcess | undefined;

afterAll(async () => {
  await worker?.kill('SIGKILL');
  await registry?.close();
  await client?.connection.close();
  await receiver?.close();
});

test('a reconciliation interrupted by a worker crash publishes each finding once', async () => {
  const account = await createSimAccount(TEST_BALANCES);
  receiver = await startWebhookReceiver();
  const venues = testWorkerConfig({ ...account });
  // Runs started by the test only (no schedule), quick to confirm an unknown order.
  const config: WorkerConfig = parseWorkerConfig(
    JSON.stringify({
      venues: venues.venues,
      events: webhookEventsConfig(receiver.url),
      reconciliation: { enabled: false, grace: '1s', settle: '500ms', symbols: ['BTC/USDT'] },
    }),
  );
  registry = createVenueRegistry(config);
  client = new Client({ connection: await Connection.connect({ address: temporalAddress() }) });
  const taskQueue = `test-recon-crash-${uniqueOrderId('q')}`;
  const start = () => startWorkerProcess({ temporalAddress: temporalAddress(), taskQueue, config });

  // An order nobody at Ordo placed, old enough to be unknown.
  const stray = await registry.get('sim').venue.submitOrder({
    clientOrderId: `manual-${Date.now()}`,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.002',
    limitPrice: String(Math.round((await midOf('BTC/USDT')) * 0.9)),
    timeInForce: 'GTC',
  });
  await new Promise((resolve) => setTimeout(resolve, 1_100));

  receiver.behave({ delayMs: 600_000 }); // every delivery held: the worker dies mid-delivery
  worker = await start();
  const runId = uniqueOrderId('recon-crash');
  const run = await client.workflow.start('reconciliationWorkflow', {
    taskQueue,
    workflowId: runId,
    args: [{ venues: ['sim'], unknownOrders: 'report' }],
  });
  const isOurs = (e: OrdoEvent) =>
    e.type === 'RECONCILIATION_MISMATCH' && e.data['reconciliationId'] === runId;
  await receiver.waitFor(
    (requests) => requests.some((r) => r.answered === undefined && isOurs(JSON.parse(r.body) as OrdoEvent)),
    60_000,
  );
  await worker.kill('SIGKILL');
  receiver.behave({ delayMs: 0 });

  worker = await start(); // the publish activity times out and runs again here
  const report = (await run.result()) as ReconciliationReport;
  const findings = report.venues.flatMap((v) => v.outcomes);
  const strayKey = `UNKNOWN_ORDER:sim:${stray.venueOrderId}`;
  expect(findings.map((o) => o.finding.key)).toContain(strayKey);

  const expectedIds = findings.map((o) => `reconciliation:${runId}:${o.finding.key}`).sort();
  await receiver.waitFor(
    () => expectedIds.every((id) => receiver.uniqueEvents().some((e) => e.eventId === id)),
    90_000,
  );
  const delivered = receiver.uniqueEvents().filter(isOurs);
  expect(delivered.map((e) => e.eventId).sort()).toEqual(expectedIds);
  // Redelivered, never changed: every request of a key carries the same event.
  for (const id of expectedIds) {
    const bodies = new Set(
      receiver.requests.filter((r) => r.headers['idempotency-key'] === id).map((r) => r.body),
    );
    expect(bodies.size).toBe(1);
  }
  const strayEvent = `reconciliation:${runId}:${strayKey}`;
  const attempts = receiver.requests.filter((r) => r.headers['idempotency-key'] === strayEvent).length;
  expect(attempts).toBeGreaterThanOrEqual(2); // held before the crash, delivered after it

  await registry.get('sim').venue.cancelOrder({ symbol: 'BTC/USDT', venueOrderId: stray.venueOrderId });
});
