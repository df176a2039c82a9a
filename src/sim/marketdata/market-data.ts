import type { Decimal } from '../engine/decimal';
import type { Clock, Exchange } from '../engine/exchange';
import { CandleSeries, type Candle } from './candles';
import { rollingDayStats, type RollingStats } from './rolling-stats';

/** Candles for every symbol, kept current from the exchange's public trades. */
export class MarketData {
  private readonly series = new Map<string, CandleSeries>();

  constructor(
    exchange: Exchange,
    histories: ReadonlyMap<string, Candle[]>,
    openingPrices: ReadonlyMap<string, Decimal>,
    private readonly clock: Clock,
  ) {
    for (const instrument of exchange.instruments()) {
      const openingPrice = openingPrices.get(instrument.symbol);
      if (!openingPrice) throw new Error(`no opening price for ${instrument.symbol}`);
      const history = histories.get(instrument.symbol) ?? [];
      this.series.set(instrument.symbol, new CandleSeries(history, openingPrice, clock()));
    }
    exchange.on('trade', (trade) => this.series.get(trade.symbol)?.addTrade(trade));
  }

  candles(symbol: string): CandleSeries {
    const series = this.series.get(symbol);
    if (!series) throw new Error(`no candles for ${symbol}`);
    return series;
  }

  dayStats(symbol: string): RollingStats | undefined {
    return rollingDayStats(this.candles(symbol), this.clock());
  }
}
