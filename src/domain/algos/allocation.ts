/**
 * Splitting a parent quantity into lot-multiple child quantities. Model weights are floats; the
 * split itself is integer lot arithmetic in decimals, so the children always sum to the parent
 * exactly and no lot is lost or invented by float rounding.
 */
import { Dec, cmp, dec, isMultipleOfStep, roundToStep, toDecimalString } from '../decimal';
import type { LotRules } from './types';

export interface Allocation {
  quantities: string[];
  notes: string[];
}

export class AllocationError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AllocationError';
  }
}

/**
 * The smallest child the venue accepts: max(minAmount, minNotional / price, one lot), each rounded
 * UP to the lot so the result is itself sendable. Without a reference price the notional minimum
 * cannot be converted and is ignored here (the pre-trade check still applies it).
 */
export function minimumChildQuantity(rules: LotRules, referencePrice?: string): string {
  let minimum = dec(rules.amountStep);
  if (rules.minAmount !== undefined)
    minimum = Dec.max(minimum, roundToStep(rules.minAmount, rules.amountStep, 'up'));
  if (rules.minNotional !== undefined && referencePrice !== undefined && dec(referencePrice).greaterThan(0)) {
    const byNotional = dec(rules.minNotional).dividedBy(referencePrice);
    minimum = Dec.max(minimum, roundToStep(byNotional, rules.amountStep, 'up'));
  }
  return toDecimalString(minimum);
}

function validate(total: string, weights: readonly number[], rules: LotRules): void {
  if (dec(total).isNegative())
    throw new AllocationError('NEGATIVE_QUANTITY', `cannot allocate a negative quantity ${total}`);
  if (!isMultipleOfStep(total, rules.amountStep))
    throw new AllocationError(
      'QUANTITY_NOT_LOT_MULTIPLE',
      `quantity ${total} is not a multiple of the lot size ${rules.amountStep}`,
    );
  if (weights.some((w) => !Number.isFinite(w) || w < 0))
    throw new AllocationError('INVALID_WEIGHT', 'weights must be finite numbers ≥ 0');
  if (!weights.some((w) => w > 0))
    throw new AllocationError('NO_WEIGHT', 'at least one weight must be positive');
}

/** Whole lots per slice: proportional shares floored, the residual lots by largest remainder. */
function splitLots(lots: Dec, weights: readonly number[]): Dec[] {
  const weightSum = weights.reduce((s, w) => s.plus(w), new Dec(0));
  const shares = weights.map((w) => lots.times(w).dividedBy(weightSum));
  const floors = shares.map((s) => s.toDecimalPlaces(0, Dec.ROUND_FLOOR));
  let residual = floors.reduce((r, f) => r.minus(f), lots).toNumber();
  // Earlier index wins ties (stable sort), so the split is deterministic.
  const order = weights
    .map((w, i) => ({ i, w, remainder: (shares[i] as Dec).minus(floors[i] as Dec) }))
    .filter((x) => x.w > 0)
    .sort((a, b) => b.remainder.comparedTo(a.remainder));
  // The residual is below the number of positive weights; the loop also covers a 40-digit
  // division that rounded a share up to a whole number (residual then negative).
  for (let k = 0; residual !== 0; k = (k + 1) % order.length) {
    const slot = residual > 0 ? order[k] : order[order.length - 1 - k];
    if (slot === undefined) break;
    const current = floors[slot.i] as Dec;
    if (residual < 0 && current.isZero()) continue;
    floors[slot.i] = residual > 0 ? current.plus(1) : current.minus(1);
    residual += residual > 0 ? -1 : 1;
  }
  return floors;
}

/**
 * Splits `total` into weights.length lot-multiple quantities that sum to total EXACTLY.
 * Nonzero quantities below the venue minimum are merged forward into the next slice ('0' stays at
 * their index); a tiny tail merges back into the previous nonzero slice; each merge is noted.
 * `label` names a slice in notes (callers with times pass e.g. "slice 3 (10:05)").
 */
export function allocateToLots(
  total: string,
  weights: readonly number[],
  rules: LotRules,
  referencePrice?: string,
  label: (index: number) => string = (i) => `slice ${i}`,
): Allocation {
  validate(total, weights, rules);
  const step = dec(rules.amountStep);
  const lots = splitLots(dec(total).dividedBy(step), weights).map((l) => l.times(step));
  const minimum = minimumChildQuantity(rules, referencePrice);
  const notes: string[] = [];
  const out = [...lots];
  const last = out.length - 1;

  // Quantities carried forward, by the slice they came from (for the notes).
  let carried: { from: number; quantity: Dec }[] = [];
  const note = (from: { from: number; quantity: Dec }, how: string) =>
    notes.push(
      `${label(from.from)}: ${toDecimalString(from.quantity)} below the venue minimum ${minimum}, ${how}`,
    );
  for (let i = 0; i <= last; i++) {
    const own = out[i] as Dec;
    const sources = own.isZero() ? carried : [...carried, { from: i, quantity: own }];
    const q = sources.reduce((s, c) => s.plus(c.quantity), new Dec(0));
    if (q.isZero() || q.greaterThanOrEqualTo(minimum)) {
      for (const c of carried) note(c, `merged into ${label(i)}`);
      carried = [];
      out[i] = q;
      continue;
    }
    out[i] = new Dec(0);
    carried = sources;
  }
  if (carried.length > 0) {
    // A tail below the minimum: back into the last nonzero slice, or, when there is none (the
    // whole total is below the minimum), whole into the last weighted slice — maybe unsendable.
    const q = carried.reduce((s, c) => s.plus(c.quantity), new Dec(0));
    const back = lastIndexWhere(out, (x) => !x.isZero());
    if (back >= 0) {
      out[back] = (out[back] as Dec).plus(q);
      for (const c of carried) note(c, `merged back into ${label(back)}`);
    } else {
      const target = lastIndexWhere(weights, (w) => w > 0);
      out[target] = q;
      notes.push(
        `total ${toDecimalString(q)} is below the venue minimum ${minimum}: all of it in ${label(target)}`,
      );
    }
  }

  if (rules.maxAmount !== undefined)
    out.forEach((q, i) => {
      if (cmp(q, rules.maxAmount as string) > 0)
        notes.push(`${label(i)}: ${toDecimalString(q)} is above the venue maximum ${rules.maxAmount}`);
    });
  return { quantities: out.map((q) => toDecimalString(q)), notes };
}

function lastIndexWhere<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i] as T)) return i;
  return -1;
}
