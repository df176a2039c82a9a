/**
 * The shapes pre-trade risk works on: the limits that apply to one order (resolved from
 * configuration) and the context an activity gathered for it. Pure data, JSON-safe (decimals as
 * strings, times as ISO-8601), so both can travel through workflow histories.
 */

/** Reason codes of the risk rules, in the order checkRisk reports them. */
export const RISK_CODES = [
  'MAX_ORDER_QUANTITY',
  'MAX_NOTIONAL',
  'PRICE_COLLAR',
  'POSITION_LIMIT',
  'GROSS_EXPOSURE',
  'NET_EXPOSURE',
  'DAILY_ORDER_COUNT',
  'DAILY_NOTIONAL',
  'OPEN_ORDER_LIMIT',
  'DUPLICATE_ORDER',
  'STALE_SIGNAL',
  'REDUCE_ONLY',
  'INSUFFICIENT_BALANCE',
] as const;
export type RiskCode = (typeof RISK_CODES)[number];

/**
 * The limits one order meets. Every limit is optional: absent means not checked. Quantities are in
 * the base asset, notionals and exposures in the quote currency (decimal strings).
 */
export interface RiskLimits {
  /** Largest quantity of one order. */
  maxOrderQuantity?: string;
  /** Largest notional of one order (quantity × limit, stop or mid price). */
  maxOrderNotional?: string;
  /** Furthest a limit or stop price may be from the current mid, in basis points (fat finger). */
  priceCollarBps?: number;
  /** Largest absolute position per symbol and venue, counting working orders on the order's side. */
  maxPosition?: string;
  /** Largest Σ|position × mid| over the venue's symbols (same quote currency), after the order. */
  maxGrossExposure?: string;
  /** Largest |Σ position × mid| over the venue's symbols (same quote currency), after the order. */
  maxNetExposure?: string;
  /** Orders per strategy per UTC day, this one included. */
  maxDailyOrders?: number;
  /** Notional per strategy per UTC day, this order included. */
  maxDailyNotional?: string;
  /** Orders working on the order's symbol at its venue, this one included. */
  maxOpenOrders?: number;
  /** Same strategy, symbol, side and quantity within this many ms is a duplicate signal. */
  duplicateWindowMs?: number;
  /** An order whose decisionTime is older than this many ms is a stale signal. */
  signalTtlMs?: number;
  /** Refuse an order the free balance cannot pay for (quote for buys, base for sells). */
  checkBalance?: boolean;
}

/** An override: a value replaces the inherited one, null removes it (not checked), absent inherits. */
export type RiskLimitsOverride = { [K in keyof RiskLimits]?: RiskLimits[K] | null };

/** The `risk` block of worker configuration, durations already in ms. */
export interface RiskSettings {
  /** False: no risk check at all (reduce-only included). */
  enabled: boolean;
  defaults: RiskLimits;
  /** By unified symbol ("BTC/USDT"); applied over the defaults. */
  symbols: Record<string, RiskLimitsOverride>;
  /** By strategy id; applied over the symbol's limits (a strategy's word is final). */
  strategies: Record<string, RiskLimitsOverride>;
}

/** An earlier order with its signal hash, for the duplicate window. */
export interface RecentOrder {
  orderId: string;
  fingerprint: string;
  /** When it passed its risk check (ISO-8601). */
  at: string;
}

/**
 * What the world looked like for one order. Each field is gathered only when a limit needs it;
 * a limit whose data is absent refuses the order (fail closed), except the lists and working
 * quantities, where absent means none.
 */
export interface RiskContext {
  /** When the context was gathered (ISO-8601): "now" for the duplicate window and stale signals. */
  now: string;
  /** Mid of the order's symbol at its venue; absent when a side of the book is empty. */
  mid?: string;
  /** Signed base-asset position of the order's symbol at its venue (negative: short). */
  position?: string;
  /** Remaining quantities of orders working on the symbol at the venue, per side. */
  workingBuy?: string;
  workingSell?: string;
  /** Orders working on the symbol at the venue. */
  openOrders?: number;
  /** Signed quote-currency value at mid of every other symbol's position at the venue. */
  exposures?: Record<string, string>;
  /** The order's strategy today (UTC), before this order. */
  dayStats?: { orders: number; notional: string };
  /** Earlier orders with the same signal hash (older ones may be left out). */
  recentOrders?: RecentOrder[];
  /** Free balance by currency at the venue. */
  balances?: Record<string, string>;
}
