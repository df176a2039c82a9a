import type { Decimal } from './decimal';

/**
 * A tradable pair and its trading rules. Field names follow the filters every spot venue has
 * (price tick, lot step, minimum notional); a dialect prints them in its own format.
 */
export interface Instrument {
  /** Venue symbol without separator, e.g. BTCUSDT. */
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly tickSize: Decimal;
  readonly minPrice: Decimal;
  readonly maxPrice: Decimal;
  readonly stepSize: Decimal;
  readonly minQty: Decimal;
  readonly maxQty: Decimal;
  /** Market orders have their own (looser) quantity limits, as on Binance's MARKET_LOT_SIZE. */
  readonly marketMinQty: Decimal;
  readonly marketMaxQty: Decimal;
  readonly marketStepSize: Decimal;
  readonly minNotional: Decimal;
  readonly maxNotional: Decimal;
  readonly applyMinToMarket: boolean;
  readonly applyMaxToMarket: boolean;
  /** Decimal places the venue keeps for base and quote amounts. */
  readonly baseAssetPrecision: number;
  readonly quoteAssetPrecision: number;
}
