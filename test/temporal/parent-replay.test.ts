/**
 * Parent workflows across continue-as-new, and the histories the replay test replays for them.
 *
 * A TWAP with `childrenPerRun: 2` continues as new every two children: the chain of runs (walked
 * through each run's last event and listed by WorkflowId) must carry the progress, the child
 * sequence and the pause/resume/amend handlers over every boundary, and every run's history must
 * replay against today's code. With ORDO_RECORD_HISTORIES=1 each run is saved as its own fixture
 * (test/fixtures/histories/parent-*.json), with a plain TWAP, an iceberg, a cancelled parent and
 * one child order (which signals its parent), for test/temporal/replay.test.ts.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { type ReplayWorkerOptions, Worker } from '@temporalio/worker';
import { add, toDecimalString } from '../../src/domain/decimal';
import type { OrderState } from '../../src/domain/order-state';
import type { ParentProgress } from '../../src/workflows/parent-messages';
import { OrdoAlgos } from '../../src/client/algos';
import { workflowSource } from '../../src/workers/workflow-bundle';
import { HISTORIES_DIR } from '../support/histories';
import { type TestOrdo, startTestOrdo, testWorkerConfig, uniqueOrderId } from '../support/ordo-worker';
import { TEST_BALANCES, createSimAccount, midOf, simOrdersFor } from '../support/simulator-admin';
import { installTestRuntime } from '../support/temporal-env';

jest.setTimeout(150_000);

type History = temporal.api.history.v1.IHistory;

interface Run {
  runId: string;
  history: History;
}

let ordo: TestOrdo;
let algos: OrdoAlgos;

beforeAll(async () => {
  const account = await createSimAccount(TEST_BALANCES);
  ordo = await startTestOrdo(testWorkerConfig({ ...account }));
  algos = new OrdoAlgos(ordo.client, ordo.taskQueue);
});

afterAll(async () => {
  await ordo?.shutdown();
});

/** The runs of a workflow id from its first, following each run's continued-as-new event. */
async function runChain(client: Client, workflowId: string, firstRunId: string): Promise<Run[]> {
  const runs: Run[] = [];
  let runId: string | undefined = firstRunId;
  while (runId !== undefined) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.push({ runId, history });
    const last = history.events?.at(-1);
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

/** The child workflow ids a run started, in order. */
function childrenStarted(history: History): string[] {
  return (history.events ?? []).flatMap((e) => {
    const id = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
    return id ? [id] : [];
  });
}

/** Every execution visibility lists under this workflow id: status per run id. */
async function listedRuns(client: Client, workflowId: string): Promise<Map<string, string>> {
  const runs = new Map<string, string>();
  for await (const wf of client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
    runs.set(wf.runId, wf.status.name);
  return runs;
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Saves one run's history (recordHistory in test/support/histories.ts fetches the latest run
 * only): the same file format, so replay.test.ts replays it.
 */
function recordRun(workflowId: string, history: History, scenario: string): void {
  if (process.env['ORDO_RECORD_HISTORIES'] !== '1') return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  const json = JSON.parse(historyToJSON(history)) as unknown;
  writeFileSync(
    path.join(HISTORIES_DIR, `${scenario}.json`),
    JSON.stringify({ workflowId, history: json }, null, 1),
  );
}

/** Saves every run of a chain as `<scenario>-run<n>`, replacing an earlier recording's runs. */
function recordChain(workflowId: string, runs: Run[], scenario: string): void {
  if (process.env['ORDO_RECORD_HISTORIES'] !== '1') return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  const earlier = new RegExp(`^${scenario}-run\\d+\\.json$`);
  for (const file of readdirSync(HISTORIES_DIR))
    if (earlier.test(file)) rmSync(path.join(HISTORIES_DIR, file));
  runs.forEach((run, i) => recordRun(workflowId, run.history, `${scenario}-run${i + 1}`));
}

/** Replays histories against today's workflow code; the replay errors (none expected). */
async function replayErrors(workflowId: string, histories: History[]): Promise<unknown[]> {
  installTestRuntime();
  const options: ReplayWorkerOptions = { ...(await workflowSource()) };
  const errors: unknown[] = [];
  const inputs = histories.map((history) => ({ workflowId, history }));
  for await (const result of Worker.runReplayHistories(options, inputs)) errors.push(result.error);
  return errors;
}

/** Child ids must be `<parentId>-1 … -n`, in slice order, none twice. */
function expectContiguousChildren(parentId: string, progress: ParentProgress): string[] {
  const ids = progress.slices.flatMap((s) => (s.childId === undefined ? [] : [s.childId]));
  expect(ids).toEqual(ids.map((_, i) => `${parentId}-${i + 1}`));
  return ids;
}

async function startTwap(parentId: string, extra: Record<string, unknown>) {
  return ordo.client.workflow.start('twapWorkflow', {
    taskQueue: ordo.taskQueue,
    workflowId: parentId,
    args: [{ symbol: 'BTC/USDT', side: 'buy', venue: 'sim', parentId, ...extra }],
  });
}

test('childrenPerRun 2: the TWAP continues as new every two children and carries its progress', async () => {
  const parentId = uniqueOrderId('twap-can');
  // Market slices always fill at once: the schedule runs exactly as planned, six children.
  const handle = await startTwap(parentId, {
    quantity: '0.06',
    duration: '15s',
    slices: 6,
    aggression: 'market',
    childrenPerRun: 2,
  });
  const final = (await handle.result()) as ParentProgress;

  expect(final.status).toBe('COMPLETED');
  expect(final.filledQuantity).toBe('0.06');
  expect(final.remainingQuantity).toBe('0');
  // Every slice of every run is in the final progress, each done by its own child.
  expect(final.slices.map((s) => [s.index, s.childId, s.status, s.filledQuantity])).toEqual(
    [1, 2, 3, 4, 5, 6].map((n) => [n - 1, `${parentId}-${n}`, 'FILLED', '0.01']),
  );
  expect(final.slices.reduce((sum, s) => add(sum, s.filledQuantity), '0')).toBe('0.06');
  const times = final.slices.map((s) => Date.parse(s.scheduledAt));
  expect(times).toEqual([...times].sort((a, b) => a - b));
  expect(new Set(times).size).toBe(6);
  // State set in the first run survives: its status history and the arrival price.
  expect(final.history.map((h) => h.status)).toEqual(['PENDING', 'WORKING', 'COMPLETED']);
  expect(Number(final.arrivalPrice)).toBeGreaterThan(0);
  expect(final.request?.childrenPerRun).toBe(2);

  // Runs: children 1-2, 3-4, 5-6, then one that only sees the parent is done.
  const runs = await runChain(ordo.client, parentId, handle.firstExecutionRunId);
  expect(runs.map((r) => childrenStarted(r.history))).toEqual([
    [`${parentId}-1`, `${parentId}-2`],
    [`${parentId}-3`, `${parentId}-4`],
    [`${parentId}-5`, `${parentId}-6`],
    [],
  ]);
  const listed = await until(
    'visibility to list every run',
    () => listedRuns(ordo.client, parentId),
    (m) => m.size === runs.length && [...m.values()].every((s) => s !== 'RUNNING'),
  );
  expect(runs.map((r) => listed.get(r.runId))).toEqual([
    'CONTINUED_AS_NEW',
    'CONTINUED_AS_NEW',
    'CONTINUED_AS_NEW',
    'COMPLETED',
  ]);
  const description = await ordo.client.workflow.getHandle(parentId).describe();
  expect(description.runId).toBe(runs.at(-1)?.runId);

  // Each child order reached the venue once, and belongs to this parent.
  for (const id of expectContiguousChildren(parentId, final)) {
    expect((await simOrdersFor(id)).map((o) => o.clientOrderId)).toEqual([id]);
    const state = (await ordo.client.workflow.getHandle(id).result()) as OrderState;
    expect(state.request.parentId).toBe(parentId);
  }

  expect(
    await replayErrors(
      parentId,
      runs.map((r) => r.history),
    ),
  ).toEqual(runs.map(() => undefined));
  recordChain(parentId, runs, 'parent-twap-can');
});

test('pause, amend and resume work in the first run and after continue-as-new; notes carry over', async () => {
  const parentId = uniqueOrderId('twap-can-pause');
  const handle = await startTwap(parentId, {
    quantity: '0.08',
    duration: '16s',
    slices: 8,
    aggression: 'market',
    childrenPerRun: 2,
  });
  const firstRunId = handle.firstExecutionRunId;

  // Run 1, once its first child filled: pause, amend (a note), resume.
  await until(
    'the first slice to fill',
    () => algos.progress(parentId),
    (p) => p.slices[0]?.status === 'FILLED',
  );
  expect((await algos.pause(parentId, 'pause in run 1')).status).toBe('PAUSED');
  const limitPrice = String(Math.round(await midOf('BTC/USDT')) * 2); // a protection, never hit
  expect((await algos.amend(parentId, { limitPrice })).accepted).toBe(true);
  expect((await algos.resume(parentId, 'resume in run 1')).status).toBe('WORKING');
  const amendNote = (await algos.progress(parentId)).notes.find((n) =>
    n.includes(`limitPrice ${limitPrice}`),
  );
  expect(amendNote).toBeDefined();

  // Run 2 (or later): the same messages reach the new run, which has run 1's progress.
  await until(
    'a run after the first',
    () => ordo.client.workflow.getHandle(parentId).describe(),
    (d) => d.runId !== firstRunId,
  );
  expect((await algos.pause(parentId, 'pause after continue-as-new')).status).toBe('PAUSED');
  const paused = await algos.progress(parentId);
  expect(paused.status).toBe('PAUSED');
  expect(paused.notes).toContain(amendNote);
  expect(paused.request?.limitPrice).toBe(limitPrice);
  expect(paused.slices.slice(0, 2).map((s) => s.childId)).toEqual([`${parentId}-1`, `${parentId}-2`]);
  expect(paused.history.map((h) => h.reason)).toEqual(
    expect.arrayContaining(['pause in run 1', 'resume in run 1', 'pause after continue-as-new']),
  );
  expect((await algos.resume(parentId, 'resume after continue-as-new')).status).toBe('WORKING');

  const final = (await handle.result()) as ParentProgress;
  expect(final.status).toBe('COMPLETED');
  expect(final.filledQuantity).toBe('0.08');
  expect(final.notes).toContain(amendNote);
  expect(final.history.map((h) => h.status)).toEqual([
    'PENDING',
    'WORKING',
    'PAUSED',
    'WORKING',
    'PAUSED',
    'WORKING',
    'COMPLETED',
  ]);
  // Pauses re-plan (slots missed while paused roll into later ones), so the count of children
  // may vary; their ids may not: contiguous, none twice, each at the venue once.
  const ids = expectContiguousChildren(parentId, final);
  for (const id of ids) expect((await simOrdersFor(id)).map((o) => o.clientOrderId)).toEqual([id]);

  const runs = await runChain(ordo.client, parentId, firstRunId);
  expect(runs.length).toBeGreaterThanOrEqual(2);
  // Each run goes on from the child sequence the one before it left.
  expect(runs.flatMap((r) => childrenStarted(r.history))).toEqual(ids);
  for (const run of runs.slice(0, -1)) expect(childrenStarted(run.history).length).toBe(2);

  expect(
    await replayErrors(
      parentId,
      runs.map((r) => r.history),
    ),
  ).toEqual(runs.map(() => undefined));
  recordChain(parentId, runs, 'parent-twap-paused-can');
});

test('a plain TWAP and one of its children: recorded for the replay test', async () => {
  const parentId = uniqueOrderId('twap-plain');
  const handle = await startTwap(parentId, {
    quantity: '0.03',
    duration: '6s',
    interval: '2s',
    aggression: 'cross',
  });
  const final = (await handle.result()) as ParentProgress;
  expect(final.status).toBe('COMPLETED');
  expect(final.filledQuantity).toBe('0.03');
  const [childId] = expectContiguousChildren(parentId, final);

  // The child told its parent how it went: its history holds the childReport signals it sent.
  const child = ordo.client.workflow.getHandle(childId as string);
  const childHistory = await child.fetchHistory();
  const reports = (childHistory.events ?? []).filter(
    (e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes?.signalName === 'childReport',
  );
  expect(reports.length).toBeGreaterThan(0);
  expect(
    reports.every(
      (e) =>
        e.signalExternalWorkflowExecutionInitiatedEventAttributes?.workflowExecution?.workflowId === parentId,
    ),
  ).toBe(true);

  const runs = await runChain(ordo.client, parentId, handle.firstExecutionRunId);
  expect(runs).toHaveLength(1);
  expect(
    await replayErrors(
      parentId,
      runs.map((r) => r.history),
    ),
  ).toEqual([undefined]);
  expect(await replayErrors(childId as string, [childHistory])).toEqual([undefined]);
  recordRun(parentId, runs[0]?.history as History, 'parent-twap');
  recordRun(childId as string, childHistory, 'parent-twap-child');
});

test('an iceberg shows one display quantity at a time: recorded for the replay test', async () => {
  const parentId = uniqueOrderId('iceberg');
  // A buy limit above the market: every show trades at once, so the iceberg is quick.
  const limitPrice = toDecimalString((Math.round(await midOf('BTC/USDT')) * 1.02).toFixed(2));
  const handle = await ordo.client.workflow.start('icebergWorkflow', {
    taskQueue: ordo.taskQueue,
    workflowId: parentId,
    args: [
      {
        symbol: 'BTC/USDT',
        side: 'buy',
        venue: 'sim',
        parentId,
        quantity: '0.03',
        displayQuantity: '0.01',
        limitPrice,
      },
    ],
  });
  const final = (await handle.result()) as ParentProgress;
  expect(final.status).toBe('COMPLETED');
  expect(final.filledQuantity).toBe('0.03');
  expectContiguousChildren(parentId, final);
  expect(final.slices.map((s) => s.targetQuantity)).toEqual(['0.01', '0.01', '0.01']);

  const runs = await runChain(ordo.client, parentId, handle.firstExecutionRunId);
  expect(
    await replayErrors(
      parentId,
      runs.map((r) => r.history),
    ),
  ).toEqual([undefined]);
  recordRun(parentId, runs[0]?.history as History, 'parent-iceberg');
});

test('a TWAP paused, then cancelled: recorded for the replay test', async () => {
  const parentId = uniqueOrderId('twap-cancel');
  const handle = await startTwap(parentId, {
    quantity: '0.03',
    duration: '60s',
    slices: 3,
    aggression: 'market',
  });
  await until(
    'the first slice to fill',
    () => algos.progress(parentId),
    (p) => p.slices[0]?.status === 'FILLED',
  );
  expect((await algos.pause(parentId, 'stop for now')).status).toBe('PAUSED');
  expect((await algos.cancel(parentId, 'no longer wanted')).status).toBe('CANCELLED');
  const final = (await handle.result()) as ParentProgress;
  expect(final.status).toBe('CANCELLED');
  expect(final.reason).toBe('no longer wanted');
  expect(final.filledQuantity).toBe('0.01');
  expect(final.remainingQuantity).toBe('0.02');
  expect(expectContiguousChildren(parentId, final)).toEqual([`${parentId}-1`]);
  expect(final.history.map((h) => h.status)).toEqual(['PENDING', 'WORKING', 'PAUSED', 'CANCELLED']);

  const runs = await runChain(ordo.client, parentId, handle.firstExecutionRunId);
  expect(
    await replayErrors(
      parentId,
      runs.map((r) => r.history),
    ),
  ).toEqual([undefined]);
  recordRun(parentId, runs[0]?.history as History, 'parent-twap-cancelled');
});
