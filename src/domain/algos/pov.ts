/**
 * Percentage of volume: trade a fixed share of the market's volume as it happens, speeding up
 * (within a cap) when the market is too quiet to finish by the deadline at the chosen rate.
 */
import { Dec, dec, roundToStep, toDecimalString } from '../decimal';
import { minimumChildQuantity } from './allocation';
import type { LotRules } from './types';

export interface PovInput {
  participation: number;
  minParticipation: number;
  maxParticipation: number;
  /** Volume observed since start, ours included. */
  marketVolume: string;
  ownFilled: string;
  remaining: string;
  elapsedMs: number;
  remainingMs: number;
}

function checkRates(input: PovInput): void {
  const { participation: p, minParticipation: lo, maxParticipation: hi } = input;
  if (!(lo >= 0 && lo <= p && p <= hi && hi < 1 && p > 0))
    throw new RangeError(`participation rates must satisfy 0 ≤ min ≤ p ≤ max < 1, got ${lo}, ${p}, ${hi}`);
}

/**
 * The rate that finishes `goal` (our cumulative quantity at the deadline) if the others keep
 * their observed pace; Infinity when their pace says no more volume is coming.
 */
function deadlineRate(others: Dec, goal: Dec, elapsedMs: number, remainingMs: number): number {
  const future = others.dividedBy(elapsedMs).times(Math.max(remainingMs, 0));
  const expected = others.plus(future);
  if (expected.isZero()) return Infinity;
  // Ours / others' = x at the deadline  ⇔  our share of total volume = x / (1 + x).
  const x = goal.dividedBy(expected);
  return x.dividedBy(x.plus(1)).toNumber();
}

export function povTarget(
  input: PovInput,
  rules: LotRules,
  referencePrice?: string,
): { quantity: string; rate: number; note?: string } {
  checkRates(input);
  const step = rules.amountStep;
  const own = dec(input.ownFilled);
  const others = Dec.max(dec(input.marketVolume).minus(own), 0);
  const left = dec(roundToStep(Dec.max(input.remaining, 0), step));
  const notes: string[] = [];

  let rate = input.participation;
  if (left.greaterThan(0) && input.elapsedMs > 0 && others.greaterThan(0)) {
    const needed = deadlineRate(others, own.plus(left), input.elapsedMs, input.remainingMs);
    if (needed > rate) {
      rate = Math.min(needed, input.maxParticipation);
      notes.push(
        needed > input.maxParticipation
          ? `behind the deadline: rate raised to the maximum ${input.maxParticipation}`
          : `behind the deadline: rate raised to ${rate.toFixed(4)}`,
      );
    }
  }
  rate = Math.max(rate, input.minParticipation);

  // Trading a share p of TOTAL volume (ours + others') means ours = p·(ours + others), i.e.
  // ours = p/(1−p) × others: at p = 0.2 we trade 0.25 for every 1 the others trade.
  const target = others.times(rate).dividedBy(1 - rate);
  let quantity = Dec.min(left, Dec.max(dec(roundToStep(target.minus(own), step)), 0));
  const minimum = dec(minimumChildQuantity(rules, referencePrice));
  const tail = left.minus(quantity);
  if (quantity.greaterThan(0) && tail.greaterThan(0) && tail.lessThan(minimum)) {
    notes.push(
      `takes the whole remaining ${toDecimalString(left)}: the rest would be below the venue minimum`,
    );
    quantity = left;
  }
  if (quantity.greaterThan(0) && quantity.lessThan(minimum)) {
    notes.push(
      `${toDecimalString(quantity)} is below the venue minimum ${toDecimalString(minimum)}: waiting`,
    );
    quantity = new Dec(0);
  }
  const result = { quantity: toDecimalString(quantity), rate };
  return notes.length > 0 ? { ...result, note: notes.join('; ') } : result;
}
