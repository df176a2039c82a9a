import { dec, roundToStep } from '../../../src/domain/decimal';
import { type PovInput, povTarget } from '../../../src/domain/algos/pov';
import type { LotRules } from '../../../src/domain/algos/types';

const RULES: LotRules = { amountStep: '0.001', priceStep: '0.01', minAmount: '0.01' };
const HOUR = 3_600_000;
/** 1000 traded by others in the first hour, three hours to go; the goal is easily on pace. */
const BASE: PovInput = {
  participation: 0.2,
  minParticipation: 0,
  maxParticipation: 0.5,
  marketVolume: '1000',
  ownFilled: '0',
  remaining: '500',
  elapsedMs: HOUR,
  remainingMs: 3 * HOUR,
};

describe('povTarget', () => {
  it('targets p/(1−p) of the others’ volume: 20% of total is 0.25 per 1 of others', () => {
    expect(povTarget(BASE, RULES)).toEqual({ quantity: '250', rate: 0.2 });
  });

  it('counts only the others’ volume and subtracts what we filled', () => {
    // Market 1100 includes our 100: others traded 1000 → target 250, 150 still to go.
    expect(povTarget({ ...BASE, marketVolume: '1100', ownFilled: '100', remaining: '400' }, RULES)).toEqual({
      quantity: '150',
      rate: 0.2,
    });
  });

  it('holds p/(1−p) for many rates, floored to the lot', () => {
    for (const p of [0.01, 0.05, 0.1, 0.15, 0.2, 0.3, 0.45]) {
      const input = {
        ...BASE,
        participation: p,
        marketVolume: '1234.567',
        ownFilled: '7',
        remaining: '100000',
      };
      const result = povTarget({ ...input, remainingMs: 0, maxParticipation: p }, RULES);
      const expected = roundToStep(
        dec('1227.567')
          .times(p)
          .dividedBy(1 - p)
          .minus(7),
        '0.001',
      );
      expect(result.quantity).toBe(expected);
      // Our share of the total volume after this trade is p (up to a lot).
      const ours = dec(7).plus(result.quantity);
      expect(ours.dividedBy(ours.plus('1227.567')).toNumber()).toBeCloseTo(p, 5);
    }
  });

  it('raises the rate when the others’ pace would not finish the order by the deadline', () => {
    // Others: 1000/h, 2h left → 3000 in all; 3000 to do means ours = others → 50% of total.
    const result = povTarget(
      { ...BASE, remaining: '3000', remainingMs: 2 * HOUR, maxParticipation: 0.6 },
      RULES,
    );
    expect(result.rate).toBeCloseTo(0.5, 12);
    expect(result.quantity).toBe('1000');
    expect(result.note).toBe('behind the deadline: rate raised to 0.5000');
  });

  it('never raises the rate above maxParticipation', () => {
    const result = povTarget(
      { ...BASE, remaining: '3000', remainingMs: 2 * HOUR, maxParticipation: 0.3 },
      RULES,
    );
    expect(result.rate).toBe(0.3);
    expect(result.quantity).toBe('428.571'); // 1000 × 0.3 / 0.7
    expect(result.note).toBe('behind the deadline: rate raised to the maximum 0.3');
  });

  it('goes to the maximum at the deadline when behind', () => {
    const result = povTarget({ ...BASE, remaining: '1000', remainingMs: 0 }, RULES);
    expect(result.rate).toBe(0.5);
    expect(result.quantity).toBe('1000');
  });

  it('never uses a rate below minParticipation', () => {
    const result = povTarget({ ...BASE, participation: 0.1, minParticipation: 0.1, remaining: '300' }, RULES);
    expect(result).toEqual({ quantity: '111.111', rate: 0.1 });
    expect(() => povTarget({ ...BASE, minParticipation: 0.3 }, RULES)).toThrow(RangeError);
    expect(() => povTarget({ ...BASE, maxParticipation: 1 }, RULES)).toThrow(RangeError);
  });

  it('never exceeds remaining, never goes negative', () => {
    expect(povTarget({ ...BASE, remaining: '100', remainingMs: 100 * HOUR }, RULES).quantity).toBe('100');
    expect(povTarget({ ...BASE, ownFilled: '300', marketVolume: '1300' }, RULES).quantity).toBe('0');
    // A market volume below our own fills (a late volume feed) means no others' volume yet.
    expect(povTarget({ ...BASE, marketVolume: '10', ownFilled: '20' }, RULES)).toEqual({
      quantity: '0',
      rate: 0.2,
    });
  });

  it('waits when the quantity is below the venue minimum', () => {
    const quiet = { ...BASE, remaining: '1', remainingMs: 1e6 * HOUR };
    expect(povTarget({ ...quiet, marketVolume: '0.02' }, RULES)).toEqual({
      quantity: '0',
      rate: 0.2,
      note: '0.005 is below the venue minimum 0.01: waiting',
    });
    expect(povTarget({ ...quiet, marketVolume: '0.04' }, RULES).quantity).toBe('0.01');
  });

  it('takes the whole remaining rather than leave a tail below the minimum', () => {
    expect(povTarget({ ...BASE, remaining: '250.005', remainingMs: 100 * HOUR }, RULES)).toEqual({
      quantity: '250.005',
      rate: 0.2,
      note: 'takes the whole remaining 250.005: the rest would be below the venue minimum',
    });
  });
});
