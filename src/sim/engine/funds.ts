import type { Account } from './accounts';
import type { Decimal } from './decimal';
import type { Instrument } from './instrument';
import { estimateFill, type FillEstimate } from './matching';
import type { OrderBook } from './order-book';
import { isConditionalType, isMarketLikeType, remainingQty, type Order } from './types';

/**
 * Locks what a new order may spend: price × qty quote for priced buys, qty base for sells, the
 * book-walk estimate for market buys (or their quote amount). A conditional market buy cannot be
 * priced before it triggers, so its funds are checked when it does (see lockForTriggeredBuy).
 * Throws INSUFFICIENT_BALANCE (via Account.lock) when the account cannot afford it.
 */
export function reserveFunds(
  order: Order,
  account: Account,
  instrument: Instrument,
  book: OrderBook,
  at: number,
): void {
  const quoteSized = order.origQuoteOrderQty.gt(0);
  if (order.side === 'SELL') {
    const quantity = quoteSized ? estimateMarketFill(order, instrument, book).qty : order.origQty;
    lock(order, account, instrument.baseAsset, quantity, at);
  } else if (!isMarketLikeType(order.type) && order.price !== undefined) {
    lock(order, account, instrument.quoteAsset, order.price.mul(order.origQty), at);
  } else if (!isConditionalType(order.type)) {
    const quote = quoteSized ? order.origQuoteOrderQty : estimateMarketFill(order, instrument, book).quote;
    lock(order, account, instrument.quoteAsset, quote, at);
  }
}

/** Funds a triggered stop-market buy; false when the account cannot afford it now. */
export function lockForTriggeredBuy(
  order: Order,
  account: Account,
  instrument: Instrument,
  book: OrderBook,
  at: number,
): boolean {
  const { quote } = estimateMarketFill(order, instrument, book);
  if (!account.canAfford(instrument.quoteAsset, quote)) return false;
  lock(order, account, instrument.quoteAsset, quote, at);
  return true;
}

/** What a market-like order would get from the book now (skipping its own orders under STP). */
export function estimateMarketFill(order: Order, instrument: Instrument, book: OrderBook): FillEstimate {
  const quoteSized = order.origQuoteOrderQty.gt(0);
  return estimateFill(book, order.side, {
    maxQty: quoteSized ? undefined : remainingQty(order),
    maxQuote: quoteSized ? order.origQuoteOrderQty : undefined,
    lotStep: lotStepFor(instrument),
    skipAccountId: order.selfTradePreventionMode === 'NONE' ? undefined : order.accountId,
  });
}

/** Fill-or-kill: would the book fill the whole order within its limit right now? */
export function canFillCompletely(order: Order, instrument: Instrument, book: OrderBook): boolean {
  const estimate = estimateFill(book, order.side, {
    limitPrice: isMarketLikeType(order.type) ? undefined : order.price,
    maxQty: remainingQty(order),
    lotStep: instrument.stepSize,
    skipAccountId: order.selfTradePreventionMode === 'NONE' ? undefined : order.accountId,
  });
  return estimate.qty.gte(remainingQty(order));
}

/** Quote-sized orders trade whole lots; the market lot step applies when the venue sets one. */
export function lotStepFor(instrument: Instrument): Decimal {
  return instrument.marketStepSize.gt(0) ? instrument.marketStepSize : instrument.stepSize;
}

function lock(order: Order, account: Account, asset: string, amount: Decimal, at: number): void {
  account.lock(asset, amount, at);
  order.lockedAsset = asset;
  order.lockedAmount = amount;
}
