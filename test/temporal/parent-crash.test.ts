/**
 * A parent schedule survives its worker's death: the worker process is SIGKILLed while a child's
 * order is at the venue but its answer is held (the venue placed and filled it; the worker never
 * heard back), and a new worker process takes over. The schedule must go on at the right slice:
 * no slice skipped or sent twice, every client order id at the venue once, filled = quantity.
 *
 * The held answer is a simulator fault, and faults are simulator-wide: this file runs its own
 * simulator (no background market, so crossing slices always find the ask they were priced at).
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { OrderState } from '../../src/domain/order-state';
import type { ParentProgress } from '../../src/workflows/parent-messages';
import { type RunningSimulator, startSimulator } from '../../src/sim/server';
import { testWorkerConfig, temporalAddress, uniqueOrderId } from '../support/ordo-worker';
import { type SimOrderRecord, simAdmin } from '../support/simulator-admin';
import { type WorkerProcess, startWorkerProcess } from '../support/worker-process';

jest.setTimeout(180_000);

type History = temporal.api.history.v1.IHistory;

let sim: RunningSimulator;
let client: Client;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, tickMs: 0, seed: 5 });
  client = new Client({ connection: await Connection.connect({ address: temporalAddress() }) });
});

afterAll(async () => {
  await client?.connection.close();
  await sim?.close();
});

const admin = simAdmin(() => sim.url);

/** Every order request this simulator received for the parent's children, in arrival order. */
async function venueOrdersOf(parentId: string): Promise<(SimOrderRecord & { fault?: string })[]> {
  const body = await admin<SimOrderRecord[] | { orders: SimOrderRecord[] }>('GET', '/admin/orders');
  const orders = Array.isArray(body) ? body : body.orders;
  return orders.filter((o) => o.clientOrderId?.startsWith(`${parentId}-`));
}

/** The child ids each run of the parent started, following continue-as-new from the first run. */
async function childrenByRun(workflowId: string, firstRunId: string): Promise<string[][]> {
  const runs: string[][] = [];
  let runId: string | null | undefined = firstRunId;
  while (runId) {
    const history: History = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    runs.push(events.flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? []));
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
  return runs;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('SIGKILL while a slice is in flight: a new worker finishes the schedule, nothing sent twice', async () => {
  const taskQueue = `parent-crash-${randomUUID()}`;
  // The held answer must outlast the worker: its venue call may not time out first.
  const config = testWorkerConfig({ simulatorUrl: sim.url, timeoutMs: 60_000 });
  let worker: WorkerProcess = await startWorkerProcess({
    temporalAddress: temporalAddress(),
    taskQueue,
    config,
  });
  const parentId = uniqueOrderId('twap-crash');
  const slices = 8;
  try {
    // 5 s apart: after the kill the held child waits out its 15 s submit timeout, and the slices
    // due meanwhile must still fit before the end. Three children per run: the restarted worker
    // also continues as new.
    const handle = await client.workflow.start('twapWorkflow', {
      taskQueue,
      workflowId: parentId,
      args: [
        {
          parentId,
          symbol: 'BTC/USDT',
          side: 'buy',
          quantity: '0.08',
          venue: 'sim',
          duration: '40s',
          slices,
          aggression: 'cross',
          childrenPerRun: 3,
        },
      ],
    });

    await until('two children at the venue', async () => (await venueOrdersOf(parentId)).length >= 2);
    // The next order placed (the third child's) is placed and filled, but its answer held.
    await admin('POST', '/admin/faults', {
      timeoutAfterAccept: { mode: 'hold', holdMs: 45_000, scope: ['@placeOrder'], times: 1 },
    });
    const held = `${parentId}-3`;
    await until('the third child at the venue', async () =>
      (await venueOrdersOf(parentId)).some((o) => o.clientOrderId === held),
    );
    await worker.kill('SIGKILL');
    await admin('DELETE', '/admin/faults');
    const heldOrder = (await venueOrdersOf(parentId)).find((o) => o.clientOrderId === held);
    expect(heldOrder?.fault).toBe('timeoutAfterAccept');

    worker = await startWorkerProcess({ temporalAddress: temporalAddress(), taskQueue, config });
    const final = (await handle.result()) as ParentProgress;

    expect(final.status).toBe('COMPLETED');
    expect(final.filledQuantity).toBe('0.08');
    expect(final.remainingQuantity).toBe('0');
    // Every planned slice done once, by the next child in sequence, at its own planned time.
    const request = final.request;
    if (request?.algo !== 'twap') throw new Error(`no TWAP request in the result: ${JSON.stringify(final)}`);
    const ids = Array.from({ length: slices }, (_, i) => `${parentId}-${i + 1}`);
    expect(final.slices.map((s) => [s.index, s.childId, s.status, s.filledQuantity])).toEqual(
      ids.map((id, i) => [i, id, 'FILLED', '0.01']),
    );
    expect(final.slices.map((s) => Date.parse(s.scheduledAt))).toEqual(
      ids.map((_, i) => Date.parse(request.startAt) + i * request.intervalMs),
    );

    // At the venue: each child's client order id exactly once, nothing else from this parent.
    const sent = (await venueOrdersOf(parentId)).map((o) => o.clientOrderId);
    expect([...sent].sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const child = client.workflow.getHandle(id);
      const state = (await child.result()) as OrderState;
      expect({ id, status: state.status, filled: state.filledQuantity }).toEqual({
        id,
        status: 'FILLED',
        filled: '0.01',
      });
    }

    // Each child was started once, and the runs after the crash went on from the right one.
    expect(await childrenByRun(parentId, handle.firstExecutionRunId)).toEqual([
      ids.slice(0, 3),
      ids.slice(3, 6),
      ids.slice(6),
    ]);

    // The kill did land mid-submit: the held child's submit needed a second attempt.
    const heldHistory = await client.workflow.getHandle(held).fetchHistory();
    const events = heldHistory.events ?? [];
    const submit = events.find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'submitOrder',
    );
    const started = events.find(
      (e) => Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === Number(submit?.eventId),
    );
    expect(started?.activityTaskStartedEventAttributes?.attempt).toBeGreaterThanOrEqual(2);
  } finally {
    await admin('DELETE', '/admin/faults').catch(() => undefined);
    await worker.kill('SIGTERM');
  }
});
