import type { Decimal } from '../engine/decimal';
import type { CandleSeries } from './candles';
import { MINUTE_MS, minuteStart } from './intervals';

const DAY_MS = 24 * 60 * MINUTE_MS;

export interface RollingStats {
  openTime: number;
  closeTime: number;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  volume: Decimal;
  quoteVolume: Decimal;
  trades: number;
  /** Close of the minute before the window opened. */
  previousClose: Decimal;
}

/** 24-hour rolling statistics, at one-minute resolution (Binance rolls per trade; close enough). */
export function rollingDayStats(candles: CandleSeries, now: number): RollingStats | undefined {
  candles.extendTo(now);
  const from = minuteStart(now - DAY_MS) + MINUTE_MS;
  const summary = candles.aggregate(from, minuteStart(now) + MINUTE_MS);
  if (!summary) return undefined;
  return {
    openTime: summary.openTime,
    closeTime: now,
    open: summary.open,
    high: summary.high,
    low: summary.low,
    volume: summary.volume,
    quoteVolume: summary.quoteVolume,
    trades: summary.trades,
    previousClose: candles.closeBefore(summary.openTime) ?? summary.open,
  };
}
