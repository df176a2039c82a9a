/**
 * Many orders combined: daily summary per strategy, venue comparison, latency percentiles.
 * Every figure is a sum of amounts over a sum of notionals (notional-weighted), worked by hand.
 */
import { percentile } from '../../../src/domain/tca/latency';
import { analyseOrder } from '../../../src/domain/tca/order';
import { aggregate, dailyStrategySummary, venueComparison } from '../../../src/domain/tca/summary';
import type { TcaFill } from '../../../src/domain/tca/types';

function fill(quantity: string, price: string, timestamp: string, extra: Partial<TcaFill> = {}): TcaFill {
  return { quantity, price, fee: '0', feeCurrency: 'USDT', timestamp, ...extra };
}

// A: alpha on x, buy 2 (P_d 100, P_a 101), 1 @ 102 + 1 @ 103, fees 0.2: delay 2, trading 3, N 200; 500 ms.
const a = analyseOrder({
  orderId: 'A',
  symbol: 'BTC/USDT',
  side: 'buy',
  venue: 'x',
  strategyId: 'alpha',
  quantity: '2',
  decisionPrice: '100',
  arrivalMid: '101',
  requestedAt: '2024-05-01T10:00:00.000Z',
  fills: [
    fill('1', '102', '2024-05-01T10:00:00.500Z', { fee: '0.1' }),
    fill('1', '103', '2024-05-01T10:00:01.000Z', { fee: '0.1' }),
  ],
});
// B: alpha on y, late on the same UTC day, sell 1 at arrival 200, 1 @ 199: trading 1, N 200; 2000 ms.
const b = analyseOrder({
  orderId: 'B',
  symbol: 'SOL/USDT',
  side: 'sell',
  venue: 'y',
  strategyId: 'alpha',
  quantity: '1',
  arrivalMid: '200',
  requestedAt: '2024-05-01T23:59:58.000Z',
  fills: [fill('1', '199', '2024-05-02T00:00:00.000Z')],
});
// C: alpha on x, the next day, buy 1 at arrival 100, nothing filled, end 101: opportunity 1, N 100.
const c = analyseOrder({
  orderId: 'C',
  symbol: 'BTC/USDT',
  side: 'buy',
  venue: 'x',
  strategyId: 'alpha',
  quantity: '1',
  arrivalMid: '100',
  requestedAt: '2024-05-02T09:00:00.000Z',
  endPrice: '101',
  fills: [],
});
// D: no strategy, on x, buy 1 @ 50 at arrival 50, a BNB fee with no price; N 50; 100 ms.
const d = analyseOrder({
  orderId: 'D',
  symbol: 'ETH/USDT',
  side: 'buy',
  venue: 'x',
  quantity: '1',
  arrivalMid: '50',
  requestedAt: '2024-05-01T12:00:00.000Z',
  fills: [fill('1', '50', '2024-05-01T12:00:00.100Z', { fee: '0.001', feeCurrency: 'BNB' })],
});

describe('dailyStrategySummary', () => {
  it('groups by UTC day and strategy, orders without one first', () => {
    const days = dailyStrategySummary([c, b, d, a]);
    expect(days.map((s) => [s.day, s.strategyId])).toEqual([
      ['2024-05-01', undefined],
      ['2024-05-01', 'alpha'],
      ['2024-05-02', 'alpha'],
    ]);
    const [none, alpha1, alpha2] = days;
    expect(none).toMatchObject({ orders: 1, unconvertedFees: [{ currency: 'BNB', amount: '0.001' }] });
    // A + B: delay 2, trading 3 + 1 = 4, fees 0.2, total 6.2 over N = 200 + 200 = 400.
    expect(alpha1).toMatchObject({
      orders: 2,
      filledOrders: 2,
      quoteCurrency: 'USDT',
      requestedNotional: '400',
      // (2 × 100 + 1 × 200) / 400
      fillRate: '1',
      shortfall: {
        quote: { delay: '2', trading: '4', opportunity: '0', fees: '0.2', total: '6.2' },
        bps: { delay: '50', trading: '100', opportunity: '0', fees: '5', total: '155' },
      },
      // Slippage (3 + 1) over X·P_a = 202 + 200: 4 / 402 = 99.50249 bp.
      slippage: { quote: '4', notional: '402', bps: '99.5025' },
      // Nearest rank over [500, 2000]: p50 the 1st, p90 the 2nd.
      latencyMs: { count: 2, p50: 500, p90: 2000 },
      unconvertedFees: [],
    });
    expect(alpha2).toMatchObject({
      orders: 1,
      filledOrders: 0,
      fillRate: '0',
      shortfall: { bps: { opportunity: '100', total: '100' } },
      latencyMs: { count: 0 },
    });
    expect(alpha2?.slippage).toBeUndefined();
    expect(alpha2?.latencyMs.p50).toBeUndefined();
  });
});

describe('venueComparison', () => {
  it('per venue: notional-weighted fill rate, shortfall, slippage and latency', () => {
    const venues = venueComparison([a, b, c, d]);
    expect(venues.map((v) => v.venue)).toEqual(['x', 'y']);
    // x: A, C, D; N = 200 + 100 + 50 = 350; filled at benchmark 200 + 0 + 50 = 250 → 0.714286.
    // delay 2 → 57.1429, trading 3 → 85.7143, opportunity 1 → 28.5714, fees 0.2 → 5.7143 bp,
    // total = their sum 177.1429 (exactly 6.2 / 350 = 177.142857… rounded, too).
    expect(venues[0]).toMatchObject({
      orders: 3,
      filledOrders: 2,
      requestedNotional: '350',
      fillRate: '0.714286',
      shortfall: {
        quote: { total: '6.2' },
        bps: {
          delay: '57.1429',
          trading: '85.7143',
          opportunity: '28.5714',
          fees: '5.7143',
          total: '177.1429',
        },
      },
      // 3 + 0 over 202 + 50: 119.04762 bp.
      slippage: { quote: '3', notional: '252', bps: '119.0476' },
      latencyMs: { count: 2, p50: 100, p90: 500 },
      unconvertedFees: [{ currency: 'BNB', amount: '0.001' }],
    });
    expect(venues[1]).toMatchObject({
      orders: 1,
      shortfall: { bps: { trading: '50', total: '50' } },
      latencyMs: { count: 1, p50: 2000, p90: 2000 },
    });
  });
});

describe('aggregate', () => {
  it('refuses to add amounts in different quote currencies, and an empty list', () => {
    const inBtc = analyseOrder({
      symbol: 'ETH/BTC',
      side: 'buy',
      quantity: '1',
      arrivalMid: '0.05',
      requestedAt: '2024-05-01T10:00:00.000Z',
      fills: [fill('1', '0.05', '2024-05-01T10:00:01.000Z', { feeCurrency: 'BTC' })],
    });
    expect(() => aggregate([a, inBtc])).toThrow(expect.objectContaining({ code: 'MIXED_QUOTE_CURRENCIES' }));
    expect(() => aggregate([])).toThrow(expect.objectContaining({ code: 'INVALID_TCA_INPUT' }));
  });
});

describe('percentile (nearest rank)', () => {
  it('takes the ⌈p/100·n⌉-th sorted value', () => {
    // sorted [50, 100, 300, 750, 2000]: p50 → ⌈2.5⌉ = 3rd, p90 → ⌈4.5⌉ = 5th.
    expect(percentile([750, 100, 300, 2000, 50], 50)).toBe(300);
    expect(percentile([750, 100, 300, 2000, 50], 90)).toBe(2000);
    // [10, 20, 30, 40]: p50 → 2nd, p90 → ⌈3.6⌉ = 4th.
    expect(percentile([40, 30, 20, 10], 50)).toBe(20);
    expect(percentile([40, 30, 20, 10], 90)).toBe(40);
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([], 50)).toBeUndefined();
  });
});
