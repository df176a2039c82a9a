/**
 * One day's TCA without a server: which day a date names (and which it refuses), the visibility
 * query that lists it, the limit, how the day's orders are split between the strategy summary and
 * the venue comparison (children once, parents once, working orders apart, refusals kept), the
 * text table, and `ordo tca --day` wired to a stand-in analysis.
 */
import { Command } from 'commander';
import { dayOrdersQuery } from '../../../src/activities/tca-day-activities';
import type { DayTcaReport } from '../../../src/activities/tca-types';
import { registerTcaCommands } from '../../../src/client/cli-tca';
import { formatTcaDay } from '../../../src/client/format-tca-day';
import type { DayTcaRequest } from '../../../src/client/tca';
import { OrderRequestError } from '../../../src/domain/order-request';
import {
  DAY_ORDERS_DEFAULT_LIMIT,
  type DayOrderAnalysis,
  dayLimit,
  parseTcaDay,
  summariseDay,
} from '../../../src/domain/tca/day';
import { analyseOrder } from '../../../src/domain/tca/order';
import { TcaError, type TcaFill, type TcaOrderInput } from '../../../src/domain/tca/types';

describe('parseTcaDay', () => {
  test('a calendar day: [00:00, next 00:00) UTC, month and leap-year ends included', () => {
    expect(parseTcaDay('2026-11-21')).toEqual({
      day: '2026-11-21',
      from: '2026-11-21T00:00:00.000Z',
      to: '2026-11-22T00:00:00.000Z',
    });
    expect(parseTcaDay('2024-02-29').to).toBe('2024-03-01T00:00:00.000Z');
    expect(parseTcaDay('2026-12-31').to).toBe('2027-01-01T00:00:00.000Z');
  });

  test.each([
    '2026-02-29',
    '2026-13-01',
    '2026-04-31',
    '2026-00-10',
    '2026-1-5',
    '21-11-2026',
    '2026-11-21T00:00:00Z',
    ' 2026-11-21',
    '0050-01-01',
    '',
    undefined,
    20261121,
  ])('%p is refused INVALID_DATE', (text) => {
    expect(() => parseTcaDay(text)).toThrow(TcaError);
    expect(() => parseTcaDay(text)).toThrow(/calendar date YYYY-MM-DD/);
    try {
      parseTcaDay(text);
    } catch (err) {
      expect((err as TcaError).code).toBe('INVALID_DATE');
    }
  });
});

test('dayLimit: default, bounds, refusals typed INVALID_LIMIT', () => {
  expect(dayLimit(undefined)).toBe(DAY_ORDERS_DEFAULT_LIMIT);
  expect(dayLimit(1)).toBe(1);
  expect(dayLimit(2000)).toBe(2000);
  for (const bad of [0, -1, 2001, 1.5, Number.NaN, '10'])
    expect(() => dayLimit(bad)).toThrow(expect.objectContaining({ code: 'INVALID_LIMIT' }));
});

test('dayOrdersQuery: order and parent types, the task queue, the day, the filters quoted', () => {
  const query = dayOrdersQuery({ day: '2026-11-21', taskQueue: 'execution' });
  expect(query).toBe(
    "WorkflowType IN ('orderWorkflow', 'twapWorkflow', 'vwapWorkflow', 'povWorkflow', " +
      "'implementationShortfallWorkflow', 'icebergWorkflow', 'smartRouteWorkflow') AND " +
      "TaskQueue = 'execution' AND StartTime >= '2026-11-21T00:00:00.000Z' AND " +
      "StartTime < '2026-11-22T00:00:00.000Z'",
  );
  const filtered = dayOrdersQuery({
    day: '2026-11-21',
    taskQueue: 'q',
    strategyId: "o'neil",
    venue: 'sim',
  });
  expect(filtered).toMatch(/ AND StrategyId = 'o\\'neil' AND Venue = 'sim'$/);
  expect(() => dayOrdersQuery({ day: '2026-11-31', taskQueue: 'q' })).toThrow(/YYYY-MM-DD/);
});

const DAY = parseTcaDay('2026-11-21');

function fill(quantity: string, price: string, timestamp: string): TcaFill {
  return { quantity, price, fee: '0', feeCurrency: 'USDT', timestamp };
}

function analysis(
  input: Partial<TcaOrderInput> & { orderId: string },
  extra: Partial<Omit<DayOrderAnalysis, 'result'>> = {},
): DayOrderAnalysis {
  const result = analyseOrder({
    symbol: 'BTC/USDT',
    side: 'buy',
    venue: 'sim',
    quantity: '1',
    arrivalMid: '100',
    requestedAt: '2026-11-21T10:00:00.000Z',
    fills: [fill('1', '101', '2026-11-21T10:00:00.200Z')],
    ...input,
  });
  return { kind: 'order', status: 'FILLED', ended: true, result, ...extra };
}

// alpha: a standalone buy (slippage 100 bp) and a parent whose two children trade on x and y;
// beta: a standalone sell on sim, and one still working; one denied order; one from the day before.
const standaloneAlpha = analysis({ orderId: 'a1', strategyId: 'alpha' });
const parentAlpha = analysis(
  {
    orderId: 'p1',
    strategyId: 'alpha',
    quantity: '2',
    fills: [fill('1', '100', '2026-11-21T11:00:01.000Z'), fill('1', '102', '2026-11-21T11:00:02.000Z')],
    requestedAt: '2026-11-21T11:00:00.000Z',
  },
  { kind: 'parent', status: 'COMPLETED' },
);
const childX = analysis(
  {
    orderId: 'p1-c1',
    strategyId: 'alpha',
    venue: 'x',
    fills: [fill('1', '100', '2026-11-21T11:00:01.000Z')],
    requestedAt: '2026-11-21T11:00:00.500Z',
  },
  { parentId: 'p1' },
);
const childY = analysis(
  {
    orderId: 'p1-c2',
    strategyId: 'alpha',
    venue: 'y',
    fills: [fill('1', '102', '2026-11-21T11:00:02.000Z')],
    requestedAt: '2026-11-21T11:00:01.500Z',
  },
  { parentId: 'p1' },
);
const standaloneBeta = analysis({
  orderId: 'b1',
  strategyId: 'beta',
  side: 'sell',
  fills: [fill('1', '99.5', '2026-11-21T12:00:00.100Z')],
  requestedAt: '2026-11-21T12:00:00.000Z',
});
const workingBeta = analysis(
  {
    orderId: 'b2',
    strategyId: 'beta',
    fills: [],
    endPrice: '100.5',
    requestedAt: '2026-11-21T13:00:00.000Z',
  },
  { status: 'ACCEPTED', ended: false },
);
const lastNight = analysis({ orderId: 'old', requestedAt: '2026-11-20T23:59:59.999Z' });
const denied = {
  orderId: 'd1',
  kind: 'order' as const,
  status: 'DENIED',
  code: 'NO_ARRIVAL_PRICE',
  message: 'order d1 has no arrival mid',
};

describe('summariseDay', () => {
  const summary = summariseDay(
    DAY,
    [workingBeta, childY, standaloneAlpha, parentAlpha, childX, standaloneBeta, lastNight],
    [denied],
  );

  test('counts: everything listed is accounted for', () => {
    expect(summary.counts).toEqual({ listed: 8, ended: 5, working: 1, notAnalysed: 2 });
  });

  test('per strategy: standalone orders and parents (not their children), ended only', () => {
    expect(summary.strategies.map((s) => [s.strategyId, s.orders, s.filledOrders])).toEqual([
      ['alpha', 2, 2],
      ['beta', 1, 1],
    ]);
    const alpha = summary.strategies[0];
    // a1: bought 1 @ 101 vs 100; p1: 2 @ avg 101 vs 100; Σ cost 3 over Σ notional 300.
    expect(alpha?.slippage).toEqual({ quote: '3', notional: '300', bps: '100' });
    expect(alpha?.requestedNotional).toBe('300');
    // beta: sold 1 @ 99.5 vs 100: 50 bp; its working order is not in it.
    expect(summary.strategies[1]?.slippage?.bps).toBe('50');
    expect(summary.strategies.every((s) => s.day === '2026-11-21')).toBe(true);
  });

  test('per venue: orders and children (not parents), each on its own venue', () => {
    expect(summary.venues.map((v) => [v.venue, v.orders])).toEqual([
      ['sim', 2],
      ['x', 1],
      ['y', 1],
    ]);
    expect(summary.venues.find((v) => v.venue === 'x')?.slippage?.bps).toBe('0');
    expect(summary.venues.find((v) => v.venue === 'y')?.slippage?.bps).toBe('200');
  });

  test('working orders are listed with their figures so far; refusals and other days kept', () => {
    expect(summary.working).toEqual([
      expect.objectContaining({ orderId: 'b2', status: 'ACCEPTED', strategyId: 'beta', fillRate: '0' }),
    ]);
    expect(summary.notAnalysed).toEqual([
      denied,
      expect.objectContaining({ orderId: 'old', code: 'RECEIVED_ON_ANOTHER_DAY' }),
    ]);
    expect(summary.orders.map((o) => o.orderId)).toEqual(['a1', 'p1', 'p1-c1', 'p1-c2', 'b1', 'b2']);
    expect(summary.orders.find((o) => o.orderId === 'a1')).toMatchObject({
      slippageBps: '100',
      shortfallBps: '100',
      latencyMs: 200,
      fillRate: '1',
    });
  });

  test('quote currencies are summarised apart, not refused', () => {
    const eth = analysis({
      orderId: 'e1',
      strategyId: 'alpha',
      symbol: 'ETH/BTC',
      arrivalMid: '0.05',
      fills: [fill('1', '0.0505', '2026-11-21T10:00:00.200Z')],
    });
    const mixed = summariseDay(DAY, [standaloneAlpha, eth], []);
    expect(mixed.strategies.map((s) => [s.strategyId, s.quoteCurrency, s.orders])).toEqual([
      ['alpha', 'BTC', 1],
      ['alpha', 'USDT', 1],
    ]);
  });

  test('an empty day', () => {
    expect(summariseDay(DAY, [], [])).toMatchObject({
      counts: { listed: 0, ended: 0, working: 0, notAnalysed: 0 },
      strategies: [],
      venues: [],
    });
  });
});

function report(): DayTcaReport {
  return {
    ...summariseDay(
      DAY,
      [standaloneAlpha, parentAlpha, childX, childY, standaloneBeta, workingBeta],
      [denied],
    ),
    taskQueue: 'execution',
    limit: 500,
    measuredAt: '2026-11-21T15:00:00.000Z',
  };
}

test('formatTcaDay: counts, a row per strategy and per venue, working and refused orders', () => {
  const lines = formatTcaDay(report()).split('\n');
  expect(lines[0]).toBe(
    'TCA of 2026-11-21 (UTC), task queue execution: 7 listed, 5 ended, 1 working, 1 not analysed',
  );
  const header = lines.find((l) => l.trimStart().startsWith('strategy'));
  expect(header?.trim().split(/ {2,}/)).toEqual([
    'strategy',
    'orders',
    'filled',
    'fill rate',
    'shortfall bp',
    'slippage bp',
    'spread bp',
    'vs VWAP bp',
    'latency p50/p90 ms',
    'notional',
  ]);
  const alpha = lines.find((l) => l.trimStart().startsWith('alpha'));
  expect(alpha?.trim().split(/ {2,}/)).toEqual([
    'alpha',
    '2',
    '2',
    '1',
    '100',
    '100',
    '200',
    '-',
    '200 / 1000',
    '300 USDT',
  ]);
  expect(lines.filter((l) => /^ {2}(sim|x|y) /.test(l))).toHaveLength(3);
  expect(lines).toContain('still working (figures so far, as of 2026-11-21T15:00:00.000Z)');
  expect(lines).toContain('  b2  ACCEPTED  beta on sim  buy 1 BTC/USDT  filled 0 (fill rate 0)');
  expect(lines).toContain('  d1  DENIED  NO_ARRIVAL_PRICE: order d1 has no arrival mid');
});

async function run(args: string[], analyseDay: (r: DayTcaRequest) => Promise<DayTcaReport>): Promise<string> {
  let out = '';
  const program = new Command('ordo').option('--json');
  registerTcaCommands(program, {
    write: (t) => void (out += t),
    analyse: () => Promise.reject(new Error('not this one')),
    analyseDay,
  });
  await program.parseAsync(args, { from: 'user' });
  return out;
}

describe('ordo tca --day', () => {
  test('passes the day and filters, prints the table or JSON', async () => {
    const asked: DayTcaRequest[] = [];
    const analyseDay = async (r: DayTcaRequest) => {
      asked.push(r);
      return report();
    };
    const text = await run(
      ['tca', '--day', '2026-11-21', '--strategy', 'alpha', '--venue', 'sim', '--limit', '50'],
      analyseDay,
    );
    expect(asked).toEqual([{ date: '2026-11-21', strategyId: 'alpha', venue: 'sim', limit: 50 }]);
    expect(text).toMatch(/^TCA of 2026-11-21 \(UTC\)/);
    const json = await run(['--json', 'tca', '--day', '2026-11-21'], analyseDay);
    expect(JSON.parse(json)).toEqual(report());
  });

  test('an order id and --day together, neither, or day options alone: typed refusals', async () => {
    const never = () => Promise.reject(new Error('must not be called'));
    await expect(run(['tca', 'o-1', '--day', '2026-11-21'], never)).rejects.toMatchObject({
      code: 'ORDER_ID_WITH_DAY',
    });
    await expect(run(['tca'], never)).rejects.toMatchObject({ code: 'MISSING_ORDER_ID' });
    await expect(run(['tca', 'o-1', '--strategy', 'alpha'], never)).rejects.toBeInstanceOf(OrderRequestError);
  });
});
