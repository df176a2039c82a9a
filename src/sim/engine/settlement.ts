import type { Account } from './accounts';
import { Decimal, minOf } from './decimal';
import type { Instrument } from './instrument';
import { isMarketLikeType, type Order } from './types';

export interface Commission {
  commission: Decimal;
  commissionAsset: string;
}

export interface TradeTerms {
  price: Decimal;
  qty: Decimal;
  quoteQty: Decimal;
  isMaker: boolean;
  at: number;
}

/**
 * Moves one side's funds for one trade. As on Binance without BNB, the fee is taken from the asset
 * received: a buyer pays in base, a seller in quote. Fees are rounded up to the asset's precision
 * (an exchange never undercharges by rounding).
 */
export function settleTradeSide(
  account: Account,
  order: Order,
  instrument: Instrument,
  terms: TradeTerms,
): Commission {
  const rate = terms.isMaker ? account.makerFeeRate : account.takerFeeRate;
  if (order.side === 'BUY') {
    // A priced order locked price × qty; the trade may print cheaper, so release the locked share
    // and pay the actual amount from free funds.
    const lockedShare =
      order.price !== undefined && !isMarketLikeType(order.type)
        ? order.price.mul(terms.qty)
        : terms.quoteQty;
    releaseLock(account, order, lockedShare, terms.at);
    account.debit(instrument.quoteAsset, terms.quoteQty, terms.at);
    const commission = roundFee(terms.qty.mul(rate), instrument.baseAssetPrecision);
    account.credit(instrument.baseAsset, terms.qty.minus(commission), terms.at);
    return { commission, commissionAsset: instrument.baseAsset };
  }
  releaseLock(account, order, terms.qty, terms.at);
  account.debit(instrument.baseAsset, terms.qty, terms.at);
  const commission = roundFee(terms.quoteQty.mul(rate), instrument.quoteAssetPrecision);
  account.credit(instrument.quoteAsset, terms.quoteQty.minus(commission), terms.at);
  return { commission, commissionAsset: instrument.quoteAsset };
}

/** Gives back whatever the order still holds (on cancel, expiry, or when it is done). */
export function releaseRemainingLock(account: Account, order: Order, at: number): void {
  releaseLock(account, order, order.lockedAmount, at);
}

function releaseLock(account: Account, order: Order, amount: Decimal, at: number): void {
  if (order.lockedAsset === undefined || order.lockedAmount.isZero()) return;
  const released = minOf(order.lockedAmount, amount);
  account.unlock(order.lockedAsset, released, at);
  order.lockedAmount = order.lockedAmount.minus(released);
}

function roundFee(amount: Decimal, decimals: number): Decimal {
  return amount.toDecimalPlaces(decimals, Decimal.ROUND_UP);
}
