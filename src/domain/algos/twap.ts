/**
 * TWAP: equal slices at a fixed interval, optionally randomised so the pattern is harder to spot.
 * Randomisation comes from the request's seed, so the same request always yields the same plan.
 */
import { allocateToLots } from './allocation';
import { mulberry32 } from './prng';
import { buildPlan, slotLabel } from './schedule';
import type { LotRules, SchedulePlan } from './types';

export interface TwapPlanInput {
  quantity: string;
  startAt: string;
  endAt: string;
  intervalMs: number;
  randomization: number;
  seed: number;
}

/** One TWAP slot before sizing: its (jittered) time and its relative weight. */
export interface TwapSlot {
  atMs: number;
  weight: number;
}

/**
 * The slots of a TWAP: N = ceil((end − start) / interval), nominal times start + i·interval.
 * Time jitter is in [0, r·span) where span is the slot's length (the last slot may be short), so
 * a slot never reaches the next nominal time or the end: slots stay ordered and inside the window.
 * Weights are 1 + r·u with u in [−1, 1]; r < 1 keeps them positive.
 */
export function twapSlots(input: TwapPlanInput): TwapSlot[] {
  const startMs = Date.parse(input.startAt);
  const endMs = Date.parse(input.endAt);
  const r = input.randomization;
  if (!(endMs > startMs)) throw new RangeError(`TWAP end ${input.endAt} is not after start ${input.startAt}`);
  if (!(input.intervalMs > 0))
    throw new RangeError(`TWAP interval must be positive, got ${input.intervalMs}`);
  if (!(r >= 0 && r < 1)) throw new RangeError(`TWAP randomization must be in [0, 1), got ${r}`);
  const count = Math.ceil((endMs - startMs) / input.intervalMs);
  const random = mulberry32(input.seed);
  const slots: TwapSlot[] = [];
  for (let i = 0; i < count; i++) {
    const nominal = startMs + i * input.intervalMs;
    const span = Math.min(input.intervalMs, endMs - nominal);
    // Two draws per slot whatever r is, so a slot's randomness does not depend on r elsewhere.
    const jitter = Math.floor(random() * r * span);
    const u = 2 * random() - 1;
    slots.push({ atMs: nominal + jitter, weight: 1 + r * u });
  }
  return slots;
}

export function planTwap(input: TwapPlanInput, rules: LotRules, referencePrice?: string): SchedulePlan {
  const slots = twapSlots(input);
  const times = slots.map((s) => s.atMs);
  const allocation = allocateToLots(
    input.quantity,
    slots.map((s) => s.weight),
    rules,
    referencePrice,
    (i) => slotLabel(times[i] ?? 0),
  );
  return buildPlan(times, allocation.quantities, allocation.notes);
}
