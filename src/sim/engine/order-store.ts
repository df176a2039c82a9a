import { isOpen } from './order-status';
import type { Fill, Order } from './types';

export type OrderRef = { orderId: number } | { clientOrderId: string };

export interface FillQuery {
  symbol: string;
  orderId?: number;
  startTime?: number;
  endTime?: number;
  fromId?: number;
  limit?: number;
}

/**
 * Where orders and fills are kept and found. User orders are kept for good (a test may ask about
 * any of them); the simulator's internal orders are dropped once finished so a long-running
 * simulator's memory stays flat.
 */
export class OrderStore {
  private readonly orders = new Map<number, Order>();
  private readonly userOrders = new Map<string, Order[]>();
  /** Latest order per (account, client order id): what a lookup by client id returns. */
  private readonly latestByClientId = new Map<string, Order>();
  private readonly fillsByAccount = new Map<string, Fill[]>();

  add(order: Order): void {
    this.orders.set(order.orderId, order);
    if (order.internal) return;
    listFor(this.userOrders, order.accountId).push(order);
    this.latestByClientId.set(clientKey(order.accountId, order.clientOrderId), order);
  }

  /** Called when an order reaches a terminal status. */
  finished(order: Order): void {
    if (order.internal) this.orders.delete(order.orderId);
  }

  find(accountId: string, symbol: string, ref: OrderRef): Order | undefined {
    const order =
      'orderId' in ref
        ? this.orders.get(ref.orderId)
        : this.latestByClientId.get(clientKey(accountId, ref.clientOrderId));
    if (!order || order.accountId !== accountId || order.symbol !== symbol) return undefined;
    return order;
  }

  /** An open order of this account already using this client order id, if any. */
  openWithClientId(accountId: string, clientOrderId: string): Order | undefined {
    const order = this.latestByClientId.get(clientKey(accountId, clientOrderId));
    return order && isOpen(order) ? order : undefined;
  }

  ordersOf(accountId: string, symbol?: string): Order[] {
    const all = this.userOrders.get(accountId) ?? [];
    return symbol === undefined ? [...all] : all.filter((order) => order.symbol === symbol);
  }

  openOrdersOf(accountId: string, symbol?: string): Order[] {
    return this.ordersOf(accountId, symbol).filter(isOpen);
  }

  addFill(fill: Fill): void {
    listFor(this.fillsByAccount, fill.accountId).push(fill);
  }

  fillsOf(accountId: string, query: FillQuery): Fill[] {
    const matching = (this.fillsByAccount.get(accountId) ?? []).filter(
      (fill) =>
        fill.symbol === query.symbol &&
        (query.orderId === undefined || fill.orderId === query.orderId) &&
        (query.startTime === undefined || fill.time >= query.startTime) &&
        (query.endTime === undefined || fill.time <= query.endTime) &&
        (query.fromId === undefined || fill.tradeId >= query.fromId),
    );
    // Without a lower bound the newest trades are the interesting ones, as on Binance.
    const limit = query.limit ?? matching.length;
    const fromStart = query.fromId !== undefined || query.startTime !== undefined;
    return fromStart ? matching.slice(0, limit) : matching.slice(Math.max(0, matching.length - limit));
  }
}

function clientKey(accountId: string, clientOrderId: string): string {
  return `${accountId}\u0000${clientOrderId}`;
}

function listFor<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
}
