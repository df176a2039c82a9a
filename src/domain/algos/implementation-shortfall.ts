/**
 * Implementation shortfall schedule: the Almgren–Chriss optimal trajectory over the request's
 * window, its trades rounded to lots (summing exactly to the quantity) and placed one per interval.
 * The model's E and V are reported for the model's own trajectory, as the paper defines them.
 */
import { sub, toDecimalString } from '../decimal';
import { allocateToLots } from './allocation';
import { ModelError, almgrenChriss, lambdaForUrgency, trajectoryCost } from './almgren-chriss';
import type { LotRules, PlannedSlice, SchedulePlan } from './types';

export interface IsPlanInput {
  quantity: string;
  startAt: string;
  endAt: string;
  slices: number;
  /** The time unit σ, η, γ are expressed in (ms); T and κ are in this unit. */
  timeUnitMs: number;
  sigma: number;
  eta: number;
  gamma: number;
  epsilon: number;
  riskAversion?: number;
  /** κT: 0 → TWAP; larger trades earlier. Used when riskAversion is not given. */
  urgency?: number;
}

export interface IsPlan extends SchedulePlan {
  /** x_0..x_N of the lot-rounded plan, on the model's time grid. */
  holdings: string[];
  /** Per time unit. */
  kappa: number;
  expectedCost: number;
  variance: number;
  modelHoldings: number[];
}

export function planImplementationShortfall(
  input: IsPlanInput,
  rules: LotRules,
  referencePrice?: string,
): IsPlan {
  const startMs = Date.parse(input.startAt);
  const spanMs = Date.parse(input.endAt) - startMs;
  if (!(spanMs > 0 && input.timeUnitMs > 0))
    throw new ModelError(
      'INVALID_MODEL_INPUT',
      'the schedule needs endAt after startAt and a positive time unit',
    );
  const T = spanMs / input.timeUnitMs;
  const N = input.slices;
  const notes: string[] = [];

  let lambda = input.riskAversion ?? 0;
  if (input.riskAversion === undefined && input.urgency !== undefined)
    lambda = lambdaForUrgency(input.urgency, {
      T,
      N,
      sigma: input.sigma,
      eta: input.eta,
      gamma: input.gamma,
    });
  else if (input.riskAversion !== undefined && input.urgency !== undefined)
    notes.push(`urgency ${input.urgency} ignored: riskAversion ${input.riskAversion} was given`);

  const model = almgrenChriss({
    X: Number(input.quantity),
    T,
    N,
    sigma: input.sigma,
    eta: input.eta,
    gamma: input.gamma,
    epsilon: input.epsilon,
    lambda,
  });

  // Trade n_{j+1} happens during interval j; it is sent at the interval's start.
  const atOf = (j: number): string => new Date(startMs + Math.floor((j * spanMs) / N)).toISOString();
  // Float noise can leave a trade of −1e−10 where the model means 0; weights must not be negative.
  const weights = model.trades.map((n) => Math.max(0, n));
  const allocation = allocateToLots(
    input.quantity,
    weights,
    rules,
    referencePrice,
    (j) => `slice ${j} (${atOf(j)})`,
  );
  notes.push(...allocation.notes);

  const slices: PlannedSlice[] = [];
  const holdings = [toDecimalString(input.quantity)];
  allocation.quantities.forEach((quantity, j) => {
    holdings.push(sub(holdings[j] as string, quantity));
    if (quantity === '0')
      notes.push(`slice ${j} (${atOf(j)}): nothing left after lot rounding and merging, dropped`);
    else slices.push({ index: slices.length, at: atOf(j), quantity });
  });

  const { expectedCost, variance } = trajectoryCost(model.holdings, {
    tau: model.tau,
    sigma: input.sigma,
    eta: input.eta,
    gamma: input.gamma,
    epsilon: input.epsilon,
  });
  return {
    slices,
    notes,
    holdings,
    kappa: model.kappa,
    expectedCost,
    variance,
    modelHoldings: model.holdings,
  };
}
