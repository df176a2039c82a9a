import { type ParentRequest, validateParentRequest } from '../../src/domain/algos/params';
import { type ParentPlan, PlanError, planParent, plannedTotal } from '../../src/domain/algos/plan';
import type { Algo, LotRules } from '../../src/domain/algos/types';
import { OrderRequestError } from '../../src/domain/order-request';

const NOW = new Date('2030-01-01T00:00:00.000Z');
const SATOSHI: LotRules = { amountStep: '0.00000001', priceStep: '0.01' };
const BASE = { symbol: 'BTC/USDT', side: 'buy', quantity: '1', venue: 'sim' };

function request(algo: Algo, fields: Record<string, unknown>): ParentRequest {
  const result = validateParentRequest(algo, { ...BASE, ...fields }, { now: NOW });
  if (!result.ok) throw new Error(`expected a valid request, got ${JSON.stringify(result.issues)}`);
  return result.request;
}

function planError(fn: () => unknown): PlanError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PlanError) return err;
    throw err;
  }
  throw new Error('expected a PlanError');
}

const atMs = (plan: ParentPlan) => plan.slices.map((s) => Date.parse(s.at) - NOW.getTime());

describe('planParent: TWAP', () => {
  it('equal slices at the interval, summing exactly to the quantity', () => {
    const plan = planParent(request('twap', { duration: '2h', interval: '5m' }), { rules: SATOSHI });
    expect(plan.algo).toBe('twap');
    expect(plan.slices).toHaveLength(24);
    expect(plannedTotal(plan)).toBe('1');
    expect(atMs(plan)).toEqual(Array.from({ length: 24 }, (_, i) => i * 300_000));
    expect(plan.slices.map((s) => s.index)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(plan.notes).toEqual([]);
    expect(plan.holdings).toBeUndefined();
  });

  it('randomised slices still sum exactly, and the same seed gives the same plan', () => {
    const r = request('twap', {
      quantity: '0.7',
      duration: '1h',
      interval: '7m',
      randomization: 0.4,
      seed: 11,
    });
    const plan = planParent(r, { rules: SATOSHI });
    expect(plannedTotal(plan)).toBe('0.7');
    expect(new Set(plan.slices.map((s) => s.quantity)).size).toBeGreaterThan(1);
    expect(planParent(r, { rules: SATOSHI })).toEqual(plan);
  });

  it("a planner's typed refusal becomes a PlanError (a request error) with the planner's code", () => {
    const r = request('twap', { quantity: '1.05', duration: '1h', interval: '10m' });
    const err = planError(() => planParent(r, { rules: { amountStep: '0.1', priceStep: '0.01' } }));
    expect(err).toBeInstanceOf(OrderRequestError);
    expect(err.code).toBe('QUANTITY_NOT_LOT_MULTIPLE');
  });
});

describe('planParent: VWAP', () => {
  it("follows the request's profile", () => {
    const r = request('vwap', { quantity: '6', duration: '30m', interval: '10m', profile: [1, 2, 3] });
    const plan = planParent(r, { rules: SATOSHI });
    expect(plan.slices.map((s) => s.quantity)).toEqual(['1', '2', '3']);
    expect(plan.notes).toEqual([]);
  });

  it("without a profile, follows the market's volume weights", () => {
    const r = request('vwap', { quantity: '10', duration: '30m', interval: '10m' });
    const plan = planParent(r, { rules: SATOSHI, volumeWeights: [0.5, 0.3, 0.2] });
    expect(plan.slices.map((s) => s.quantity)).toEqual(['5', '3', '2']);
  });

  it('with neither, flat weights and a note that the worker builds the profile from candles', () => {
    const r = request('vwap', { quantity: '1', duration: '1h', interval: '20m' });
    const plan = planParent(r, { rules: SATOSHI });
    expect(plan.slices.map((s) => s.quantity)).toEqual(['0.33333334', '0.33333333', '0.33333333']);
    expect(plannedTotal(plan)).toBe('1');
    expect(plan.notes.join(' ')).toMatch(/flat weights.*candles/);
  });

  it('volume weights of the wrong length are refused, not stretched', () => {
    const r = request('vwap', { quantity: '1', duration: '1h', interval: '20m' });
    const err = planError(() => planParent(r, { rules: SATOSHI, volumeWeights: [1, 1] }));
    expect(err.issues).toEqual([
      { code: 'PROFILE_LENGTH', field: 'profile', message: 'the profile has 2 weights for 3 slices' },
    ]);
  });
});

describe('planParent: implementation shortfall', () => {
  /** The paper's example (Almgren & Chriss 2000, Table 1), in days. */
  const PAPER = {
    side: 'sell',
    quantity: '1000000',
    duration: '5d',
    slices: 5,
    sigma: 0.95,
    eta: 2.5e-6,
    gamma: 2.5e-7,
    epsilon: 0.0625,
    riskAversion: 1e-6,
  };
  const X = 1_000_000;
  const T = 5;
  const tau = 1;
  const etaTilde = PAPER.eta - (PAPER.gamma * tau) / 2;
  // κ from 2(cosh κτ − 1) = τ²κ̃², κ̃² = λσ²/η̃ (computed here independently of the planner).
  const kappa = Math.acosh(1 + (tau * tau * PAPER.riskAversion * PAPER.sigma ** 2) / etaTilde / 2) / tau;
  const model = Array.from(
    { length: 6 },
    (_, j) => (X * Math.sinh(kappa * (T - j * tau))) / Math.sinh(kappa * T),
  );

  it("the paper's example: κ ≈ 0.6 per day, holdings from 1000000 to 0, the model's E and V", () => {
    const plan = planParent(request('is', PAPER), { rules: { amountStep: '1', priceStep: '0.01' } });
    expect(plan.params).toMatchObject({ timeUnitMs: 86_400_000 });
    expect(plan.kappa).toBeCloseTo(0.6, 1);
    expect(plan.kappa).toBeCloseTo(kappa, 9);
    expect(plan.holdings).toHaveLength(6);
    expect(plan.holdings?.[0]).toBe('1000000');
    expect(plan.holdings?.[5]).toBe('0');
    plan.holdings?.forEach((x, j) =>
      expect(Math.abs(Number(x) - (model[j] as number))).toBeLessThanOrEqual(1),
    );
    // Trades front-loaded (a risk-averse seller), one a day, summing exactly.
    const trades = plan.slices.map((s) => Number(s.quantity));
    expect(trades).toEqual([...trades].sort((a, b) => b - a));
    expect(atMs(plan)).toEqual([0, 1, 2, 3, 4].map((d) => d * 86_400_000));
    expect(plannedTotal(plan)).toBe('1000000');
    // E and V by the paper's direct sums over the model trajectory.
    const n = model.slice(1).map((x, k) => (model[k] as number) - x);
    const E =
      (PAPER.gamma * X * X) / 2 +
      PAPER.epsilon * n.reduce((s, v) => s + Math.abs(v), 0) +
      (etaTilde / tau) * n.reduce((s, v) => s + v * v, 0);
    const V = PAPER.sigma ** 2 * tau * model.slice(1).reduce((s, x) => s + x * x, 0);
    expect(plan.expectedCost).toBeCloseTo(E, 3);
    expect(plan.variance).toBeCloseTo(V, -1);
  });

  it('σ, η, γ are per the unit --duration is written in: 120h gives the same schedule as 5d', () => {
    const rules = { amountStep: '1', priceStep: '0.01' };
    const inDays = planParent(request('is', PAPER), { rules });
    const hourly = {
      ...PAPER,
      duration: '120h',
      // σ is per √time; η multiplies a rate (units per time), so it scales with the unit; γ does not.
      sigma: PAPER.sigma / Math.sqrt(24),
      eta: PAPER.eta * 24,
    };
    const inHours = planParent(request('is', hourly), { rules });
    expect(inHours.params).toMatchObject({ timeUnitMs: 3_600_000 });
    expect(inHours.slices.map((s) => s.quantity)).toEqual(inDays.slices.map((s) => s.quantity));
    expect(inHours.kappa).toBeCloseTo((inDays.kappa as number) / 24, 9);
  });

  it('without σ, η, γ, ε a plan is refused: MISSING_MODEL_PARAMETERS names them and says why', () => {
    const r = request('is', { duration: '1h', slices: 4, sigma: 1 });
    const err = planError(() => planParent(r, { rules: SATOSHI }));
    expect(err.code).toBe('MISSING_MODEL_PARAMETERS');
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]?.field).toBe('eta');
    expect(err.message).toMatch(/eta, gamma, epsilon not given.*estimates them from the venue's candles/);
  });
});

describe('planParent: POV and smart routing have no fixed schedule', () => {
  it('POV: no slices, a note that sizes come from observed volume', () => {
    const plan = planParent(request('pov', { duration: '1h', participation: 0.1 }), { rules: SATOSHI });
    expect(plan.slices).toEqual([]);
    expect(plan.notes).toHaveLength(1);
    expect(plan.notes[0]).toMatch(/volume/);
  });

  it('route: no slices, a note that it routes from live order books', () => {
    const plan = planParent(request('route', { venues: ['a', 'b'] }), { rules: SATOSHI });
    expect(plan.slices).toEqual([]);
    expect(plan.notes[0]).toMatch(/order books/);
  });
});

describe('planParent: iceberg', () => {
  const iceberg = (fields: Record<string, unknown>) =>
    request('iceberg', { quantity: '10', limitPrice: '60000', displayQuantity: '3', ...fields });

  it('the shown quantities in order, all at the start, summing exactly, with a note why', () => {
    const plan = planParent(iceberg({}), { rules: SATOSHI });
    expect(plan.slices.map((s) => s.quantity)).toEqual(['3', '3', '3', '1']);
    expect(new Set(plan.slices.map((s) => s.at))).toEqual(new Set([NOW.toISOString()]));
    expect(plan.notes[0]).toMatch(/previous one has filled/);
  });

  it('randomised by the seed: within ±r of the display, exact sum, reproducible', () => {
    const r = iceberg({ quantity: '100', displayRandomization: 0.3, seed: 42 });
    const plan = planParent(r, { rules: SATOSHI });
    expect(plannedTotal(plan)).toBe('100');
    for (const s of plan.slices.slice(0, -1)) {
      expect(Number(s.quantity)).toBeGreaterThanOrEqual(2.1);
      expect(Number(s.quantity)).toBeLessThanOrEqual(3.9);
    }
    expect(planParent(r, { rules: SATOSHI })).toEqual(plan);
    expect(
      planParent(iceberg({ quantity: '100', displayRandomization: 0.3, seed: 43 }), { rules: SATOSHI }),
    ).not.toEqual(plan);
  });

  it('a tail below the venue minimum is shown with the last display, and the plan says so', () => {
    const plan = planParent(iceberg({ quantity: '10.5' }), { rules: { ...SATOSHI, minAmount: '2' } });
    expect(plan.slices.map((s) => s.quantity)).toEqual(['3', '3', '4.5']);
    expect(plan.notes.join(' ')).toMatch(/whole remaining 4.5/);
  });

  it('what cannot be shown at all (less than a lot) is not dropped silently', () => {
    const plan = planParent(iceberg({ quantity: '10.5' }), { rules: { amountStep: '1', priceStep: '1' } });
    expect(plan.slices.map((s) => s.quantity)).toEqual(['3', '3', '3', '1']);
    expect(plan.notes.join(' ')).toMatch(/0.5 is never shown/);
  });

  it('a display far too small for the quantity is refused rather than listed', () => {
    const err = planError(() =>
      planParent(iceberg({ quantity: '1', displayQuantity: '0.00001' }), { rules: SATOSHI }),
    );
    expect(err.code).toBe('TOO_MANY_SLICES');
    // The venue minimum, not the display, sizes the shows here: 50 of them fit.
    const plan = planParent(iceberg({ quantity: '50', displayQuantity: '0.001' }), {
      rules: { ...SATOSHI, minAmount: '1' },
    });
    expect(plan.slices).toHaveLength(50);
  });
});
