/**
 * The messages of a parent order (progress, pause, resume, cancel, amend, killSwitch) on a real
 * Temporal dev server, its slices trading through real ccxt. Updates do not skip time, so these
 * run on real time with short schedules (16–30 s, 4–10 s slices).
 *
 * This file runs its own simulator with the market standing still (tickMs 0): a passive or mid
 * slice then rests on the book until the test itself trades against it (POST /admin/trade), so
 * "a working child when the command arrives" and "a partial fill" are certain, not a race with
 * synthetic flow; crossing slices still fill at once against the market maker's ladder.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { OrdoAlgos } from '../../src/client/algos';
import { CommandRefusedError } from '../../src/client/orders';
import { add, cmp } from '../../src/domain/decimal';
import type { OrderState } from '../../src/domain/order-state';
import { type RunningSimulator, startSimulator } from '../../src/sim/server';
import {
  type ParentAmendRequest,
  type ParentProgress,
  type SliceProgress,
  parentAmendUpdate,
  progressQuery,
  resumeUpdate,
} from '../../src/workflows/parent-messages';
import { expectChildrenAddUp as expectAddUp, workflowExists } from '../support/parent-checks';
import { type TestOrdo, startTestOrdo, testWorkerConfig, uniqueOrderId } from '../support/ordo-worker';
import { type SimOrderRecord, simAdmin } from '../support/simulator-admin';

jest.setTimeout(60_000);

let sim: RunningSimulator;
let ordo: TestOrdo;
let algos: OrdoAlgos;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 7, tickMs: 0 });
  const apiKey = 'parent-commands';
  await admin('POST', '/admin/accounts', {
    apiKey,
    secret: `${apiKey}-secret`,
    balances: { USDT: '1000000', BTC: '10' },
  });
  ordo = await startTestOrdo(testWorkerConfig({ simulatorUrl: sim.url, apiKey, secret: `${apiKey}-secret` }));
  algos = new OrdoAlgos(ordo.client, ordo.taskQueue);
});

afterAll(async () => {
  await ordo?.shutdown();
  await sim?.close();
});

// ---- helpers ---------------------------------------------------------------------------------

const admin = simAdmin(() => sim.url);

/** What this file's simulator received for the children of `parentId` (`<parentId>-<n>`). */
async function venueOrdersOf(parentId: string): Promise<SimOrderRecord[]> {
  const orders = await admin<SimOrderRecord[]>('GET', '/admin/orders');
  return orders.filter((o) => o.clientOrderId?.startsWith(`${parentId}-`));
}

async function midOf(symbol: string): Promise<number> {
  const market = await admin<{ symbol: string; mid: string }[]>('GET', '/admin/market');
  const mid = Number(market.find((m) => m.symbol === symbol.replace('/', ''))?.mid);
  if (!Number.isFinite(mid)) throw new Error(`no mid for ${symbol}`);
  return mid;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function progressOf(parentId: string): Promise<ParentProgress> {
  return ordo.client.workflow.getHandle(parentId).query(progressQuery);
}

/** Polls the parent's progress until `check` holds (or fails the test after `timeoutMs`). */
async function progressWhen(
  parentId: string,
  check: (p: ParentProgress) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<ParentProgress> {
  const deadline = Date.now() + timeoutMs;
  let last = await progressOf(parentId);
  while (!check(last)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; progress: ${JSON.stringify(last, null, 1)}`);
    await sleep(150);
    last = await progressOf(parentId);
  }
  return last;
}

/** Polls the simulator until the child order `childId` rests on the book (status NEW). */
async function restingAtVenue(childId: string): Promise<SimOrderRecord> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const order = (await venueOrdersOf(childId.replace(/-\d+$/, ''))).find(
      (o) => o.clientOrderId === childId && o.status === 'NEW',
    );
    if (order !== undefined) return order;
    if (Date.now() > deadline) throw new Error(`${childId} never rested at the venue`);
    await sleep(150);
  }
}

const childIds = (p: ParentProgress) => p.slices.flatMap((s) => (s.childId === undefined ? [] : [s.childId]));
const sliceOf = (p: ParentProgress, childId: string) =>
  p.slices.find((s) => s.childId === childId) as SliceProgress;

function childResult(childId: string): Promise<OrderState> {
  return ordo.client.workflow.getHandle(childId).result() as Promise<OrderState>;
}

const childExists = (childId: string) => workflowExists(ordo.client, childId);

/** The parent never over-trades (see parent-checks.ts), against this file's own simulator. */
const expectChildrenAddUp = (final: ParentProgress) =>
  expectAddUp(ordo.client, final, () => venueOrdersOf(final.parentId));

/** The typed refusal OrdoAlgos gives for a refused command: its message starts with the code. */
async function refusedWith(command: Promise<unknown>): Promise<string> {
  const outcome = await command.then(
    () => new Error('the command was accepted'),
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(CommandRefusedError);
  return (outcome as Error).message;
}

/**
 * A command sent with the raw Temporal client: a refused update fails with a
 * WorkflowUpdateFailedError whose cause is an ApplicationFailure typed with the reason code.
 */
async function rawRefusal(command: Promise<unknown>): Promise<string | undefined> {
  const outcome = await command.then(
    () => new Error('the command was accepted'),
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (outcome as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return (cause as ApplicationFailure).type ?? undefined;
}

function rawAmend(parentId: string, amend: ParentAmendRequest): Promise<unknown> {
  return ordo.client.workflow.getHandle(parentId).executeUpdate(parentAmendUpdate, { args: [amend] });
}

async function startTwap(prefix: string, request: Record<string, unknown>): Promise<string> {
  const parentId = uniqueOrderId(prefix);
  await algos.start('twap', { symbol: 'BTC/USDT', side: 'buy', venue: 'sim', parentId, ...request });
  return parentId;
}

// ---- tests -----------------------------------------------------------------------------------

test('progress while working; pause stops new children and falls behind; resume re-plans and completes', async () => {
  const parentId = await startTwap('pr', { quantity: '0.02', duration: '20s', interval: '5s' });
  const firstChild = `${parentId}-1`;

  const working = await progressWhen(
    parentId,
    (p) => p.slices[0]?.status === 'FILLED',
    'the first slice to fill',
  );
  expect(working).toMatchObject({
    parentId,
    algo: 'twap',
    status: 'WORKING',
    quantity: '0.02',
    filledQuantity: '0.005',
    remainingQuantity: '0.015',
    behindSchedule: false,
  });
  expect(Number(working.averagePrice)).toBeGreaterThan(0);
  expect(Number(working.arrivalPrice)).toBeGreaterThan(0);
  expect(working.slices).toHaveLength(4);
  expect(working.slices[0]).toMatchObject({
    index: 0,
    targetQuantity: '0.005',
    filledQuantity: '0.005',
    childId: firstChild,
    status: 'FILLED',
  });
  const ahead = working.slices.slice(1);
  for (const [i, slice] of ahead.entries()) {
    expect(slice).toMatchObject({
      index: i + 1,
      targetQuantity: '0.005',
      filledQuantity: '0',
      status: 'SCHEDULED',
    });
    expect(slice.childId).toBeUndefined();
  }
  const times = working.slices.map((s) => Date.parse(s.scheduledAt));
  expect(times.every((t, i) => i === 0 || t - (times[i - 1] as number) === 5_000)).toBe(true);

  expect(await refusedWith(algos.resume(parentId))).toMatch(/^NOT_PAUSED:/);
  expect(await algos.pause(parentId, 'test pause')).toEqual({ accepted: true, status: 'PAUSED' });
  expect(await refusedWith(algos.pause(parentId))).toMatch(/^ALREADY_PAUSED:/);

  const paused = await progressOf(parentId);
  expect(paused.status).toBe('PAUSED');
  expect(paused.reason).toBe('test pause');
  const childrenAtPause = childIds(paused);
  const venueAtPause = (await venueOrdersOf(parentId)).length;
  // Sit out at least one slice time: nothing is sent, and the schedule runs ahead of the fills.
  const nextDue = Date.parse(
    (paused.slices.find((s) => s.status === 'SCHEDULED') as SliceProgress).scheduledAt,
  );
  await sleep(Math.max(0, nextDue - Date.now()) + 1_500);
  const behind = await progressOf(parentId);
  expect(behind.status).toBe('PAUSED');
  expect(behind.behindSchedule).toBe(true);
  expect(cmp(behind.scheduledQuantity, behind.filledQuantity)).toBe(1);
  expect(childIds(behind)).toEqual(childrenAtPause);
  expect(await childExists(`${parentId}-${childrenAtPause.length + 1}`)).toBe(false);
  expect(await venueOrdersOf(parentId)).toHaveLength(venueAtPause);

  const resumedAt = Date.now();
  expect(await algos.resume(parentId)).toEqual({ accepted: true, status: 'WORKING' });
  const resumed = await progressOf(parentId);
  const replanned = resumed.slices.filter((s) => s.status === 'SCHEDULED');
  expect(replanned.length).toBeGreaterThan(0);
  // What remains, spread over the slice times still ahead (none in the past, none after the end).
  expect(replanned.reduce((sum, s) => add(sum, s.targetQuantity), '0')).toBe(resumed.remainingQuantity);
  const endMs = Date.parse(resumed.request?.endAt as string);
  for (const slice of replanned) {
    expect(Date.parse(slice.scheduledAt)).toBeGreaterThanOrEqual(resumedAt - 1_000);
    expect(Date.parse(slice.scheduledAt)).toBeLessThan(endMs);
  }

  const final = await algos.waitFor(parentId);
  expect(final.status).toBe('COMPLETED');
  expect(final.filledQuantity).toBe('0.02');
  expect(final.remainingQuantity).toBe('0');
  expect(final.history.map((h) => h.status)).toEqual([
    'PENDING',
    'WORKING',
    'PAUSED',
    'WORKING',
    'COMPLETED',
  ]);
  await expectChildrenAddUp(final);

  // After the end: every command is refused, in the parent's terms.
  expect(await refusedWith(algos.pause(parentId))).toMatch(/^PARENT_(ENDED|COMPLETED)\b.*COMPLETED/);
  expect(await refusedWith(algos.resume(parentId))).toMatch(/COMPLETED/);
  expect(await refusedWith(algos.cancel(parentId))).toMatch(/COMPLETED/);
  expect(await refusedWith(algos.amend(parentId, { quantity: '0.03' }))).toMatch(/COMPLETED/);
});

test('pause cancels a passive slice resting on the book; a quantity below what is working is refused', async () => {
  const parentId = await startTwap('pp', {
    quantity: '0.01',
    duration: '30s',
    interval: '10s',
    aggression: 'passive',
  });
  const child = `${parentId}-1`;
  const resting = await restingAtVenue(child);
  const working = sliceOf(await progressOf(parentId), child).targetQuantity;
  expect(cmp(resting.origQty, working)).toBe(0);

  // Nothing filled but a whole slice working: a quantity below it could be over-traded by a fill.
  expect(await rawRefusal(rawAmend(parentId, { quantity: '0.003' }))).toBe('QUANTITY_BELOW_COMMITTED');
  const handle = ordo.client.workflow.getHandle(parentId);
  expect(await rawRefusal(handle.executeUpdate(resumeUpdate, { args: [{}] }))).toBe('NOT_PAUSED');

  expect(await algos.pause(parentId)).toEqual({ accepted: true, status: 'PAUSED' });
  // The pause is answered once the working child ended: cancelled at the venue, by the parent.
  const paused = await progressOf(parentId);
  expect(paused.status).toBe('PAUSED');
  expect(sliceOf(paused, child)).toMatchObject({ status: 'CANCELLED', filledQuantity: '0' });
  expect(sliceOf(paused, child).note).toMatch(/^stopped by the parent/);
  expect((await childResult(child)).status).toBe('CANCELLED');
  const atVenue = (await venueOrdersOf(parentId)).filter((o) => o.clientOrderId === child);
  expect(atVenue.map((o) => o.status)).toEqual(['CANCELED']);

  // Paused and nothing working, so nothing can fill: now a smaller quantity is fine.
  expect(await algos.amend(parentId, { quantity: '0.005' })).toEqual({ accepted: true, status: 'PAUSED' });
  expect((await progressOf(parentId)).quantity).toBe('0.005');

  expect(await algos.cancel(parentId)).toEqual({ accepted: true, status: 'CANCELLED' });
  const final = await algos.waitFor(parentId);
  expect(final.status).toBe('CANCELLED');
  expect(final.filledQuantity).toBe('0');
  const children = await expectChildrenAddUp(final);
  expect(children).toHaveLength(1);
});

test('cancel keeps the fills: a partly filled resting slice is cancelled at the venue', async () => {
  const parentId = await startTwap('pc', {
    quantity: '0.01',
    duration: '30s',
    interval: '10s',
    aggression: 'mid',
  });
  const child = `${parentId}-1`;
  const resting = await restingAtVenue(child);
  expect(cmp(resting.origQty, sliceOf(await progressOf(parentId), child).targetQuantity)).toBe(0);
  // A mid-priced buy is the best bid on a still market: a small sell trades with it alone.
  await admin('POST', '/admin/trade', { symbol: 'BTC/USDT', side: 'sell', quantity: '0.001' });
  const partly = await progressWhen(
    parentId,
    // The child reports the fill, then its new status (two signals): wait for the second.
    (p) => sliceOf(p, child).status === 'PARTIALLY_FILLED',
    'the partial fill to reach the parent',
  );
  expect(partly.status).toBe('WORKING');
  expect(partly.filledQuantity).toBe('0.001');

  expect(await algos.cancel(parentId, 'test cancel')).toEqual({ accepted: true, status: 'CANCELLED' });
  const final = await algos.waitFor(parentId);
  expect(final.status).toBe('CANCELLED');
  expect(final.reason).toBe('test cancel');
  expect(final.filledQuantity).toBe('0.001');
  expect(final.remainingQuantity).toBe('0.009');
  expect(sliceOf(final, child)).toMatchObject({ status: 'CANCELLED', filledQuantity: '0.001' });
  const [only] = await expectChildrenAddUp(final);
  expect(only?.status).toBe('CANCELLED');
  const atVenue = (await venueOrdersOf(parentId)).filter((o) => o.clientOrderId === child);
  expect(atVenue.map((o) => [o.status, o.executedQty])).toEqual([['CANCELED', '0.001']]);
  expect(await refusedWith(algos.cancel(parentId))).toMatch(/CANCELLED/);
});

test('amend mid-way: bad values refused; limit price, end and quantity changed; completes at the new quantity', async () => {
  const parentId = await startTwap('pa', { quantity: '0.02', duration: '20s', interval: '5s' });
  const started = await progressWhen(parentId, (p) => p.slices[0]?.status === 'FILLED', 'the first slice');
  expect(started.filledQuantity).toBe('0.005');
  const oldEndMs = Date.parse(started.request?.endAt as string);

  // At once (before the next slice is due): more quantity, and a limit price far below the
  // market, so the following crossing slices trade nothing.
  const mid = await midOf('BTC/USDT');
  const low = (mid * 0.9).toFixed(2);
  expect(await algos.amend(parentId, { quantity: '0.03', limitPrice: low })).toEqual({
    accepted: true,
    status: 'WORKING',
  });
  const grown = await progressOf(parentId);
  expect(grown).toMatchObject({ quantity: '0.03', remainingQuantity: '0.025' });
  expect(grown.request?.quantity).toBe('0.03');
  expect(cmp(grown.request?.limitPrice as string, low)).toBe(0);
  const plannedAhead = grown.slices.filter((s) => s.status === 'SCHEDULED');
  expect(plannedAhead.reduce((sum, s) => add(sum, s.targetQuantity), '0')).toBe('0.025');

  // Refused: bad values, and a quantity below what is already filled.
  expect(await rawRefusal(rawAmend(parentId, { quantity: '0.020001' }))).toBe('QUANTITY_PRECISION');
  expect(await rawRefusal(rawAmend(parentId, { quantity: '0.004' }))).toBe('QUANTITY_BELOW_COMMITTED');
  expect(await rawRefusal(rawAmend(parentId, { endAt: new Date(Date.now() - 60_000).toISOString() }))).toBe(
    'END_IN_PAST',
  );
  expect(await rawRefusal(rawAmend(parentId, {}))).toBe('NOTHING_TO_AMEND');
  expect(await rawRefusal(rawAmend(parentId, { side: 'sell' } as ParentAmendRequest))).toBe('UNKNOWN_FIELD');
  // The same refusals through the client library: a CommandRefusedError naming the code.
  expect(await refusedWith(algos.amend(parentId, { quantity: '0.004' }))).toMatch(
    /^QUANTITY_BELOW_COMMITTED:/,
  );
  // A refused amend leaves no trace in the parent.
  const untouched = await progressOf(parentId);
  expect(untouched.quantity).toBe('0.03');
  expect(untouched.notes.filter((n) => n.startsWith('amended'))).toHaveLength(1);

  const starved = await progressWhen(
    parentId,
    (p) => p.slices.some((s) => s.childId !== undefined && s.status === 'EXPIRED'),
    'a slice at the low limit to end',
  );
  const starvedChild = starved.slices.find((s) => s.status === 'EXPIRED')?.childId as string;
  const starvedState = await childResult(starvedChild);
  expect(cmp(starvedState.request.limitPrice as string, low)).toBe(0);
  expect(starvedState.filledQuantity).toBe('0');

  // Past the original end the parent would expire: move the end out first.
  const newEnd = new Date(oldEndMs + 10_000).toISOString();
  expect(await algos.amend(parentId, { endAt: newEnd })).toEqual({ accepted: true, status: 'WORKING' });
  expect((await progressOf(parentId)).request?.endAt).toBe(newEnd);
  await sleep(Math.max(0, oldEndMs - Date.now()) + 1_000);
  const pastOldEnd = await progressOf(parentId);
  expect(pastOldEnd.status).toBe('WORKING');
  expect(pastOldEnd.filledQuantity).toBe('0.005');

  // A limit price above the market again: the rest trades, to the new quantity exactly.
  const high = (mid * 1.1).toFixed(2);
  expect(await algos.amend(parentId, { limitPrice: high })).toEqual({ accepted: true, status: 'WORKING' });
  const final = await algos.waitFor(parentId);
  expect(final.status).toBe('COMPLETED');
  expect(final.quantity).toBe('0.03');
  expect(final.filledQuantity).toBe('0.03');
  expect(Date.parse(final.history.at(-1)?.at as string)).toBeGreaterThan(oldEndMs);
  expect(final.notes.filter((n) => n.startsWith('amended'))).toHaveLength(3);
  const children = await expectChildrenAddUp(final);
  // Every slice was priced within the limit in force when it was sent (a buy never pays more).
  for (const child of children) {
    expect(child.request.type).toBe('limit');
    expect(cmp(child.request.limitPrice as string, high)).toBeLessThanOrEqual(0);
  }
});

test('the kill switch pauses the parent and cancels its working child', async () => {
  const parentId = await startTwap('pk', {
    quantity: '0.01',
    duration: '30s',
    interval: '10s',
    aggression: 'passive',
  });
  const child = `${parentId}-1`;
  await restingAtVenue(child);
  await algos.killSwitch(parentId, 'desk halt');
  const paused = await progressWhen(parentId, (p) => p.status === 'PAUSED', 'the kill switch to pause it');
  expect(paused.reason).toMatch(/^KILL_SWITCH/);
  expect(paused.reason).toContain('desk halt');
  const killedChild = await childResult(child);
  expect(killedChild.status).toBe('CANCELLED');
  expect(killedChild.reason).toMatch(/KILL_SWITCH/);
  const atVenue = (await venueOrdersOf(parentId)).filter((o) => o.clientOrderId === child);
  expect(atVenue.map((o) => o.status)).toEqual(['CANCELED']);
  // Paused, not ended: a person decides what comes next.
  expect(await algos.cancel(parentId, 'after the kill')).toEqual({ accepted: true, status: 'CANCELLED' });
  const final = await algos.waitFor(parentId);
  expect(final.status).toBe('CANCELLED');
  const [only] = await expectChildrenAddUp(final);
  expect(only?.status).toBe('CANCELLED');
  expect(await refusedWith(algos.resume(parentId))).toMatch(/CANCELLED/);
});
