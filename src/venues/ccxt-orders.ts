/**
 * ccxt's order and trade structures to Ordo's, and Ordo's orders to ccxt's arguments. ccxt hands
 * amounts back as JS numbers parsed from the venue's decimal strings; they are turned straight back
 * into decimal strings (shortest round-trip form), and all arithmetic happens on decimals.
 *
 * An answer that cannot be an order (no id, no amount, a status outside ccxt's set) is a garbled
 * answer: VenueError unknown_outcome BAD_RESPONSE, never a success.
 */
import type * as ccxt from 'ccxt';
import { cmp, toDecimalString } from '../domain/decimal';
import type { Fill } from '../domain/order-state';
import { VenueError } from './errors';
import type { NewVenueOrder, PublicTrade, VenueOrder, VenueOrderState } from './types';

const VENUE_STATES: ReadonlySet<string> = new Set(['open', 'closed', 'canceled', 'expired', 'rejected']);

/** Times in force that end the order at once: whatever is left then has expired. */
const IMMEDIATE: ReadonlySet<string> = new Set(['IOC', 'FOK']);

export function num(value: string): number {
  return Number(value);
}

export function decimalOrUndefined(value: number | string | undefined | null): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : toDecimalString(String(value));
}

export function iso(ms: number | undefined | null): string | undefined {
  return ms === undefined || ms === null ? undefined : new Date(ms).toISOString();
}

type OrderShape = Pick<NewVenueOrder, 'type' | 'timeInForce' | 'postOnly' | 'limitPrice' | 'stopPrice'>;

/**
 * ccxt's createOrder/editOrder arguments for an order. A market order never carries a price: ccxt
 * binance would turn a price on a market buy into a quote-amount order (ccxt.bybit likewise sends
 * it as marketUnit quoteCoin). A post-only order rests by definition and venues refuse a time in
 * force beside it (Binance's LIMIT_MAKER answers -1106).
 */
export function ccxtOrderArguments(order: OrderShape): {
  type: 'market' | 'limit';
  price: number | undefined;
  params: Record<string, unknown>;
} {
  const type = order.type === 'market' || order.type === 'stop' ? 'market' : 'limit';
  const params: Record<string, unknown> = order.postOnly
    ? { postOnly: true }
    : type === 'market'
      ? {}
      : { timeInForce: order.timeInForce };
  if (order.stopPrice !== undefined) params['triggerPrice'] = num(order.stopPrice);
  const price = type === 'limit' && order.limitPrice !== undefined ? num(order.limitPrice) : undefined;
  return { type, price, params };
}

export function badResponse(venue: string, what: string): VenueError {
  return new VenueError('unknown_outcome', 'BAD_RESPONSE', `${venue}: ${what}`, undefined, 'BadResponse');
}

/** The venue's id in an order answer; a garbled answer has none. */
export function orderIdOf(o: ccxt.Order, venue: string): string {
  const id = (o as { id?: unknown }).id;
  if ((typeof id !== 'string' && typeof id !== 'number') || String(id) === '') {
    throw badResponse(venue, 'order answer without an order id');
  }
  return String(id);
}

/**
 * ccxt's unified status, read as Ordo needs it. ccxt says `closed` for an order that ended with
 * less than its amount filled where the venue has a word for it (ccxt.bybit: Bybit's
 * PartiallyFilledCanceled, ccxt issue 18685): that order did not fill. And an immediate order (IOC,
 * FOK, or a market order Bybit runs as IOC) that ended short expired by its time in force, as
 * Binance reports it, whatever word the venue uses.
 */
function stateOf(o: ccxt.Order, quantity: string, filled: string, venue: string): VenueOrderState {
  const status = (o as { status?: unknown }).status;
  if (typeof status !== 'string' || !VENUE_STATES.has(status)) {
    throw badResponse(venue, `order ${String(o.id)} has status "${String(status)}", not one of ccxt's`);
  }
  const short = cmp(filled, quantity) < 0;
  const endedShort = status === 'canceled' || (status === 'closed' && short);
  if (endedShort && IMMEDIATE.has(String(o.timeInForce ?? '').toUpperCase())) return 'expired';
  if (status === 'closed' && short) return 'canceled';
  return status as VenueOrderState;
}

export function toVenueOrder(o: ccxt.Order, symbol: string, venue: string): VenueOrder {
  const venueOrderId = orderIdOf(o, venue);
  const quantity = decimalOrUndefined(o.amount);
  if (quantity === undefined) throw badResponse(venue, `order ${venueOrderId} answer without an amount`);
  const filledQuantity = decimalOrUndefined(o.filled) ?? '0';
  const order: VenueOrder = {
    venueOrderId,
    symbol: o.symbol ?? symbol,
    side: o.side === 'sell' ? 'sell' : 'buy',
    state: stateOf(o, quantity, filledQuantity, venue),
    quantity,
    filledQuantity,
    // Trades inside an order answer (Binance FULL) carry no time of their own: the order's is theirs.
    fills: (o.trades ?? [])
      .filter((t) => t.id !== undefined)
      .map((t) => toFill(t, venueOrderId, o.lastTradeTimestamp ?? o.timestamp)),
  };
  const optional = {
    clientOrderId: o.clientOrderId,
    limitPrice: decimalOrUndefined(o.price),
    averagePrice: decimalOrUndefined(o.average),
    createdAt: iso(o.timestamp),
    updatedAt: iso(o.lastUpdateTimestamp ?? o.timestamp),
  };
  for (const [key, value] of Object.entries(optional))
    if (value !== undefined) Object.assign(order, { [key]: value });
  return order;
}

export function toFill(t: ccxt.Trade, venueOrderId?: string, fallbackTimestamp?: number): Fill {
  const fill: Fill = {
    tradeId: String(t.id),
    quantity: decimalOrUndefined(t.amount) ?? '0',
    price: decimalOrUndefined(t.price) ?? '0',
    fee: decimalOrUndefined(t.fee?.cost) ?? '0',
    feeCurrency: t.fee?.currency ?? '',
    timestamp: iso(t.timestamp ?? fallbackTimestamp) ?? new Date().toISOString(),
  };
  const orderId = t.order ?? venueOrderId;
  return orderId === undefined ? fill : { ...fill, venueOrderId: String(orderId) };
}

/** A public trade; one without id, time, price or amount is a garbled answer. */
export function toPublicTrade(t: ccxt.Trade, venue: string): PublicTrade {
  const price = decimalOrUndefined(t.price);
  const quantity = decimalOrUndefined(t.amount);
  const timestamp = typeof t.timestamp === 'number' ? iso(t.timestamp) : undefined;
  if (t.id === undefined || t.id === '' || price === undefined || quantity === undefined || !timestamp) {
    throw badResponse(venue, `public trade without id, time, price or amount: ${String(t.id)}`);
  }
  const trade: PublicTrade = { tradeId: String(t.id), price, quantity, timestamp };
  return t.side === 'buy' || t.side === 'sell' ? { ...trade, side: t.side } : trade;
}
