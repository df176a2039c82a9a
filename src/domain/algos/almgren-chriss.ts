/**
 * Almgren & Chriss (2000), "Optimal execution of portfolio transactions": the risk-averse optimal
 * trajectory for trading X units over T in N intervals, and the expected cost and variance of any
 * trajectory. Float math on purpose: this is the model; what is traded is rounded to lots elsewhere.
 * Notation follows the paper (see /work/shared/reference/almgren-chriss.md).
 */

export interface AcInputs {
  /** Units to trade (the paper sells X; a buy is the mirror image). */
  X: number;
  /** Horizon, in the time unit σ, η, γ are expressed in. */
  T: number;
  /** Number of trading intervals. */
  N: number;
  /** Volatility: price per unit per √(time unit). */
  sigma: number;
  /** Temporary impact per unit of trading rate. */
  eta: number;
  /** Permanent impact per unit traded. */
  gamma: number;
  /** Fixed cost per unit traded (half the spread plus fees). */
  epsilon: number;
  /** Risk aversion. */
  lambda: number;
}

export interface AcTrajectory {
  tau: number;
  etaTilde: number;
  kappaTilde: number;
  /** Per time unit; κT is the "urgency" (0 = straight line). */
  kappa: number;
  /** x_0..x_N: x_0 = X, x_N = 0. */
  holdings: number[];
  /** n_1..n_N: n_k = x_{k−1} − x_k. */
  trades: number[];
  expectedCost: number;
  variance: number;
}

export class ModelError extends Error {
  constructor(
    readonly code: string,
    message: string = code,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}

const finite = (value: number): boolean => Number.isFinite(value);

function requireInput(ok: boolean, message: string): void {
  if (!ok) throw new ModelError('INVALID_MODEL_INPUT', message);
}

/** η̃ = η − γτ/2; the model (and its convexity) breaks down when it is not positive. */
function etaTildeOf(eta: number, gamma: number, tau: number): number {
  const etaTilde = eta - (gamma * tau) / 2;
  if (!(etaTilde > 0))
    throw new ModelError(
      'ETA_TILDE_NOT_POSITIVE',
      `η − γτ/2 = ${etaTilde} is not positive (η ${eta}, γ ${gamma}, τ ${tau}): use more slices or check the impact estimates`,
    );
  return etaTilde;
}

/**
 * κτ = acosh(1 + y) with y = τ²κ̃²/2, written as log1p(y + √(y(y+2))) so a tiny y does not vanish
 * in 1 + y (which would turn a small risk aversion into an exact TWAP) and a huge y does not overflow.
 */
function kappaTauOf(y: number): number {
  return Math.log1p(y + Math.sqrt(y) * Math.sqrt(y + 2));
}

/**
 * sinh(a)/sinh(b) for 0 ≤ a ≤ b, b > 0, as e^{a−b}·(1 − e^{−2a})/(1 − e^{−2b}): sinh itself overflows
 * near 710 while κT of 50 or 1000 is a legitimate (very urgent) request.
 */
function sinhRatio(a: number, b: number): number {
  return Math.exp(a - b) * (Math.expm1(-2 * a) / Math.expm1(-2 * b));
}

function validate(inputs: AcInputs): void {
  const { X, T, N, sigma, eta, gamma, epsilon, lambda } = inputs;
  requireInput(finite(X), `X must be a finite number, got ${X}`);
  requireInput(finite(T) && T > 0, `T must be positive, got ${T}`);
  requireInput(Number.isInteger(N) && N >= 1, `N must be a positive integer, got ${N}`);
  requireInput(finite(sigma) && sigma >= 0, `σ must be ≥ 0, got ${sigma}`);
  requireInput(finite(eta) && eta > 0, `η must be > 0, got ${eta}`);
  requireInput(finite(gamma) && gamma >= 0, `γ must be ≥ 0, got ${gamma}`);
  requireInput(finite(epsilon) && epsilon >= 0, `ε must be ≥ 0, got ${epsilon}`);
  requireInput(finite(lambda) && lambda >= 0, `λ must be ≥ 0, got ${lambda}`);
}

/** The optimal trajectory for risk aversion λ, with its expected cost and variance. */
export function almgrenChriss(inputs: AcInputs): AcTrajectory {
  validate(inputs);
  const { X, T, N, sigma, eta, gamma, epsilon, lambda } = inputs;
  const tau = T / N;
  const etaTilde = etaTildeOf(eta, gamma, tau);
  const kappaTilde = Math.sqrt((lambda * sigma * sigma) / etaTilde);
  const kappa = kappaTauOf((tau * tau * kappaTilde * kappaTilde) / 2) / tau;

  const holdings: number[] = [];
  for (let j = 0; j <= N; j++) {
    if (j === 0) holdings.push(X);
    else if (j === N) holdings.push(0);
    // κ = 0 is the λ → 0 limit of the sinh ratio: the straight line, computed directly (no 0/0).
    else if (kappa === 0) holdings.push((X * (N - j)) / N);
    else holdings.push(X * sinhRatio(kappa * (T - j * tau), kappa * T));
  }
  const trades = holdings.slice(1).map((x, k) => (holdings[k] as number) - x);
  const { expectedCost, variance } = trajectoryCost(holdings, { tau, sigma, eta, gamma, epsilon });
  return { tau, etaTilde, kappaTilde, kappa, holdings, trades, expectedCost, variance };
}

/**
 * E and V of any trajectory x_0..x_N (x_N expected 0), by the paper's direct sums:
 * E = γX²/2 + ε Σ|n_k| + (η̃/τ) Σ n_k², V = σ² Σ_{k=1..N} τ x_k².
 */
export function trajectoryCost(
  holdings: readonly number[],
  p: { tau: number; sigma: number; eta: number; gamma: number; epsilon: number },
): { expectedCost: number; variance: number } {
  requireInput(holdings.length >= 2 && holdings.every(finite), 'holdings need x_0..x_N, all finite');
  requireInput(finite(p.tau) && p.tau > 0, `τ must be positive, got ${p.tau}`);
  const etaTilde = etaTildeOf(p.eta, p.gamma, p.tau);
  const X = holdings[0] as number;
  let absTrades = 0;
  let squaredTrades = 0;
  let squaredHoldings = 0;
  for (let k = 1; k < holdings.length; k++) {
    const x = holdings[k] as number;
    const n = (holdings[k - 1] as number) - x;
    absTrades += Math.abs(n);
    squaredTrades += n * n;
    squaredHoldings += x * x;
  }
  return {
    expectedCost: (p.gamma * X * X) / 2 + p.epsilon * absTrades + (etaTilde / p.tau) * squaredTrades,
    variance: p.sigma * p.sigma * p.tau * squaredHoldings,
  };
}

/**
 * λ that gives κT = urgency (urgency 0 → λ 0 → TWAP): the inverse of the κ equation,
 * κ̃² = 2(cosh κτ − 1)/τ² = (2 sinh(κτ/2)/τ)², then λ = κ̃²η̃/σ².
 */
export function lambdaForUrgency(
  urgency: number,
  p: { T: number; N: number; sigma: number; eta: number; gamma: number },
): number {
  requireInput(finite(urgency) && urgency >= 0, `urgency must be ≥ 0, got ${urgency}`);
  requireInput(finite(p.T) && p.T > 0, `T must be positive, got ${p.T}`);
  requireInput(Number.isInteger(p.N) && p.N >= 1, `N must be a positive integer, got ${p.N}`);
  requireInput(finite(p.sigma) && p.sigma >= 0, `σ must be ≥ 0, got ${p.sigma}`);
  requireInput(finite(p.eta) && p.eta > 0, `η must be > 0, got ${p.eta}`);
  const tau = p.T / p.N;
  const etaTilde = etaTildeOf(p.eta, p.gamma, tau);
  if (urgency === 0) return 0;
  // Without volatility there is no risk to be averse to: no λ bends the trajectory.
  if (p.sigma === 0)
    throw new ModelError('ZERO_VOLATILITY', 'σ is 0, so no risk aversion gives a non-zero urgency');
  const kappaTau = (urgency / p.T) * tau;
  const kappaTildeSquared = ((2 * Math.sinh(kappaTau / 2)) / tau) ** 2;
  const lambda = (kappaTildeSquared * etaTilde) / (p.sigma * p.sigma);
  requireInput(finite(lambda), `urgency ${urgency} is too large for ${p.N} slices`);
  return lambda;
}
