/**
 * The one interface every venue implements (ccxt-backed exchanges, the paper venue). No Temporal
 * imports here: activities wrap these calls. All quantities and prices are decimal strings.
 */
import type { MarketRules } from '../domain/market-rules';
import type { Fill } from '../domain/order-state';
import type { OrderType, Side } from '../domain/order-request';

/** What a venue says an order's state is (ccxt's unified order status). */
export type VenueOrderState = 'open' | 'closed' | 'canceled' | 'expired' | 'rejected';

export interface VenueOrder {
  venueOrderId: string;
  clientOrderId?: string;
  symbol: string;
  side: Side;
  state: VenueOrderState;
  quantity: string;
  filledQuantity: string;
  limitPrice?: string;
  averagePrice?: string;
  /** Trades the venue reported with the order itself (may be empty; fetch them separately). */
  fills: Fill[];
  /** ISO-8601: when the venue accepted it, when it says. */
  createdAt?: string;
  updatedAt?: string;
}

export interface NewVenueOrder {
  clientOrderId: string;
  symbol: string;
  side: Side;
  type: OrderType;
  quantity: string;
  limitPrice?: string;
  stopPrice?: string;
  /** Venue-side time in force; DAY/GTD are kept by Ordo's own timers and sent as GTC. */
  timeInForce: 'GTC' | 'IOC' | 'FOK';
  postOnly?: boolean;
  /**
   * Epoch ms after which the order must not be sent (the caller's attempt deadline): a send that
   * was delayed past it could race a retry that already sent the same order.
   */
  sendBy?: number;
}

export interface OrderRef {
  symbol: string;
  venueOrderId?: string;
  clientOrderId?: string;
}

export interface Amendment {
  /** The order being replaced (must be known by venue id). */
  order: OrderRef & { venueOrderId: string };
  side: Side;
  type: OrderType;
  /** Client order id for the replacement order. */
  newClientOrderId: string;
  /** Quantity of the replacement order (what remains to trade). */
  quantity: string;
  limitPrice?: string;
  stopPrice?: string;
  timeInForce: 'GTC' | 'IOC' | 'FOK';
  postOnly?: boolean;
}

export interface Balance {
  free: string;
  used: string;
  total: string;
}

export interface OrderBookLevel {
  price: string;
  quantity: string;
}

export interface OrderBook {
  symbol: string;
  bids: OrderBookLevel[];
  asks: OrderBookLevel[];
  timestamp?: string;
}

export interface Candle {
  openTime: string;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

/** One public trade of the market (any participant's), as the venue lists it. */
export interface PublicTrade {
  tradeId: string;
  price: string;
  quantity: string;
  /** ISO-8601. */
  timestamp: string;
  /** The taker's side, when the venue says. */
  side?: 'buy' | 'sell';
}

export interface Venue {
  readonly name: string;
  marketRules(symbol: string): Promise<MarketRules>;
  submitOrder(order: NewVenueOrder): Promise<VenueOrder>;
  cancelOrder(ref: OrderRef & { venueOrderId: string }): Promise<VenueOrder>;
  /** Cancel/replace (in place where the venue can); returns the replacement order. */
  amendOrder(amendment: Amendment): Promise<VenueOrder>;
  /** By venue id or client order id; undefined when the venue does not know the order. */
  fetchOrder(ref: OrderRef): Promise<VenueOrder | undefined>;
  fetchOpenOrders(symbol?: string): Promise<VenueOrder[]>;
  fetchOrderFills(ref: OrderRef & { venueOrderId: string }): Promise<Fill[]>;
  fetchFillsSince(symbol: string, since: Date): Promise<Fill[]>;
  fetchBalances(): Promise<Record<string, Balance>>;
  fetchOrderBook(symbol: string, depth?: number): Promise<OrderBook>;
  /** One request: up to `limit` candles opening at or after `since` and before `until`. */
  fetchCandles(
    symbol: string,
    timeframe: string,
    since?: Date,
    limit?: number,
    until?: Date,
  ): Promise<Candle[]>;
  /**
   * Public trades (every participant's) in [since, until) (until: now), oldest first, complete:
   * as many requests as the window needs. A venue that cannot list the whole window fails
   * (typed, final) rather than answer part of it.
   */
  fetchTrades(symbol: string, since: Date, until?: Date): Promise<PublicTrade[]>;
  close(): Promise<void>;
}
