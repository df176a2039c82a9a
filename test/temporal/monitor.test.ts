/**
 * The execution monitor end to end, on the run's Temporal dev server and simulator: a worker with
 * the monitor sink feeds executionMonitorWorkflow; orders the simulator rejects push the rejection
 * rate over a (low) limit, an EXECUTION_ALERT RAISED reaches the webhook and shows in the
 * `monitor` query, GET /monitor and `ordo monitor --json`; once the (short) window slid past the
 * rejections, it clears by itself, with an EXECUTION_ALERT CLEARED correlated to the raise.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/api/app';
import { registerMonitorCommands } from '../../src/client/cli-monitor';
import { type MonitorSnapshot, OrdoMonitor } from '../../src/client/monitor';
import type { OrderState } from '../../src/domain/order-state';
import type { Observation } from '../../src/domain/monitor/types';
import type { OrdoEvent } from '../../src/events/types';
import { createVenueRegistry } from '../../src/venues/factory';
import { monitorConfig } from '../../src/workers/config-monitor';
import { createLogger } from '../../src/workers/logger';
import { workflowSource } from '../../src/workers/workflow-bundle';
import { type WorkerMonitor, createWorkerMonitor } from '../../src/workers/monitor-wiring';
import {
  MONITOR_WORKFLOW_TYPE,
  type MonitorView,
  monitorQuery,
  monitorWorkflowId,
} from '../../src/workflows/monitor-messages';
import type { MonitorInput } from '../../src/workflows/monitor-workflow';
import { midOf } from '../support/simulator-admin';
import {
  type TestOrdo,
  startTestOrdoOn,
  temporalAddress,
  testEventSinks,
  testWorkerConfig,
  uniqueOrderId,
} from '../support/ordo-worker';
import { installTestRuntime } from '../support/temporal-env';
import { type WebhookReceiver, startWebhookReceiver, webhookEventsConfig } from '../support/webhook-receiver';

jest.setTimeout(120_000);

/** Short, so the test sees the window slide; low sample count so a handful of orders is a trend. */
const WINDOW_MS = 15_000;

let receiver: WebhookReceiver;
let ordo: TestOrdo;
let worker: WorkerMonitor;
let app: FastifyInstance;
let connection: Connection;
let client: Client;
const taskQueue = `test-${randomUUID()}`;
const logger = createLogger('monitor-test', process.env['ORDO_TEST_LOG_LEVEL'] ?? 'silent');

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  const config = { ...testWorkerConfig(), events: webhookEventsConfig(receiver.url) };
  connection = await Connection.connect({ address: temporalAddress() });
  client = new Client({ connection, namespace: 'default' });
  const monitor = monitorConfig.parse({
    window: `${WINDOW_MS}ms`,
    minSamples: 3,
    maxRejectionRate: 0.3,
    // Far above anything this test's orders take: only the rejection rate may raise here.
    maxLatencyMs: 600_000,
    maxShortfallBps: 10_000,
    flushEvery: '100ms',
  });
  worker = createWorkerMonitor(client, taskQueue, monitor, logger);
  ordo = await startTestOrdoOn(
    createVenueRegistry(config),
    [...testEventSinks(config), worker.sink],
    undefined,
    { taskQueue },
  );
  await worker.start();
  app = buildApi({ client: ordo.client, taskQueue, ledger: ordo.ledger, logger });
});

afterAll(async () => {
  await app?.close();
  await worker?.close();
  await ordo?.shutdown();
  for (const id of [monitorWorkflowId(taskQueue)])
    await client?.workflow
      .getHandle(id)
      .terminate('test done')
      .catch(() => undefined);
  await connection?.close();
  await receiver?.close();
});

async function finalState(orderId: string): Promise<OrderState> {
  return (await ordo.client.workflow.getHandle(orderId).result()) as OrderState;
}

function alertEvents(): OrdoEvent[] {
  return receiver.uniqueEvents().filter((e) => e.type === 'EXECUTION_ALERT');
}

async function waitForAlert(state: 'RAISED' | 'CLEARED', timeoutMs = 30_000): Promise<OrdoEvent> {
  await receiver.waitFor(() => alertEvents().some((e) => e.data['state'] === state), timeoutMs);
  return alertEvents().find((e) => e.data['state'] === state) as OrdoEvent;
}

async function waitForView(
  done: (view: MonitorView) => boolean,
  id = monitorWorkflowId(taskQueue),
): Promise<MonitorView> {
  const handle = client.workflow.getHandle(id);
  for (let i = 0; ; i++) {
    const view = await handle.query(monitorQuery);
    if (done(view) || i >= 200) return view;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function cliJson(): Promise<MonitorSnapshot> {
  const out: string[] = [];
  const program = new Command('ordo').option('--json').exitOverride();
  registerMonitorCommands(program, {
    write: (text) => out.push(text),
    connect: async () => ({ monitor: new OrdoMonitor(ordo.client, taskQueue), close: async () => undefined }),
  });
  await program.parseAsync(['--json', 'monitor'], { from: 'user' });
  return JSON.parse(out.join('')) as MonitorSnapshot;
}

test('rejections over the limit raise an alert (webhook, query, API, CLI); it clears once the window slid past them', async () => {
  // Two orders that fill, then three the simulator rejects (post-only limits that would take).
  const filled = [uniqueOrderId('mon-fill'), uniqueOrderId('mon-fill')];
  for (const orderId of filled)
    await ordo.orders.submit({
      orderId,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      quantity: '0.001',
      venue: 'sim',
    });
  for (const orderId of filled) expect((await finalState(orderId)).status).toBe('FILLED');

  const mid = await midOf('BTC/USDT');
  const rejected = [uniqueOrderId('mon-rej'), uniqueOrderId('mon-rej'), uniqueOrderId('mon-rej')];
  for (const orderId of rejected)
    await ordo.orders.submit({
      orderId,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      quantity: '0.001',
      limitPrice: (mid * 1.05).toFixed(2),
      postOnly: true,
      venue: 'sim',
    });
  for (const orderId of rejected) {
    const final = await finalState(orderId);
    expect(final.status).toBe('REJECTED');
    expect(final.history.at(-1)?.reason).toBe('POST_ONLY_WOULD_TAKE');
  }

  // RAISED, published once through the event sinks (the webhook).
  const raised = await waitForAlert('RAISED');
  const workflowId = monitorWorkflowId(taskQueue);
  expect(raised).toMatchObject({
    type: 'EXECUTION_ALERT',
    venue: 'sim',
    data: {
      state: 'RAISED',
      alertType: 'HIGH_REJECTION_RATE',
      severity: 'HIGH',
      scope: 'venue:sim',
      limit: 0.3,
    },
  });
  expect(raised.eventId).toMatch(new RegExp(`^${workflowId}:[0-9a-f-]+:1$`));
  expect(raised.correlationId).toBe(raised.eventId);
  expect(raised.data['value']).toBeGreaterThan(0.3);
  expect(raised.data['samples']).toBeGreaterThanOrEqual(3);

  // The query: the alert is active; the window holds the orders, with latency and shortfall (the
  // alert may have been raised at the second rejection: wait for the third to be observed).
  const view = await waitForView((v) => v.metrics[0]?.orders === 5);
  expect(view.activeAlerts.map((a) => [a.type, a.scope])).toEqual([['HIGH_REJECTION_RATE', 'venue:sim']]);
  const sim = view.metrics.find((m) => m.scope === 'venue:sim');
  expect(sim).toMatchObject({ orders: 5, placed: 2, rejected: 3, filled: 2, rejectionRate: 0.6 });
  expect(sim?.latency?.samples).toBe(2);
  expect(sim?.latency?.meanMs).toBeGreaterThan(0);
  expect(sim?.shortfall?.samples).toBe(2);
  expect(view.metrics[0]).toMatchObject({ scope: 'all', orders: 5, rejected: 3 });

  // A redelivered batch changes nothing: the observations are deduplicated by event id.
  const again: Observation[] = rejected.map((orderId) => ({
    id: `${orderId}:REJECTED`,
    orderId,
    venue: 'sim',
    kind: 'rejected',
    at: Date.now(),
  }));
  await worker.monitor.observe(again, view.limits);
  const after = await client.workflow.getHandle(workflowId).query(monitorQuery);
  expect(after.window.duplicates).toBeGreaterThanOrEqual(3);
  expect(after.metrics.find((m) => m.scope === 'venue:sim')?.rejected).toBe(3);

  // A working order (a limit far below the market) shows in GET /monitor with the alert.
  const resting = uniqueOrderId('mon-rest');
  await ordo.orders.submit({
    orderId: resting,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.001',
    limitPrice: (mid * 0.5).toFixed(2),
    venue: 'sim',
  });
  await ordo.orders.waitFor(resting, (s) => s.status === 'ACCEPTED');
  let body: MonitorSnapshot | undefined;
  for (let i = 0; i < 100; i++) {
    const res = await app.inject({ method: 'GET', url: '/monitor?limit=10' });
    expect(res.statusCode).toBe(200);
    body = res.json<MonitorSnapshot>();
    if (body.working.orders.some((o) => o.orderId === resting)) break;
    await new Promise((r) => setTimeout(r, 100)); // visibility is a moment behind
  }
  expect(body?.running).toBe(true);
  expect(body?.monitor?.activeAlerts.map((a) => a.type)).toEqual(['HIGH_REJECTION_RATE']);
  expect(body?.working.orders.find((o) => o.orderId === resting)).toMatchObject({
    status: 'ACCEPTED',
    symbol: 'BTC/USDT',
    side: 'buy',
    venue: 'sim',
  });
  expect(body?.working.count).toBeGreaterThanOrEqual(1);

  // `ordo monitor --json` through the client library: the same view.
  const printed = await cliJson();
  expect(printed.taskQueue).toBe(taskQueue);
  expect(printed.monitor?.activeAlerts.map((a) => a.key)).toEqual(['HIGH_REJECTION_RATE:venue:sim']);

  // Bad input is refused with a typed error.
  const bad = await app.inject({ method: 'GET', url: '/monitor?limit=0' });
  expect(bad.statusCode).toBe(400);

  // No more rejections: once the window slid past them, the alert clears by itself.
  const cleared = await waitForAlert('CLEARED', WINDOW_MS * 4);
  expect(cleared).toMatchObject({
    correlationId: raised.eventId,
    data: { state: 'CLEARED', alertType: 'HIGH_REJECTION_RATE', scope: 'venue:sim', raisedSequence: 1 },
  });
  expect(cleared.eventId).toMatch(new RegExp(`^${workflowId}:[0-9a-f-]+:2$`));
  const final = await client.workflow.getHandle(workflowId).query(monitorQuery);
  expect(final.activeAlerts).toEqual([]);
  expect(final.recentAlerts.map((t) => t.state)).toEqual(['RAISED', 'CLEARED']);
  expect(alertEvents()).toHaveLength(2); // raised once, cleared once

  await ordo.orders.cancel(resting, 'test done');
});

test("the monitor's histories replay against today's workflow code", async () => {
  installTestRuntime();
  const workflowId = monitorWorkflowId(taskQueue);
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  expect(
    history.events?.some(
      (e) => e.timerFiredEventAttributes !== undefined && e.timerFiredEventAttributes !== null,
    ),
  ).toBe(true);
  const errors: unknown[] = [];
  for await (const result of Worker.runReplayHistories({ ...(await workflowSource()) }, [
    { workflowId, history },
  ]))
    errors.push(result.error);
  expect(errors).toEqual([undefined]);
});

test('continue-as-new carries the window, the alerts and the numbering', async () => {
  const workflowId = `ordo-monitor-can-${randomUUID().slice(0, 8)}`;
  const limits = {
    ...(await client.workflow.getHandle(monitorWorkflowId(taskQueue)).query(monitorQuery)).limits,
  };
  const input: MonitorInput = { limits: { ...limits, windowMs: 600_000 }, historyEventsLimit: 40 };
  const handle = await client.workflow.start(MONITOR_WORKFLOW_TYPE, { taskQueue, workflowId, args: [input] });
  const monitor = new OrdoMonitor(client, taskQueue, workflowId);
  try {
    // 4 of 4 rejected: raised (sequence 1); then many batches of placements push history past 40.
    const now = Date.now();
    const obs = (i: number, kind: Observation['kind']): Observation => ({
      id: `e${i}`,
      orderId: `o${i}`,
      venue: 'sim',
      kind,
      at: now + i,
    });
    await monitor.observe(
      [0, 1, 2, 3].map((i) => obs(i, 'rejected')),
      input.limits,
    );
    // Evaluated once per workflow task: wait for the raise before signals that would dilute it.
    expect((await waitForView((v) => v.activeAlerts.length === 1, workflowId)).activeAlerts).toHaveLength(1);
    for (let i = 4; i < 40; i++) await monitor.observe([obs(i, 'placed')], input.limits);
    const view = await waitForView((v) => v.metrics[0]?.orders === 40, workflowId);
    const description = await handle.describe();
    expect(description.runId).not.toBe(handle.firstExecutionRunId); // it continued as new
    expect(view.window.observations).toBe(40);
    expect(view.metrics[0]).toMatchObject({ orders: 40, rejected: 4, rejectionRate: 0.1 });
    // Raised at 4 of 4, cleared once the rate fell to the clear threshold (30 % × 0.8) or below.
    expect(view.recentAlerts.map((t) => [t.sequence, t.state])).toEqual([
      [1, 'RAISED'],
      [2, 'CLEARED'],
    ]);
    // Both published, with the chain's first run id in their ids (stable across runs).
    await receiver.waitFor(
      () => receiver.uniqueEvents().filter((e) => e.eventId.startsWith(`${workflowId}:`)).length === 2,
    );
    const ids = receiver
      .uniqueEvents()
      .filter((e) => e.eventId.startsWith(`${workflowId}:`))
      .map((e) => e.eventId);
    expect(ids).toEqual([
      `${workflowId}:${handle.firstExecutionRunId}:1`,
      `${workflowId}:${handle.firstExecutionRunId}:2`,
    ]);
  } finally {
    await handle.terminate('test done').catch(() => undefined);
  }
});
