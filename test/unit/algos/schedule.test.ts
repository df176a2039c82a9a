import { add, dec } from '../../../src/domain/decimal';
import { replanRemaining, scheduledCumulative, sliceTarget } from '../../../src/domain/algos/schedule';
import type { LotRules, SchedulePlan } from '../../../src/domain/algos/types';

const RULES: LotRules = { amountStep: '0.001', priceStep: '0.01', minAmount: '0.01' };
const T0 = Date.parse('2024-03-01T10:00:00.000Z');
const MIN = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();

/** Four slices of 1 at 10:00, 10:01, 10:02, 10:03. */
const PLAN: SchedulePlan = {
  slices: [0, 1, 2, 3].map((i) => ({ index: i, at: at(i), quantity: '1' })),
  notes: [],
};
const target = (index: number, filled: string, remaining: string, extra: { cap?: string } = {}) =>
  sliceTarget({ plan: PLAN, index, filled, remaining, rules: RULES, ...extra });

describe('scheduledCumulative', () => {
  it('sums the slices due by now, inclusive', () => {
    expect(scheduledCumulative(PLAN, T0 - 1)).toBe('0');
    expect(scheduledCumulative(PLAN, T0)).toBe('1');
    expect(scheduledCumulative(PLAN, T0 + 90_000)).toBe('2');
    expect(scheduledCumulative(PLAN, T0 + 3 * MIN)).toBe('4');
  });
});

describe('sliceTarget', () => {
  it('sends the slice when on schedule', () => {
    expect(target(0, '0', '4')).toEqual({ quantity: '1' });
    expect(target(2, '2', '2')).toEqual({ quantity: '1' });
  });

  it('catches up what earlier slices did not fill', () => {
    expect(target(1, '0.5', '3.5')).toEqual({ quantity: '1.5' });
    expect(target(2, '0', '4')).toEqual({ quantity: '3' });
  });

  it('sends nothing when ahead of the schedule', () => {
    expect(target(1, '2.5', '1.5')).toEqual({ quantity: '0' });
  });

  it('floors to the lot and never exceeds remaining', () => {
    expect(target(1, '0.4567', '3.5433')).toEqual({ quantity: '1.543' });
    expect(target(2, '0', '0.5')).toEqual({ quantity: '0.5' });
  });

  it('respects a cap, with a note', () => {
    expect(target(2, '0', '4', { cap: '1.2345' })).toEqual({
      quantity: '1.234',
      note: 'slice 2: capped at 1.234 (wanted 3)',
    });
  });

  it('gives the last slice everything remaining', () => {
    expect(target(3, '3', '1.5')).toEqual({ quantity: '1.5' });
    expect(target(3, '0', '4')).toEqual({ quantity: '4' });
  });

  it('rolls a catch-up below the venue minimum into later slices', () => {
    expect(target(1, '1.995', '2.005')).toEqual({
      quantity: '0',
      note: 'slice 1: 0.005 is below the venue minimum 0.01: rolls into later slices',
    });
  });

  it('says a last remainder below the minimum cannot be sent', () => {
    expect(target(3, '3.995', '0.005')).toEqual({
      quantity: '0',
      note: 'slice 3: the remainder 0.005 is below the venue minimum 0.01 and cannot be sent',
    });
  });

  it('takes the whole remainder rather than leave a tail below the minimum', () => {
    // The parent was amended down to 3.005: after slice 2's 1, 0.005 would be left over.
    expect(target(2, '2', '1.005')).toEqual({
      quantity: '1.005',
      note: 'slice 2: takes the whole remaining 1.005: the rest would be below the venue minimum',
    });
  });

  it('sends nothing when nothing remains, and refuses an index outside the plan', () => {
    expect(target(3, '4', '0')).toEqual({ quantity: '0' });
    expect(() => target(4, '0', '4')).toThrow(RangeError);
  });
});

describe('replanRemaining', () => {
  const total = (plan: SchedulePlan) => plan.slices.reduce((s, x) => add(s, x.quantity), '0');

  it('keeps past slices and spreads the remaining over the future in proportion', () => {
    const uneven: SchedulePlan = {
      slices: [
        { index: 0, at: at(0), quantity: '1' },
        { index: 1, at: at(1), quantity: '1' },
        { index: 2, at: at(2), quantity: '1' },
        { index: 3, at: at(3), quantity: '3' },
      ],
      notes: ['earlier note'],
    };
    const plan = replanRemaining(uneven, T0 + 90_000, '2', T0 + 4 * MIN, RULES);
    expect(plan.slices).toEqual([
      { index: 0, at: at(0), quantity: '1' },
      { index: 1, at: at(1), quantity: '1' },
      { index: 2, at: at(2), quantity: '0.5' },
      { index: 3, at: at(3), quantity: '1.5' },
    ]);
    expect(plan.notes).toEqual(['earlier note']);
  });

  it('sums past + remaining exactly for awkward remainders', () => {
    const plan = replanRemaining(PLAN, T0 + 30_000, '3.001', T0 + 4 * MIN, RULES);
    expect(plan.slices.map((s) => s.quantity)).toEqual(['1', '1.001', '1', '1']);
    expect(dec(total(plan)).equals('4.001')).toBe(true);
  });

  it('puts everything in one slice at now when no slice is left', () => {
    const plan = replanRemaining(PLAN, T0 + 10 * MIN, '0.7', T0 + 20 * MIN, RULES);
    expect(plan.slices).toHaveLength(5);
    expect(plan.slices[4]).toEqual({ index: 4, at: at(10), quantity: '0.7' });
  });

  it('drops slices at or after a new, earlier end', () => {
    const plan = replanRemaining(PLAN, T0 + 30_000, '3', T0 + 3 * MIN, RULES);
    expect(plan.slices.map((s) => [s.at, s.quantity])).toEqual([
      [at(0), '1'],
      [at(1), '1.5'],
      [at(2), '1.5'],
    ]);
  });

  it('spreads evenly when the future slices were all empty', () => {
    const empty: SchedulePlan = {
      slices: [0, 1, 2].map((i) => ({ index: i, at: at(i), quantity: '0' })),
      notes: [],
    };
    const plan = replanRemaining(empty, T0, '0.9', T0 + 3 * MIN, RULES);
    expect(plan.slices.map((s) => s.quantity)).toEqual(['0.3', '0.3', '0.3']);
  });

  it('merges future slices that would fall below the minimum, and floors a non-lot remainder', () => {
    const plan = replanRemaining(PLAN, T0 + 30_000, '0.0155', T0 + 4 * MIN, RULES);
    expect(plan.slices.map((s) => s.quantity)).toEqual(['1', '0.015']);
    expect(plan.notes[0]).toBe('remaining 0.0155 is not a multiple of the lot size 0.001: re-planned 0.015');
    expect(plan.notes.slice(1)).toEqual([
      `slice at ${at(1)}: 0.005 below the venue minimum 0.01, merged into slice at ${at(2)}`,
      `slice at ${at(3)}: 0.005 below the venue minimum 0.01, merged back into slice at ${at(2)}`,
    ]);
  });
});
