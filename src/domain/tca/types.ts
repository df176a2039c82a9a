/**
 * Inputs and results of transaction cost analysis (TCA). Everything is a decimal string in the
 * quote currency of the order's symbol (money) or in basis points rounded to BPS_DECIMALS places;
 * times are ISO-8601 and latencies whole milliseconds. Sign convention everywhere: positive = a
 * cost to the order's owner, negative = a gain (price improvement, a rebate), for buys and sells.
 */

export type TcaSide = 'buy' | 'sell';

export interface TcaFill {
  quantity: string;
  price: string;
  /** Paid: positive; a maker rebate: negative. */
  fee: string;
  /** The quote currency, the base currency, or another asset (priced through `feePrices`). */
  feeCurrency: string;
  /** ISO-8601, from the venue. */
  timestamp: string;
  /** The market's mid when this fill happened, for the effective spread; else the arrival mid. */
  mid?: string;
}

export interface TcaOrderInput {
  orderId?: string;
  /** ccxt unified symbol ("BTC/USDT"): names the base and quote currencies. */
  symbol: string;
  side: TcaSide;
  venue?: string;
  strategyId?: string;
  /** The requested quantity, in the base currency. */
  quantity: string;
  /** The price when the decision to trade was made, if the strategy gave one. */
  decisionPrice?: string;
  /** The market's mid when Ordo received the order. */
  arrivalMid: string;
  /** When Ordo received the order (ISO-8601). */
  requestedAt: string;
  /** The price the unfilled rest is marked at (end of the horizon); required when some is unfilled. */
  endPrice?: string;
  /** The market's VWAP over the order's interval, computed elsewhere (see `marketVwap`). */
  marketVwap?: string;
  fills: readonly TcaFill[];
  /** Price in the quote currency of one unit of each other fee currency (e.g. { BNB: "600" }). */
  feePrices?: Readonly<Record<string, string>>;
}

/** A parent order's own request; its children's fills are analysed against it. */
export type TcaParentInput = Omit<TcaOrderInput, 'fills'>;

export interface TcaChild {
  venue?: string;
  fills: readonly TcaFill[];
}

/** The implementation shortfall components (Perold); `total` is their sum, exactly. */
export interface ShortfallComponents {
  delay: string;
  trading: string;
  opportunity: string;
  fees: string;
  total: string;
}

export interface Shortfall {
  /** In the quote currency. */
  quote: ShortfallComponents;
  /** Each component over the paper notional, in bps; `total` is the sum of the rounded components. */
  bps: ShortfallComponents;
}

/** A cost over the notional it is measured against: bps = quote / notional × 10⁴. */
export interface Measure {
  quote: string;
  notional: string;
  bps: string;
}

export interface FeeAmount {
  currency: string;
  amount: string;
}

export interface TcaOrderResult {
  orderId?: string;
  symbol: string;
  side: TcaSide;
  venue?: string;
  strategyId?: string;
  quoteCurrency: string;
  requestedAt: string;
  requestedQuantity: string;
  filledQuantity: string;
  unfilledQuantity: string;
  /** filled / requested, rounded to RATE_DECIMALS places. */
  fillRate: string;
  averagePrice?: string;
  arrivalPrice: string;
  decisionPrice?: string;
  /** The paper portfolio's price: the decision price, or the arrival mid without one. */
  benchmarkPrice: string;
  endPrice?: string;
  /** requested quantity × benchmark price. */
  paperNotional: string;
  shortfall: Shortfall;
  /** Fees in a currency with no price given: not in `shortfall.fees`, reported here instead. */
  unconvertedFees: FeeAmount[];
  /** Execution against the arrival mid, per filled notional (X·arrival): venue slippage. */
  slippage?: Measure;
  marketVwap?: string;
  /** Execution against the market's interval VWAP, per X·VWAP. */
  vwapPerformance?: Measure;
  effectiveSpread?: Measure & { reference: 'fill-mid' | 'arrival-mid' | 'mixed' };
  firstFillAt?: string;
  /** First fill's venue timestamp − requestedAt; negative values show clock skew, kept as is. */
  latencyMs?: number;
}

export interface LatencyStats {
  count: number;
  p50?: number;
  p90?: number;
}

/** Many orders' results combined: amounts summed, then divided (notional-weighted averages). */
export interface TcaAggregate {
  orders: number;
  filledOrders: number;
  quoteCurrency: string;
  /** Σ paper notional. */
  requestedNotional: string;
  /** Σ filled notional at the benchmark prices / Σ paper notional. */
  fillRate: string;
  shortfall: Shortfall;
  slippage?: Measure;
  vwapPerformance?: Measure;
  effectiveSpread?: Measure;
  latencyMs: LatencyStats;
  unconvertedFees: FeeAmount[];
}

export interface StrategyDaySummary extends TcaAggregate {
  /** UTC date of requestedAt, YYYY-MM-DD. */
  day: string;
  strategyId?: string;
}

export interface VenueSummary extends TcaAggregate {
  venue?: string;
}

export class TcaError extends Error {
  constructor(
    readonly code:
      | 'INVALID_TCA_INPUT'
      | 'MISSING_END_PRICE'
      | 'OVERFILLED'
      | 'MIXED_QUOTE_CURRENCIES'
      | 'INVALID_DATE'
      | 'INVALID_LIMIT'
      | 'TOO_MANY_ORDERS',
    message: string = code,
  ) {
    super(message);
    this.name = 'TcaError';
  }
}
