import { ModelError, almgrenChriss, trajectoryCost } from '../../../src/domain/algos/almgren-chriss';
import {
  planImplementationShortfall,
  type IsPlanInput,
} from '../../../src/domain/algos/implementation-shortfall';
import type { LotRules } from '../../../src/domain/algos/types';
import { add, cmp, sub } from '../../../src/domain/decimal';

const DAY = 86_400_000;
const RULES: LotRules = { amountStep: '0.001', priceStep: '0.01', minAmount: '0.01' };
/** The paper's parameters over 5 days in 5 daily slices, for 10 units. */
const INPUT: IsPlanInput = {
  quantity: '10',
  startAt: '2024-01-01T00:00:00.000Z',
  endAt: '2024-01-06T00:00:00.000Z',
  slices: 5,
  timeUnitMs: DAY,
  sigma: 0.95,
  eta: 2.5e-6,
  gamma: 2.5e-7,
  epsilon: 0.0625,
  riskAversion: 1e-6,
};

const sum = (values: readonly string[]) => values.reduce((s, v) => add(s, v), '0');

describe('planImplementationShortfall', () => {
  const plan = planImplementationShortfall(INPUT, RULES);
  const model = almgrenChriss({ X: 10, T: 5, N: 5, ...INPUT, lambda: 1e-6 });

  it('slices sum exactly to the quantity and are lot multiples', () => {
    expect(sum(plan.slices.map((s) => s.quantity))).toBe('10');
    for (const s of plan.slices) expect(Number.isInteger(Number(s.quantity) * 1000)).toBe(true);
  });

  it('follows the model trajectory to within a lot per slice (largest remainder), front-loaded', () => {
    expect(plan.slices).toHaveLength(5);
    plan.slices.forEach((s, k) =>
      expect(Math.abs(Number(s.quantity) - (model.trades[k] as number))).toBeLessThanOrEqual(0.001),
    );
    expect(plan.slices.map((s) => s.quantity)).toEqual(['4.58', '2.521', '1.42', '0.858', '0.621']);
  });

  it('places slice j at start + j·τ', () => {
    expect(plan.slices.map((s) => s.at)).toEqual([
      '2024-01-01T00:00:00.000Z',
      '2024-01-02T00:00:00.000Z',
      '2024-01-03T00:00:00.000Z',
      '2024-01-04T00:00:00.000Z',
      '2024-01-05T00:00:00.000Z',
    ]);
    expect(plan.slices.map((s) => s.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it('holdings are the quantity minus the cumulative rounded slices, N + 1 of them', () => {
    expect(plan.holdings).toHaveLength(6);
    expect(plan.holdings[0]).toBe('10');
    expect(plan.holdings[5]).toBe('0');
    plan.slices.forEach((s, k) =>
      expect(sub(plan.holdings[k] as string, s.quantity)).toBe(plan.holdings[k + 1]),
    );
    plan.holdings.forEach((h, j) =>
      expect(Math.abs(Number(h) - (model.holdings[j] as number))).toBeLessThanOrEqual(0.001),
    );
  });

  it("reports κ, E and V of the model's trajectory (the paper's numbers)", () => {
    expect(plan.kappa).toBeCloseTo(model.kappa, 12);
    expect(plan.modelHoldings).toEqual(model.holdings);
    const direct = trajectoryCost(model.holdings, { tau: 1, ...INPUT });
    expect(plan.expectedCost).toBe(direct.expectedCost);
    expect(plan.variance).toBe(direct.variance);
  });

  it('riskAversion 0 (and no urgency) is TWAP', () => {
    const twap = planImplementationShortfall({ ...INPUT, riskAversion: undefined }, RULES);
    expect(twap.slices.map((s) => s.quantity)).toEqual(['2', '2', '2', '2', '2']);
    expect(twap.kappa).toBe(0);
  });

  it('urgency sets κT', () => {
    const { riskAversion: _ignored, ...rest } = INPUT;
    const urgent = planImplementationShortfall({ ...rest, urgency: 4 }, RULES);
    expect(urgent.kappa * 5).toBeCloseTo(4, 9);
    expect(sum(urgent.slices.map((s) => s.quantity))).toBe('10');
    expect(cmp(urgent.slices[0]?.quantity ?? '0', plan.slices[0]?.quantity ?? '0')).toBe(1);
  });

  it('notes an urgency ignored in favour of riskAversion', () => {
    const both = planImplementationShortfall({ ...INPUT, urgency: 9 }, RULES);
    expect(both.kappa).toBeCloseTo(model.kappa, 12);
    expect(both.notes.join('\n')).toMatch(/urgency 9 ignored/);
  });

  it('drops slices left empty by the venue minimum, renumbers them and keeps holdings on the grid', () => {
    // TWAP of 0.05 in 5 slices is 0.01 each, below the 0.02 minimum: slices merge forward in pairs.
    const tiny = planImplementationShortfall(
      { ...INPUT, quantity: '0.05', riskAversion: 0 },
      { ...RULES, minAmount: '0.02' },
    );
    expect(tiny.slices).toEqual([
      { index: 0, at: '2024-01-02T00:00:00.000Z', quantity: '0.02' },
      { index: 1, at: '2024-01-04T00:00:00.000Z', quantity: '0.03' },
    ]);
    expect(tiny.holdings).toEqual(['0.05', '0.05', '0.03', '0.03', '0', '0']);
    expect(tiny.notes.filter((n) => /dropped/.test(n))).toHaveLength(3);
    expect(tiny.notes.some((n) => /slice 0 \(2024-01-01T00:00:00.000Z\).*merged into slice 1/.test(n))).toBe(
      true,
    );
  });

  it('a steep trajectory merges its tiny tail back into the front', () => {
    const { riskAversion: _ignored, ...rest } = INPUT;
    const steep = planImplementationShortfall({ ...rest, urgency: 20 }, { ...RULES, minAmount: '0.1' });
    expect(steep.slices.map((s) => s.quantity)).toEqual(['9.817', '0.183']);
    expect(steep.holdings).toEqual(['10', '0.183', '0', '0', '0', '0']);
    for (const s of steep.slices) {
      const j = (Date.parse(s.at) - Date.parse(INPUT.startAt)) / DAY;
      expect(sub(steep.holdings[j] as string, s.quantity)).toBe(steep.holdings[j + 1]);
    }
  });

  it('refuses an empty window', () => {
    expect(() => planImplementationShortfall({ ...INPUT, endAt: INPUT.startAt }, RULES)).toThrow(ModelError);
  });
});
