import { maxOf, minOf, ZERO, type Decimal } from '../engine/decimal';
import type { PublicTrade } from '../engine/types';
import { MINUTE_MS, minuteStart, type Interval } from './intervals';

export interface Candle {
  openTime: number;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
  volume: Decimal;
  quoteVolume: Decimal;
  trades: number;
  takerBuyBaseVolume: Decimal;
  takerBuyQuoteVolume: Decimal;
}

export interface CandleQuery {
  startTime?: number;
  endTime?: number;
  limit: number;
}

/**
 * One symbol's one-minute candles, contiguous from the oldest (synthetic) history minute to now.
 * Quiet minutes get a flat candle at the previous close, as on Binance. Longer intervals are
 * aggregated on request; contiguity makes finding a minute an index computation.
 */
export class CandleSeries {
  private readonly candles: Candle[];

  constructor(history: Candle[], openingPrice: Decimal, now: number) {
    this.candles = history.length > 0 ? history : [flatCandle(minuteStart(now), openingPrice)];
    this.extendTo(now);
  }

  addTrade(trade: PublicTrade): void {
    this.extendTo(trade.time);
    const candle = this.candles[this.candles.length - 1] as Candle;
    if (candle.trades === 0 && candle.volume.isZero()) {
      candle.open = trade.price;
      candle.high = trade.price;
      candle.low = trade.price;
    }
    candle.high = maxOf(candle.high, trade.price);
    candle.low = minOf(candle.low, trade.price);
    candle.close = trade.price;
    candle.volume = candle.volume.plus(trade.qty);
    candle.quoteVolume = candle.quoteVolume.plus(trade.quoteQty);
    candle.trades += 1;
    if (!trade.isBuyerMaker) {
      candle.takerBuyBaseVolume = candle.takerBuyBaseVolume.plus(trade.qty);
      candle.takerBuyQuoteVolume = candle.takerBuyQuoteVolume.plus(trade.quoteQty);
    }
  }

  /** Appends flat candles so the series reaches the minute containing `time`. */
  extendTo(time: number): void {
    const target = minuteStart(time);
    let last = this.candles[this.candles.length - 1] as Candle;
    while (last.openTime < target) {
      last = flatCandle(last.openTime + MINUTE_MS, last.close);
      this.candles.push(last);
    }
  }

  /** Candles of `interval`, Binance style: from startTime forward, else the latest up to endTime. */
  query(interval: Interval, query: CandleQuery, now: number): Candle[] {
    this.extendTo(now);
    const first = (this.candles[0] as Candle).openTime;
    const lastEnd = minuteStart(now);
    const end = Math.min(query.endTime ?? lastEnd, lastEnd);
    const result: Candle[] = [];
    if (query.startTime !== undefined) {
      let start = interval.bucketStart(Math.max(query.startTime, first));
      if (start < query.startTime) start = interval.nextStart(start);
      for (; start <= end && result.length < query.limit; start = interval.nextStart(start)) {
        const candle = this.aggregate(start, interval.nextStart(start));
        if (candle) result.push(candle);
      }
      return result;
    }
    for (
      let start = interval.bucketStart(end);
      result.length < query.limit;
      start = interval.bucketStart(start - 1)
    ) {
      const candle = this.aggregate(start, interval.nextStart(start));
      if (!candle) break;
      result.unshift(candle);
    }
    return result;
  }

  /** One candle summarising the minutes in [from, to), or undefined when none exist. */
  aggregate(from: number, to: number): Candle | undefined {
    const first = (this.candles[0] as Candle).openTime;
    const startIndex = Math.max(0, Math.ceil((from - first) / MINUTE_MS));
    const endIndex = Math.min(this.candles.length, Math.ceil((to - first) / MINUTE_MS));
    if (startIndex >= endIndex) return undefined;
    const opening = this.candles[startIndex] as Candle;
    const summary: Candle = { ...opening, openTime: from };
    for (let index = startIndex + 1; index < endIndex; index++) {
      const candle = this.candles[index] as Candle;
      summary.high = maxOf(summary.high, candle.high);
      summary.low = minOf(summary.low, candle.low);
      summary.close = candle.close;
      summary.volume = summary.volume.plus(candle.volume);
      summary.quoteVolume = summary.quoteVolume.plus(candle.quoteVolume);
      summary.trades += candle.trades;
      summary.takerBuyBaseVolume = summary.takerBuyBaseVolume.plus(candle.takerBuyBaseVolume);
      summary.takerBuyQuoteVolume = summary.takerBuyQuoteVolume.plus(candle.takerBuyQuoteVolume);
    }
    return summary;
  }

  /** The close of the minute before the one containing `time`. */
  closeBefore(time: number): Decimal | undefined {
    const first = (this.candles[0] as Candle).openTime;
    const index = Math.floor((time - first) / MINUTE_MS) - 1;
    return index >= 0 ? this.candles[Math.min(index, this.candles.length - 1)]?.close : undefined;
  }
}

export function flatCandle(openTime: number, price: Decimal): Candle {
  return {
    openTime,
    open: price,
    high: price,
    low: price,
    close: price,
    volume: ZERO,
    quoteVolume: ZERO,
    trades: 0,
    takerBuyBaseVolume: ZERO,
    takerBuyQuoteVolume: ZERO,
  };
}
