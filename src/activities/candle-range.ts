/**
 * Every candle of a time range, in pages. Each request covers a window that can hold at most one
 * page of candles (CANDLES_PER_PAGE candles' worth of time), so the answer is complete whichever
 * end of a longer window a venue would have kept (Binance klines page forward from startTime;
 * Bybit lists newest first). Windows are fixed before the first request: a range too long for
 * MAX_CANDLE_PAGES is refused up front (TOO_MANY_CANDLES, final), not half fetched.
 */
import { VenueError } from '../venues/errors';
import type { Candle, Venue } from '../venues/types';
import { activityContext } from './venue-calls';

/** Within every venue's page maximum that ccxt knows (Bybit 1000, Binance 1000, OKX 300). */
export const CANDLES_PER_PAGE = 200;

/** 100 pages: 20,000 candles (two weeks of minutes). Longer ranges want a longer timeframe. */
export const MAX_CANDLE_PAGES = 100;

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  // The shortest month and year: a window then never holds more candles than it was sized for.
  M: 28 * 86_400_000,
  y: 365 * 86_400_000,
};

/** The shortest time one candle of a ccxt timeframe ("1m", "4h", "1M") can span; undefined if not one. */
export function timeframeMs(timeframe: string): number | undefined {
  const match = /^(\d{1,4})([smhdwMy])$/.exec(timeframe);
  if (match === null) return undefined;
  const count = Number(match[1]);
  const unit = UNIT_MS[match[2] ?? ''];
  return count > 0 && unit !== undefined ? count * unit : undefined;
}

/** One request's window, [start, end) in epoch ms. */
export interface CandleWindow {
  start: number;
  end: number;
}

/**
 * The requests [since, until) takes, before any is sent: a timeframe that is not one is a bad
 * request, a range needing more than MAX_CANDLE_PAGES requests is refused (both final).
 */
export function candleWindows(timeframe: string, since: Date, until: Date): CandleWindow[] {
  const step = timeframeMs(timeframe);
  if (step === undefined)
    throw new VenueError('reject', 'BAD_REQUEST', `"${timeframe}" is not a timeframe (e.g. 1m, 15m, 1h, 1d)`);
  const [from, to] = [since.getTime(), until.getTime()];
  const span = step * CANDLES_PER_PAGE;
  const pages = Math.ceil((to - from) / span);
  if (pages > MAX_CANDLE_PAGES) {
    throw new VenueError(
      'reject',
      'TOO_MANY_CANDLES',
      `${since.toISOString()}..${until.toISOString()} in ${timeframe} candles needs ${pages} requests (at most ${MAX_CANDLE_PAGES}); use a longer timeframe`,
    );
  }
  const windows: CandleWindow[] = [];
  for (let start = from; start < to; start += span) windows.push({ start, end: Math.min(to, start + span) });
  return windows;
}

/** The candles opening in the windows, oldest first, each once. */
export async function fetchCandleWindows(
  venue: Venue,
  symbol: string,
  timeframe: string,
  windows: readonly CandleWindow[],
): Promise<Candle[]> {
  const found = new Map<number, Candle>();
  for (const { start, end } of windows) {
    const page = await venue.fetchCandles(
      symbol,
      timeframe,
      new Date(start),
      CANDLES_PER_PAGE,
      new Date(end),
    );
    for (const candle of page) {
      const opens = Date.parse(candle.openTime);
      if (opens >= start && opens < end) found.set(opens, candle);
    }
    activityContext()?.heartbeat({ candles: found.size });
  }
  return [...found.entries()].sort(([a], [b]) => a - b).map(([, candle]) => candle);
}
