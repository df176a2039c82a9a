/**
 * The numbers every rule starts from, parsed once per order: quantity, signed quantity, mid, the
 * price the order is valued at and its notional. A buy is valued at its limit price (it pays at
 * most that), else its stop price, else the mid; so is a sell.
 */
import { Dec, toDecimalString } from '../decimal';
import type { OrderRequest } from '../order-request';
import type { RiskContext, RiskLimits } from './types';

export interface OrderFacts {
  order: OrderRequest;
  context: RiskContext;
  limits: RiskLimits;
  base: string;
  quote: string;
  quantity: Dec;
  /** +quantity for a buy, −quantity for a sell: what the order does to the position. */
  signed: Dec;
  mid?: Dec;
  /** The price the order is valued at, and where it came from (for messages). */
  price?: Dec;
  priceSource: 'limitPrice' | 'stopPrice' | 'mid';
  notional?: Dec;
  position?: Dec;
  nowMs: number;
}

export function orderFacts(order: OrderRequest, context: RiskContext, limits: RiskLimits): OrderFacts {
  const slash = order.symbol.indexOf('/');
  const quantity = new Dec(order.quantity);
  const mid = context.mid === undefined ? undefined : new Dec(context.mid);
  const priceSource =
    order.limitPrice !== undefined ? 'limitPrice' : order.stopPrice !== undefined ? 'stopPrice' : 'mid';
  const priceText = order.limitPrice ?? order.stopPrice;
  const price = priceText !== undefined ? new Dec(priceText) : mid;
  return {
    order,
    context,
    limits,
    base: order.symbol.slice(0, slash),
    quote: order.symbol.slice(slash + 1),
    quantity,
    signed: order.side === 'buy' ? quantity : quantity.negated(),
    ...(mid === undefined ? {} : { mid }),
    ...(price === undefined ? {} : { price, notional: quantity.times(price) }),
    priceSource,
    ...(context.position === undefined ? {} : { position: new Dec(context.position) }),
    nowMs: Date.parse(context.now),
  };
}

/** A decimal for a message: canonical, no exponent. */
export function show(value: Dec | string | number): string {
  return toDecimalString(value);
}

/** "2 × 60000 (limitPrice)" — how a notional was computed, for messages. */
export function valuation(f: OrderFacts): string {
  return f.price === undefined ? '' : ` (${show(f.quantity)} × ${show(f.price)} ${f.priceSource})`;
}
