import type { Decimal } from './decimal';
import type { Order, OrderType, Side } from './types';

/**
 * Binance's trigger rules on the last trade price: a stop-loss sells when the price falls to the
 * stop (buys when it rises to it); a take-profit does the opposite.
 */
export function isTriggered(type: OrderType, side: Side, stopPrice: Decimal, lastPrice: Decimal): boolean {
  const triggersOnFall = (type === 'STOP_LOSS' || type === 'STOP_LOSS_LIMIT') === (side === 'SELL');
  return triggersOnFall ? lastPrice.lte(stopPrice) : lastPrice.gte(stopPrice);
}

/** Conditional orders waiting for their trigger, per symbol, in arrival order. */
export class PendingStops {
  private readonly bySymbol = new Map<string, Order[]>();

  add(order: Order): void {
    const list = this.bySymbol.get(order.symbol) ?? [];
    list.push(order);
    this.bySymbol.set(order.symbol, list);
  }

  remove(order: Order): boolean {
    const list = this.bySymbol.get(order.symbol);
    const index = list ? list.indexOf(order) : -1;
    if (!list || index < 0) return false;
    list.splice(index, 1);
    return true;
  }

  /** Removes and returns the first waiting order the last price has triggered, if any. */
  takeTriggered(symbol: string, lastPrice: Decimal): Order | undefined {
    const list = this.bySymbol.get(symbol) ?? [];
    const index = list.findIndex(
      (order) =>
        order.stopPrice !== undefined && isTriggered(order.type, order.side, order.stopPrice, lastPrice),
    );
    if (index < 0) return undefined;
    return list.splice(index, 1)[0];
  }
}
