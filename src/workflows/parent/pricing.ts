/**
 * Prices a slice from the venue's current book (an activity) and the parent's aggression and
 * limit price. Without a quote it falls back on what pure pricing allows (limit price, or market
 * when crossing) instead of failing the schedule.
 */
import { DEFAULT_CROSS_BUFFER_BPS } from '../../domain/algos/params';
import { slicePricing } from '../../domain/algos/pricing';
import type { Aggression, Quote, SlicePricing } from '../../domain/algos/types';
import { marketCalls } from './calls';
import type { ParentContext } from './driver';

export async function priceSlice(
  ctx: ParentContext,
  venue: string,
  aggression: Aggression = ctx.request().aggression,
): Promise<SlicePricing | { blocked: true; reason: string }> {
  const request = ctx.request();
  let quote: Quote = {};
  if (aggression !== 'market') {
    try {
      const q = await marketCalls.marketQuote({ venue, symbol: request.symbol });
      quote = {
        ...(q.bid === undefined ? {} : { bid: q.bid }),
        ...(q.ask === undefined ? {} : { ask: q.ask }),
      };
    } catch (err) {
      ctx.note(`no quote from ${venue} at ${new Date(ctx.nowMs()).toISOString()}: ${String(err)}`);
    }
  }
  return slicePricing(
    aggression,
    request.side,
    quote,
    ctx.rules().priceStep,
    request.limitPrice,
    request.crossBufferBps ?? DEFAULT_CROSS_BUFFER_BPS, // absent in requests carried from older runs
  );
}

/** Passive and mid slices rest until `restUntilMs`; crossing ones trade now or never. */
export function restingUntil(
  ctx: ParentContext,
  restUntilMs: number,
  aggression: Aggression = ctx.request().aggression,
): 'IOC' | number {
  return aggression === 'passive' || aggression === 'mid' ? restUntilMs : 'IOC';
}

/**
 * A schedule must be done by its end: its last slice and what is retried after it cross the
 * spread even when the schedule rests its other slices (passive, mid) — a resting last slice
 * would run into the end with its remainder unfilled.
 */
export function finishingAggression(ctx: ParentContext): Aggression {
  const aggression = ctx.request().aggression;
  return aggression === 'passive' || aggression === 'mid' ? 'cross' : aggression;
}
