/**
 * The parent-order client (OrdoAlgos, src/client/algos.ts) end to end on the run's Temporal dev
 * server, its children trading on the real simulator: start (refused input, idempotent ids),
 * progress while working and after, list through search attributes, waitFor; children found by
 * their ParentId search attribute; and the real `ordo algo` CLI once.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { WorkflowNotFoundError } from '@temporalio/client';
import { OrdoAlgos, ParentRequestError, type ParentFilter, type ParentSummary } from '../../src/client/algos';
import { add, cmp } from '../../src/domain/decimal';
import { OrderRequestError } from '../../src/domain/order-request';
import type { ParentProgress } from '../../src/workflows/parent-messages';
import { type TestOrdo, startTestOrdo, testWorkerConfig, uniqueOrderId } from '../support/ordo-worker';
import { TEST_BALANCES, createSimAccount } from '../support/simulator-admin';

jest.setTimeout(120_000);

const ORDO_CLI = path.join(__dirname, '..', '..', 'bin', 'ordo.js');
const run = promisify(execFile);

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` (bounded) until `done` holds; visibility and progress are eventually current. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 200; i++) {
    last = await read();
    if (done(last)) return last;
    await sleep(100);
  }
  throw new Error(`${what}: never happened; last seen ${JSON.stringify(last)}`);
}

const ids = (list: ParentSummary[]) => list.map((p) => p.parentId);

/** A TWAP of five market slices 5 s apart: each fills at once, so the schedule is the plan. */
function twapRequest(strategyId: string, parentId?: string): Record<string, unknown> {
  return {
    symbol: 'ETH/USDT',
    side: 'buy',
    quantity: '0.05',
    venue: 'sim',
    duration: '25s',
    interval: '5s',
    aggression: 'market',
    strategyId,
    ...(parentId === undefined ? {} : { parentId }),
  };
}

test('a bad request is refused with typed issues before anything starts', async () => {
  const parentId = uniqueOrderId('bad-twap');
  const bad = { ...twapRequest('bad'), parentId, side: 'hold', quantity: '-1' };
  const refused = await algos.start('twap', bad).catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(ParentRequestError);
  expect(refused).toBeInstanceOf(OrderRequestError);
  const codes = (refused as ParentRequestError).issues.map((i) => i.code).sort();
  expect(codes).toEqual(['INVALID_QUANTITY', 'INVALID_SIDE']);
  await expect(ordo.client.workflow.getHandle(parentId).describe()).rejects.toBeInstanceOf(
    WorkflowNotFoundError,
  );
});

test('a TWAP through OrdoAlgos: start, progress, list, waitFor, children by ParentId', async () => {
  const strategyId = uniqueOrderId('client-strategy');
  const parentId = uniqueOrderId('client-twap');
  const started = await algos.start('twap', twapRequest(strategyId, parentId));
  expect(started.parentId).toBe(parentId);
  // The same id again: the same run, nothing new started.
  expect(await algos.start('twap', twapRequest(strategyId, parentId))).toEqual(started);

  // Working: some slices filled, the rest still scheduled.
  const working = await eventually(
    () => algos.progress(parentId),
    (p) => p.status === 'WORKING' && p.slices.some((s) => s.status === 'FILLED'),
    'a filled slice while working',
  );
  expect(working.parentId).toBe(parentId);
  expect(working.algo).toBe('twap');
  expect(working.quantity).toBe('0.05');
  expect(working.slices).toHaveLength(5);
  expect(cmp(working.filledQuantity, '0.05')).toBe(-1);
  expect(working.slices.some((s) => s.status === 'SCHEDULED')).toBe(true);
  expect(working.request?.strategyId).toBe(strategyId);

  // Listed by its search attributes while working (the strategy id keeps other tests' parents out).
  const mine = (filter: ParentFilter) => algos.list({ ...filter, strategyId });
  const listed = await eventually(
    () => mine({ algo: 'twap', symbol: 'ETH/USDT', status: 'WORKING' }),
    (list) => ids(list).includes(parentId),
    'listed as a working TWAP on ETH/USDT',
  );
  expect(listed).toEqual([
    {
      parentId,
      algo: 'twap',
      status: 'WORKING',
      symbol: 'ETH/USDT',
      side: 'buy',
      venue: 'sim',
      strategyId,
      startedAt: expect.any(String),
    },
  ]);
  // The same index refuses what does not match.
  expect(await mine({ algo: 'vwap' })).toEqual([]);
  expect(await mine({ symbol: 'BTC/USDT' })).toEqual([]);
  expect(await mine({ side: 'sell' })).toEqual([]);

  const final = await algos.waitFor(parentId);
  expect(final.status).toBe('COMPLETED');
  expect(final.filledQuantity).toBe('0.05');
  expect(final.slices.map((s) => s.childId)).toEqual([1, 2, 3, 4, 5].map((n) => `${parentId}-${n}`));
  expect(final.slices.reduce((total, s) => add(total, s.filledQuantity), '0')).toBe('0.05');
  // After the end, progress is the final word (the workflow's result).
  expect(await algos.progress(parentId)).toEqual(final);
  // Starting a finished id again returns it, and starts nothing.
  expect(await algos.start('twap', twapRequest(strategyId, parentId))).toEqual(started);
  expect((await ordo.client.workflow.getHandle(parentId).describe()).runId).toBe(started.runId);

  const done = await eventually(
    () => mine({ status: 'COMPLETED' }),
    (list) => ids(list).includes(parentId),
    'listed as COMPLETED',
  );
  expect(done[0]?.closedAt).toEqual(expect.any(String));
  expect(await mine({ status: 'WORKING' })).toEqual([]);

  // Every child, and only they, carry ParentId = the parent's id.
  const children = await eventually(
    async () => {
      const found: string[] = [];
      for await (const wf of ordo.client.workflow.list({ query: `ParentId = "${parentId}"` }))
        found.push(wf.workflowId);
      return found.sort();
    },
    (found) => found.length >= 5,
    'five children by ParentId',
  );
  expect(children).toEqual(final.slices.map((s) => s.childId as string).sort());
});

test('the ordo CLI starts a TWAP and reads its progress', async () => {
  const strategyId = uniqueOrderId('cli-strategy');
  const parentId = uniqueOrderId('cli-twap');
  const env: NodeJS.ProcessEnv = { ...process.env, ORDO_TASK_QUEUE: ordo.taskQueue };
  // global-setup.ts pointed TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE at the run's dev server.
  expect(env.TEMPORAL_ADDRESS).toBe(process.env.TEMPORAL_TEST_ADDRESS);
  const ordoCli = async (...args: string[]) =>
    JSON.parse((await run(process.execPath, [ORDO_CLI, ...args, '--json'], { env, timeout: 60_000 })).stdout);

  const started = (await ordoCli(
    ...['algo', 'twap', '--id', parentId, '--symbol', 'ETH/USDT', '--side', 'sell', '--quantity', '0.02'],
    ...['--duration', '4s', '--interval', '2s', '--aggression', 'market', '--strategy-id', strategyId],
  )) as { parentId: string; runId: string };
  expect(started.parentId).toBe(parentId);
  expect((await ordo.client.workflow.getHandle(parentId).describe()).runId).toBe(started.runId);

  const final = await algos.waitFor(parentId);
  expect(final.status).toBe('COMPLETED');
  const progress = (await ordoCli('algo', 'progress', parentId)) as ParentProgress;
  expect(progress).toEqual(final);
  expect(progress.request).toMatchObject({ side: 'sell', quantity: '0.02', strategyId });
  expect(progress.slices.map((s) => s.childId)).toEqual([`${parentId}-1`, `${parentId}-2`]);
});
