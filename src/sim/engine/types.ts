import type { OrderStatus } from '../../domain/status';
import type { Decimal } from './decimal';

/**
 * The exchange core's vocabulary. It is venue-neutral on purpose: the Binance dialect (and later
 * a Bybit one) translate their wire formats into these types. The order statuses are kept in the
 * Binance spelling because they are the richest set and map one-to-one to the domain statuses.
 */
export type Side = 'BUY' | 'SELL';

export const ORDER_TYPES = [
  'LIMIT',
  'MARKET',
  'LIMIT_MAKER',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export const TIME_IN_FORCE = ['GTC', 'IOC', 'FOK'] as const;
export type TimeInForce = (typeof TIME_IN_FORCE)[number];

export const SELF_TRADE_PREVENTION_MODES = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'] as const;
export type SelfTradePreventionMode = (typeof SELF_TRADE_PREVENTION_MODES)[number];

export type VenueOrderStatus =
  'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'EXPIRED_IN_MATCH' | 'REJECTED';

/** A conditional order waits for the last trade price to cross its stop before it works. */
export function isConditionalType(type: OrderType): boolean {
  return (
    type === 'STOP_LOSS' ||
    type === 'STOP_LOSS_LIMIT' ||
    type === 'TAKE_PROFIT' ||
    type === 'TAKE_PROFIT_LIMIT'
  );
}

/** Order types that execute like a market order once working. */
export function isMarketLikeType(type: OrderType): boolean {
  return type === 'MARKET' || type === 'STOP_LOSS' || type === 'TAKE_PROFIT';
}

export function oppositeSide(side: Side): Side {
  return side === 'BUY' ? 'SELL' : 'BUY';
}

/** What a client asks for; already parsed from the wire format by a dialect. */
export interface NewOrderRequest {
  accountId: string;
  symbol: string;
  side: Side;
  type: OrderType;
  timeInForce?: TimeInForce;
  /** Base quantity; absent only for market orders sized by `quoteOrderQty`. */
  quantity?: Decimal;
  /** Quote amount to spend (buy) or receive (sell) for market orders. */
  quoteOrderQty?: Decimal;
  price?: Decimal;
  stopPrice?: Decimal;
  clientOrderId: string;
  selfTradePreventionMode?: SelfTradePreventionMode;
}

export interface Order {
  readonly orderId: number;
  readonly accountId: string;
  readonly symbol: string;
  readonly clientOrderId: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly timeInForce?: TimeInForce;
  readonly price?: Decimal;
  readonly stopPrice?: Decimal;
  /** Base quantity asked for. For quote-sized market orders it becomes the executed quantity. */
  origQty: Decimal;
  readonly origQuoteOrderQty: Decimal;
  executedQty: Decimal;
  cumulativeQuoteQty: Decimal;
  /** Venue status; undefined until the engine has accepted or rejected the order. */
  status?: VenueOrderStatus;
  /** The same status in the project's order state machine (starts at SUBMITTED). */
  domainStatus: OrderStatus;
  readonly time: number;
  updateTime: number;
  /** When the order started working on the book; -1 while a conditional order waits. */
  workingTime: number;
  isWorking: boolean;
  /** Funds reserved for the unfilled part of the order (asset and amount still held). */
  lockedAsset?: string;
  lockedAmount: Decimal;
  readonly selfTradePreventionMode: SelfTradePreventionMode;
  /** True for the simulator's own accounts (market maker, synthetic takers). */
  readonly internal: boolean;
}

/** One execution of one order, as its owner sees it. */
export interface Fill {
  tradeId: number;
  orderId: number;
  accountId: string;
  symbol: string;
  side: Side;
  price: Decimal;
  qty: Decimal;
  quoteQty: Decimal;
  commission: Decimal;
  commissionAsset: string;
  isMaker: boolean;
  time: number;
}

/** A trade as the public tape sees it. */
export interface PublicTrade {
  id: number;
  symbol: string;
  price: Decimal;
  qty: Decimal;
  quoteQty: Decimal;
  time: number;
  isBuyerMaker: boolean;
}

export function remainingQty(order: Order): Decimal {
  return order.origQty.minus(order.executedQty);
}
