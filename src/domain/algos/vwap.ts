/**
 * VWAP: slices sized by the market's usual intraday volume, so the order trades more when the
 * market does. The profile is built from past candles by time of day (UTC); the sizes are then
 * allocated to lots like any schedule.
 */
import { Dec, dec, roundToStep, toDecimalString } from '../decimal';
import { allocateToLots } from './allocation';
import { buildPlan, slotLabel } from './schedule';
import type { LotRules, SchedulePlan } from './types';

const DAY_MS = 86_400_000;

export interface CandleLike {
  openTime: string;
  volume: string;
}

interface Window {
  startAt: string;
  endAt: string;
  intervalMs: number;
}

function bucketCount(startMs: number, endMs: number, intervalMs: number): number {
  if (!(endMs > startMs)) throw new RangeError('the VWAP window must end after it starts');
  if (!(intervalMs > 0)) throw new RangeError(`the VWAP interval must be positive, got ${intervalMs}`);
  return Math.ceil((endMs - startMs) / intervalMs);
}

/**
 * Intraday volume profile: for each schedule bucket [start+i·interval, …) take the time-of-day
 * (UTC) window, sum candle volume falling in it per past day, average over days that have data;
 * weights normalised to sum 1. No data → flat weights and a note.
 *
 * The average is taken per candle time of day (over the days that have a candle at it) and then
 * summed over the bucket: the same as averaging per-day bucket sums when every day is complete,
 * but a lookback that starts or ends mid-bucket does not drag that bucket down. Time of day is
 * taken modulo 24h, so a bucket across midnight, or a schedule longer than a day (which meets
 * each time of day more than once), needs nothing special. Candles should be finer than the
 * interval: a bucket with no candle opening in it counts as having no data.
 */
export function volumeProfile(
  candles: readonly CandleLike[],
  window: Window,
): { weights: number[]; days: number; notes: string[] } {
  const startMs = Date.parse(window.startAt);
  const endMs = Date.parse(window.endAt);
  const count = bucketCount(startMs, endMs, window.intervalMs);
  const span = endMs - startMs;
  const dates = new Set<number>();
  // Time of day (ms) → UTC date → volume.
  const byTimeOfDay = new Map<number, Map<number, number>>();
  for (const candle of candles) {
    const t = Date.parse(candle.openTime);
    const volume = Number(candle.volume);
    if (!Number.isFinite(t) || !Number.isFinite(volume) || volume < 0) continue;
    const date = Math.floor(t / DAY_MS);
    dates.add(date);
    const perDate = byTimeOfDay.get(t - date * DAY_MS) ?? new Map<number, number>();
    perDate.set(date, (perDate.get(date) ?? 0) + volume);
    byTimeOfDay.set(t - date * DAY_MS, perDate);
  }

  const sums: (number | undefined)[] = Array.from({ length: count }, () => undefined);
  const startOfDay = startMs - Math.floor(startMs / DAY_MS) * DAY_MS;
  for (const [timeOfDay, perDate] of byTimeOfDay) {
    const average = [...perDate.values()].reduce((a, b) => a + b, 0) / perDate.size;
    for (let p = (timeOfDay - startOfDay + DAY_MS) % DAY_MS; p < span; p += DAY_MS) {
      const i = Math.floor(p / window.intervalMs);
      sums[i] = (sums[i] ?? 0) + average;
    }
  }

  const notes: string[] = [];
  const flat = () => Array.from({ length: count }, () => 1 / count);
  const known = sums.filter((a): a is number => a !== undefined);
  if (known.length === 0)
    return { weights: flat(), days: dates.size, notes: ['no candle data: flat profile'] };
  const missing = sums.flatMap((a, i) => (a === undefined ? [i] : []));
  const filler = known.reduce((a, b) => a + b, 0) / known.length;
  if (missing.length > 0)
    notes.push(`no candle data for bucket(s) ${missing.join(', ')}: using the average of the others`);
  const raw = sums.map((a) => a ?? filler);
  const total = raw.reduce((a, b) => a + b, 0);
  if (!(total > 0))
    return { weights: flat(), days: dates.size, notes: [...notes, 'no volume: flat profile'] };
  return { weights: raw.map((w) => w / total), days: dates.size, notes };
}

/** Slices at start + i·interval sized by `weights` (one per slice); zero-weight buckets get none. */
export function planVwap(
  input: { quantity: string; startAt: string; endAt: string; intervalMs: number },
  weights: readonly number[],
  rules: LotRules,
  referencePrice?: string,
): SchedulePlan {
  const startMs = Date.parse(input.startAt);
  const count = bucketCount(startMs, Date.parse(input.endAt), input.intervalMs);
  if (weights.length !== count)
    throw new RangeError(`the profile has ${weights.length} weights for ${count} slices`);
  const times = Array.from({ length: count }, (_, i) => startMs + i * input.intervalMs);
  const allocation = allocateToLots(input.quantity, weights, rules, referencePrice, (i) =>
    slotLabel(times[i] ?? startMs),
  );
  return buildPlan(times, allocation.quantities, allocation.notes);
}

/** Most a slice may trade under a maximum participation of the volume observed: floor(volume·p) to lot. */
export function participationCap(observedVolume: string, maxParticipation: number, rules: LotRules): string {
  const cap = Dec.max(dec(observedVolume).times(maxParticipation), 0);
  return toDecimalString(roundToStep(cap, rules.amountStep));
}
