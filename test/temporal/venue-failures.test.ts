/**
 * How orders end when the venue fails in the two ways that matter most:
 * - an answer lost after the venue accepted (unknown outcome): found by client order id, sent once;
 * - a final refusal (insufficient funds, bad signature): REJECTED with its reason after exactly one
 *   attempt; an unknown symbol is refused before anything is sent (DENIED, no attempt at all).
 * Runs its own simulator so its faults do not reach other test files.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { OrderState } from '../../src/domain/order-state';
import { type RunningSimulator, startSimulator } from '../../src/sim/server';
import { type TestOrdo, startTestOrdo, testWorkerConfig, uniqueOrderId } from '../support/ordo-worker';

jest.setTimeout(90_000);

let sim: RunningSimulator;
let ordo: TestOrdo;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5, tickMs: 0 });
  ordo = await startTestOrdo(testWorkerConfig({ simulatorUrl: sim.url, timeoutMs: 1_000 }));
});

afterAll(async () => {
  await ordo?.shutdown();
  await sim?.close();
});

afterEach(async () => {
  await fetch(`${sim.url}/admin/faults`, { method: 'DELETE' });
});

async function post(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
}

async function placements(clientOrderId: string): Promise<Array<{ status: string }>> {
  const response = await fetch(`${sim.url}/admin/orders?clientOrderId=${encodeURIComponent(clientOrderId)}`);
  const body = (await response.json()) as Array<{ clientOrderId: string; status: string }>;
  return body.filter((o) => o.clientOrderId === clientOrderId);
}

/** Attempts of each activity type, from the workflow's history. */
async function attempts(handle: WorkflowHandle, activityType: string): Promise<number[]> {
  const history = await handle.fetchHistory();
  const scheduled = new Map<string, string>();
  const out: number[] = [];
  for (const event of history.events ?? []) {
    const s = event.activityTaskScheduledEventAttributes;
    if (s?.activityType?.name) scheduled.set(String(event.eventId), s.activityType.name);
    const started = event.activityTaskStartedEventAttributes;
    if (started && scheduled.get(String(started.scheduledEventId)) === activityType)
      out.push(started.attempt ?? 0);
  }
  return out;
}

test('the answer is lost after the venue accepted: found by client order id, sent once, completes', async () => {
  // The first placement is accepted and matched, but its answer is held past the 1 s client timeout.
  await post('/admin/faults', { timeoutAfterAccept: { rate: 1, mode: 'hold', holdMs: 3_000, times: 1 } });
  const orderId = uniqueOrderId('lost-answer');
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    quantity: '0.002',
    venue: 'sim',
  });
  const final = (await ordo.client.workflow.getHandle(orderId).result()) as OrderState;
  expect(final.status).toBe('FILLED');
  expect(final.filledQuantity).toBe('0.002');
  expect(await placements(orderId)).toHaveLength(1);
});

test('insufficient funds ends REJECTED after exactly one attempt', async () => {
  const orderId = uniqueOrderId('poor');
  const handle = await ordo.client.workflow.start('orderWorkflow', {
    taskQueue: ordo.taskQueue,
    workflowId: orderId,
    args: [
      {
        orderId,
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        quantity: '5000',
        limitPrice: '1000',
        venue: 'sim',
      },
    ],
  });
  const final = (await handle.result()) as OrderState;
  expect(final.history.at(-1)).toMatchObject({ status: 'REJECTED', reason: 'INSUFFICIENT_FUNDS' });
  expect(await attempts(handle, 'submitOrder')).toEqual([1]);
});

test('a bad signature ends REJECTED with AUTHENTICATION_FAILED after exactly one attempt', async () => {
  const badKeys = await startTestOrdo(testWorkerConfig({ simulatorUrl: sim.url, secret: 'not-the-secret' }));
  try {
    const orderId = uniqueOrderId('bad-signature');
    const handle = await badKeys.client.workflow.start('orderWorkflow', {
      taskQueue: badKeys.taskQueue,
      workflowId: orderId,
      args: [{ orderId, symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: '0.001', venue: 'sim' }],
    });
    const final = (await handle.result()) as OrderState;
    expect(final.history.at(-1)).toMatchObject({ status: 'REJECTED', reason: 'AUTHENTICATION_FAILED' });
    expect(await attempts(handle, 'submitOrder')).toEqual([1]);
    expect((await placements(orderId)).filter((o) => o.status !== 'REJECTED')).toEqual([]);
  } finally {
    await badKeys.shutdown();
  }
});

test('an unknown symbol is refused before anything is sent: DENIED BAD_SYMBOL, no submit attempt', async () => {
  const orderId = uniqueOrderId('bad-symbol');
  const handle = await ordo.client.workflow.start('orderWorkflow', {
    taskQueue: ordo.taskQueue,
    workflowId: orderId,
    args: [{ orderId, symbol: 'NOPE/USDT', side: 'buy', type: 'market', quantity: '1', venue: 'sim' }],
  });
  const final = (await handle.result()) as OrderState;
  expect(final.history.at(-1)).toMatchObject({ status: 'DENIED', reason: 'BAD_SYMBOL' });
  expect(await attempts(handle, 'submitOrder')).toEqual([]);
  expect(await attempts(handle, 'prepareOrder')).toEqual([1]);
});
