/**
 * Catch-up logic shared by the time-scheduled algorithms (TWAP, VWAP, IS): how much a slice sends
 * given what the schedule wanted and what actually filled, and re-planning after a pause or amend.
 * Times are epoch milliseconds passed in by the caller (workflow time), never read from a clock.
 */
import { Dec, dec, isMultipleOfStep, roundToStep, toDecimalString } from '../decimal';
import { allocateToLots, minimumChildQuantity } from './allocation';
import type { LotRules, SchedulePlan } from './types';

/** How notes name a slice: by its time, which stays true when empty slices are dropped. */
export function slotLabel(atMs: number): string {
  return `slice at ${new Date(atMs).toISOString()}`;
}

/**
 * A plan from slot times and their allocated quantities: empty slots are dropped and the rest
 * renumbered 0..k−1 in time order, so a plan never contains a slice that sends nothing.
 */
export function buildPlan(
  timesMs: readonly number[],
  quantities: readonly string[],
  notes: string[],
): SchedulePlan {
  const slices = timesMs
    .map((ms, i) => ({ ms, quantity: quantities[i] ?? '0' }))
    .filter((s) => !dec(s.quantity).isZero())
    .map((s, index) => ({ index, at: new Date(s.ms).toISOString(), quantity: s.quantity }));
  return { slices, notes };
}

/** What the schedule wanted filled by `nowMs`: sum of slices with at ≤ now. */
export function scheduledCumulative(plan: SchedulePlan, nowMs: number): string {
  return toDecimalString(
    plan.slices.filter((s) => Date.parse(s.at) <= nowMs).reduce((sum, s) => sum.plus(s.quantity), new Dec(0)),
  );
}

/**
 * Quantity for slice `index` (0-based position in plan.slices): the schedule's cumulative target
 * through this slice minus what is filled (catch-up), floored to lot, at most `remaining`, at most
 * `cap` if given (e.g. a participation cap). The last slice takes everything remaining.
 * Below the venue minimum: '0' with a note (it rolls into later slices), except on the last slice,
 * where a remainder below minimum gives '0' and a note that it cannot be sent.
 * A slice that would leave a remainder below the minimum takes the whole remainder instead, since
 * such a tail could never be sent on its own.
 */
export function sliceTarget(args: {
  plan: SchedulePlan;
  index: number;
  filled: string;
  remaining: string;
  rules: LotRules;
  referencePrice?: string;
  cap?: string;
}): { quantity: string; note?: string } {
  const { plan, index, filled, remaining, rules, referencePrice, cap } = args;
  if (index < 0 || index >= plan.slices.length)
    throw new RangeError(`slice ${index} is not in a plan of ${plan.slices.length} slices`);
  const step = rules.amountStep;
  const left = dec(roundToStep(Dec.max(remaining, 0), step));
  if (left.isZero()) return { quantity: '0' };
  const isLast = index === plan.slices.length - 1;
  const minimum = dec(minimumChildQuantity(rules, referencePrice));
  const notes: string[] = [];

  let want = left;
  if (!isLast) {
    const through = plan.slices.slice(0, index + 1).reduce((sum, s) => sum.plus(s.quantity), new Dec(0));
    want = Dec.min(left, dec(roundToStep(Dec.max(through.minus(filled), 0), step)));
    const tail = left.minus(want);
    if (want.greaterThan(0) && tail.greaterThan(0) && tail.lessThan(minimum)) {
      notes.push(
        `takes the whole remaining ${toDecimalString(left)}: the rest would be below the venue minimum`,
      );
      want = left;
    }
  }
  if (cap !== undefined) {
    const capLots = dec(roundToStep(Dec.max(cap, 0), step));
    if (want.greaterThan(capLots)) {
      notes.push(`capped at ${toDecimalString(capLots)} (wanted ${toDecimalString(want)})`);
      want = capLots;
    }
  }
  if (want.greaterThan(0) && want.lessThan(minimum)) {
    const q = toDecimalString(want);
    notes.push(
      isLast && want.equals(left)
        ? `the remainder ${q} is below the venue minimum ${toDecimalString(minimum)} and cannot be sent`
        : `${q} is below the venue minimum ${toDecimalString(minimum)}: rolls into later slices`,
    );
    want = new Dec(0);
  }
  const quantity = toDecimalString(want);
  return notes.length > 0 ? { quantity, note: `slice ${index}: ${notes.join('; ')}` } : { quantity };
}

/**
 * Re-plans `plan` from nowMs on: keeps slices before now as they were, spreads `remaining` over the
 * rest (those before endMs) in proportion to their planned sizes (or evenly if all zero); if no
 * slice is left in the future, one slice at nowMs. Used after pause/resume or amend.
 */
export function replanRemaining(
  plan: SchedulePlan,
  nowMs: number,
  remaining: string,
  endMs: number,
  rules: LotRules,
  referencePrice?: string,
): SchedulePlan {
  const notes = [...plan.notes];
  const past = plan.slices.filter((s) => Date.parse(s.at) < nowMs);
  const future = plan.slices.filter((s) => Date.parse(s.at) >= nowMs && Date.parse(s.at) < endMs);
  const sendable = roundToStep(Dec.max(remaining, 0), rules.amountStep);
  if (!isMultipleOfStep(remaining, rules.amountStep))
    notes.push(
      `remaining ${remaining} is not a multiple of the lot size ${rules.amountStep}: re-planned ${sendable}`,
    );

  const timesMs = future.length > 0 ? future.map((s) => Date.parse(s.at)) : [nowMs];
  const planned = future.map((s) => Number(s.quantity));
  const weights = planned.some((w) => w > 0) ? planned : timesMs.map(() => 1);
  const allocation = allocateToLots(sendable, weights, rules, referencePrice, (i) =>
    slotLabel(timesMs[i] ?? nowMs),
  );
  const rest = buildPlan(timesMs, allocation.quantities, []);
  const slices = [...past, ...rest.slices].map((s, index) => ({ ...s, index }));
  return { slices, notes: [...notes, ...allocation.notes] };
}
