import { ZERO, type Decimal } from './decimal';
import { remainingQty, type Order, type Side } from './types';

export interface PriceLevel {
  readonly price: Decimal;
  /** Resting orders at this price, oldest first (time priority). */
  readonly orders: Order[];
}

/**
 * One side of a book: price levels kept sorted best-first, each a FIFO queue.
 * Levels are few (tens), so a sorted array with binary search beats a tree in simplicity.
 */
class BookSide {
  readonly levels: PriceLevel[] = [];

  constructor(private readonly side: Side) {}

  /** True when price `a` has priority over price `b` on this side. */
  private better(a: Decimal, b: Decimal): boolean {
    return this.side === 'BUY' ? a.gt(b) : a.lt(b);
  }

  add(order: Order, price: Decimal): void {
    let low = 0;
    let high = this.levels.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      const level = this.levels[mid] as PriceLevel;
      if (level.price.eq(price)) {
        level.orders.push(order);
        return;
      }
      if (this.better(level.price, price)) low = mid + 1;
      else high = mid;
    }
    this.levels.splice(low, 0, { price, orders: [order] });
  }

  remove(order: Order, price: Decimal): boolean {
    const levelIndex = this.levels.findIndex((level) => level.price.eq(price));
    const level = this.levels[levelIndex];
    if (!level) return false;
    const orderIndex = level.orders.indexOf(order);
    if (orderIndex < 0) return false;
    level.orders.splice(orderIndex, 1);
    if (level.orders.length === 0) this.levels.splice(levelIndex, 1);
    return true;
  }

  best(): PriceLevel | undefined {
    return this.levels[0];
  }
}

export interface DepthLevel {
  price: Decimal;
  quantity: Decimal;
}

/** A price-time priority limit order book for one symbol. */
export class OrderBook {
  private readonly bids = new BookSide('BUY');
  private readonly asks = new BookSide('SELL');

  constructor(readonly symbol: string) {}

  sideOf(side: Side): { levels: readonly PriceLevel[]; best(): PriceLevel | undefined } {
    return side === 'BUY' ? this.bids : this.asks;
  }

  add(order: Order): void {
    (order.side === 'BUY' ? this.bids : this.asks).add(order, restingPrice(order));
  }

  remove(order: Order): boolean {
    return (order.side === 'BUY' ? this.bids : this.asks).remove(order, restingPrice(order));
  }

  bestBid(): Decimal | undefined {
    return this.bids.best()?.price;
  }

  bestAsk(): Decimal | undefined {
    return this.asks.best()?.price;
  }

  /** Aggregated quantity per price, best first, at most `limit` levels per side. */
  depth(limit: number): { bids: DepthLevel[]; asks: DepthLevel[] } {
    return { bids: aggregate(this.bids.levels, limit), asks: aggregate(this.asks.levels, limit) };
  }
}

function restingPrice(order: Order): Decimal {
  if (order.price === undefined) throw new Error(`order ${order.orderId} has no price and cannot rest`);
  return order.price;
}

function aggregate(levels: readonly PriceLevel[], limit: number): DepthLevel[] {
  return levels.slice(0, limit).map((level) => ({
    price: level.price,
    quantity: level.orders.reduce((sum, order) => sum.plus(remainingQty(order)), ZERO),
  }));
}
