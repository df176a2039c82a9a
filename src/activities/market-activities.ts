/**
 * Market-data activities for parent-order algorithms: read-only venue calls, so any of them may
 * be retried freely. Failures are typed like the order activities' (venue-calls.ts): a bad input,
 * an unknown venue or symbol is final; a venue that is down or busy is retried within the venue's
 * retry budget; every call's outcome feeds the venue's circuit breaker.
 */
import { add, dec, toDecimalString, weightedAverage } from '../domain/decimal';
import { VenueError } from '../venues/errors';
import type { VenueRegistry } from '../venues/registry';
import type { Candle } from '../venues/types';
import { candleWindows, fetchCandleWindows } from './candle-range';
import { routeQuotes } from './route-quotes';
import type { MarketActivities, MarketQuote, MarketVolume, RouteVenueQuote } from './types';
import { failAsTemporal, withVenueBudget } from './venue-calls';

/** Book levels read for a quote: the top is all it uses, 5 is the smallest depth every venue serves. */
const QUOTE_DEPTH = 5;

export function createMarketActivities(registry: VenueRegistry): MarketActivities {
  return {
    async marketQuote({ venue: name, symbol }): Promise<MarketQuote> {
      return withVenueBudget(registry, name, async (venue) => {
        const book = await venue.fetchOrderBook(symbol, QUOTE_DEPTH);
        // The current one-minute candle closes at the last trade: one small request, on every venue
        // (the Venue interface has no ticker).
        const latest = await venue.fetchCandles(symbol, '1m', undefined, 1);
        const bid = book.bids[0]?.price;
        const ask = book.asks[0]?.price;
        const last = latest[latest.length - 1]?.close;
        return {
          venue: name,
          symbol,
          ...(bid === undefined ? {} : { bid }),
          ...(ask === undefined ? {} : { ask }),
          ...(bid === undefined || ask === undefined ? {} : { mid: midOf(bid, ask) }),
          ...(last === undefined ? {} : { last }),
          at: book.timestamp ?? new Date().toISOString(),
        };
      });
    },

    async marketVolume({ venue: name, symbol, since, until }): Promise<MarketVolume> {
      // Checked before the venue is asked: a bad input says nothing about the venue's health.
      const [from, to] = await failAsTemporal(async () => windowOf(since, until));
      return withVenueBudget(registry, name, async (venue) => {
        const trades = await venue.fetchTrades(symbol, from, to);
        const volume = trades.reduce((total, t) => add(total, t.quantity), '0');
        const vwap = weightedAverage(trades);
        return {
          venue: name,
          symbol,
          from: from.toISOString(),
          to: to.toISOString(),
          volume,
          trades: trades.length,
          ...(vwap === undefined ? {} : { vwap }),
        };
      });
    },

    async candles({ venue: name, symbol, timeframe, since, until }): Promise<Candle[]> {
      const windows = await failAsTemporal(async () => candleWindows(timeframe, ...windowOf(since, until)));
      return withVenueBudget(registry, name, (venue) =>
        fetchCandleWindows(venue, symbol, timeframe, windows),
      );
    },

    async routeQuotes(input): Promise<RouteVenueQuote[]> {
      // Several venues, so no one venue's retry budget: the caller's retry policy bounds it.
      return failAsTemporal(() => routeQuotes(registry, input));
    },
  };
}

/** Exactly halfway (not rounded to the tick: a price to compare against, not to send). */
function midOf(bid: string, ask: string): string {
  return toDecimalString(dec(bid).plus(ask).dividedBy(2));
}

/** [since, until) from ISO-8601 inputs (until: now); anything else is a bad request (final). */
function windowOf(since: string, until: string | undefined): [Date, Date] {
  const from = instant(since, 'since');
  const to = until === undefined ? new Date() : instant(until, 'until');
  if (to.getTime() <= from.getTime())
    throw new VenueError(
      'reject',
      'BAD_REQUEST',
      `until (${to.toISOString()}) must be after since (${since})`,
    );
  return [from, to];
}

function instant(text: string, what: string): Date {
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new VenueError('reject', 'BAD_REQUEST', `${what} must be ISO-8601, got "${text}"`);
  return new Date(ms);
}
