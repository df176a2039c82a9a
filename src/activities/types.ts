/**
 * The activity interface the order workflow calls. Workflows import these types only, never the
 * implementations (which do I/O).
 */
import type { MarketRules } from '../domain/market-rules';
import type { Fill } from '../domain/order-state';
import type { ClientOrderIdRuleName } from '../domain/client-order-id-rules';
import type { Candle, NewVenueOrder, OrderRef, VenueOrder } from '../venues/types';

export interface PrepareOrderInput {
  venue: string;
  symbol: string;
}

export interface PreparedOrder {
  rules: MarketRules;
  /** Mid price now, for the notional of orders without a limit price. */
  referencePrice?: string;
  clientOrderIdRules: ClientOrderIdRuleName;
  /** When DAY orders placed now expire (ISO-8601): the venue's configured session close. */
  dayCloseAt: string;
}

export interface SubmitOrderInput {
  venue: string;
  order: NewVenueOrder;
  /** Look the order up by client order id before sending (a resend after dead letter). */
  lookUpFirst?: boolean;
}

export interface LookUpOrderInput {
  venue: string;
  ref: OrderRef;
}

export interface FollowOrderInput {
  venue: string;
  ref: OrderRef & { venueOrderId: string };
  /** What the workflow knows; the activity returns as soon as the venue says something else. */
  known: { state: VenueOrder['state']; filledQuantity: string };
  /** Return after this long even if nothing changed (keeps each activity bounded). */
  maxWaitMs: number;
}

/** The order as the venue sees it, with every fill of it (so far). */
export interface OrderSnapshot {
  order: VenueOrder;
  fills: Fill[];
}

export interface CancelOrderInput {
  venue: string;
  ref: OrderRef & { venueOrderId: string };
}

/**
 * Replace one venue order by another: the activity cancels it, reads what it finally filled, and
 * sends the replacement for exactly what remains (so a fill racing the amend cannot over-fill).
 */
export interface AmendOrderInput {
  venue: string;
  /** The venue order being replaced. */
  replace: OrderRef & { venueOrderId: string };
  /** The replacement, except its quantity: computed from the venue's final word on `replace`. */
  replacement: Omit<NewVenueOrder, 'quantity'>;
  /** The order's new total quantity, across every venue order it was made of. */
  totalQuantity: string;
  /** What filled on venue orders replaced before `replace`. */
  filledBefore: string;
}

export type AmendOrderResult =
  | { replaced: true; previous: OrderSnapshot; replacement: OrderSnapshot }
  | { replaced: false; reason: string; message: string; current: OrderSnapshot };

/** One venue as one worker sees it: its circuit breaker and recent error rate. */
export interface VenueReport {
  venue: string;
  worker: string;
  mode: 'closed' | 'open' | 'half_open';
  failuresInWindow: number;
  callsInWindow: number;
  errorRate: number;
  msUntilProbe: number;
  lastError?: string;
}

export interface OrderActivities {
  describeVenues(): Promise<VenueReport[]>;
  prepareOrder(input: PrepareOrderInput): Promise<PreparedOrder>;
  submitOrder(input: SubmitOrderInput): Promise<OrderSnapshot>;
  /** The order as the venue has it, by venue or client order id; null when it does not know it. */
  lookUpOrder(input: LookUpOrderInput): Promise<OrderSnapshot | null>;
  followOrder(input: FollowOrderInput): Promise<OrderSnapshot>;
  cancelOrder(input: CancelOrderInput): Promise<OrderSnapshot>;
  amendOrder(input: AmendOrderInput): Promise<AmendOrderResult>;
}

// ---------------------------------------------------------------------------------------------
// Market data for parent-order algorithms (TWAP, VWAP, POV, IS, iceberg, smart routing).

/** Top of a venue's book now. */
export interface MarketQuote {
  venue: string;
  symbol: string;
  bid?: string;
  ask?: string;
  /** (bid + ask) / 2, exact (not rounded to the tick); only when both sides are quoted. */
  mid?: string;
  /** The last traded price (the close of the current one-minute candle). */
  last?: string;
  /** ISO-8601: the book's time if the venue gives one, else when it was read. */
  at: string;
}

/** Public traded volume of a window, from the venue's trade list. */
export interface MarketVolume {
  venue: string;
  symbol: string;
  /** The window [from, to), ISO-8601. */
  from: string;
  to: string;
  /** Base-asset quantity traded by everyone in the window. */
  volume: string;
  /** How many trades the venue listed (Binance lists aggregate trades: one per taker order and price). */
  trades: number;
  /** Volume-weighted average price; absent when nothing traded. */
  vwap?: string;
}

/** One venue as smart routing sees it for one symbol and side. */
export interface RouteVenueQuote {
  venue: string;
  priority: number;
  costBps: number;
  costPerUnit: string;
  maxOrderSize?: string;
  rules: MarketRules;
  /** The side a taker of `side` would hit, best first. */
  levels: { price: string; quantity: string }[];
}

export interface MarketActivities {
  marketQuote(input: { venue: string; symbol: string }): Promise<MarketQuote>;
  /** Public traded volume in [since, until) (until default now), from the venue's trades. */
  marketVolume(input: {
    venue: string;
    symbol: string;
    since: string;
    until?: string;
  }): Promise<MarketVolume>;
  /** Candles covering [since, until), paginated, oldest first. */
  candles(input: {
    venue: string;
    symbol: string;
    timeframe: string;
    since: string;
    until?: string;
  }): Promise<Candle[]>;
  /**
   * For smart routing: each venue's book side, costs and market rules. venues omitted → every
   * configured venue with routing enabled. A venue that fails is left out (and logged), unless all
   * fail.
   */
  routeQuotes(input: {
    venues?: string[];
    symbol: string;
    side: 'buy' | 'sell';
    depth?: number;
  }): Promise<RouteVenueQuote[]>;
}
