/**
 * The market-data activities against the simulator through real ccxt, on both dialects, with the
 * venues and routing settings of config/venues.json. The activities are called directly (no
 * Temporal): failures are the ApplicationFailures Temporal would see.
 */
import { ApplicationFailure } from '@temporalio/common';
import { createMarketActivities } from '../../src/activities/market-activities';
import type { MarketActivities } from '../../src/activities/types';
import { add, cmp, weightedAverage } from '../../src/domain/decimal';
import type { RunningSimulator } from '../../src/sim/server';
import { createCcxtExchange, createCcxtVenue, registeredVenue } from '../../src/venues/factory';
import { VenueRegistry } from '../../src/venues/registry';
import type { PublicTrade } from '../../src/venues/types';
import { admin, startTestSimulator } from './harness';
import { DIALECTS, recordRequests, setFaults, testVenue, venueConfig, venueErrorOf } from './venue-harness';

const MINUTE = 60_000;

let sim: RunningSimulator;
let registry: VenueRegistry;
let market: MarketActivities;
/** URL paths each registry venue requested, by venue. */
const requests = new Map<string, string[]>();

beforeAll(async () => {
  sim = await startTestSimulator({ historyDays: 1 });
  const venues = new Map(
    DIALECTS.map(([name]) => {
      const config = { ...venueConfig(sim, name), clockSyncIntervalMs: 0 };
      const exchange = createCcxtExchange(config);
      requests.set(name, recordRequests(exchange));
      const venue = createCcxtVenue(name, config, exchange);
      return [name, registeredVenue(venue, { routing: config.routing, maxAttempts: 3 })] as const;
    }),
  );
  registry = new VenueRegistry(venues);
  market = createMarketActivities(registry);
});

afterAll(async () => {
  await registry.close();
  await sim.close();
});

beforeEach(async () => {
  await admin(sim, 'POST', '/admin/reset');
  for (const list of requests.values()) list.length = 0;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A synthetic market order; the market is still otherwise (tickMs 0), so these are all its trades. */
async function print(side: 'buy' | 'sell', quantity: string, symbol = 'BTC/USDT'): Promise<void> {
  await admin(sim, 'POST', '/admin/trade', { symbol, side, quantity });
}

/** The trades the engine printed in [from, to), as the venue would list them. */
function printed(from: number, to: number, symbol = 'BTCUSDT') {
  return sim.engine.exchange
    .recentTrades(symbol, 1000)
    .filter((t) => t.time >= from && t.time < to)
    .map((t) => ({
      tradeId: String(t.id),
      quantity: t.qty.toString(),
      price: t.price.toString(),
      time: t.time,
    }));
}

/** Prints trades strictly after now, and returns the window [start, end) that holds exactly them. */
async function printWindow(prints: Array<['buy' | 'sell', string]>): Promise<[number, number]> {
  const start = Date.now();
  await sleep(2);
  for (const [side, quantity] of prints) await print(side, quantity);
  await sleep(2);
  return [start, Date.now()];
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApplicationFailure) return err;
    throw new Error(`expected an ApplicationFailure, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected an ApplicationFailure, the call succeeded');
}

const iso = (ms: number) => new Date(ms).toISOString();

describe.each(DIALECTS)('%s (%s dialect)', (name) => {
  it('marketQuote: bid < mid < ask, the last price, a time', async () => {
    const quote = await market.marketQuote({ venue: name, symbol: 'BTC/USDT' });
    expect(quote).toMatchObject({ venue: name, symbol: 'BTC/USDT', last: '60000' });
    const { bid, ask, mid } = quote;
    if (bid === undefined || ask === undefined || mid === undefined) throw new Error('one-sided quote');
    expect(cmp(bid, ask)).toBe(-1);
    expect(cmp(bid, mid)).toBe(-1);
    expect(cmp(mid, ask)).toBe(-1);
    expect(Math.abs(Date.parse(quote.at) - Date.now())).toBeLessThan(10_000);
  });

  it('marketQuote follows the market: last is the latest trade price', async () => {
    await print('buy', '0.3');
    const [lastTrade] = sim.engine.exchange.recentTrades('BTCUSDT', 1);
    const quote = await market.marketQuote({ venue: name, symbol: 'BTC/USDT' });
    expect(quote.last).toBe(lastTrade?.price.toString());
  });

  it('marketVolume: exactly the trades printed in the window, with their count and VWAP', async () => {
    const [start, end] = await printWindow([
      ['buy', '0.5'],
      ['sell', '0.25'],
      ['buy', '1.2'],
    ]);
    const volume = await market.marketVolume({
      venue: name,
      symbol: 'BTC/USDT',
      since: iso(start),
      until: iso(end),
    });
    const trades = printed(start, end);
    expect(trades.length).toBeGreaterThanOrEqual(3);
    expect(volume).toEqual({
      venue: name,
      symbol: 'BTC/USDT',
      from: iso(start),
      to: iso(end),
      volume: '1.95',
      trades: trades.length,
      vwap: weightedAverage(trades),
    });
  });

  it('marketVolume: trades before `since` do not count; until defaults to now', async () => {
    await printWindow([['buy', '2']]);
    const [start] = await printWindow([
      ['sell', '0.125'],
      ['buy', '0.375'],
    ]);
    const volume = await market.marketVolume({ venue: name, symbol: 'BTC/USDT', since: iso(start) });
    expect(volume.volume).toBe('0.5');
    expect(Date.parse(volume.to)).toBeGreaterThan(start);
  });

  it('marketVolume of a quiet window is zero, without a VWAP', async () => {
    const since = Date.now();
    await sleep(5);
    const volume = await market.marketVolume({
      venue: name,
      symbol: 'ETH/USDT',
      since: iso(since),
      until: iso(Date.now()),
    });
    expect(volume).toMatchObject({ volume: '0', trades: 0 });
    expect(volume.vwap).toBeUndefined();
  });

  it('candles: every minute of a range longer than one page, oldest first, in several requests', async () => {
    const end = Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE;
    const start = end - 590 * MINUTE;
    const candles = await market.candles({
      venue: name,
      symbol: 'BTC/USDT',
      timeframe: '1m',
      since: iso(start),
      until: iso(end),
    });
    expect(candles).toHaveLength(590);
    expect(candles[0]?.openTime).toBe(iso(start));
    expect(candles[candles.length - 1]?.openTime).toBe(iso(end - MINUTE));
    for (let i = 1; i < candles.length; i++)
      expect(Date.parse(candles[i]?.openTime ?? '') - Date.parse(candles[i - 1]?.openTime ?? '')).toBe(
        MINUTE,
      );
    const klinePath = name === 'sim' ? '/api/v3/klines' : '/v5/market/kline';
    expect(requests.get(name)?.filter((p) => p === klinePath)).toHaveLength(3);
  });

  it('candles: hourly candles agree with the minutes they are made of', async () => {
    const end = Math.floor(Date.now() / (60 * MINUTE)) * 60 * MINUTE;
    const start = end - 3 * 60 * MINUTE;
    const hours = await market.candles({
      venue: name,
      symbol: 'BTC/USDT',
      timeframe: '1h',
      since: iso(start),
      until: iso(end),
    });
    const minutes = await market.candles({
      venue: name,
      symbol: 'BTC/USDT',
      timeframe: '1m',
      since: iso(start),
      until: iso(end),
    });
    expect(hours).toHaveLength(3);
    expect(minutes).toHaveLength(180);
    const sum = minutes.slice(0, 60).reduce((total, c) => add(total, c.volume), '0');
    expect(cmp(hours[0]?.volume ?? '', sum)).toBe(0);
  });

  it('routeQuotes from this venue alone: asks for a buy, bids for a sell, best first, with its routing settings', async () => {
    const config = venueConfig(sim, name);
    const [buy] = await market.routeQuotes({ venues: [name], symbol: 'BTC/USDT', side: 'buy', depth: 5 });
    const [sell] = await market.routeQuotes({ venues: [name], symbol: 'BTC/USDT', side: 'sell', depth: 5 });
    expect(buy).toMatchObject({
      venue: name,
      priority: config.routing.priority,
      costBps: config.routing.costBps,
      costPerUnit: config.routing.costPerUnit,
      rules: { venue: name, symbol: 'BTC/USDT', priceStep: '0.01' },
    });
    expect(buy?.maxOrderSize).toBeUndefined();
    const asks = buy?.levels.map((l) => l.price) ?? [];
    const bids = sell?.levels.map((l) => l.price) ?? [];
    expect(asks).toHaveLength(5);
    expect(bids).toHaveLength(5);
    expect([...asks].sort((a, b) => cmp(a, b))).toEqual(asks);
    expect([...bids].sort((a, b) => cmp(b, a))).toEqual(bids);
    expect(cmp(bids[0] ?? '', asks[0] ?? '')).toBe(-1);
  });

  it('unknown venue, unknown symbol, bad input: typed, final', async () => {
    for (const call of [
      market.marketQuote({ venue: 'nowhere', symbol: 'BTC/USDT' }),
      market.marketVolume({ venue: 'nowhere', symbol: 'BTC/USDT', since: iso(Date.now() - MINUTE) }),
      market.candles({
        venue: 'nowhere',
        symbol: 'BTC/USDT',
        timeframe: '1m',
        since: iso(Date.now() - MINUTE),
      }),
    ]) {
      expect(await failureOf(call)).toMatchObject({ type: 'UNKNOWN_VENUE', nonRetryable: true });
    }
    for (const call of [
      market.marketQuote({ venue: name, symbol: 'NOPE/USDT' }),
      market.marketVolume({ venue: name, symbol: 'NOPE/USDT', since: iso(Date.now() - MINUTE) }),
      market.candles({ venue: name, symbol: 'NOPE/USDT', timeframe: '1m', since: iso(Date.now() - MINUTE) }),
    ]) {
      expect(await failureOf(call)).toMatchObject({ type: 'BAD_SYMBOL', nonRetryable: true });
    }
    const since = iso(Date.now());
    for (const call of [
      market.marketVolume({ venue: name, symbol: 'BTC/USDT', since: 'yesterday' }),
      market.marketVolume({ venue: name, symbol: 'BTC/USDT', since, until: since }),
      market.candles({
        venue: name,
        symbol: 'BTC/USDT',
        timeframe: '1 minute',
        since: iso(Date.now() - MINUTE),
      }),
    ]) {
      expect(await failureOf(call)).toMatchObject({ type: 'BAD_REQUEST', nonRetryable: true });
    }
  });

  it('a venue that is down fails retryably', async () => {
    await setFaults(sim, { maintenance: { forMs: 60_000 } });
    const failure = await failureOf(market.marketQuote({ venue: name, symbol: 'BTC/USDT' }));
    expect(failure.nonRetryable).toBe(false);
  });
});

describe('routeQuotes across venues', () => {
  it('every routing-enabled venue of config/venues.json, best priority first, with its settings', async () => {
    const quotes = await market.routeQuotes({ symbol: 'BTC/USDT', side: 'buy' });
    expect(quotes.map((q) => [q.venue, q.priority, q.costBps, q.costPerUnit])).toEqual([
      ['sim', 1, 10, '0'],
      ['sim-bybit', 2, 5, '0'],
    ]);
    // One engine behind both dialects: the same book, up to 20 levels by default (the ladder has fewer).
    const book = sim.engine.exchange.depth('BTCUSDT', 20);
    for (const quote of quotes) {
      expect(quote.levels).toHaveLength(book.asks.length);
      expect(quote.rules).toMatchObject({
        venue: quote.venue,
        symbol: 'BTC/USDT',
        base: 'BTC',
        quote: 'USDT',
      });
    }
    expect(quotes[0]?.levels).toEqual(quotes[1]?.levels);
    expect(quotes[0]?.levels[0]?.price).toBe(book.asks[0]?.price.toString());
  });

  it('a venue that fails is left out; the others answer', async () => {
    await setFaults(sim, { errors: [{ kind: 'badGateway', scope: ['/v5/market/orderbook'] }] });
    const quotes = await market.routeQuotes({ symbol: 'BTC/USDT', side: 'sell' });
    expect(quotes.map((q) => q.venue)).toEqual(['sim']);
  });

  it('every venue failing the same way: that failure (retryable when transient)', async () => {
    await setFaults(sim, {
      errors: [{ kind: 'badGateway', scope: ['/api/v3/depth', '/v5/market/orderbook'] }],
    });
    const failure = await failureOf(market.routeQuotes({ symbol: 'BTC/USDT', side: 'buy' }));
    expect(failure).toMatchObject({ type: 'VENUE_UNAVAILABLE', nonRetryable: false });
  });

  it('every venue failing, differently: NO_VENUE_QUOTES naming each, retryable', async () => {
    await setFaults(sim, {
      errors: [
        { kind: 'badGateway', scope: ['/api/v3/depth'] },
        { kind: 'rateLimited', scope: ['/v5/market/orderbook'] },
      ],
    });
    const failure = await failureOf(market.routeQuotes({ symbol: 'BTC/USDT', side: 'buy' }));
    expect(failure).toMatchObject({ type: 'NO_VENUE_QUOTES', nonRetryable: false });
    expect(failure.message).toMatch(/sim: .*sim-bybit: /);
  });

  it('a symbol no venue lists: BAD_SYMBOL, final', async () => {
    const failure = await failureOf(market.routeQuotes({ symbol: 'NOPE/USDT', side: 'buy' }));
    expect(failure).toMatchObject({ type: 'BAD_SYMBOL', nonRetryable: true });
  });

  it('an unknown venue named: UNKNOWN_VENUE, final', async () => {
    const failure = await failureOf(
      market.routeQuotes({ venues: ['sim', 'nowhere'], symbol: 'BTC/USDT', side: 'buy' }),
    );
    expect(failure).toMatchObject({ type: 'UNKNOWN_VENUE', nonRetryable: true });
  });

  it('a bad depth: BAD_REQUEST, final', async () => {
    const failure = await failureOf(market.routeQuotes({ symbol: 'BTC/USDT', side: 'buy', depth: 0 }));
    expect(failure).toMatchObject({ type: 'BAD_REQUEST', nonRetryable: true });
  });
});

describe('fetchTrades pages through a window', () => {
  /** Many small trades; each is a separate market order, so a separate public trade or more. */
  async function printMany(count: number): Promise<[number, number]> {
    const prints = Array.from({ length: count }, (_, i): ['buy' | 'sell', string] => [
      i % 2 === 0 ? 'buy' : 'sell',
      '0.001',
    ]);
    return printWindow(prints);
  }

  const ids = (trades: Array<{ tradeId: string }>) => trades.map((t) => t.tradeId);

  it('Binance: small pages, each window answered by its last trades (as Binance does), all listed once in order', async () => {
    const t = testVenue(sim, 'sim', { dialect: { tradesPageLimit: 7 } });
    try {
      const [start, end] = await printMany(30);
      const trades: PublicTrade[] = await t.venue.fetchTrades('BTC/USDT', new Date(start), new Date(end));
      const expected = printed(start, end);
      expect(expected.length).toBeGreaterThanOrEqual(30);
      expect(ids(trades)).toEqual(ids(expected));
      expect(trades.map((x) => x.quantity)).toEqual(expected.map((x) => x.quantity));
      expect(t.requests.filter((p) => p === '/api/v3/aggTrades').length).toBeGreaterThanOrEqual(5);
    } finally {
      await t.venue.close();
    }
  });

  it('Binance: a window of several hours goes in spans of at most one hour (the venue refuses longer)', async () => {
    const t = testVenue(sim, 'sim');
    try {
      const [start, end] = await printMany(3);
      const trades = await t.venue.fetchTrades('BTC/USDT', new Date(start - 3 * 60 * MINUTE), new Date(end));
      expect(ids(trades)).toEqual(ids(printed(start, end)));
      expect(t.requests.filter((p) => p === '/api/v3/aggTrades')).toHaveLength(4);
    } finally {
      await t.venue.close();
    }
  });

  it('Bybit: the newest trades cover a recent window completely', async () => {
    const t = testVenue(sim, 'sim-bybit', { dialect: { tradesPageLimit: 7 } });
    try {
      await printMany(20);
      const [start, end] = await printMany(3);
      const trades = await t.venue.fetchTrades('BTC/USDT', new Date(start), new Date(end));
      expect(ids(trades)).toEqual(ids(printed(start, end)));
      expect(trades.every((x) => x.side === 'buy' || x.side === 'sell')).toBe(true);
    } finally {
      await t.venue.close();
    }
  });

  it('Bybit: a window reaching past the newest trades fails TRADES_UNAVAILABLE, not a partial list', async () => {
    const t = testVenue(sim, 'sim-bybit', { dialect: { tradesPageLimit: 7 } });
    try {
      const [start, end] = await printMany(20);
      const error = await venueErrorOf(t.venue.fetchTrades('BTC/USDT', new Date(start), new Date(end)));
      expect(error).toMatchObject({ action: 'reject', code: 'TRADES_UNAVAILABLE' });
    } finally {
      await t.venue.close();
    }
  });

  it('Bybit with its real page (60): 30 trades are one request', async () => {
    const t = testVenue(sim, 'sim-bybit');
    try {
      const [start, end] = await printMany(30);
      const trades = await t.venue.fetchTrades('BTC/USDT', new Date(start), new Date(end));
      expect(ids(trades)).toEqual(ids(printed(start, end)));
      expect(t.requests.filter((p) => p === '/v5/market/recent-trade')).toHaveLength(1);
    } finally {
      await t.venue.close();
    }
  });
});

describe('the simulator: GET /api/v3/aggTrades windows', () => {
  const get = async (query: string) => {
    const response = await fetch(`${sim.url}/api/v3/aggTrades?symbol=BTCUSDT&${query}`);
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it('a window holding more than `limit` answers its last trades; a lone startTime its first', async () => {
    const [start, end] = await printWindow(
      Array.from({ length: 6 }, (): ['buy' | 'sell', string] => ['buy', '0.001']),
    );
    const all = printed(start, end).map((t) => Number(t.tradeId));
    const window = await get(`startTime=${start}&endTime=${end}&limit=2`);
    expect((window.body as Array<{ a: number }>).map((t) => t.a)).toEqual(all.slice(-2));
    const fromStart = await get(`startTime=${start}&limit=2`);
    expect((fromStart.body as Array<{ a: number }>).map((t) => t.a)).toEqual(all.slice(0, 2));
  });

  it('refuses a window longer than an hour (-1127), takes exactly an hour (what ccxt sends)', async () => {
    const now = Date.now();
    expect(await get(`startTime=${now - 3_600_001}&endTime=${now}`)).toEqual({
      status: 400,
      body: { code: -1127, msg: 'More than 1 hours between startTime and endTime.' },
    });
    expect((await get(`startTime=${now - 3_600_000}&endTime=${now}`)).status).toBe(200);
  });
});
