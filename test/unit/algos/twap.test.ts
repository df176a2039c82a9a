import { add, dec, isMultipleOfStep } from '../../../src/domain/decimal';
import { mulberry32 } from '../../../src/domain/algos/prng';
import { planTwap, twapSlots, type TwapPlanInput } from '../../../src/domain/algos/twap';
import type { LotRules, SchedulePlan } from '../../../src/domain/algos/types';

const RULES: LotRules = { amountStep: '0.00001', priceStep: '0.01' };
const BTC: LotRules = { ...RULES, minAmount: '0.0001', minNotional: '5' };
const START = '2024-03-01T10:00:00.000Z';
const INPUT: TwapPlanInput = {
  quantity: '1',
  startAt: START,
  endAt: '2024-03-01T11:00:00.000Z',
  intervalMs: 5 * 60_000,
  randomization: 0,
  seed: 42,
};
const total = (plan: SchedulePlan) => plan.slices.reduce((s, x) => add(s, x.quantity), '0');

describe('mulberry32', () => {
  it('is deterministic per seed and stays in [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const c = mulberry32(8);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
  });
});

describe('planTwap', () => {
  it('without randomization: equal slices at the nominal times', () => {
    const plan = planTwap(INPUT, RULES);
    expect(plan.slices).toHaveLength(12);
    expect(plan.notes).toEqual([]);
    plan.slices.forEach((s, i) => {
      expect(s.index).toBe(i);
      expect(s.at).toBe(new Date(Date.parse(START) + i * 5 * 60_000).toISOString());
    });
    // 1 / 12 = 0.083333… → 8333 lots each, the 4 residual lots to the first slices.
    expect(plan.slices.map((s) => s.quantity)).toEqual([
      ...Array<string>(4).fill('0.08334'),
      ...Array<string>(8).fill('0.08333'),
    ]);
    expect(total(plan)).toBe('1');
  });

  it('uses ceil((end − start) / interval) slices; a short last one stays inside the window', () => {
    const input = { ...INPUT, endAt: '2024-03-01T10:12:00.000Z', randomization: 0.9 };
    for (let seed = 0; seed < 50; seed++) {
      const slots = twapSlots({ ...input, seed });
      expect(slots).toHaveLength(3);
      const last = slots[2]?.atMs ?? 0;
      expect(last).toBeGreaterThanOrEqual(Date.parse('2024-03-01T10:10:00.000Z'));
      expect(last).toBeLessThan(Date.parse(input.endAt));
    }
  });

  it('keeps randomized times ordered, inside their interval, and weights within ±r', () => {
    for (const r of [0.1, 0.5, 0.99]) {
      for (let seed = 0; seed < 50; seed++) {
        const slots = twapSlots({ ...INPUT, randomization: r, seed });
        slots.forEach((slot, i) => {
          const nominal = Date.parse(START) + i * INPUT.intervalMs;
          expect(slot.atMs).toBeGreaterThanOrEqual(nominal);
          expect(slot.atMs).toBeLessThan(nominal + r * INPUT.intervalMs);
          expect(slot.weight).toBeGreaterThanOrEqual(1 - r);
          expect(slot.weight).toBeLessThanOrEqual(1 + r);
        });
      }
    }
  });

  it('actually randomizes: times and sizes vary with the seed', () => {
    const a = planTwap({ ...INPUT, randomization: 0.5, seed: 1 }, RULES);
    const b = planTwap({ ...INPUT, randomization: 0.5, seed: 2 }, RULES);
    expect(a.slices.map((s) => s.at)).not.toEqual(b.slices.map((s) => s.at));
    expect(new Set(a.slices.map((s) => s.quantity)).size).toBeGreaterThan(6);
  });

  it('is deterministic for a seed', () => {
    const input = { ...INPUT, randomization: 0.3, seed: 99 };
    expect(planTwap(input, BTC, '60000')).toEqual(planTwap(input, BTC, '60000'));
  });

  it('sums to the quantity exactly in lot multiples, times ordered and in the window, over many seeds', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = mulberry32(seed * 7919);
      const quantity = dec(1 + Math.floor(random() * 5e6))
        .times('0.00001')
        .toFixed();
      const intervalMs = 1000 + Math.floor(random() * 600_000);
      const spanMs = intervalMs * (1 + random() * 30);
      const input: TwapPlanInput = {
        quantity,
        startAt: START,
        endAt: new Date(Date.parse(START) + Math.round(spanMs)).toISOString(),
        intervalMs,
        randomization: random() * 0.99,
        seed,
      };
      const plan = planTwap(input, BTC, '60000');
      expect(dec(total(plan)).equals(quantity)).toBe(true);
      let previous = -Infinity;
      plan.slices.forEach((s, i) => {
        expect(s.index).toBe(i);
        expect(isMultipleOfStep(s.quantity, BTC.amountStep)).toBe(true);
        expect(dec(s.quantity).greaterThan(0)).toBe(true);
        const t = Date.parse(s.at);
        expect(t).toBeGreaterThan(previous);
        expect(t).toBeGreaterThanOrEqual(Date.parse(input.startAt));
        expect(t).toBeLessThan(Date.parse(input.endAt));
        previous = t;
      });
      if (plan.slices.length > 1)
        expect(plan.slices.every((s) => dec(s.quantity).greaterThanOrEqualTo('0.0001'))).toBe(true);
    }
  });

  it('drops slices merged for being below the minimum, renumbers and keeps the notes', () => {
    // 0.0005 over 12 slices is 50 lots: 5, 5, then 4 each — all below the 10-lot minimum, so
    // they roll forward until they reach it; the last slice's 4 lots go back.
    const plan = planTwap({ ...INPUT, quantity: '0.0005' }, BTC);
    expect(total(plan)).toBe('0.0005');
    expect(plan.slices).toEqual([
      { index: 0, at: '2024-03-01T10:05:00.000Z', quantity: '0.0001' },
      { index: 1, at: '2024-03-01T10:20:00.000Z', quantity: '0.00012' },
      { index: 2, at: '2024-03-01T10:35:00.000Z', quantity: '0.00012' },
      { index: 3, at: '2024-03-01T10:50:00.000Z', quantity: '0.00016' },
    ]);
    expect(plan.notes).toHaveLength(8);
    expect(plan.notes[0]).toBe(
      'slice at 2024-03-01T10:00:00.000Z: 0.00005 below the venue minimum 0.0001, merged into slice at 2024-03-01T10:05:00.000Z',
    );
    expect(plan.notes[7]).toBe(
      'slice at 2024-03-01T10:55:00.000Z: 0.00004 below the venue minimum 0.0001, merged back into slice at 2024-03-01T10:50:00.000Z',
    );
  });

  it('refuses a window that ends before it starts or a bad interval', () => {
    expect(() => planTwap({ ...INPUT, endAt: START }, RULES)).toThrow(RangeError);
    expect(() => planTwap({ ...INPUT, intervalMs: 0 }, RULES)).toThrow(RangeError);
    expect(() => planTwap({ ...INPUT, randomization: 1 }, RULES)).toThrow(RangeError);
  });
});
