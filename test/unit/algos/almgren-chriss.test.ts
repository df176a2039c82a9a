import {
  ModelError,
  almgrenChriss,
  lambdaForUrgency,
  trajectoryCost,
  type AcInputs,
} from '../../../src/domain/algos/almgren-chriss';

/** The paper's Table 1 example: sell 1e6 shares over 5 days in 5 daily intervals. */
const PAPER: AcInputs = {
  X: 1e6,
  T: 5,
  N: 5,
  sigma: 0.95,
  epsilon: 0.0625,
  eta: 2.5e-6,
  gamma: 2.5e-7,
  lambda: 1e-6,
};
const costParams = (i: AcInputs) => ({
  tau: i.T / i.N,
  sigma: i.sigma,
  eta: i.eta,
  gamma: i.gamma,
  epsilon: i.epsilon,
});

const relClose = (actual: number, expected: number, tolerance = 1e-9) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));

/** The paper's formulas, written out independently of the module. */
function reference(i: AcInputs) {
  const tau = i.T / i.N;
  const etaTilde = i.eta - (i.gamma * tau) / 2;
  const kappaTildeSq = (i.lambda * i.sigma ** 2) / etaTilde;
  const kappa = Math.acosh(1 + (tau ** 2 * kappaTildeSq) / 2) / tau;
  const t = (j: number) => j * tau;
  const holdings = Array.from(
    { length: i.N + 1 },
    (_, j) => (i.X * Math.sinh(kappa * (i.T - t(j)))) / Math.sinh(kappa * i.T),
  );
  const trades = Array.from(
    { length: i.N },
    (_, k) =>
      ((2 * Math.sinh((kappa * tau) / 2)) / Math.sinh(kappa * i.T)) *
      Math.cosh(kappa * (i.T - (k + 1 - 0.5) * tau)) *
      i.X,
  );
  let E = (i.gamma * i.X ** 2) / 2;
  for (const n of trades) E += i.epsilon * Math.abs(n) + (etaTilde / tau) * n ** 2;
  let V = 0;
  for (let k = 1; k <= i.N; k++) V += i.sigma ** 2 * tau * (holdings[k] as number) ** 2;
  return { tau, etaTilde, kappa, holdings, trades, E, V };
}

describe('almgrenChriss: the paper example', () => {
  const ref = reference(PAPER);
  const out = almgrenChriss(PAPER);

  it('κ is about 0.6 per day, as the paper reports, and equals the closed form', () => {
    expect(out.kappa).toBeGreaterThan(0.6 * 0.97);
    expect(out.kappa).toBeLessThan(0.6 * 1.03);
    relClose(out.kappa, ref.kappa, 1e-12);
    relClose(out.tau, 1, 0);
    relClose(out.etaTilde, 2.375e-6, 1e-12);
    relClose(out.kappaTilde, Math.sqrt((1e-6 * 0.95 ** 2) / 2.375e-6), 1e-12);
  });

  it('the closed-form holdings and the trade formula agree with each other', () => {
    ref.trades.forEach((n, k) => relClose(n, (ref.holdings[k] as number) - (ref.holdings[k + 1] as number)));
    relClose(
      ref.trades.reduce((s, n) => s + n, 0),
      PAPER.X,
    );
  });

  it('holdings and trades match the closed forms', () => {
    expect(out.holdings).toHaveLength(6);
    expect(out.trades).toHaveLength(5);
    expect(out.holdings[0]).toBe(1e6);
    expect(out.holdings[5]).toBe(0);
    out.holdings.forEach((x, j) => relClose(x, ref.holdings[j] as number));
    out.trades.forEach((n, k) => relClose(n, ref.trades[k] as number));
    // Spot values, so a shared mistake in both formulas would still show.
    expect(out.holdings[1]).toBeCloseTo(541955.55, 1);
    expect(out.trades[0]).toBeCloseTo(458044.45, 1);
  });

  it('E and V match the direct sums', () => {
    relClose(out.expectedCost, ref.E);
    relClose(out.variance, ref.V);
    expect(out.expectedCost).toBeCloseTo(911226.99, 1);
    expect(out.variance).toBeCloseTo(3.6412857e11, -5);
    const again = trajectoryCost(out.holdings, costParams(PAPER));
    expect(again).toEqual({ expectedCost: out.expectedCost, variance: out.variance });
  });

  it('holdings strictly decrease for λ > 0, front-loaded versus the straight line', () => {
    for (let j = 1; j < out.holdings.length; j++)
      expect(out.holdings[j] as number).toBeLessThan(out.holdings[j - 1] as number);
    for (let j = 1; j < 5; j++) expect(out.holdings[j] as number).toBeLessThan(1e6 * (1 - j / 5));
  });
});

describe('almgrenChriss: limits and the efficient frontier', () => {
  it('λ = 0 is the straight line exactly (TWAP), with no 0/0', () => {
    const out = almgrenChriss({ ...PAPER, lambda: 0 });
    expect(out.kappa).toBe(0);
    expect(out.holdings).toEqual([1e6, 8e5, 6e5, 4e5, 2e5, 0]);
    expect(out.trades).toEqual([2e5, 2e5, 2e5, 2e5, 2e5]);
    // TWAP: E = γX²/2 + εX + (η̃/τ)·N·(X/N)², V = σ²τ Σ x_k².
    relClose(out.expectedCost, (2.5e-7 * 1e12) / 2 + 0.0625 * 1e6 + 2.375e-6 * 5 * 4e10);
    relClose(out.variance, 0.95 ** 2 * (6.4e11 + 3.6e11 + 1.6e11 + 0.4e11));
  });

  it('σ = 0 also gives the straight line', () => {
    expect(almgrenChriss({ ...PAPER, sigma: 0 }).holdings).toEqual([1e6, 8e5, 6e5, 4e5, 2e5, 0]);
  });

  it('a tiny λ tends to TWAP continuously (1 + y does not swallow y)', () => {
    const out = almgrenChriss({ ...PAPER, lambda: 1e-20 });
    expect(out.kappa).toBeGreaterThan(0);
    out.trades.forEach((n) => relClose(n, 2e5, 1e-6));
  });

  it('E decreases and V increases as λ decreases', () => {
    const lambdas = [1e-5, 2e-6, 1e-6, 1e-7, 1e-8, 0];
    const points = lambdas.map((lambda) => almgrenChriss({ ...PAPER, lambda }));
    for (let i = 1; i < points.length; i++) {
      const prev = points[i - 1] as (typeof points)[number];
      const cur = points[i] as (typeof points)[number];
      expect(cur.expectedCost).toBeLessThan(prev.expectedCost);
      expect(cur.variance).toBeGreaterThan(prev.variance);
    }
  });

  it('the optimal trajectory minimises E + λV against perturbed trajectories', () => {
    const out = almgrenChriss(PAPER);
    const objective = (h: readonly number[]) => {
      const { expectedCost, variance } = trajectoryCost(h, costParams(PAPER));
      return expectedCost + PAPER.lambda * variance;
    };
    const best = objective(out.holdings);
    for (let j = 1; j < 5; j++)
      for (const d of [-1000, 1000]) {
        const h = [...out.holdings];
        h[j] = (h[j] as number) + d;
        expect(objective(h)).toBeGreaterThan(best);
      }
  });

  it('stays finite for a very large κT (exp forms, no overflow)', () => {
    for (const urgency of [50, 800, 5000]) {
      const inputs = { ...PAPER, N: 100, T: 100 };
      const out = almgrenChriss({ ...inputs, lambda: lambdaForUrgency(urgency, inputs) });
      expect(out.kappa * inputs.T).toBeGreaterThan(urgency * 0.999);
      for (const v of [...out.holdings, ...out.trades, out.expectedCost, out.variance])
        expect(Number.isFinite(v)).toBe(true);
      for (let j = 1; j < out.holdings.length; j++)
        expect(out.holdings[j] as number).toBeLessThanOrEqual(out.holdings[j - 1] as number);
      relClose(
        out.trades.reduce((s, n) => s + n, 0),
        1e6,
        1e-12,
      );
    }
  });
});

describe('lambdaForUrgency', () => {
  it('gives λ whose trajectory has κT = urgency', () => {
    for (const urgency of [0.1, 1, 3, 10]) {
      const out = almgrenChriss({ ...PAPER, lambda: lambdaForUrgency(urgency, PAPER) });
      relClose(out.kappa * PAPER.T, urgency, 1e-9);
    }
  });

  it('inverts the paper example: κT of the paper gives back λ = 1e-6', () => {
    const kT = almgrenChriss(PAPER).kappa * PAPER.T;
    relClose(lambdaForUrgency(kT, PAPER), 1e-6, 1e-9);
  });

  it('urgency 0 → λ 0 (TWAP)', () => {
    expect(lambdaForUrgency(0, PAPER)).toBe(0);
  });

  it('refuses a positive urgency without volatility', () => {
    expect(() => lambdaForUrgency(2, { ...PAPER, sigma: 0 })).toThrow(
      expect.objectContaining({ code: 'ZERO_VOLATILITY' }),
    );
  });
});

describe('model errors', () => {
  it('η − γτ/2 ≤ 0 is ETA_TILDE_NOT_POSITIVE', () => {
    const err = (() => {
      try {
        almgrenChriss({ ...PAPER, gamma: 5e-6 });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ModelError);
    expect(err).toMatchObject({ code: 'ETA_TILDE_NOT_POSITIVE', name: 'ModelError' });
  });

  it.each<[string, Partial<AcInputs>]>([
    ['N not an integer', { N: 2.5 }],
    ['N zero', { N: 0 }],
    ['T zero', { T: 0 }],
    ['negative λ', { lambda: -1 }],
    ['NaN σ', { sigma: Number.NaN }],
    ['η zero', { eta: 0 }],
    ['infinite X', { X: Number.POSITIVE_INFINITY }],
  ])('%s is INVALID_MODEL_INPUT', (_label, patch) => {
    expect(() => almgrenChriss({ ...PAPER, ...patch })).toThrow(
      expect.objectContaining({ code: 'INVALID_MODEL_INPUT' }),
    );
  });

  it('trajectoryCost refuses a trajectory without a grid', () => {
    expect(() => trajectoryCost([1], costParams(PAPER))).toThrow(ModelError);
  });
});
