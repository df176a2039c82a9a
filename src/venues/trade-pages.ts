/**
 * Every public trade of a time window from a venue that answers one page per request. Venues
 * differ in how a window pages (ccxt-dialects.ts says which way each does), so the walk is
 * driven by that description, never by the exchange id:
 *
 * - `window` paging asks for [from, to]; when the answer is a full page, the rest of the window
 *   lies beyond the page's far end (a venue that keeps the first trades) or before its near end
 *   (one that keeps the last, as Binance does), and that part is asked for next. Windows longer
 *   than the venue allows are cut into spans first.
 * - `latest` paging gets the newest trades only: complete when they reach back past `since`,
 *   otherwise the window cannot be listed and the call fails (final), never answers part of it.
 *
 * At most MAX_TRADE_PAGES requests per window: a window that busy fails TOO_MANY_TRADES (final)
 * rather than keep a worker paging for minutes; candles carry volume for long windows.
 */
import { VenueError } from './errors';
import type { CcxtDialect } from './ccxt-dialects';
import type { PublicTrade } from './types';

/** 100 requests: 100,000 trades at Binance's 1000 a page. */
export const MAX_TRADE_PAGES = 100;

export type TradesPaging = Pick<
  CcxtDialect,
  'tradesPaging' | 'tradesPageKeeps' | 'tradesPageLimit' | 'tradesMaxSpanMs'
>;

/**
 * One request to the venue: trades with from ≤ time ≤ to (both undefined: the newest), at most
 * `limit`, as the venue answered them.
 */
export type FetchTradePage = (
  from: number | undefined,
  to: number | undefined,
  limit: number,
) => Promise<PublicTrade[]>;

const timeOf = (trade: PublicTrade): number => Date.parse(trade.timestamp);

/** Trades of [sinceMs, untilMs), oldest first (ties by trade id), each once. */
export async function tradesInWindow(
  venue: string,
  paging: TradesPaging,
  fetchPage: FetchTradePage,
  sinceMs: number,
  untilMs: number,
  maxPages = MAX_TRADE_PAGES,
): Promise<PublicTrade[]> {
  const limit = paging.tradesPageLimit;
  const found = new Map<string, PublicTrade>();
  let pages = 0;
  const page = async (from: number | undefined, to: number | undefined): Promise<PublicTrade[]> => {
    if (++pages > maxPages) {
      throw new VenueError(
        'reject',
        'TOO_MANY_TRADES',
        `${venue}: more than ${maxPages} pages (${maxPages * limit} trades) in the window from ${iso(sinceMs)}; ask for a shorter window, or candles`,
      );
    }
    return fetchPage(from, to, limit);
  };
  const keep = (trades: PublicTrade[], from: number, to: number): PublicTrade[] => {
    const inside = trades.filter((t) => timeOf(t) >= from && timeOf(t) <= to);
    for (const trade of inside) found.set(trade.tradeId, trade);
    return inside;
  };
  const last = untilMs - 1;
  if (last < sinceMs) return [];

  if (paging.tradesPaging === 'latest') {
    const newest = await page(undefined, undefined);
    keep(newest, sinceMs, last);
    const oldest = Math.min(...newest.map(timeOf));
    // A full page that does not reach back before `since` may have left trades of the window out.
    if (newest.length >= limit && oldest >= sinceMs) {
      throw new VenueError(
        'reject',
        'TRADES_UNAVAILABLE',
        `${venue} lists only its newest ${limit} public trades (from ${iso(oldest)}): the window from ${iso(sinceMs)} reaches further back`,
      );
    }
    return sorted(found);
  }

  const span = paging.tradesMaxSpanMs ?? Number.POSITIVE_INFINITY;
  for (let spanStart = sinceMs; spanStart <= last;) {
    const spanEnd = Math.min(last, spanStart + span - 1);
    let [from, to] = [spanStart, spanEnd];
    for (;;) {
      const answer = await page(from, to);
      const inside = keep(answer, from, to);
      if (answer.length < limit) break;
      if (inside.length === 0) {
        throw new VenueError(
          'reject',
          'TRADES_UNAVAILABLE',
          `${venue} answered a full page of trades outside ${iso(from)}..${iso(to)}: it cannot page this window`,
        );
      }
      const times = inside.map(timeOf);
      // The part of [from, to] the full page may have left out (its edge millisecond included).
      const next: [number, number] =
        paging.tradesPageKeeps === 'last' ? [from, Math.min(...times)] : [Math.max(...times), to];
      if (next[0] === from && next[1] === to) {
        throw new VenueError(
          'reject',
          'TRADES_UNAVAILABLE',
          `${venue}: more than ${limit} trades within ${iso(from)}..${iso(to)}, which cannot be split further`,
        );
      }
      [from, to] = next;
    }
    spanStart = spanEnd + 1;
  }
  return sorted(found);
}

function sorted(found: ReadonlyMap<string, PublicTrade>): PublicTrade[] {
  return [...found.values()].sort((a, b) => timeOf(a) - timeOf(b) || compareIds(a.tradeId, b.tradeId));
}

/** Venue trade ids grow with time; numeric ones can exceed 2^53 (Bybit's execIds), hence BigInt. */
function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const [x, y] = [BigInt(a), BigInt(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
