/**
 * smartRouteWorkflow across real order books, on a real Temporal dev server.
 *
 * The run's shared simulator serves `sim` and `sim-bybit` from ONE book, so "the cheaper venue
 * when liquidity allows" is tested across simulators of our own: `cheap` (a thin book, routing
 * cost 1 bp), `dear` (cost 20 bp, and the preferred priority, so only costs can make `cheap` win)
 * and `capped` (a deep book, cost 1 bp, maxOrderSize 0.4). They do not tick (tickMs 0): a book
 * changes only when traded against (the market maker then lays a fresh ladder around the same
 * mid), so what the test reads before routing is exactly what the router sees.
 *
 * Last, one route across sim and sim-bybit on the shared simulator, with the routing costs of
 * config/venues.json: the cheaper of the two gets it.
 */
import type { OrderState } from '../../src/domain/order-state';
import { add, cmp, dec, toDecimalString } from '../../src/domain/decimal';
import { DEFAULT_PROFILES } from '../../src/sim/config';
import type { MarketProfile } from '../../src/sim/market/profile';
import { type RunningSimulator, startSimulator } from '../../src/sim/server';
import { parseWorkerConfig } from '../../src/workers/config';
import type { ParentProgress, SliceProgress } from '../../src/workflows/parent-messages';
import { simulatedVenues } from '../support/chaos-venues';
import { type TestOrdo, simulatorUrl, startTestOrdo, uniqueOrderId } from '../support/ordo-worker';
import { type SimAccount, TEST_BALANCES, createSimAccount } from '../support/simulator-admin';

jest.setTimeout(180_000);

const ACCOUNT = { apiKey: 'route-test-key', secret: 'route-test-secret', balances: TEST_BALANCES };
const CHEAP_LEVEL_NOTIONAL: [number, number] = [1_500, 3_000];
const DEAR_LEVEL_NOTIONAL: [number, number] = [3_000, 6_000];
const CAPPED_MAX_ORDER = '0.4';

interface Level {
  price: string;
  quantity: string;
}

interface Child {
  slice: SliceProgress;
  state: OrderState;
}

const sims: Record<'cheap' | 'dear' | 'capped', RunningSimulator | undefined> = {
  cheap: undefined,
  dear: undefined,
  capped: undefined,
};
let ordo: TestOrdo;

beforeAll(async () => {
  const start = (seed: number, levelNotional?: [number, number]) =>
    startSimulator({
      port: 0,
      seed,
      tickMs: 0,
      historyDays: 0.05, // routing reads no history
      accounts: [ACCOUNT],
      ...(levelNotional === undefined ? {} : { profiles: withBtcLevels(levelNotional) }),
    });
  sims.cheap = await start(101, CHEAP_LEVEL_NOTIONAL);
  sims.dear = await start(202, DEAR_LEVEL_NOTIONAL);
  sims.capped = await start(303);
  const venue = (sim: RunningSimulator, routing: Record<string, unknown>) => ({
    kind: 'ccxt',
    exchange: 'binance',
    simulatorUrl: sim.url,
    apiKey: ACCOUNT.apiKey,
    secret: ACCOUNT.secret,
    pollIntervalMs: 100,
    timeoutMs: 3000,
    rateLimitMs: 1,
    recvWindowDeadline: true,
    routing,
  });
  const config = {
    venues: {
      cheap: venue(sims.cheap, { priority: 2, costBps: 1 }),
      dear: venue(sims.dear, { priority: 1, costBps: 20 }),
      capped: venue(sims.capped, { priority: 3, costBps: 1, maxOrderSize: CAPPED_MAX_ORDER }),
    },
  };
  ordo = await startTestOrdo(parseWorkerConfig(JSON.stringify(config)));
});

afterAll(async () => {
  await ordo?.shutdown();
  for (const sim of Object.values(sims)) await sim?.close();
});

test('a buy the cheap book can fill goes entirely to the cheap venue, though the dear one is preferred', async () => {
  const cheapAsks = await asks(sim('cheap'));
  const cheapTotal = total(cheapAsks);
  // Most of the cheap book, over several of its levels: every one beats the dear venue's best.
  const quantity = dec(cheapTotal).times(0.8).toDecimalPlaces(5, 1).toFixed();
  expect(cmp(quantity, cheapAsks[0]?.quantity ?? '0')).toBeGreaterThan(0);

  const { parentId, final } = await route({ quantity, venues: ['cheap', 'dear'] });
  expect(final.status).toBe('COMPLETED');
  expect(final.filledQuantity).toBe(quantity);
  const children = await childrenOf(parentId, final);
  expect(children.map((c) => c.slice.venue)).toEqual(['cheap']);
  const [only] = children as [Child];
  expect(only.state.request.quantity).toBe(quantity);
  // A marketable limit at the deepest level it needs, not beyond.
  expect(only.state.request.limitPrice).toBe(levelReaching(cheapAsks, quantity).price);
  expect(await venueOrders(sim('dear'), parentId)).toEqual([]);
});

test('a buy larger than the cheap book takes all of it and spills the rest to the dear venue', async () => {
  const cheapAsks = await asks(sim('cheap'));
  const dearAsks = await asks(sim('dear'));
  const cheapTotal = total(cheapAsks);
  const spill = '0.3';
  expect(cmp(spill, total(dearAsks))).toBeLessThan(0);
  const quantity = add(cheapTotal, spill);

  const { parentId, final } = await route({ quantity, venues: ['cheap', 'dear'] });
  expect(final.status).toBe('COMPLETED');
  expect(final.filledQuantity).toBe(quantity);
  const children = await childrenOf(parentId, final);
  const byVenue = new Map(children.map((c) => [c.slice.venue, c.state]));
  expect([...byVenue.keys()].sort()).toEqual(['cheap', 'dear']);
  expect(children).toHaveLength(2); // one round: both books could take their share at once
  expect(byVenue.get('cheap')?.request.quantity).toBe(cheapTotal);
  expect(byVenue.get('cheap')?.request.limitPrice).toBe(cheapAsks[cheapAsks.length - 1]?.price);
  expect(byVenue.get('dear')?.request.quantity).toBe(spill);
  expect(byVenue.get('dear')?.request.limitPrice).toBe(levelReaching(dearAsks, spill).price);
});

test("a buy beyond a venue's maximum order size spills to the next venue", async () => {
  const cappedAsks = await asks(sim('capped'));
  // The capped book could take it all, every level of it cheaper than the dear venue's best: only
  // the cap sends the rest elsewhere.
  const quantity = '0.7';
  expect(cmp(total(cappedAsks), quantity)).toBeGreaterThan(0);
  expect(cmp(total(await asks(sim('dear'))), '0.3')).toBeGreaterThan(0);

  const { parentId, final } = await route({ quantity, venues: ['capped', 'dear'] });
  expect(final.status).toBe('COMPLETED');
  expect(final.filledQuantity).toBe(quantity);
  const children = await childrenOf(parentId, final);
  const byVenue = new Map(children.map((c) => [c.slice.venue, c.state.request.quantity]));
  expect(children).toHaveLength(2);
  expect(byVenue.get('capped')).toBe(CAPPED_MAX_ORDER);
  expect(byVenue.get('dear')).toBe('0.3');
  expect(final.notes).toContain(`round 1: capped: capped at its maximum order size ${CAPPED_MAX_ORDER}`);
});

test('a limit price stops routing beyond it; the rest is re-routed until the rounds run out', async () => {
  const cheapAsks = await asks(sim('cheap'));
  const limitPrice = (cheapAsks[2] as Level).price; // the cheap book's third level
  // More than two rounds can ever find within the limit: three levels per book, each at most the
  // profile's largest level (grown by depth), on each book.
  const mostPerRound = [CHEAP_LEVEL_NOTIONAL, DEAR_LEVEL_NOTIONAL]
    .map(([, hi]) => (hi * (1 + 1.25 + 1.5)) / Number(limitPrice))
    .reduce((a, b) => a + b, 0);
  const quantity = toDecimalString((2 * mostPerRound + 0.1).toFixed(3));

  const { parentId, final } = await route({
    quantity,
    venues: ['cheap', 'dear'],
    limitPrice,
    maxRounds: 2,
    retryInterval: '1s',
  });
  expect(final.status).toBe('EXPIRED');
  expect(final.reason).toMatch(/^MAX_ROUNDS: /);
  expect(cmp(final.filledQuantity, '0')).toBeGreaterThan(0);
  expect(cmp(final.remainingQuantity, dec(quantity).minus(final.filledQuantity))).toBe(0);
  expect(final.notes).toContain(`round 1: book levels beyond the limit price ${limitPrice} were not used`);
  const children = await childrenOf(parentId, final);
  // Both rounds sent something (the books refilled within the limit after round 1).
  expect(new Set(children.map((c) => c.slice.note?.split(':')[0]))).toEqual(new Set(['round 1', 'round 2']));
  for (const { state } of children) {
    expect(cmp(state.request.limitPrice as string, limitPrice)).toBeLessThanOrEqual(0);
    for (const fill of state.fills) expect(cmp(fill.price, limitPrice)).toBeLessThanOrEqual(0);
  }
  // Within the limit the cheap venue is still taken first: it had all three of its levels.
  const cheapRound1 = children.find((c) => c.slice.venue === 'cheap' && c.slice.note?.startsWith('round 1'));
  expect(cheapRound1?.state.request.quantity).toBe(total(cheapAsks.slice(0, 3)));
});

test('across sim and sim-bybit on the shared simulator the cheaper venue gets the order', async () => {
  const account: SimAccount = await createSimAccount(TEST_BALANCES);
  const { config } = simulatedVenues({ simulatorUrl: simulatorUrl(), account, timeoutMs: 3000 });
  const routing = (name: string) => {
    const venue = config.venues[name];
    if (venue === undefined) throw new Error(`config/venues.json has no venue ${name}`);
    return venue.routing;
  };
  const [cheaper, dearer] =
    routing('sim').costBps < routing('sim-bybit').costBps ? ['sim', 'sim-bybit'] : ['sim-bybit', 'sim'];
  // Same book, so only costs tell them apart: they must differ for this test to say anything.
  expect(routing(cheaper as string).costBps).toBeLessThan(routing(dearer as string).costBps);
  const shared = await startTestOrdo(config);
  try {
    const parentId = uniqueOrderId('route');
    const handle = await shared.client.workflow.start('smartRouteWorkflow', {
      taskQueue: shared.taskQueue,
      workflowId: parentId,
      args: [
        {
          symbol: 'BTC/USDT',
          side: 'buy',
          quantity: '0.01',
          venues: ['sim', 'sim-bybit'],
          retryInterval: '1s',
          parentId,
        },
      ],
    });
    const final = (await handle.result()) as ParentProgress;
    logRun(final);
    expect(final.status).toBe('COMPLETED');
    expect(final.filledQuantity).toBe('0.01');
    const slices = final.slices.filter((s) => s.childId !== undefined);
    expect(slices.length).toBeGreaterThan(0);
    // The book ticks between the quote and the order, so a round may miss; every round picks the cheaper.
    for (const slice of slices) expect(slice.venue).toBe(cheaper);
    let filled = '0';
    for (const slice of slices) {
      const state = (await shared.client.workflow.getHandle(slice.childId as string).result()) as OrderState;
      expect(state.request.venue).toBe(cheaper);
      filled = add(filled, state.filledQuantity);
    }
    expect(filled).toBe('0.01');
  } finally {
    await shared.shutdown();
  }
});

// ---- helpers -----------------------------------------------------------------------------------

function sim(name: keyof typeof sims): RunningSimulator {
  const running = sims[name];
  if (running === undefined) throw new Error(`simulator ${name} did not start`);
  return running;
}

/** The default profiles with BTC/USDT's market-maker levels resized (five of them). */
function withBtcLevels(levelNotional: [number, number]): MarketProfile[] {
  return DEFAULT_PROFILES.map((p) => (p.symbol === 'BTCUSDT' ? { ...p, levelNotional, quoteLevels: 5 } : p));
}

async function route(request: Record<string, unknown>): Promise<{ parentId: string; final: ParentProgress }> {
  const parentId = uniqueOrderId('route');
  const handle = await ordo.client.workflow.start('smartRouteWorkflow', {
    taskQueue: ordo.taskQueue,
    workflowId: parentId,
    args: [{ symbol: 'BTC/USDT', side: 'buy', retryInterval: '1s', ...request, parentId }],
  });
  const final = (await handle.result()) as ParentProgress;
  logRun(final);
  return { parentId, final };
}

function logRun(final: ParentProgress): void {
  const slices = final.slices.map(
    (s) =>
      `${s.index} ${s.venue ?? '-'} ${s.status} ${s.filledQuantity}/${s.targetQuantity}` +
      `${s.note === undefined ? '' : ` (${s.note})`}`,
  );
  console.log(
    [`${final.parentId} ${final.status} ${final.reason ?? ''} ${final.filledQuantity}/${final.quantity}`]
      .concat(slices, final.notes)
      .join('\n'),
  );
}

/**
 * The parent's children with their final states; checks that they (and the executions each
 * simulator saw for them) sum exactly to the parent's filled quantity, never above the parent.
 */
async function childrenOf(parentId: string, final: ParentProgress): Promise<Child[]> {
  expect(cmp(final.filledQuantity, final.quantity)).toBeLessThanOrEqual(0);
  const children: Child[] = [];
  for (const slice of final.slices.filter((s) => s.childId !== undefined)) {
    const state = (await ordo.client.workflow.getHandle(slice.childId as string).result()) as OrderState;
    expect(state.request.parentId).toBe(parentId);
    expect(state.request.venue).toBe(slice.venue);
    expect(state.request.timeInForce).toBe('IOC');
    expect(slice.filledQuantity).toBe(state.filledQuantity);
    children.push({ slice, state });
  }
  const filled = children.reduce((sum, c) => add(sum, c.state.filledQuantity), '0');
  expect(cmp(filled, final.filledQuantity)).toBe(0);
  let executed = '0';
  for (const name of ['cheap', 'dear', 'capped'] as const) {
    const orders = await venueOrders(sim(name), parentId);
    const ours = children.filter((c) => c.slice.venue === name);
    expect(orders).toHaveLength(ours.length); // each child sent once, to its own venue
    executed = orders.reduce((sum, o) => add(sum, o.executedQty), executed);
  }
  expect(cmp(executed, final.filledQuantity)).toBe(0);
  return children;
}

async function venueOrders(
  running: RunningSimulator,
  parentId: string,
): Promise<{ clientOrderId: string | null; executedQty: string }[]> {
  const response = await fetch(`${running.url}/admin/orders?apiKey=${ACCOUNT.apiKey}`);
  const orders = (await response.json()) as { clientOrderId: string | null; executedQty: string }[];
  return orders.filter((o) => o.clientOrderId?.startsWith(`${parentId}-`));
}

async function asks(running: RunningSimulator): Promise<Level[]> {
  const response = await fetch(`${running.url}/api/v3/depth?symbol=BTCUSDT&limit=100`);
  const book = (await response.json()) as { asks: [string, string][] };
  return book.asks.map(([price, quantity]) => ({
    price: toDecimalString(price),
    quantity: toDecimalString(quantity),
  }));
}

function total(levels: readonly Level[]): string {
  return levels.reduce((sum, l) => add(sum, l.quantity), '0');
}

/** The first level at which the book's cumulative quantity reaches `quantity`. */
function levelReaching(levels: readonly Level[], quantity: string): Level {
  let cumulative = '0';
  for (const level of levels) {
    cumulative = add(cumulative, level.quantity);
    if (cmp(cumulative, quantity) >= 0) return level;
  }
  throw new Error(`the book holds only ${cumulative}, not ${quantity}`);
}
