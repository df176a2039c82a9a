/** Kline intervals as Binance names them, built from one-minute candles. */
export const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** 1970-01-01 was a Thursday; Binance's weeks start on Monday 00:00 UTC, four days later. */
const FIRST_MONDAY_MS = 4 * DAY_MS;

const FIXED_INTERVAL_MS: Readonly<Record<string, number>> = {
  '1m': MINUTE_MS,
  '3m': 3 * MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '30m': 30 * MINUTE_MS,
  '1h': HOUR_MS,
  '2h': 2 * HOUR_MS,
  '4h': 4 * HOUR_MS,
  '6h': 6 * HOUR_MS,
  '8h': 8 * HOUR_MS,
  '12h': 12 * HOUR_MS,
  '1d': DAY_MS,
  '3d': 3 * DAY_MS,
  '1w': 7 * DAY_MS,
};

export interface Interval {
  readonly name: string;
  /** Start of the bucket containing `time`. */
  bucketStart(time: number): number;
  /** Start of the bucket after the one starting at `start`. */
  nextStart(start: number): number;
}

export function parseInterval(name: string): Interval | undefined {
  if (name === '1M') return calendarMonth;
  const length = FIXED_INTERVAL_MS[name];
  if (length === undefined) return undefined;
  const offset = name === '1w' ? FIRST_MONDAY_MS : 0;
  return {
    name,
    bucketStart: (time) => Math.floor((time - offset) / length) * length + offset,
    nextStart: (start) => start + length,
  };
}

const calendarMonth: Interval = {
  name: '1M',
  bucketStart: (time) => {
    const date = new Date(time);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  },
  nextStart: (start) => {
    const date = new Date(start);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  },
};

export function minuteStart(time: number): number {
  return Math.floor(time / MINUTE_MS) * MINUTE_MS;
}
