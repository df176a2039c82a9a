/**
 * The schedule a parent order would follow, computed without trading (`ordo algo … --plan`) from
 * a normalised request and what is known of the market (lot rules, a reference price, volume
 * weights). Pure: the same request and market always give the same plan.
 */
import { Dec, dec, toDecimalString } from '../decimal';
import { OrderRequestError, type RequestIssue } from '../order-request';
import { minimumChildQuantity } from './allocation';
import { nextDisplay } from './iceberg';
import { planImplementationShortfall } from './implementation-shortfall';
import type { IcebergRequest, ImplementationShortfallRequest, ParentRequest, VwapRequest } from './params';
import { mulberry32 } from './prng';
import { planTwap } from './twap';
import type { Algo, LotRules, PlannedSlice, SchedulePlan } from './types';
import { planVwap } from './vwap';

export interface ParentPlan {
  algo: Algo;
  params: ParentRequest;
  slices: PlannedSlice[];
  notes: string[];
  /** IS only: x_0 … x_N, what is still to trade at the start of each interval and at the end. */
  holdings?: string[];
  /** IS only: κ, per time unit. */
  kappa?: number;
  /** IS only: the model's expected cost E of its trajectory. */
  expectedCost?: number;
  /** IS only: the model's variance V of its trajectory. */
  variance?: number;
}

export interface PlanMarket {
  rules: LotRules;
  /** A price to convert minimum notionals into quantities (the iceberg uses its limit price). */
  referencePrice?: string;
  /** VWAP weights, one per slice, when the request has no profile (the worker's candle profile). */
  volumeWeights?: number[];
}

/** An iceberg longer than this is refused rather than listed: the display is far too small. */
export const MAX_ICEBERG_SHOWS = 10_000;

/** A request that cannot be planned as given. A request error: the fix is in the request. */
export class PlanError extends OrderRequestError {
  constructor(issues: RequestIssue[]) {
    super(issues);
    this.name = 'PlanError';
  }
}

const IS_MODEL_PARAMETERS = ['sigma', 'eta', 'gamma', 'epsilon'] as const;

export function planParent(request: ParentRequest, market: PlanMarket): ParentPlan {
  try {
    return plan(request, market);
  } catch (err) {
    throw asPlanError(err);
  }
}

function plan(request: ParentRequest, market: PlanMarket): ParentPlan {
  const base = { algo: request.algo, params: request };
  switch (request.algo) {
    case 'twap': {
      const { quantity, startAt, endAt, intervalMs, randomization, seed } = request;
      const schedule = planTwap(
        { quantity, startAt, endAt, intervalMs, randomization, seed },
        market.rules,
        market.referencePrice,
      );
      return { ...base, ...slicesAndNotes(schedule) };
    }
    case 'vwap':
      return { ...base, ...planVwapRequest(request, market) };
    case 'is':
      return { ...base, ...planIs(request, market) };
    case 'iceberg':
      return { ...base, ...planIceberg(request, market.rules) };
    case 'pov':
      return {
        ...base,
        slices: [],
        notes: [
          'POV has no fixed schedule: each check sizes a child from the volume traded since the last one ' +
            `(${request.participation} of it, within ${request.minParticipation}–${request.maxParticipation})`,
        ],
      };
    case 'route':
      return {
        ...base,
        slices: [],
        notes: [
          "a smart route has no fixed schedule: each round splits what is left across the venues' live order books",
        ],
      };
  }
}

/** Only the three fields of a slice: planners may carry more, the plan's shape is fixed. */
function slicesAndNotes(schedule: SchedulePlan): { slices: PlannedSlice[]; notes: string[] } {
  return {
    slices: schedule.slices.map(({ index, at, quantity }) => ({ index, at, quantity })),
    notes: [...schedule.notes],
  };
}

function planVwapRequest(
  request: VwapRequest,
  market: PlanMarket,
): { slices: PlannedSlice[]; notes: string[] } {
  const { quantity, startAt, endAt, intervalMs } = request;
  const count = Math.ceil((Date.parse(endAt) - Date.parse(startAt)) / intervalMs);
  const notes: string[] = [];
  let weights = request.profile ?? market.volumeWeights;
  if (weights === undefined) {
    weights = Array.from({ length: count }, () => 1);
    notes.push(
      `flat weights: no profile was given, and the worker builds one from ${request.lookbackDays} days of ` +
        "the venue's candles, so the real slices follow the volume curve",
    );
  } else if (weights.length !== count) {
    throw new PlanError([
      {
        code: 'PROFILE_LENGTH',
        field: 'profile',
        message: `the profile has ${weights.length} weights for ${count} slices`,
      },
    ]);
  }
  const schedule = planVwap(
    { quantity, startAt, endAt, intervalMs },
    weights,
    market.rules,
    market.referencePrice,
  );
  return { slices: slicesAndNotes(schedule).slices, notes: [...notes, ...schedule.notes] };
}

function planIs(
  request: ImplementationShortfallRequest,
  market: PlanMarket,
): Pick<ParentPlan, 'slices' | 'notes' | 'holdings' | 'kappa' | 'expectedCost' | 'variance'> {
  const { sigma, eta, gamma, epsilon } = request;
  if (sigma === undefined || eta === undefined || gamma === undefined || epsilon === undefined) {
    const missing = IS_MODEL_PARAMETERS.filter((key) => request[key] === undefined);
    throw new PlanError([
      {
        code: 'MISSING_MODEL_PARAMETERS',
        field: missing[0] as string,
        message:
          `${missing.join(', ')} not given: a running IS estimates them from the venue's candles, ` +
          'but a plan needs them given (--sigma --eta --gamma --epsilon)',
      },
    ]);
  }
  const { quantity, startAt, endAt, slices, timeUnitMs, riskAversion, urgency } = request;
  const model = planImplementationShortfall(
    {
      quantity,
      startAt,
      endAt,
      slices,
      timeUnitMs,
      sigma,
      eta,
      gamma,
      epsilon,
      ...(riskAversion === undefined ? {} : { riskAversion }),
      ...(urgency === undefined ? {} : { urgency }),
    },
    market.rules,
    market.referencePrice,
  );
  return {
    ...slicesAndNotes(model),
    holdings: [...model.holdings],
    kappa: model.kappa,
    expectedCost: model.expectedCost,
    variance: model.variance,
  };
}

/**
 * The quantities an iceberg would show, in order. Each shows only once the previous one has
 * filled, which no plan can know: every slice carries the start time, and a note says so.
 */
function planIceberg(request: IcebergRequest, rules: LotRules): { slices: PlannedSlice[]; notes: string[] } {
  const random = mulberry32(request.seed);
  const slices: PlannedSlice[] = [];
  const notes = [
    `every slice is at the start: each is shown only when the previous one has filled (${request.limitPrice} limit)`,
  ];
  const tooMany = () =>
    new PlanError([
      {
        code: 'TOO_MANY_SLICES',
        field: 'displayQuantity',
        message: `the iceberg would show more than ${MAX_ICEBERG_SHOWS} times: raise the display quantity`,
      },
    ]);
  let remaining: Dec = dec(request.quantity);
  // Each show but the last is at most display × (1 + r), or the venue minimum if that is larger:
  // refuse at once what cannot fit, before sizing any.
  const largest = Dec.max(
    dec(request.displayQuantity).times(1 + request.displayRandomization),
    minimumChildQuantity(rules, request.limitPrice),
  );
  if (remaining.dividedBy(largest).greaterThan(MAX_ICEBERG_SHOWS)) throw tooMany();
  while (remaining.greaterThan(0)) {
    if (slices.length >= MAX_ICEBERG_SHOWS) throw tooMany();
    const shown = nextDisplay(
      {
        remaining: toDecimalString(remaining),
        displayQuantity: request.displayQuantity,
        randomization: request.displayRandomization,
        random,
      },
      rules,
      request.limitPrice,
    );
    if (shown.note !== undefined) notes.push(`slice ${slices.length}: ${shown.note}`);
    // Nothing showable (a remainder below the venue minimum): stop, and say what is left.
    if (!dec(shown.quantity).greaterThan(0)) {
      notes.push(`${toDecimalString(remaining)} is never shown: it cannot be sent on its own`);
      break;
    }
    slices.push({ index: slices.length, at: request.startAt, quantity: shown.quantity });
    remaining = remaining.minus(shown.quantity);
  }
  if (remaining.isNegative())
    throw new Error(`iceberg display overshot the quantity by ${toDecimalString(remaining.negated())}`);
  return { slices, notes };
}

/**
 * The planners refuse bad input with their own typed errors (a `code` in SCREAMING_SNAKE, e.g.
 * QUANTITY_NOT_LOT_MULTIPLE, ETA_TILDE_NOT_POSITIVE); to a caller they are all a request it must
 * change, so they become one PlanError. Anything else is a bug and stays as it is.
 */
function asPlanError(err: unknown): unknown {
  if (err instanceof OrderRequestError || !(err instanceof Error)) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(code)) return err;
  return new PlanError([{ code, message: err.message }]);
}

/** Sum of the planned slices (what the plan trades in total). */
export function plannedTotal(plan: Pick<ParentPlan, 'slices'>): string {
  return toDecimalString(plan.slices.reduce((sum, s) => sum.plus(s.quantity), new Dec(0)));
}
