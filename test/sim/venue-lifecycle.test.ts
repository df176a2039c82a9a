/**
 * ccxt in a long-running service, through the adapter on both dialects: a failed first
 * loadMarkets does not poison the instance, a failed reload does not stop trading, markets reload
 * when a symbol turns out unknown, the clock is resynchronised, close() closes. Time is a fake
 * clock handed to the upkeep (never wall-clock assertions).
 */
import type { RunningSimulator } from '../../src/sim/server';
import { CcxtVenue } from '../../src/venues/ccxt-venue';
import type { UpkeepOptions } from '../../src/venues/ccxt-upkeep';
import { createCcxtExchange } from '../../src/venues/factory';
import { admin, startTestSimulator } from './harness';
import {
  DIALECTS,
  recordRequests,
  restingBuy,
  setFaults,
  venueConfig,
  venueErrorOf,
  type TestVenue,
  type VenueName,
} from './venue-harness';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startTestSimulator();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await admin(sim, 'POST', '/admin/reset');
});

/** Where each dialect loads markets and reads the venue's time. */
const PATHS: Record<VenueName, { markets: string; time: string }> = {
  sim: { markets: '/api/v3/exchangeInfo', time: '/api/v3/time' },
  'sim-bybit': { markets: '/v5/market/instruments-info', time: '/v5/market/time' },
};

/** What a maintenance window looks like to ccxt: Binance says so, Bybit only sends a 503. */
const MAINTENANCE = {
  sim: { action: 'retry', code: 'VENUE_MAINTENANCE' },
  'sim-bybit': { action: 'unknown_outcome', code: 'VENUE_UNAVAILABLE' },
} as const;

interface ClockedVenue extends TestVenue {
  /** Moves the upkeep's clock on. */
  advance(ms: number): void;
}

function clockedVenue(name: VenueName, upkeep: Partial<UpkeepOptions> = {}): ClockedVenue {
  const config = { ...venueConfig(sim, name), timeoutMs: 400 };
  const exchange = createCcxtExchange(config);
  const requests = recordRequests(exchange);
  let now = Date.now();
  const venue = new CcxtVenue({
    name,
    exchange,
    upkeep: { clockSyncIntervalMs: 0, ...upkeep, now: () => now },
  });
  return { venue, exchange, requests, advance: (ms) => (now += ms) };
}

const count = (requests: string[], path: string) => requests.filter((r) => r === path).length;

describe.each(DIALECTS)('%s (%s dialect)', (name) => {
  const paths = PATHS[name];

  it('a failed first loadMarkets does not poison the instance', async () => {
    const t = clockedVenue(name);
    await setFaults(sim, { maintenance: { forMs: 60_000 } });
    const err = await venueErrorOf(t.venue.marketRules('BTC/USDT'));
    expect({ action: err.action, code: err.code }).toEqual(MAINTENANCE[name]);
    expect(err.retryAfterMs).toBe(60_000);

    await admin(sim, 'DELETE', '/admin/faults');
    // ccxt on its own keeps handing out the failed load, though the venue is back...
    await expect(t.exchange.loadMarkets()).rejects.toThrow();
    // ...the adapter forces a new one.
    await expect(t.venue.marketRules('BTC/USDT')).resolves.toMatchObject({ symbol: 'BTC/USDT' });
    await expect(t.venue.submitOrder(restingBuy(`${name}-after-maintenance`))).resolves.toMatchObject({
      state: 'open',
    });
    await expect(t.exchange.loadMarkets()).resolves.toHaveProperty(['BTC/USDT']);
    await t.venue.close();
  });

  it('markets reload when stale; a failed reload keeps trading on the markets held', async () => {
    const t = clockedVenue(name, { marketsTtlMs: 60_000, marketsRetryMs: 30_000 });
    await t.venue.marketRules('BTC/USDT');
    expect(count(t.requests, paths.markets)).toBe(1);

    t.advance(61_000);
    await setFaults(sim, { errors: [{ kind: 'internalError', scope: [`GET ${paths.markets}`], times: 1 }] });
    await expect(t.venue.submitOrder(restingBuy(`${name}-stale`))).resolves.toMatchObject({ state: 'open' });
    expect(count(t.requests, paths.markets)).toBe(2); // tried, failed, traded anyway
    // ccxt's own methods (which await loadMarkets()) are not handed the failed reload either.
    await expect(t.exchange.loadMarkets()).resolves.toHaveProperty(['BTC/USDT']);

    await t.venue.fetchBalances();
    expect(count(t.requests, paths.markets)).toBe(2); // not again before marketsRetryMs
    t.advance(31_000);
    await t.venue.fetchBalances();
    expect(count(t.requests, paths.markets)).toBe(3); // reloaded
    await t.venue.close();
  });

  it('a symbol missing from the markets reloads them (not more often than allowed)', async () => {
    const t = clockedVenue(name, { unknownSymbolReloadMs: 10_000 });
    await t.venue.marketRules('BTC/USDT');
    // SOL/USDT "listed after our load": take it out of what the instance holds.
    delete (t.exchange.markets as Record<string, unknown>)['SOL/USDT'];

    const tooSoon = await venueErrorOf(t.venue.marketRules('SOL/USDT'));
    expect([tooSoon.action, tooSoon.code]).toEqual(['reject', 'BAD_SYMBOL']);
    expect(count(t.requests, paths.markets)).toBe(1);

    t.advance(11_000);
    await expect(t.venue.marketRules('SOL/USDT')).resolves.toMatchObject({ base: 'SOL' });
    expect(count(t.requests, paths.markets)).toBe(2);

    // A symbol nobody lists: refused, and it does not make the adapter hammer the venue.
    for (let i = 0; i < 3; i++) {
      expect((await venueErrorOf(t.venue.marketRules('DOGE/USDT'))).code).toBe('BAD_SYMBOL');
    }
    expect(count(t.requests, paths.markets)).toBe(2);
    await t.venue.close();
  });

  it('the venue calling a symbol unknown makes the next call reload the markets', async () => {
    const t = clockedVenue(name, { unknownSymbolReloadMs: 10_000 });
    await t.venue.marketRules('BTC/USDT');
    const markets = t.exchange.markets as Record<string, Record<string, unknown>>;
    markets['XRP/USDT'] = { ...markets['BTC/USDT'], symbol: 'XRP/USDT', id: 'XRPUSDT', base: 'XRP' };

    t.advance(11_000);
    const err = await venueErrorOf(t.venue.fetchOrderBook('XRP/USDT'));
    expect([err.action, err.code]).toEqual(['reject', 'BAD_SYMBOL']);
    await t.venue.fetchBalances();
    expect(count(t.requests, paths.markets)).toBe(2);
    expect(t.exchange.markets?.['XRP/USDT']).toBeUndefined();
    await t.venue.close();
  });

  it('the clock offset is resynchronised in the background when due', async () => {
    const t = clockedVenue(name, { clockSyncIntervalMs: 60_000 });
    await setFaults(sim, { clockSkewMs: -3_000 });
    await t.venue.marketRules('BTC/USDT'); // public: no timestamp to refuse; starts the sync
    await waitFor(() => count(t.requests, paths.time) === 1);
    await waitFor(() => Number(t.exchange.options['timeDifference']) > 2_000);
    await expect(t.venue.fetchBalances()).resolves.toHaveProperty('USDT'); // signed right at once

    await t.venue.fetchBalances();
    expect(count(t.requests, paths.time)).toBe(1); // not due yet
    t.advance(61_000);
    await t.venue.fetchBalances();
    await waitFor(() => count(t.requests, paths.time) === 2);
    await t.venue.close();
  });

  it('after close(), calls fail retryably (another worker takes them) and send nothing', async () => {
    const t = clockedVenue(name);
    await t.venue.marketRules('BTC/USDT');
    await t.venue.close();
    const sent = t.requests.length;
    const err = await venueErrorOf(t.venue.submitOrder(restingBuy(`${name}-closed`)));
    expect([err.action, err.code]).toEqual(['retry', 'VENUE_CLOSED']);
    expect(t.requests.length).toBe(sent);
  });
});

describe('createCcxtExchange: ccxt configured for a long-running service', () => {
  it('never lets ccxt resend by itself, whatever the options say', () => {
    const exchange = createCcxtExchange({ ...venueConfig(sim, 'sim'), options: { maxRetriesOnFailure: 3 } });
    expect(exchange.options['maxRetriesOnFailure']).toBe(0);
  });

  it('configures the rate limiter per venue: spacing, burst, rolling window', () => {
    const plain = createCcxtExchange({ ...venueConfig(sim, 'sim-bybit'), rateLimitMs: 20 });
    expect(plain.enableRateLimit).toBe(true);
    expect(plain.rateLimit).toBe(20);
    const tuned = createCcxtExchange({
      ...venueConfig(sim, 'sim'),
      rateLimitMs: 50,
      rateLimitBurst: 5,
      rateLimitWindowMs: 60_000,
    });
    // ccxt's throttler is untyped: read what it was built with.
    const throttler = (tuned as unknown as { throttler: { config: Record<string, unknown> } }).throttler;
    expect(throttler.config).toMatchObject({ capacity: 5, algorithm: 'rollingWindow', windowSize: 60_000 });
    expect(throttler.config['maxWeight']).toBe(60_000 / 50);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
