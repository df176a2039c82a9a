import { add, dec, isMultipleOfStep } from '../../../src/domain/decimal';
import { AllocationError, allocateToLots, minimumChildQuantity } from '../../../src/domain/algos/allocation';
import { mulberry32 } from '../../../src/domain/algos/prng';
import type { LotRules } from '../../../src/domain/algos/types';

const LOTS: LotRules = { amountStep: '0.01', priceStep: '0.01' };
const BTC: LotRules = { amountStep: '0.00001', priceStep: '0.01', minAmount: '0.0001', minNotional: '5' };

const sum = (xs: readonly string[]) => xs.reduce((s, x) => add(s, x), '0');
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof AllocationError ? err.code : 'OTHER';
  }
  return 'NONE';
};

describe('minimumChildQuantity', () => {
  it('is one lot when the venue has no other minimum', () => {
    expect(minimumChildQuantity(LOTS)).toBe('0.01');
  });

  it('is the larger of minAmount and minNotional / price rounded UP to the lot', () => {
    expect(minimumChildQuantity(BTC)).toBe('0.0001'); // no price: notional not convertible
    expect(minimumChildQuantity(BTC, '60000')).toBe('0.0001'); // 5/60000 = 0.0000833… → 0.00009 < 0.0001
    expect(minimumChildQuantity(BTC, '10000')).toBe('0.0005');
    expect(minimumChildQuantity(BTC, '30000')).toBe('0.00017'); // 0.000166… rounded up
  });

  it('rounds a minAmount that is not a lot multiple up to the lot', () => {
    expect(minimumChildQuantity({ amountStep: '0.1', priceStep: '1', minAmount: '0.25' })).toBe('0.3');
  });
});

describe('allocateToLots', () => {
  it('splits evenly when the lots allow', () => {
    expect(allocateToLots('1', [1, 1, 1, 1], LOTS)).toEqual({
      quantities: ['0.25', '0.25', '0.25', '0.25'],
      notes: [],
    });
  });

  it('gives residual lots by largest remainder, earlier index first on ties', () => {
    expect(allocateToLots('1', [1, 1, 1], LOTS).quantities).toEqual(['0.34', '0.33', '0.33']);
    expect(allocateToLots('0.05', [1, 1, 1, 1], LOTS).quantities).toEqual(['0.02', '0.01', '0.01', '0.01']);
    // 0.1 × (1, 2, 3)/6 = 0.01666…, 0.0333…, 0.05: remainders .67, .33, 0 → one lot to slice 0.
    expect(allocateToLots('0.1', [1, 2, 3], LOTS).quantities).toEqual(['0.02', '0.03', '0.05']);
  });

  it('gives zero-weight slices nothing', () => {
    expect(allocateToLots('1', [0, 1, 0, 3], LOTS).quantities).toEqual(['0', '0.25', '0', '0.75']);
  });

  it('sums to the total exactly, in lot multiples, for many random inputs', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = mulberry32(seed);
      const n = 1 + Math.floor(random() * 40);
      const weights: number[] = Array.from({ length: n }, () => (random() < 0.2 ? 0 : random() * 10));
      if (!weights.some((w) => w > 0)) weights[0] = 1;
      const total = dec(Math.floor(random() * 1e7))
        .times('0.00001')
        .toFixed();
      const { quantities } = allocateToLots(total, weights, { ...BTC, minNotional: undefined });
      expect(quantities).toHaveLength(n);
      expect(dec(sum(quantities)).equals(total)).toBe(true);
      for (const q of quantities) {
        expect(isMultipleOfStep(q, BTC.amountStep)).toBe(true);
        expect(dec(q).isNegative()).toBe(false);
        if (q !== '0')
          expect(
            dec(q).greaterThanOrEqualTo('0.0001') || quantities.filter((x) => x !== '0').length === 1,
          ).toBe(true);
      }
      weights.forEach((w, i) => {
        if (w === 0 && i < n - 1) expect(quantities[i]).toBe('0');
      });
    }
  });

  it('merges a slice below the venue minimum forward, with a note', () => {
    // 0.0201 × (0.5, 100, 100)/200.5 → 5, 1002.49, 1002.49 lots; the residual lot goes to slice 1.
    const { quantities, notes } = allocateToLots('0.0201', [0.5, 100, 100], BTC);
    expect(quantities).toEqual(['0', '0.01008', '0.01002']);
    expect(notes).toEqual(['slice 0: 0.00005 below the venue minimum 0.0001, merged into slice 1']);
  });

  it('carries several tiny slices until they reach the minimum', () => {
    const { quantities, notes } = allocateToLots('0.001', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 90], {
      ...BTC,
      minAmount: '0.0002',
    });
    // Each small slice is 0.00001; they roll forward into the big last one.
    expect(dec(sum(quantities)).equals('0.001')).toBe(true);
    expect(quantities.slice(0, 10).every((q) => q === '0')).toBe(true);
    expect(quantities[10]).toBe('0.001');
    expect(notes).toHaveLength(10);
    expect(notes[3]).toBe('slice 3: 0.00001 below the venue minimum 0.0002, merged into slice 10');
  });

  it('merges a tiny last slice back into the previous nonzero slice', () => {
    const { quantities, notes } = allocateToLots('0.0201', [100, 100, 0.5, 0], BTC);
    expect(quantities).toEqual(['0.01003', '0.01007', '0', '0']);
    expect(notes).toEqual(['slice 2: 0.00005 below the venue minimum 0.0001, merged back into slice 1']);
  });

  it('puts a whole total below the minimum into the last weighted slice', () => {
    const { quantities, notes } = allocateToLots('0.00005', [1, 1, 0], BTC);
    expect(quantities).toEqual(['0', '0.00005', '0']);
    expect(notes).toEqual(['total 0.00005 is below the venue minimum 0.0001: all of it in slice 1']);
  });

  it('applies the notional minimum at the reference price', () => {
    // At 10000, 5 USDT is 0.0005: a 0.0003 slice is too small.
    const { quantities, notes } = allocateToLots('0.0033', [1, 10], BTC, '10000');
    expect(quantities).toEqual(['0', '0.0033']);
    expect(notes[0]).toBe('slice 0: 0.0003 below the venue minimum 0.0005, merged into slice 1');
  });

  it('uses the label for notes', () => {
    const { notes } = allocateToLots('0.0201', [0.5, 100, 100], BTC, undefined, (i) => `#${i + 1}`);
    expect(notes).toEqual(['#1: 0.00005 below the venue minimum 0.0001, merged into #2']);
  });

  it('notes slices above the venue maximum but keeps them', () => {
    const { quantities, notes } = allocateToLots('3', [1, 2], { ...LOTS, maxAmount: '1.5' });
    expect(quantities).toEqual(['1', '2']);
    expect(notes).toEqual(['slice 1: 2 is above the venue maximum 1.5']);
  });

  it('allocates zero as zeros', () => {
    expect(allocateToLots('0', [1, 2], LOTS)).toEqual({ quantities: ['0', '0'], notes: [] });
  });

  it('refuses bad input with a code', () => {
    expect(codeOf(() => allocateToLots('1.005', [1], LOTS))).toBe('QUANTITY_NOT_LOT_MULTIPLE');
    expect(codeOf(() => allocateToLots('1', [0, 0], LOTS))).toBe('NO_WEIGHT');
    expect(codeOf(() => allocateToLots('1', [], LOTS))).toBe('NO_WEIGHT');
    expect(codeOf(() => allocateToLots('1', [1, -1], LOTS))).toBe('INVALID_WEIGHT');
    expect(codeOf(() => allocateToLots('1', [1, Number.NaN], LOTS))).toBe('INVALID_WEIGHT');
    expect(codeOf(() => allocateToLots('-1', [1], LOTS))).toBe('NEGATIVE_QUANTITY');
  });
});
