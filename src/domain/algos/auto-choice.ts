/**
 * Automatic execution choice for plain orders: a large notional is worked as a TWAP; otherwise the
 * urgency and the spread decide between a market order, a passive limit and a limit at the mid.
 * Rules are checked in order and the first that applies wins; `reason` says which one it was.
 */
import type { Side } from '../order-request';
import { Dec, dec, roundToStep, toDecimalString } from '../decimal';
import type { Quote } from './types';

export interface AutoChoiceConfig {
  /** Notional (quote currency) at or above which the order is worked as a TWAP; unset: never. */
  twapNotionalThreshold?: string;
  twapDurationMs: number;
  twapIntervalMs: number;
  /** A spread at or below this (bp of the mid) is cheap enough to cross with a market order. */
  maxSpreadBpsForMarket: number;
}

export type Urgency = 'low' | 'normal' | 'high';

export type ExecutionChoice =
  | { kind: 'order'; type: 'market' }
  | { kind: 'order'; type: 'limit'; limitPrice: string }
  | { kind: 'twap'; durationMs: number; intervalMs: number };

type Choice = ExecutionChoice & { reason: string };

const TWAP_DURATION_FACTOR: Record<Urgency, number> = { high: 0.5, normal: 1, low: 2 };

/** The price a notional is measured at: the mid, else the limit price, else the one side quoted. */
function referencePrice(quote: Quote, limitPrice: string | undefined): Dec | undefined {
  if (quote.bid !== undefined && quote.ask !== undefined) return dec(quote.bid).plus(quote.ask).dividedBy(2);
  const price = limitPrice ?? quote.bid ?? quote.ask;
  return price === undefined ? undefined : dec(price);
}

function twap(config: AutoChoiceConfig, urgency: Urgency, notional: Dec, threshold: string): Choice {
  const durationMs = Math.max(1, Math.round(config.twapDurationMs * TWAP_DURATION_FACTOR[urgency]));
  // A halved duration may be shorter than the interval; one slice per duration is the least we send.
  const intervalMs = Math.min(config.twapIntervalMs, durationMs);
  return {
    kind: 'twap',
    durationMs,
    intervalMs,
    reason: `notional ${toDecimalString(notional.toDecimalPlaces(2))} is at or above the TWAP threshold ${threshold}: worked as a TWAP (${urgency} urgency)`,
  };
}

export function chooseExecution(
  order: { side: Side; quantity: string; limitPrice?: string; urgency: Urgency },
  quote: Quote,
  config: AutoChoiceConfig,
  priceStep: string,
): Choice {
  const reference = referencePrice(quote, order.limitPrice);
  const threshold = config.twapNotionalThreshold;
  if (reference !== undefined && threshold !== undefined) {
    const notional = reference.times(order.quantity);
    if (notional.greaterThanOrEqualTo(threshold)) return twap(config, order.urgency, notional, threshold);
  }
  if (order.limitPrice !== undefined)
    return {
      kind: 'order',
      type: 'limit',
      limitPrice: order.limitPrice,
      reason: `a limit price ${order.limitPrice} was given: a limit order at it`,
    };
  if (quote.bid === undefined || quote.ask === undefined)
    return {
      kind: 'order',
      type: 'market',
      reason: 'no two-sided quote to price a limit against: a market order',
    };

  const mid = dec(quote.bid).plus(quote.ask).dividedBy(2);
  const spreadBps = dec(quote.ask).minus(quote.bid).dividedBy(mid).times(10_000);
  const spreadText = `${toDecimalString(spreadBps.toDecimalPlaces(2))} bp`;
  if (order.urgency === 'high')
    return { kind: 'order', type: 'market', reason: `high urgency: a market order (spread ${spreadText})` };
  if (spreadBps.lessThanOrEqualTo(config.maxSpreadBpsForMarket))
    return {
      kind: 'order',
      type: 'market',
      reason: `spread ${spreadText} is within ${config.maxSpreadBpsForMarket} bp: cheap to cross with a market order`,
    };
  const ownBest = order.side === 'buy' ? quote.bid : quote.ask;
  if (order.urgency === 'low')
    return {
      kind: 'order',
      type: 'limit',
      limitPrice: toDecimalString(ownBest),
      reason: `low urgency and a ${spreadText} spread: a passive limit at the best ${order.side === 'buy' ? 'bid' : 'ask'}`,
    };
  // Toward our own side, so rounding never makes the order more aggressive than the mid.
  const limitPrice = roundToStep(mid, priceStep, order.side === 'buy' ? 'down' : 'up');
  return {
    kind: 'order',
    type: 'limit',
    limitPrice,
    reason: `spread ${spreadText} is wider than ${config.maxSpreadBpsForMarket} bp: a limit at the mid`,
  };
}
