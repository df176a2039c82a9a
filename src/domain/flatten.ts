/**
 * How much the kill switch's flatten trades to undo one holding (src/domain/net-positions.ts):
 * a sell of what Ordo's trades left in the account, or a buy of what they took from it.
 *
 * The size is what the venue can execute, never more than the holding: rounded down to the lot
 * size, and a sell is capped at the base asset the account has free (the "last satoshi": fees
 * rounded up by the venue, or coins moved out since, must not make the sell fail for insufficient
 * funds). What is left — less than a lot, or below the venue's minimum amount or notional — is
 * dust no order can close; it is reported, not retried, so a flatten never loops on it.
 *
 * A buy's own fee, taken by the venue out of the coins bought, is left behind too: the fee rate is
 * not known here, and grossing the buy up would overshoot a venue that charges fees elsewhere.
 */
import { Dec, dec, roundToStep, toDecimalString } from './decimal';
import type { Side } from './order-request';

export interface FlattenMarket {
  /** Lot size. */
  amountStep: string;
  minAmount?: string;
  minNotional?: string;
}

export interface FlattenSizeInput {
  /** The holding to undo (signed base asset; positive: Ordo's trades added coins). */
  held: string;
  /** The base asset the account has free now; caps a sell. Undefined: not known, no cap. */
  freeBase?: string;
  market: FlattenMarket;
  /** A price to value the order at for minNotional (e.g. the mid); without it not checked. */
  referencePrice?: string;
}

/** Why nothing is traded. */
export type FlattenSkip =
  'FLAT' | 'NOTHING_FREE' | 'BELOW_LOT_SIZE' | 'BELOW_MIN_AMOUNT' | 'BELOW_MIN_NOTIONAL';

export type FlattenSize =
  { side: Side; quantity: string; leftover: string } | { skip: FlattenSkip; leftover: string };

export function flattenSize(input: FlattenSizeInput): FlattenSize {
  const held = dec(input.held);
  const leftover = toDecimalString(held);
  if (held.isZero()) return { skip: 'FLAT', leftover };
  const side: Side = held.isPositive() ? 'sell' : 'buy';
  let size = held.abs();
  if (side === 'sell' && input.freeBase !== undefined) {
    const free = Dec.max(dec(input.freeBase), 0);
    if (free.isZero()) return { skip: 'NOTHING_FREE', leftover };
    size = Dec.min(size, free);
  }
  const quantity = dec(roundToStep(size, input.market.amountStep, 'down'));
  if (quantity.isZero()) return { skip: 'BELOW_LOT_SIZE', leftover };
  const { minAmount, minNotional } = input.market;
  if (minAmount !== undefined && quantity.lessThan(minAmount)) return { skip: 'BELOW_MIN_AMOUNT', leftover };
  if (
    minNotional !== undefined &&
    input.referencePrice !== undefined &&
    quantity.times(input.referencePrice).lessThan(minNotional)
  )
    return { skip: 'BELOW_MIN_NOTIONAL', leftover };
  const after = side === 'sell' ? held.minus(quantity) : held.plus(quantity);
  return { side, quantity: toDecimalString(quantity), leftover: toDecimalString(after) };
}
