import { floorToStep, minOf, ZERO, type Decimal } from './decimal';
import type { OrderBook } from './order-book';
import { oppositeSide, remainingQty, type Side } from './types';

/** True when a `side` order limited at `limitPrice` may trade at `levelPrice`. */
export function crosses(side: Side, limitPrice: Decimal, levelPrice: Decimal): boolean {
  return side === 'BUY' ? levelPrice.lte(limitPrice) : levelPrice.gte(limitPrice);
}

/** Quantity a quote budget buys (or must sell) at `price`, kept on the lot step. */
export function quantityForQuote(quote: Decimal, price: Decimal, step: Decimal): Decimal {
  return floorToStep(quote.div(price), step);
}

export interface FillEstimateBounds {
  limitPrice?: Decimal;
  maxQty?: Decimal;
  maxQuote?: Decimal;
  lotStep: Decimal;
  /** Orders of this account are skipped (self-trade prevention would not trade them). */
  skipAccountId?: string;
}

export interface FillEstimate {
  qty: Decimal;
  quote: Decimal;
}

/**
 * What a taker on `takerSide` would get from the book right now, without touching it: used for
 * fill-or-kill decisions and to reserve funds for market orders before they execute.
 */
export function estimateFill(book: OrderBook, takerSide: Side, bounds: FillEstimateBounds): FillEstimate {
  let qty = ZERO;
  let quote = ZERO;
  for (const level of book.sideOf(oppositeSide(takerSide)).levels) {
    if (bounds.limitPrice !== undefined && !crosses(takerSide, bounds.limitPrice, level.price)) break;
    for (const maker of level.orders) {
      if (maker.accountId === bounds.skipAccountId) continue;
      let take = remainingQty(maker);
      if (bounds.maxQty !== undefined) take = minOf(take, bounds.maxQty.minus(qty));
      if (bounds.maxQuote !== undefined) {
        take = minOf(take, quantityForQuote(bounds.maxQuote.minus(quote), level.price, bounds.lotStep));
      }
      if (take.lte(0)) return { qty, quote };
      qty = qty.plus(take);
      quote = quote.plus(take.mul(level.price));
    }
  }
  return { qty, quote };
}
