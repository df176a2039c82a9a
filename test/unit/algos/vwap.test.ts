import { add, dec, isMultipleOfStep } from '../../../src/domain/decimal';
import { mulberry32 } from '../../../src/domain/algos/prng';
import type { LotRules } from '../../../src/domain/algos/types';
import { type CandleLike, participationCap, planVwap, volumeProfile } from '../../../src/domain/algos/vwap';

const RULES: LotRules = { amountStep: '0.001', priceStep: '0.01', minAmount: '0.01' };
const HOUR = 3_600_000;
const DAYS = ['2024-02-26', '2024-02-27', '2024-02-28'];

/** Candles every `stepMin` minutes over the three days; volume from the time of day and a day factor. */
function candles(
  stepMin: number,
  volumeAt: (hour: number, minute: number) => number,
  factors = [0.8, 1, 1.2], // averages to 1, so the expected profile is volumeAt itself
): CandleLike[] {
  return DAYS.flatMap((day, d) =>
    Array.from({ length: (24 * 60) / stepMin }, (_, k) => {
      const t = Date.parse(`${day}T00:00:00.000Z`) + k * stepMin * 60_000;
      const date = new Date(t);
      const volume = volumeAt(date.getUTCHours(), date.getUTCMinutes()) * (factors[d] ?? 1);
      return { openTime: date.toISOString(), volume: volume.toFixed(6) };
    }),
  );
}

const U_SHAPE: Record<number, number> = { 10: 30, 11: 20, 12: 10, 13: 10, 14: 20, 15: 30 };

describe('volumeProfile', () => {
  it('recovers a U-shaped intraday profile from three days of candles', () => {
    const data = candles(15, (h) => (U_SHAPE[h] ?? 5) / 4);
    const profile = volumeProfile(data, {
      startAt: '2024-02-29T10:00:00.000Z',
      endAt: '2024-02-29T16:00:00.000Z',
      intervalMs: HOUR,
    });
    expect(profile.days).toBe(3);
    expect(profile.notes).toEqual([]);
    const expected = [30, 20, 10, 10, 20, 30].map((v) => v / 120);
    profile.weights.forEach((w, i) => expect(w).toBeCloseTo(expected[i] ?? NaN, 10));
    expect(profile.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('handles a bucket spanning midnight', () => {
    const data = candles(30, (h) => (h === 23 ? 24 : h + 1));
    const profile = volumeProfile(data, {
      startAt: '2024-02-29T23:30:00.000Z',
      endAt: '2024-03-01T01:30:00.000Z',
      intervalMs: HOUR,
    });
    // [23:30, 00:30) = 24 + 1; [00:30, 01:30) = 1 + 2.
    expect(profile.weights[0]).toBeCloseTo(25 / 28, 10);
    expect(profile.weights[1]).toBeCloseTo(3 / 28, 10);
  });

  it('handles a schedule longer than a day (each time of day counted once per day)', () => {
    const data = candles(60, (h) => (h >= 10 && h < 22 ? 3 : 1));
    const profile = volumeProfile(data, {
      startAt: '2024-02-29T10:00:00.000Z',
      endAt: '2024-03-02T10:00:00.000Z',
      intervalMs: 12 * HOUR,
    });
    // Day buckets hold 12 × 3 = 36, night buckets 12 × 1 = 12.
    const expected = [36, 12, 36, 12].map((v) => v / 96);
    profile.weights.forEach((w, i) => expect(w).toBeCloseTo(expected[i] ?? NaN, 10));
  });

  it('scales a bucket longer than a day by the days it covers', () => {
    const data = candles(60, () => 1);
    const profile = volumeProfile(data, {
      startAt: '2024-02-29T00:00:00.000Z',
      endAt: '2024-03-03T12:00:00.000Z',
      intervalMs: 48 * HOUR,
    });
    // 48h of volume, then 36h.
    expect(profile.weights[0]).toBeCloseTo(48 / 84, 10);
    expect(profile.weights[1]).toBeCloseTo(36 / 84, 10);
  });

  it('is not dragged down by a lookback that starts mid-bucket', () => {
    const full = candles(15, (h) => (U_SHAPE[h] ?? 5) / 4, [1, 1, 1]);
    const partial = full.filter((c) => c.openTime >= '2024-02-26T10:30:00.000Z');
    const window = {
      startAt: '2024-02-29T10:00:00.000Z',
      endAt: '2024-02-29T16:00:00.000Z',
      intervalMs: HOUR,
    };
    const a = volumeProfile(full, window).weights;
    const b = volumeProfile(partial, window).weights;
    // The first day's 10:00–10:30 is missing, yet bucket 0 keeps its share.
    expect(a[0]).toBeCloseTo(0.25, 10);
    expect(b[0]).toBeCloseTo(0.25, 10);
  });

  it('gives flat weights and a note without data', () => {
    const profile = volumeProfile([], {
      startAt: '2024-02-29T10:00:00.000Z',
      endAt: '2024-02-29T12:00:00.000Z',
      intervalMs: 30 * 60_000,
    });
    expect(profile).toEqual({
      weights: [0.25, 0.25, 0.25, 0.25],
      days: 0,
      notes: ['no candle data: flat profile'],
    });
  });

  it('fills a bucket without data with the average of the others, with a note', () => {
    const data = candles(60, (h) => (h === 11 ? 0 : 2)).filter((c) => !c.openTime.includes('T11:'));
    const profile = volumeProfile(data, {
      startAt: '2024-02-29T10:00:00.000Z',
      endAt: '2024-02-29T13:00:00.000Z',
      intervalMs: HOUR,
    });
    expect(profile.weights.map((w) => w * 3)).toEqual([1, 1, 1].map((x) => expect.closeTo(x, 10)));
    expect(profile.notes).toEqual(['no candle data for bucket(s) 1: using the average of the others']);
  });

  it('keeps a bucket with data but no volume at zero weight', () => {
    const data = candles(60, (h) => (h === 11 ? 0 : 2));
    const profile = volumeProfile(data, {
      startAt: '2024-02-29T10:00:00.000Z',
      endAt: '2024-02-29T13:00:00.000Z',
      intervalMs: HOUR,
    });
    expect(profile.weights).toEqual([0.5, 0, 0.5]);
  });
});

describe('planVwap', () => {
  const input = {
    quantity: '1',
    startAt: '2024-02-29T10:00:00.000Z',
    endAt: '2024-02-29T12:00:00.000Z',
    intervalMs: 30 * 60_000,
  };

  it('sizes slices by the weights and gives zero-weight buckets no slice', () => {
    const plan = planVwap(input, [0.1, 0, 0.4, 0.5], RULES);
    expect(plan.slices).toEqual([
      { index: 0, at: '2024-02-29T10:00:00.000Z', quantity: '0.1' },
      { index: 1, at: '2024-02-29T11:00:00.000Z', quantity: '0.4' },
      { index: 2, at: '2024-02-29T11:30:00.000Z', quantity: '0.5' },
    ]);
  });

  it('sums to the quantity exactly for many random profiles', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = mulberry32(seed);
      const weights = Array.from({ length: 4 }, () => (random() < 0.3 ? 0 : random()));
      if (!weights.some((w) => w > 0)) continue;
      const quantity = dec(10 + Math.floor(random() * 1e6))
        .times('0.001')
        .toFixed();
      const plan = planVwap({ ...input, quantity }, weights, RULES);
      expect(dec(plan.slices.reduce((s, x) => add(s, x.quantity), '0')).equals(quantity)).toBe(true);
      for (const s of plan.slices) {
        expect(isMultipleOfStep(s.quantity, RULES.amountStep)).toBe(true);
        if (plan.slices.length > 1) expect(dec(s.quantity).greaterThanOrEqualTo('0.01')).toBe(true);
      }
    }
  });

  it('refuses a profile of the wrong length', () => {
    expect(() => planVwap(input, [1, 1, 1], RULES)).toThrow('the profile has 3 weights for 4 slices');
  });
});

describe('participationCap', () => {
  it('floors volume × participation to the lot', () => {
    expect(participationCap('12.3456', 0.1, RULES)).toBe('1.234');
    expect(participationCap('0', 0.1, RULES)).toBe('0');
    expect(participationCap('1000', 0.25, RULES)).toBe('250');
  });
});
