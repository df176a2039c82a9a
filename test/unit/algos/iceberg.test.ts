import { dec, isMultipleOfStep } from '../../../src/domain/decimal';
import { nextDisplay } from '../../../src/domain/algos/iceberg';
import { mulberry32 } from '../../../src/domain/algos/prng';
import type { LotRules } from '../../../src/domain/algos/types';

// At price 100, the 5 USDT notional minimum is 0.05.
const RULES: LotRules = { amountStep: '0.001', priceStep: '0.01', minAmount: '0.01', minNotional: '5' };
const fixed = (u: number) => () => (u + 1) / 2; // a "random" that yields u in [−1, 1]
const show = (remaining: string, displayQuantity: string, randomization = 0, random = fixed(0)) =>
  nextDisplay({ remaining, displayQuantity, randomization, random }, RULES, '100');

describe('nextDisplay', () => {
  it('shows the display quantity without randomization', () => {
    expect(show('10', '1')).toEqual({ quantity: '1' });
  });

  it('varies by ±r, floored to the lot', () => {
    expect(show('10', '1', 0.3, fixed(1))).toEqual({ quantity: '1.3' });
    expect(show('10', '1', 0.3, fixed(-1))).toEqual({ quantity: '0.7' });
    expect(show('10', '1.0005', 0, fixed(0))).toEqual({ quantity: '1' });
  });

  it('stays within ±r in lot multiples over many draws, and varies', () => {
    const random = mulberry32(5);
    const seen = new Set<string>();
    for (let k = 0; k < 1000; k++) {
      const { quantity } = show('100', '2', 0.25, random);
      seen.add(quantity);
      expect(isMultipleOfStep(quantity, RULES.amountStep)).toBe(true);
      expect(dec(quantity).greaterThanOrEqualTo('1.499')).toBe(true);
      expect(dec(quantity).lessThanOrEqualTo('2.5')).toBe(true);
    }
    expect(seen.size).toBeGreaterThan(100);
  });

  it('draws once per call whatever the outcome, so replays stay aligned', () => {
    let draws = 0;
    const counting = () => {
      draws++;
      return 0.5;
    };
    show('10', '1', 0.2, counting);
    show('0.001', '1', 0.2, counting);
    show('0', '1', 0.2, counting);
    expect(draws).toBe(3);
  });

  it('shows at least the venue minimum', () => {
    expect(show('10', '0.01')).toEqual({ quantity: '0.05' });
  });

  it('shows at most the remaining', () => {
    expect(show('0.5', '1')).toEqual({ quantity: '0.5' });
  });

  it('shows the whole remaining rather than leave a tail below the minimum', () => {
    expect(show('1.02', '1')).toEqual({
      quantity: '1.02',
      note: 'shows the whole remaining 1.02: the rest would be below the venue minimum',
    });
    expect(show('1.05', '1')).toEqual({ quantity: '1' });
  });

  it('shows nothing when the remaining is below the minimum, with a note', () => {
    expect(show('0.03', '1')).toEqual({
      quantity: '0',
      note: 'the remainder 0.03 is below the venue minimum 0.05 and cannot be shown',
    });
    expect(show('0', '1')).toEqual({ quantity: '0' });
  });
});
