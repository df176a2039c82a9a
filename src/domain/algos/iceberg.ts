/**
 * Iceberg: only a small part of the order is shown on the book at a time. Varying the shown size
 * (seeded, so replays agree) makes the refills harder to recognise.
 */
import { Dec, dec, roundToStep, toDecimalString } from '../decimal';
import { minimumChildQuantity } from './allocation';
import type { LotRules } from './types';

/**
 * The next shown quantity: displayQuantity × (1 + r·u), u in [−1, 1], floored to lot, at least the
 * venue minimum (at `price`), at most remaining. One draw from `random` per call, always, so the
 * sequence of draws does not depend on the sizes.
 */
export function nextDisplay(
  args: { remaining: string; displayQuantity: string; randomization: number; random: () => number },
  rules: LotRules,
  price: string,
): { quantity: string; note?: string } {
  const u = 2 * args.random() - 1;
  const left = dec(roundToStep(Dec.max(args.remaining, 0), rules.amountStep));
  if (left.isZero()) return { quantity: '0' };
  const minimum = dec(minimumChildQuantity(rules, price));
  if (left.lessThan(minimum))
    return {
      quantity: '0',
      note: `the remainder ${toDecimalString(left)} is below the venue minimum ${toDecimalString(minimum)} and cannot be shown`,
    };

  const scaled = dec(args.displayQuantity).times(1 + args.randomization * u);
  let shown = Dec.min(left, Dec.max(dec(roundToStep(scaled, rules.amountStep)), minimum));
  const tail = left.minus(shown);
  if (tail.greaterThan(0) && tail.lessThan(minimum)) {
    // What would be left could never be shown on its own.
    shown = left;
    return {
      quantity: toDecimalString(shown),
      note: `shows the whole remaining ${toDecimalString(left)}: the rest would be below the venue minimum`,
    };
  }
  return { quantity: toDecimalString(shown) };
}
