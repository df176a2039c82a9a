/**
 * The public-trades walk against scripted venues of each paging kind: complete and in order
 * however the venue cuts its pages, never a silent partial answer.
 */
import { candleWindows, timeframeMs } from '../../src/activities/candle-range';
import { VenueError } from '../../src/venues/errors';
import { type FetchTradePage, type TradesPaging, tradesInWindow } from '../../src/venues/trade-pages';
import type { PublicTrade } from '../../src/venues/types';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');

/** `count` trades, one every `everyMs` from T0 (several per millisecond when everyMs < 1). */
function tape(count: number, everyMs: number): PublicTrade[] {
  return Array.from({ length: count }, (_, i) => ({
    tradeId: String(1000 + i),
    price: '100',
    quantity: String(i + 1),
    timestamp: new Date(T0 + Math.floor(i * everyMs)).toISOString(),
  }));
}

const at = (t: PublicTrade) => Date.parse(t.timestamp);

/** A venue over `trades` that pages as `paging` says; records each request's window. */
function scripted(trades: PublicTrade[], paging: TradesPaging) {
  const requests: Array<[number | undefined, number | undefined]> = [];
  const fetchPage: FetchTradePage = async (from, to, limit) => {
    requests.push([from, to]);
    if (paging.tradesMaxSpanMs !== null && from !== undefined && to !== undefined)
      expect(to - from).toBeLessThan(paging.tradesMaxSpanMs);
    if (from === undefined) return trades.slice(-limit);
    const inside = trades.filter((t) => at(t) >= from && (to === undefined || at(t) <= to));
    return paging.tradesPageKeeps === 'first' ? inside.slice(0, limit) : inside.slice(-limit);
  };
  return { fetchPage, requests };
}

const WINDOW: TradesPaging = {
  tradesPaging: 'window',
  tradesPageKeeps: 'first',
  tradesPageLimit: 10,
  tradesMaxSpanMs: null,
};

async function failure(call: Promise<unknown>): Promise<VenueError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof VenueError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('tradesInWindow, window paging', () => {
  it.each(['first', 'last'] as const)(
    'a venue keeping the %s trades of a full window: every trade of [since, until), once, oldest first',
    async (keeps) => {
      const trades = tape(95, 3);
      const venue = scripted(trades, { ...WINDOW, tradesPageKeeps: keeps });
      const since = T0 + 7;
      const until = T0 + 250;
      const got = await tradesInWindow(
        'v',
        { ...WINDOW, tradesPageKeeps: keeps },
        venue.fetchPage,
        since,
        until,
      );
      expect(got).toEqual(trades.filter((t) => at(t) >= since && at(t) < until));
      expect(venue.requests.length).toBeGreaterThan(8);
    },
  );

  it.each(['first', 'last'] as const)(
    'keeping the %s: trades sharing a millisecond across a page edge are all listed',
    async (keeps) => {
      const trades = tape(40, 0.25); // four a millisecond
      const paging = { ...WINDOW, tradesPageKeeps: keeps, tradesPageLimit: 6 };
      const got = await tradesInWindow('v', paging, scripted(trades, paging).fetchPage, T0, T0 + 1000);
      expect(got.map((t) => t.tradeId)).toEqual(trades.map((t) => t.tradeId));
    },
  );

  it('cuts a window longer than the venue allows into spans', async () => {
    const trades = tape(50, 100);
    const paging = { ...WINDOW, tradesPageKeeps: 'last' as const, tradesMaxSpanMs: 1000 };
    const venue = scripted(trades, paging);
    const got = await tradesInWindow('v', paging, venue.fetchPage, T0, T0 + 5000);
    expect(got).toEqual(trades);
    expect(venue.requests.filter(([from]) => from !== undefined).length).toBeGreaterThanOrEqual(5);
  });

  it('an empty window asks nothing; since ≥ until is empty', async () => {
    const venue = scripted(tape(5, 1), WINDOW);
    expect(await tradesInWindow('v', WINDOW, venue.fetchPage, T0 + 10, T0 + 10)).toEqual([]);
    expect(venue.requests).toEqual([]);
  });

  it('more trades in one millisecond than a page holds: TRADES_UNAVAILABLE, not a partial list', async () => {
    const trades = tape(30, 0.01);
    const error = await failure(tradesInWindow('v', WINDOW, scripted(trades, WINDOW).fetchPage, T0, T0 + 10));
    expect(error).toMatchObject({ action: 'reject', code: 'TRADES_UNAVAILABLE' });
  });

  it('more pages than the cap: TOO_MANY_TRADES (final)', async () => {
    const trades = tape(100, 1);
    const error = await failure(
      tradesInWindow('v', WINDOW, scripted(trades, WINDOW).fetchPage, T0, T0 + 1000, 3),
    );
    expect(error).toMatchObject({ action: 'reject', code: 'TOO_MANY_TRADES' });
  });

  it('sorts equal times by trade id as numbers, beyond 2^53 too', async () => {
    const base = { price: '1', quantity: '1', timestamp: new Date(T0).toISOString() };
    const ids = ['2100000000007764263', '999', '2100000000007764262'];
    const fetchPage: FetchTradePage = async () => ids.map((tradeId) => ({ ...base, tradeId }));
    const got = await tradesInWindow('v', WINDOW, fetchPage, T0, T0 + 1);
    expect(got.map((t) => t.tradeId)).toEqual(['999', '2100000000007764262', '2100000000007764263']);
  });
});

describe('tradesInWindow, latest paging', () => {
  const LATEST: TradesPaging = { ...WINDOW, tradesPaging: 'latest', tradesPageLimit: 60 };

  it('complete when the newest trades reach back before since', async () => {
    const trades = tape(100, 10);
    const since = T0 + 700;
    const got = await tradesInWindow('v', LATEST, scripted(trades, LATEST).fetchPage, since, T0 + 900);
    expect(got).toEqual(trades.filter((t) => at(t) >= since && at(t) < T0 + 900));
  });

  it('complete when the venue has fewer trades than a page', async () => {
    const trades = tape(20, 10);
    const got = await tradesInWindow('v', LATEST, scripted(trades, LATEST).fetchPage, T0 - 5000, T0 + 5000);
    expect(got).toEqual(trades);
  });

  it('a window older than the newest page: TRADES_UNAVAILABLE (final)', async () => {
    const trades = tape(100, 10);
    const error = await failure(
      tradesInWindow('v', LATEST, scripted(trades, LATEST).fetchPage, T0 + 100, T0 + 900),
    );
    expect(error).toMatchObject({ action: 'reject', code: 'TRADES_UNAVAILABLE' });
    expect(error.message).toMatch(/newest 60/);
  });
});

describe('candle windows', () => {
  it.each([
    ['1m', 60_000],
    ['15m', 900_000],
    ['4h', 14_400_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['1M', 28 * 86_400_000],
  ])('timeframe %s is at least %i ms', (timeframe, ms) => {
    expect(timeframeMs(timeframe)).toBe(ms);
  });

  it.each(['', 'm', '0m', '1x', '1 m', 'one'])('%p is no timeframe', (timeframe) => {
    expect(timeframeMs(timeframe)).toBeUndefined();
  });

  it('cuts a range into windows of 200 candles, the last one short', () => {
    const windows = candleWindows('1m', new Date(T0), new Date(T0 + 450 * 60_000));
    expect(windows).toEqual([
      { start: T0, end: T0 + 200 * 60_000 },
      { start: T0 + 200 * 60_000, end: T0 + 400 * 60_000 },
      { start: T0 + 400 * 60_000, end: T0 + 450 * 60_000 },
    ]);
  });

  it('refuses a range needing too many requests, and a bad timeframe (final)', () => {
    expect(() => candleWindows('1m', new Date(T0), new Date(T0 + 365 * 86_400_000))).toThrow(
      expect.objectContaining({ code: 'TOO_MANY_CANDLES', action: 'reject' }),
    );
    expect(() => candleWindows('5x', new Date(T0), new Date(T0 + 1))).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }),
    );
  });
});
