import type { Decimal } from '../engine/decimal';
import type { Exchange } from '../engine/exchange';
import type { OrderRequestRecord } from '../engine/order-request-log';
import type { Order } from '../engine/types';

/**
 * One order as Bybit shows it. The engine cannot change an order in place, so an amend is a
 * cancel of the working engine order and a new one for the rest (amend.ts): a Bybit order is a
 * chain of engine orders ("legs"), the first of which gives it its orderId, the last of which is
 * the one working now. An order never amended is a chain of one.
 */
export interface BybitOrder {
  /** The first leg: its engine orderId is the Bybit orderId for the order's whole life. */
  readonly head: Order;
  /** The leg that is working now (or the last one, once the order is done). */
  readonly current: Order;
  /** Every leg, oldest first. */
  readonly legs: readonly Order[];
  /** The order quantity as Bybit reports it: the base quantity last asked for, filled part included. */
  readonly qty: Decimal | undefined;
}

interface Chain {
  legs: Order[];
  qty: Decimal;
}

/**
 * What the Bybit dialect remembers beyond the engine: amend chains, the /admin/orders record of
 * each order it placed, and the counter for generated orderLinkIds. Kept per Exchange instance
 * (a WeakMap below), so /admin/reset, which builds a new Exchange, clears it too.
 */
export class OrderChains {
  private readonly chainOfLeg = new Map<number, Chain>();
  private readonly records = new Map<number, OrderRequestRecord>();
  private lastGeneratedId = 0;

  /** Any engine order, seen as the Bybit order it belongs to. */
  resolve(order: Order): BybitOrder {
    const chain = this.chainOfLeg.get(order.orderId);
    if (!chain) return { head: order, current: order, legs: [order], qty: undefined };
    return {
      head: chain.legs[0] as Order,
      current: chain.legs[chain.legs.length - 1] as Order,
      legs: chain.legs,
      qty: chain.qty,
    };
  }

  /** False for a leg an amend replaced: it is part of its Bybit order, not an order of its own. */
  isVisible(order: Order): boolean {
    const chain = this.chainOfLeg.get(order.orderId);
    return chain === undefined || chain.legs[chain.legs.length - 1] === order;
  }

  /** Records that `next` replaced the current leg of `order`, now asking for `qty` in total. */
  amended(order: BybitOrder, next: Order, qty: Decimal): void {
    let chain = this.chainOfLeg.get(order.head.orderId);
    if (!chain) {
      chain = { legs: [order.head], qty };
      this.chainOfLeg.set(order.head.orderId, chain);
    }
    chain.legs.push(next);
    chain.qty = qty;
    this.chainOfLeg.set(next.orderId, chain);
    // /admin/orders reads the order of a record live: point it at the leg that is working now.
    const record = this.records.get(order.head.orderId);
    if (record) record.order = next;
  }

  /** Remembers the /admin/orders record of an order this dialect placed. */
  placed(order: Order, record: OrderRequestRecord | undefined): void {
    if (record) this.records.set(order.orderId, record);
  }

  /**
   * An orderLinkId for an order sent without one. Bybit spot generates numeric ones (milliseconds
   * and a sequence, 16 digits); these grow strictly, so two are never equal.
   */
  generateOrderLinkId(now: number): string {
    this.lastGeneratedId = Math.max(now * 1000, this.lastGeneratedId + 1);
    return String(this.lastGeneratedId);
  }
}

const chainsByExchange = new WeakMap<Exchange, OrderChains>();

export function orderChains(exchange: Exchange): OrderChains {
  let chains = chainsByExchange.get(exchange);
  if (!chains) {
    chains = new OrderChains();
    chainsByExchange.set(exchange, chains);
  }
  return chains;
}
