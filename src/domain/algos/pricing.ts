/**
 * How a child order prices itself against the book, with the parent's limit price as protection:
 * a buy never pays more than limitPrice, a sell never accepts less.
 */
import type { Side } from '../order-request';
import { Dec, dec, roundToStep, toDecimalString } from '../decimal';
import type { Aggression, Quote, SlicePricing } from './types';

export type Blocked = { blocked: true; reason: string };

/** Rounds to tick toward the passive side: buys down, sells up (never more aggressive than asked). */
function passiveTick(price: Dec, side: Side, step: string): string {
  return roundToStep(price, step, side === 'buy' ? 'down' : 'up');
}

/** Rounds to tick toward the aggressive side, so a crossing price still crosses. */
function aggressiveTick(price: Dec, side: Side, step: string): string {
  return roundToStep(price, step, side === 'buy' ? 'up' : 'down');
}

function protect(price: string, side: Side, step: string, limitPrice?: string): string {
  if (limitPrice === undefined) return price;
  const limit = passiveTick(dec(limitPrice), side, step);
  return toDecimalString(side === 'buy' ? Dec.min(price, limit) : Dec.max(price, limit));
}

/** The book price an aggression wants, or undefined when the side(s) it needs are missing. */
function bookPrice(aggression: Exclude<Aggression, 'market'>, side: Side, quote: Quote, step: string) {
  const near = side === 'buy' ? quote.bid : quote.ask; // our own side of the book
  const far = side === 'buy' ? quote.ask : quote.bid; // the side we would cross into
  switch (aggression) {
    case 'passive':
      return near === undefined ? undefined : passiveTick(dec(near), side, step);
    case 'cross':
      return far === undefined ? undefined : aggressiveTick(dec(far), side, step);
    case 'mid':
      return near === undefined || far === undefined
        ? undefined
        : passiveTick(dec(near).plus(far).dividedBy(2), side, step);
  }
}

/**
 * `crossBufferBps`: how far past the far touch a crossing slice may go. The touch is read a few
 * hundred milliseconds before the order arrives; priced exactly at it, an IOC misses whenever the
 * book moved away meanwhile. The buffer is a collar, not a target: the order fills at the book's
 * prices, never beyond the buffer or the limit price.
 */
export function slicePricing(
  aggression: Aggression,
  side: Side,
  quote: Quote,
  priceStep: string,
  limitPrice?: string,
  crossBufferBps = 0,
): SlicePricing | Blocked {
  const atLimit = (): SlicePricing => ({
    type: 'limit',
    limitPrice: passiveTick(dec(limitPrice as string), side, priceStep),
  });
  // A market order with a limit price becomes a marketable limit at it (never an unbounded fill).
  if (aggression === 'market') return limitPrice === undefined ? { type: 'market' } : atLimit();
  const touch = bookPrice(aggression, side, quote, priceStep);
  const buffer = aggression === 'cross' ? crossBufferBps / 10_000 : 0;
  const price =
    touch === undefined || buffer === 0
      ? touch
      : aggressiveTick(dec(touch).times(side === 'buy' ? 1 + buffer : 1 - buffer), side, priceStep);
  if (price === undefined) {
    if (limitPrice !== undefined) return atLimit();
    return aggression === 'cross' ? { type: 'market' } : { blocked: true, reason: 'NO_QUOTE' };
  }
  return { type: 'limit', limitPrice: protect(price, side, priceStep, limitPrice) };
}
