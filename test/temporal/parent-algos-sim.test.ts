/**
 * The parent-order algorithms against the run's real simulator (synthetic market ticking every
 * 250 ms, synthetic takers making volume), on a real Temporal dev server: TWAP, POV, iceberg, VWAP
 * and implementation shortfall each run to the end and are checked against what the simulator saw.
 *
 * The parents run concurrently (started in beforeAll, each test awaits its own), so the file takes
 * about as long as the longest schedule (POV: at most 60 s, usually less). Symbols are spread so
 * that one algorithm's trades hardly move another's measurements: POV, TWAP, iceberg and IS on
 * BTC/USDT (whose mid no test moves by hand), VWAP on SOL/USDT.
 */
import type { OrderState } from '../../src/domain/order-state';
import { add, cmp, dec, toDecimalString } from '../../src/domain/decimal';
import { planImplementationShortfall } from '../../src/domain/algos/implementation-shortfall';
import { twapSlots } from '../../src/domain/algos/twap';
import type { LotRules } from '../../src/domain/algos/types';
import type { ParentProgress, SliceProgress } from '../../src/workflows/parent-messages';
import {
  type TestOrdo,
  simulatorUrl,
  startTestOrdo,
  testWorkerConfig,
  uniqueOrderId,
} from '../support/ordo-worker';
import { type SimAccount, TEST_BALANCES, createSimAccount } from '../support/simulator-admin';

jest.setTimeout(240_000);

/** The simulator's admin view of one order request (the fields these tests read). */
interface SimOrderView {
  clientOrderId: string | null;
  receivedAt: number;
  updatedAt: number;
  origQty: string | null;
  executedQty: string;
}

interface Run {
  parentId: string;
  final: ParentProgress;
}

interface AggTrade {
  a: number;
  q: string;
  T: number;
}

const POV_PARTICIPATION = 0.2;
const POV_MAX_PARTICIPATION = 0.3;
const VWAP_MAX_PARTICIPATION = 0.02;
const VWAP_INTERVAL_MS = 5_000;
/** The simulator's BTC/USDT lot rules (src/sim/config.ts). */
const BTC_LOTS: LotRules = {
  amountStep: '0.00001',
  priceStep: '0.01',
  minAmount: '0.00001',
  minNotional: '5',
};

let ordo: TestOrdo;
let account: SimAccount;
const runs = new Map<string, Promise<Run>>();
let povQuantity = '0';
let vwapQuantity = '0';
let icebergLimit = '0';

beforeAll(async () => {
  account = await createSimAccount(TEST_BALANCES);
  ordo = await startTestOrdo(testWorkerConfig({ ...account }));

  // Sized from the market's own recent volume, so the synthetic flow can supply them.
  const btcPerSecond = await volumePerSecond('BTCUSDT');
  const solPerSecond = await volumePerSecond('SOLUSDT');
  // POV at p trades p/(1−p) of the others' volume: at 0.2 it would be done in ~40 s of the 60.
  povQuantity = toDecimalString(clamp(0.25 * btcPerSecond * 40, 0.2, 5).toFixed(3)); // canonical: "5", not "5.000"
  // Four 5 s slices capped at 2% of the volume before each: ~1.5× what the caps let through.
  vwapQuantity = toDecimalString((VWAP_MAX_PARTICIPATION * solPerSecond * 20 * 1.5).toFixed(2));
  const ask = await bestAsk('BTCUSDT');
  icebergLimit = toDecimalString((ask * 1.001).toFixed(2)); // 10 bp through the touch: fills at once
  console.log(
    `BTC ${btcPerSecond.toFixed(3)}/s, SOL ${solPerSecond.toFixed(2)}/s, POV ${povQuantity} BTC,`,
    `VWAP ${vwapQuantity} SOL, iceberg limit ${icebergLimit}`,
  );

  runs.set(
    'twap',
    launch('twapWorkflow', 'twap', {
      symbol: 'BTC/USDT',
      side: 'buy',
      quantity: '0.02',
      venue: 'sim',
      duration: '20s',
      interval: '4s',
      aggression: 'mid',
      randomization: 0.4,
      seed: 7,
    }),
  );
  runs.set(
    'pov',
    launch('povWorkflow', 'pov', {
      symbol: 'BTC/USDT',
      side: 'buy',
      quantity: povQuantity,
      venue: 'sim',
      duration: '60s',
      participation: POV_PARTICIPATION,
      maxParticipation: POV_MAX_PARTICIPATION,
      checkInterval: '2s',
    }),
  );
  runs.set(
    'iceberg',
    launch('icebergWorkflow', 'ice', {
      symbol: 'BTC/USDT',
      side: 'buy',
      quantity: '0.04',
      venue: 'sim',
      limitPrice: icebergLimit,
      displayQuantity: '0.008',
      displayRandomization: 0.25,
      seed: 11,
      duration: '90s', // a bound: a market running away from the limit ends it EXPIRED, not never
    }),
  );
  runs.set(
    'vwap',
    launch('vwapWorkflow', 'vwap', {
      symbol: 'SOL/USDT',
      side: 'buy',
      quantity: vwapQuantity,
      venue: 'sim',
      duration: '20s',
      interval: '5s',
      maxParticipation: VWAP_MAX_PARTICIPATION,
    }),
  );
  runs.set(
    'is',
    launch('implementationShortfallWorkflow', 'is', {
      symbol: 'BTC/USDT',
      side: 'buy',
      quantity: '0.03',
      venue: 'sim',
      duration: '15s',
      slices: 3,
      aggression: 'market', // what is tested is the plan: slices that cannot miss a moving touch
      sigma: 5,
      eta: 0.5,
      gamma: 0.05,
      epsilon: 3,
      riskAversion: 0.001,
    }),
  );
  runs.set(
    'is-estimated',
    launch('implementationShortfallWorkflow', 'ise', {
      symbol: 'BTC/USDT',
      side: 'buy',
      quantity: '0.02',
      venue: 'sim',
      duration: '15s',
      slices: 3,
      aggression: 'market',
      urgency: 1,
    }),
  );
});

afterAll(async () => {
  // Every parent ended (or its test failed): let whatever is still running finish before the worker goes.
  await Promise.allSettled([...runs.values()]);
  await ordo?.shutdown();
});

test('TWAP at mid with randomisation: slices in order, children sum to the parent exactly', async () => {
  const { parentId, final } = await runOf('twap');
  logRun(final);
  expect(final.status).toBe('COMPLETED');
  expect(final.filledQuantity).toBe('0.02');
  const request = final.request as NonNullable<ParentProgress['request']> & { intervalMs: number };

  // The plan's five slices at their seeded, jittered times: in order and inside their intervals.
  const planned = twapSlots({
    quantity: '0.02',
    startAt: request.startAt,
    endAt: request.endAt as string,
    intervalMs: request.intervalMs,
    randomization: 0.4,
    seed: 7,
  }).map((s) => s.atMs);
  expect(planned).toHaveLength(5);
  const planSlices = final.slices.slice(0, planned.length);
  expect(planSlices.map((s) => Date.parse(s.scheduledAt))).toEqual(planned);
  const startMs = Date.parse(request.startAt);
  planned.forEach((at, i) => {
    expect(at).toBeGreaterThanOrEqual(startMs + i * 4_000);
    expect(at).toBeLessThan(startMs + i * 4_000 + 0.4 * 4_000);
  });
  expect(planned.some((at, i) => at !== startMs + i * 4_000)).toBe(true); // randomised for real

  const children = await checkChildren(parentId, final);
  // Each child is a limit order, never a market one: the planned slices rest inside the spread
  // (mid) until the next is due; the last one and any catch-up cross, so the schedule finishes.
  for (const { slice, state } of children) {
    expect(state.request.type).toBe('limit');
    expect({ index: slice.index, tif: state.request.timeInForce }).toEqual({
      index: slice.index,
      tif: slice.index < planned.length - 1 ? 'GTD' : 'IOC',
    });
  }
  // Catch-up slices (if the resting ones did not fill in time) come after the plan's slices.
  const catchUps = final.slices.filter((s) => s.note?.startsWith('catch-up') === true);
  for (const s of catchUps) expect(s.index).toBeGreaterThanOrEqual(planned.length);
});

test('POV at 0.2: completes or expires with a sensible remainder, near its participation', async () => {
  const { parentId, final } = await runOf('pov');
  logRun(final);
  expect(['COMPLETED', 'EXPIRED']).toContain(final.status);
  if (final.status === 'EXPIRED') {
    expect(final.reason).toMatch(/^END_REACHED/);
    expect(cmp(final.filledQuantity, '0')).toBeGreaterThan(0);
    expect(cmp(final.remainingQuantity, dec(final.quantity).minus(final.filledQuantity))).toBe(0);
  } else {
    expect(final.filledQuantity).toBe(povQuantity);
  }
  const children = await checkChildren(parentId, final);
  expect(children.length).toBeGreaterThan(3);
  for (const { slice } of children) expect(slice.note).toMatch(/^participation 0\.\d{4}/);

  // Realised participation: what we filled over everything the market traded from the start to
  // our last fill (ours included), from the simulator's own tape.
  const request = final.request as NonNullable<ParentProgress['request']>;
  const fromMs = Date.parse(request.startAt);
  const lastFillMs = Math.max(...children.map(({ venue }) => venue.updatedAt));
  const market = await aggTrades('BTCUSDT', fromMs, lastFillMs);
  const volume = market.reduce((sum, t) => add(sum, t.q), '0');
  const realised = dec(final.filledQuantity).dividedBy(volume).toNumber();
  console.log(`POV: filled ${final.filledQuantity} of a market volume ${volume}: ${realised.toFixed(4)}`);
  // Each check trades up to the target share of the volume so far (at most the maximum rate);
  // volume keeps coming between checks, so the realised share lags the target a little.
  expect(realised).toBeGreaterThan(POV_PARTICIPATION * 0.6);
  expect(realised).toBeLessThanOrEqual(POV_MAX_PARTICIPATION);
});

test('iceberg: shows of at most the display size, one at a time, until the whole is done', async () => {
  const { parentId, final } = await runOf('iceberg');
  logRun(final);
  expect(final.status).toBe('COMPLETED');
  expect(final.filledQuantity).toBe('0.04');
  const children = await checkChildren(parentId, final);
  expect(children.length).toBeGreaterThanOrEqual(4);
  const largest = dec('0.008').times(1.25);
  for (const { slice, state } of children) {
    expect(state.request.type).toBe('limit');
    expect(state.request.limitPrice).toBe(icebergLimit);
    // Only a last show that takes a remainder too small to show alone may exceed the display size.
    if (slice.note?.startsWith('shows the whole remaining') !== true)
      expect(dec(state.request.quantity).lessThanOrEqualTo(largest)).toBe(true);
  }
  // The venue saw each show only after the previous one had ended: never two live at once.
  for (let i = 1; i < children.length; i++) {
    const before = children[i - 1] as ChildOf;
    const after = children[i] as ChildOf;
    expect(before.venue.executedQty).toBe(before.venue.origQty);
    expect(after.venue.receivedAt).toBeGreaterThanOrEqual(before.venue.updatedAt);
    const ended = Date.parse(before.state.history[before.state.history.length - 1]?.at ?? '');
    expect(Date.parse(after.state.history[0]?.at ?? '')).toBeGreaterThanOrEqual(ended);
  }
});

test('VWAP with a maximum participation: slices capped by the volume before them', async () => {
  const { parentId, final } = await runOf('vwap');
  logRun(final);
  expect(['COMPLETED', 'EXPIRED']).toContain(final.status);
  expect(final.notes.some((n) => n.startsWith('volume profile from'))).toBe(true);
  const children = await checkChildren(parentId, final);
  expect(children.length).toBeGreaterThan(0);
  // At least one slice wanted more than the cap allowed (the quantity is ~1.5× what caps allow).
  expect(final.slices.some((s) => s.note?.includes('capped at') === true)).toBe(true);
  // No child trades more than the maximum share of the volume before it: a slice, of the interval
  // before its time; a catch-up, of the volume since the child before it was sized. Measured here
  // over windows that contain the ones the workflow read, so never smaller.
  const overCap: string[] = [];
  for (const [i, { slice, venue }] of children.entries()) {
    const previous = children[i - 1]?.slice.scheduledAt;
    const from = Math.min(
      Date.parse(slice.scheduledAt) - VWAP_INTERVAL_MS,
      previous === undefined ? Infinity : Date.parse(previous),
    );
    const before = await aggTrades('SOLUSDT', from, venue.receivedAt);
    const cap = dec(before.reduce((sum, t) => add(sum, t.q), '0')).times(VWAP_MAX_PARTICIPATION);
    if (dec(slice.targetQuantity).greaterThan(cap))
      overCap.push(
        `${slice.childId}: ${slice.targetQuantity} > ${cap.toFixed()} (${slice.note ?? 'no note'})`,
      );
  }
  expect(overCap).toEqual([]);
  // Nor all of them together: consecutive windows overlap only between a slice's time and when it
  // was sized (before the venue received it), so no more volume than that is counted twice.
  const volumeIn = async (fromMs: number, toMs: number) =>
    (await aggTrades('SOLUSDT', fromMs, toMs)).reduce((sum, t) => add(sum, t.q), '0');
  const first = children[0] as ChildOf;
  let counted = await volumeIn(
    Date.parse(first.slice.scheduledAt) - VWAP_INTERVAL_MS,
    (children[children.length - 1] as ChildOf).venue.receivedAt,
  );
  for (const { slice, venue } of children)
    counted = add(counted, await volumeIn(Date.parse(slice.scheduledAt), venue.receivedAt));
  const sent = children.reduce((sum, c) => add(sum, c.slice.targetQuantity), '0');
  expect(dec(sent).lessThanOrEqualTo(dec(counted).times(VWAP_MAX_PARTICIPATION))).toBe(true);
  if (final.status === 'EXPIRED') expect(final.reason).toMatch(/^END_REACHED|^REMAINDER_BELOW_MINIMUM/);
});

test('implementation shortfall with given σ, η, γ, ε: front-loaded slices that complete', async () => {
  const { parentId, final } = await runOf('is');
  logRun(final);
  expect(final.status).toBe('COMPLETED');
  expect(final.filledQuantity).toBe('0.03');
  expect(final.notes.some((n) => n.startsWith('Almgren–Chriss: σ 5, η 0.5, γ 0.05, ε 3'))).toBe(true);
  expect(final.notes.some((n) => n.startsWith('estimated'))).toBe(false);
  await checkChildren(parentId, final);
  // The Almgren–Chriss plan for these inputs (risk-averse, κT ≈ 3.6): front-loaded, the first
  // slice well above an even third. A slice's target is the plan's size plus any earlier shortfall,
  // so only the first one is the plan's own size.
  const request = final.request as NonNullable<ParentProgress['request']>;
  const plan = planImplementationShortfall(
    {
      quantity: '0.03',
      startAt: request.startAt,
      endAt: request.endAt as string,
      slices: 3,
      timeUnitMs: 1_000,
      sigma: 5,
      eta: 0.5,
      gamma: 0.05,
      epsilon: 3,
      riskAversion: 0.001,
    },
    BTC_LOTS,
  );
  const planned = final.slices.filter((s) => s.note?.startsWith('catch-up') !== true);
  expect(planned.map((s) => s.scheduledAt)).toEqual(plan.slices.map((s) => s.at));
  expect(planned[0]?.targetQuantity).toBe(plan.slices[0]?.quantity);
  expect(cmp(plan.slices[0]?.quantity ?? '0', '0.01')).toBeGreaterThan(0);
  expect(cmp(plan.slices[0]?.quantity ?? '0', plan.slices[2]?.quantity ?? '0')).toBeGreaterThan(0);
});

test('implementation shortfall without model parameters estimates them from the candles', async () => {
  const { parentId, final } = await runOf('is-estimated');
  logRun(final);
  expect(final.status).toBe('COMPLETED');
  expect(final.filledQuantity).toBe('0.02');
  for (const what of ['σ', 'volume', 'spread', 'ε', 'η', 'γ'])
    expect(final.notes.some((n) => n.startsWith(`estimated ${what} `))).toBe(true);
  // Hourly candles over the 5-day lookback the simulator has history for.
  expect(final.notes.find((n) => n.startsWith('estimated σ'))).toMatch(/std of \d{2,} close-to-close/);
  expect(final.notes.some((n) => n.startsWith('Almgren–Chriss: σ '))).toBe(true);
  await checkChildren(parentId, final);
});

// ---- helpers -----------------------------------------------------------------------------------

interface ChildOf {
  slice: SliceProgress;
  state: OrderState;
  venue: SimOrderView;
}

function launch(workflow: string, prefix: string, request: Record<string, unknown>): Promise<Run> {
  const parentId = uniqueOrderId(prefix);
  const run = (async () => {
    const handle = await ordo.client.workflow.start(workflow, {
      taskQueue: ordo.taskQueue,
      workflowId: parentId,
      args: [{ ...request, parentId }],
    });
    return { parentId, final: (await handle.result()) as ParentProgress };
  })();
  run.catch(() => undefined); // its test awaits it; no unhandled rejection before then
  return run;
}

async function runOf(name: string): Promise<Run> {
  const run = runs.get(name);
  if (run === undefined) throw new Error(`no run ${name}`);
  return run;
}

function logRun(final: ParentProgress): void {
  const slices = final.slices.map(
    (s) =>
      `${s.index} ${s.scheduledAt.slice(11, 23)} ${s.status} ${s.filledQuantity}/${s.targetQuantity}` +
      `${s.note === undefined ? '' : ` (${s.note})`}`,
  );
  console.log(
    [`${final.parentId} ${final.status} ${final.reason ?? ''} ${final.filledQuantity}/${final.quantity}`]
      .concat(slices, final.notes)
      .join('\n'),
  );
}

/**
 * The parent's children, in the order they were sent, each with its own final state and what
 * the simulator saw; checks what must hold of every parent: the children (and the venue's
 * executions) sum exactly to the parent's filled quantity, which is never above the parent's,
 * and the children went out in slice order.
 */
async function checkChildren(parentId: string, final: ParentProgress): Promise<ChildOf[]> {
  expect(cmp(final.filledQuantity, final.quantity)).toBeLessThanOrEqual(0);
  const venueOrders = new Map(
    (await accountOrders())
      .filter((o) => o.clientOrderId?.startsWith(`${parentId}-`))
      .map((o) => [o.clientOrderId as string, o]),
  );
  const slices = final.slices.filter((s) => s.childId !== undefined);
  // Child n is `<parentId>-n`: numbered in the order sent, which is the slices' order too.
  expect(slices.map((s) => s.childId)).toEqual(slices.map((_, i) => `${parentId}-${i + 1}`));
  const scheduled = slices.map((s) => Date.parse(s.scheduledAt));
  expect(scheduled).toEqual([...scheduled].sort((a, b) => a - b));
  const children: ChildOf[] = [];
  for (const slice of slices) {
    const state = (await ordo.client.workflow.getHandle(slice.childId as string).result()) as OrderState;
    expect(state.request.parentId).toBe(parentId);
    expect(slice.filledQuantity).toBe(state.filledQuantity);
    expect(cmp(state.filledQuantity, state.request.quantity)).toBeLessThanOrEqual(0);
    const venue = venueOrders.get(state.clientOrderId);
    if (venue === undefined) throw new Error(`the simulator never saw ${state.clientOrderId}`);
    expect(dec(venue.executedQty).equals(state.filledQuantity)).toBe(true);
    children.push({ slice, state, venue });
  }
  // Every order the venue saw for this parent is one of its children (nothing sent twice).
  expect(venueOrders.size).toBe(children.length);
  const received = children.map((c) => c.venue.receivedAt);
  expect(received).toEqual([...received].sort((a, b) => a - b));
  const total = children.reduce((sum, c) => add(sum, c.state.filledQuantity), '0');
  expect(cmp(total, final.filledQuantity)).toBe(0);
  return children;
}

async function accountOrders(): Promise<SimOrderView[]> {
  const response = await fetch(`${simulatorUrl()}/admin/orders?apiKey=${encodeURIComponent(account.apiKey)}`);
  if (!response.ok) throw new Error(`GET /admin/orders: HTTP ${response.status}`);
  return (await response.json()) as SimOrderView[];
}

/** The simulator's public trades in [fromMs, toMs], paged from the start by trade id. */
async function aggTrades(symbol: string, fromMs: number, toMs: number): Promise<AggTrade[]> {
  const trades: AggTrade[] = [];
  let query = `startTime=${Math.floor(fromMs)}`;
  for (;;) {
    const response = await fetch(`${simulatorUrl()}/api/v3/aggTrades?symbol=${symbol}&limit=1000&${query}`);
    if (!response.ok) throw new Error(`GET /api/v3/aggTrades: HTTP ${response.status}`);
    const page = (await response.json()) as AggTrade[];
    trades.push(...page.filter((t) => t.T >= fromMs && t.T <= toMs));
    const last = page[page.length - 1];
    if (page.length < 1000 || last === undefined || last.T > toMs) return trades;
    query = `fromId=${last.a + 1}`;
  }
}

/** Base volume per second over the last 30 s (or since the first trade, if the market is younger). */
async function volumePerSecond(symbol: string): Promise<number> {
  const now = Date.now();
  const trades = await aggTrades(symbol, now - 30_000, now);
  const first = trades[0];
  if (first === undefined) throw new Error(`no trades on ${symbol} in the last 30 s`);
  const seconds = Math.max(5, (now - first.T) / 1000);
  return trades.reduce((sum, t) => sum + Number(t.q), 0) / seconds;
}

async function bestAsk(symbol: string): Promise<number> {
  const response = await fetch(`${simulatorUrl()}/api/v3/depth?symbol=${symbol}&limit=5`);
  const book = (await response.json()) as { asks: [string, string][] };
  const ask = Number(book.asks[0]?.[0]);
  if (!Number.isFinite(ask)) throw new Error(`no ask on ${symbol}`);
  return ask;
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}
