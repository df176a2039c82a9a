import type { OrderRef } from '../engine/order-store';
import type { Simulation } from '../simulation';
import { orderChains, type BybitOrder } from './order-chains';

/** How a request names one order: Bybit gives orderId priority over orderLinkId. */
export interface BybitOrderRef {
  orderId?: string;
  orderLinkId?: string;
}

/** The engine reference for a Bybit one; an orderId that is not a number names no order. */
function engineRef(ref: BybitOrderRef): OrderRef | undefined {
  if (ref.orderId !== undefined) {
    return /^\d{1,15}$/.test(ref.orderId) ? { orderId: Number(ref.orderId) } : undefined;
  }
  return ref.orderLinkId === undefined ? undefined : { clientOrderId: ref.orderLinkId };
}

/** The account's order on `symbol` (every listed symbol when none is given), if any. */
export function findOrder(
  sim: Simulation,
  accountId: string,
  ref: BybitOrderRef,
  symbol?: string,
): BybitOrder | undefined {
  const engine = engineRef(ref);
  if (engine === undefined) return undefined;
  const symbols = symbol === undefined ? sim.exchange.instruments().map((i) => i.symbol) : [symbol];
  for (const candidate of symbols) {
    const order = sim.exchange.findOrder(accountId, candidate, engine);
    if (order) return orderChains(sim.exchange).resolve(order);
  }
  return undefined;
}

/** Whether the account ever used this orderLinkId, on any symbol and in any status. */
export function orderLinkIdUsed(sim: Simulation, accountId: string, orderLinkId: string): boolean {
  return findOrder(sim, accountId, { orderLinkId }) !== undefined;
}

/** The account's orders as Bybit lists them (amended legs folded in), newest first. */
export function listOrders(sim: Simulation, accountId: string, symbol?: string): BybitOrder[] {
  const chains = orderChains(sim.exchange);
  const symbols = symbol === undefined ? sim.exchange.instruments().map((i) => i.symbol) : [symbol];
  return symbols
    .flatMap((candidate) => sim.exchange.orderHistory(accountId, candidate))
    .filter((order) => chains.isVisible(order))
    .map((order) => chains.resolve(order))
    .sort((a, b) => b.head.time - a.head.time || b.head.orderId - a.head.orderId);
}
