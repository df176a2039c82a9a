/**
 * What smart routing needs from each venue at once: the book side a taker would hit, the venue's
 * market rules and its configured routing costs. Venues are asked in parallel; one that fails is
 * left out and logged (the router routes around it), and only when every venue fails does the
 * activity fail — retryably if any failure was transient.
 */
import { cmp } from '../domain/decimal';
import { VenueError, isVenueError } from '../venues/errors';
import type { RegisteredVenue, VenueRegistry } from '../venues/registry';
import type { OrderBookLevel } from '../venues/types';
import type { RouteVenueQuote } from './types';
import { TRANSIENT_ACTIONS, activityContext, observed } from './venue-calls';

export interface RouteQuotesInput {
  venues?: string[];
  symbol: string;
  side: 'buy' | 'sell';
  depth?: number;
}

const DEFAULT_DEPTH = 20;
const MAX_DEPTH = 1000;

export async function routeQuotes(
  registry: VenueRegistry,
  input: RouteQuotesInput,
): Promise<RouteVenueQuote[]> {
  const depth = input.depth ?? DEFAULT_DEPTH;
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH)
    throw new VenueError(
      'reject',
      'BAD_REQUEST',
      `depth must be an integer in [1, ${MAX_DEPTH}], got ${depth}`,
    );
  const names = venuesFor(registry, input.venues);
  const settled = await Promise.allSettled(
    names.map((name) => quoteOf(name, registry.get(name), input.symbol, input.side, depth)),
  );
  const quotes: RouteVenueQuote[] = [];
  const failures: Array<{ venue: string; error: unknown }> = [];
  settled.forEach((result, i) => {
    const venue = names[i] ?? '';
    if (result.status === 'fulfilled') quotes.push(result.value);
    else failures.push({ venue, error: result.reason });
  });
  for (const { venue, error } of failures) {
    activityContext()?.log.warn('routeQuotes: venue left out', {
      venue,
      symbol: input.symbol,
      error: describe(error),
    });
  }
  if (quotes.length === 0) throw allFailed(failures);
  return quotes;
}

/**
 * The venues to ask, best priority first. Named venues must exist (UNKNOWN_VENUE, final); one
 * whose routing is disabled is left out even when named: the operator's switch wins.
 */
function venuesFor(registry: VenueRegistry, requested: string[] | undefined): string[] {
  const routable = registry.routable();
  if (requested === undefined) {
    if (routable.length === 0)
      throw new VenueError('reject', 'NO_ROUTING_VENUES', 'no configured venue has routing enabled');
    return routable;
  }
  for (const name of requested) registry.get(name); // UNKNOWN_VENUE for a name not configured
  const chosen = routable.filter((name) => requested.includes(name));
  for (const name of requested.filter((n) => !chosen.includes(n)))
    activityContext()?.log.warn('routeQuotes: routing disabled, venue left out', { venue: name });
  if (chosen.length === 0)
    throw new VenueError(
      'reject',
      'NO_ROUTING_VENUES',
      `none of ${requested.join(', ') || '(no venues)'} has routing enabled`,
    );
  return chosen;
}

async function quoteOf(
  name: string,
  registered: RegisteredVenue,
  symbol: string,
  side: 'buy' | 'sell',
  depth: number,
): Promise<RouteVenueQuote> {
  const { venue, settings } = registered;
  return observed(registered, async () => {
    const rules = await venue.marketRules(symbol);
    const book = await venue.fetchOrderBook(symbol, depth);
    // A buyer takes the asks, cheapest first; a seller the bids, dearest first.
    const levels = side === 'buy' ? sortLevels(book.asks, 1) : sortLevels(book.bids, -1);
    const { priority, costBps, costPerUnit, maxOrderSize } = settings.routing;
    const quote: RouteVenueQuote = {
      venue: name,
      priority,
      costBps,
      costPerUnit,
      rules,
      levels: levels.slice(0, depth).map(({ price, quantity }) => ({ price, quantity })),
    };
    return maxOrderSize === undefined ? quote : { ...quote, maxOrderSize };
  });
}

function sortLevels(levels: OrderBookLevel[], direction: 1 | -1): OrderBookLevel[] {
  return [...levels].sort((a, b) => direction * cmp(a.price, b.price));
}

/**
 * Every venue failed. The same failure everywhere (BAD_SYMBOL, say) is that failure; otherwise
 * NO_VENUE_QUOTES, retryable when any venue failed transiently (it may answer next time).
 */
function allFailed(failures: Array<{ venue: string; error: unknown }>): unknown {
  const first = failures[0]?.error;
  const codes = new Set(failures.map(({ error }) => (isVenueError(error) ? error.code : 'ERROR')));
  if (codes.size === 1 && isVenueError(first)) return first;
  const transient = failures.some(({ error }) => !isVenueError(error) || TRANSIENT_ACTIONS.has(error.action));
  return new VenueError(
    transient ? 'retry' : 'reject',
    'NO_VENUE_QUOTES',
    `every venue failed: ${failures.map(({ venue, error }) => `${venue}: ${describe(error)}`).join('; ')}`,
  );
}

function describe(error: unknown): string {
  if (isVenueError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
