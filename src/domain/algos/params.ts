/**
 * Parent-order requests (the input of twapWorkflow, vwapWorkflow, povWorkflow,
 * implementationShortfallWorkflow, icebergWorkflow, smartRouteWorkflow): schema, normalisation
 * and every way one can be refused, each with a SCREAMING_SNAKE reason code. Pure: the caller
 * passes the current time (workflow time inside workflows).
 */
import { z } from 'zod';
import {
  SIDES,
  type Side,
  SYMBOL_PATTERN,
  id,
  positiveDecimal,
  reasonCodedIssues,
  type RequestIssue,
  snake,
} from '../order-request';
import { DurationError, durationUnitMs, parseDuration } from './duration';
import { AGGRESSIONS, type Aggression, type Algo } from './types';

/** Fields every parent order has, after normalisation. */
export interface ParentCommon {
  parentId?: string;
  symbol: string;
  side: Side;
  quantity: string;
  venue: string;
  /** Never buy above / sell below this price (limit-price protection; the iceberg's price). */
  limitPrice?: string;
  aggression: Aggression;
  /** How far past the far touch a crossing slice may price (a collar; see pricing.ts). */
  crossBufferBps: number;
  /** ISO-8601; when the schedule begins (default: when the workflow starts). */
  startAt: string;
  /** ISO-8601; when the schedule must be done (required for time-based algos). */
  endAt?: string;
  strategyId?: string;
  decisionId?: string;
  /** Children started per run before continue-as-new (a knob for tests; default 100). */
  childrenPerRun: number;
}

export interface TwapRequest extends ParentCommon {
  algo: 'twap';
  endAt: string;
  intervalMs: number;
  /** 0 ≤ r < 1: slice times move by up to r of an interval, sizes by up to ±r. */
  randomization: number;
  seed: number;
}

export interface VwapRequest extends ParentCommon {
  algo: 'vwap';
  endAt: string;
  intervalMs: number;
  /** Explicit weights, one per slice; else built from the venue's candles. */
  profile?: number[];
  lookbackDays: number;
  /** Never trade more than this fraction of the volume observed in the slice before. */
  maxParticipation?: number;
}

export interface PovRequest extends ParentCommon {
  algo: 'pov';
  endAt: string;
  participation: number;
  minParticipation: number;
  maxParticipation: number;
  checkIntervalMs: number;
}

export interface ImplementationShortfallRequest extends ParentCommon {
  algo: 'is';
  endAt: string;
  slices: number;
  /** The unit of time σ, η, γ are expressed in (ms): the unit `duration` was given in, else 1 day. */
  timeUnitMs: number;
  sigma?: number;
  eta?: number;
  gamma?: number;
  epsilon?: number;
  riskAversion?: number;
  /** κT, an alternative to riskAversion: 0 → TWAP; larger trades earlier. */
  urgency?: number;
  lookbackDays: number;
}

export interface IcebergRequest extends ParentCommon {
  algo: 'iceberg';
  limitPrice: string;
  displayQuantity: string;
  /** 0 ≤ r ≤ 0.5: each shown quantity varies by up to ±r of displayQuantity. */
  displayRandomization: number;
  seed: number;
}

export interface SmartRouteRequest extends ParentCommon {
  algo: 'route';
  /** Venues to route across (default: every configured venue with routing settings). */
  venues?: string[];
  /** Routing rounds (each sends to the venues, waits, re-routes the remainder). */
  maxRounds: number;
  retryIntervalMs: number;
}

export type ParentRequest =
  | TwapRequest
  | VwapRequest
  | PovRequest
  | ImplementationShortfallRequest
  | IcebergRequest
  | SmartRouteRequest;

/** Most slices one schedule may plan. */
export const MAX_SLICES = 2_000;

export type ParentValidation<R> = { ok: true; request: R } | { ok: false; issues: RequestIssue[] };

/** A crossing slice may price this far past the touch (about a tick or two on the simulator's books). */
export const DEFAULT_CROSS_BUFFER_BPS = 5;

export const DEFAULT_AGGRESSION: Record<Algo, Aggression> = {
  twap: 'cross',
  vwap: 'cross',
  pov: 'cross',
  is: 'cross',
  iceberg: 'passive',
  route: 'cross',
};

const fraction = (lo: 'open' | 'closed', hi: number, hiOpen: boolean) =>
  z
    .number()
    .refine((v) => Number.isFinite(v) && (lo === 'open' ? v > 0 : v >= 0) && (hiOpen ? v < hi : v <= hi), {
      message: `must be a number ${lo === 'open' ? '>' : '≥'} 0 and ${hiOpen ? '<' : '≤'} ${hi}`,
    });

const duration = z.string().refine(
  (text) => {
    try {
      parseDuration(text);
      return true;
    } catch (err) {
      if (err instanceof DurationError) return false;
      throw err;
    }
  },
  { message: 'must be a duration like 90s, 30m, 2h, 5d' },
);
const isoTime = z.iso.datetime({ offset: true, error: () => 'must be an ISO-8601 date-time' });
const positiveInt = z.number().int().positive();
const nonNegativeNumber = z.number().refine((v) => Number.isFinite(v) && v >= 0, 'must be ≥ 0');
const positiveNumber = z.number().refine((v) => Number.isFinite(v) && v > 0, 'must be > 0');

const common = {
  parentId: id.optional(),
  symbol: z.string().regex(SYMBOL_PATTERN, 'must be a unified symbol like "BTC/USDT"'),
  side: z.enum(SIDES, { error: () => 'must be "buy" or "sell"' }),
  quantity: positiveDecimal,
  venue: z.string().min(1, 'is required'),
  limitPrice: positiveDecimal.optional(),
  aggression: z.enum(AGGRESSIONS, { error: () => `must be one of ${AGGRESSIONS.join(', ')}` }).optional(),
  crossBufferBps: z
    .number()
    .refine((v) => Number.isFinite(v) && v >= 0 && v <= 500, 'must be 0 to 500')
    .optional(),
  startAt: isoTime.optional(),
  endAt: isoTime.optional(),
  duration: duration.optional(),
  strategyId: id.optional(),
  decisionId: id.optional(),
  childrenPerRun: positiveInt.optional(),
};

/** Exported for the HTTP API's OpenAPI document (src/api/openapi.ts): one source for both. */
export const schemas = {
  twap: z.strictObject({
    ...common,
    interval: duration.optional(),
    slices: positiveInt.optional(),
    randomization: fraction('closed', 1, true).optional(),
    seed: z.number().int().optional(),
  }),
  vwap: z.strictObject({
    ...common,
    interval: duration.optional(),
    profile: z.array(nonNegativeNumber).min(1).max(MAX_SLICES).optional(),
    lookbackDays: positiveInt.max(30).optional(),
    maxParticipation: fraction('open', 1, false).optional(),
  }),
  pov: z.strictObject({
    ...common,
    participation: fraction('open', 1, true),
    minParticipation: fraction('closed', 1, true).optional(),
    maxParticipation: fraction('open', 1, true).optional(),
    checkInterval: duration.optional(),
  }),
  is: z.strictObject({
    ...common,
    slices: positiveInt,
    timeUnit: duration.optional(),
    sigma: nonNegativeNumber.optional(),
    eta: positiveNumber.optional(),
    gamma: nonNegativeNumber.optional(),
    epsilon: nonNegativeNumber.optional(),
    riskAversion: nonNegativeNumber.optional(),
    urgency: nonNegativeNumber.optional(),
    lookbackDays: positiveInt.max(30).optional(),
  }),
  iceberg: z.strictObject({
    ...common,
    displayQuantity: positiveDecimal,
    displayRandomization: fraction('closed', 0.5, false).optional(),
    seed: z.number().int().optional(),
  }),
  route: z.strictObject({
    ...common,
    venue: z.string().min(1).optional(),
    venues: z.array(z.string().min(1)).min(1).optional(),
    maxRounds: positiveInt.max(1000).optional(),
    retryInterval: duration.optional(),
  }),
} as const;

type Parsed<A extends Algo> = z.output<(typeof schemas)[A]>;

const FIELD_REASONS: Record<string, string> = {
  parentId: 'INVALID_PARENT_ID',
  symbol: 'INVALID_SYMBOL',
  side: 'INVALID_SIDE',
  quantity: 'INVALID_QUANTITY',
  venue: 'INVALID_VENUE',
  limitPrice: 'INVALID_PRICE',
  aggression: 'INVALID_AGGRESSION',
  startAt: 'INVALID_START',
  endAt: 'INVALID_END',
  duration: 'INVALID_DURATION',
  interval: 'INVALID_INTERVAL',
  checkInterval: 'INVALID_INTERVAL',
  retryInterval: 'INVALID_INTERVAL',
  timeUnit: 'INVALID_DURATION',
  displayQuantity: 'INVALID_DISPLAY_QUANTITY',
};

function structuralIssues(error: z.ZodError): RequestIssue[] {
  return reasonCodedIssues(error, FIELD_REASONS, (field) => `INVALID_${snake(field)}`);
}

/** The schedule window: start (default now) and end (endAt, or start + duration). */
function window(
  r: { startAt?: string; endAt?: string; duration?: string },
  now: Date,
  needsEnd: boolean,
  add: (code: string, field: string, message: string) => void,
): { startMs: number; endMs?: number } {
  const startMs = r.startAt === undefined ? now.getTime() : Date.parse(r.startAt);
  if (r.endAt !== undefined && r.duration !== undefined)
    add('CONFLICTING_END', 'duration', 'give endAt or duration, not both');
  const endMs =
    r.endAt !== undefined
      ? Date.parse(r.endAt)
      : r.duration !== undefined
        ? startMs + parseDuration(r.duration)
        : undefined;
  if (needsEnd && endMs === undefined) add('MISSING_END', 'duration', 'give a duration or an endAt');
  if (endMs !== undefined && endMs <= startMs)
    add('END_BEFORE_START', 'endAt', 'the end must come after the start');
  if (endMs !== undefined && endMs <= now.getTime())
    add('END_IN_PAST', 'endAt', 'the end is not in the future');
  return endMs === undefined ? { startMs } : { startMs, endMs };
}

function commonOf(algo: Algo, r: Parsed<Algo>, startMs: number, endMs: number | undefined): ParentCommon {
  const out: ParentCommon = {
    symbol: r.symbol,
    side: r.side,
    quantity: r.quantity,
    venue: r.venue ?? '',
    aggression: r.aggression ?? DEFAULT_AGGRESSION[algo],
    crossBufferBps: r.crossBufferBps ?? DEFAULT_CROSS_BUFFER_BPS,
    startAt: new Date(startMs).toISOString(),
    childrenPerRun: r.childrenPerRun ?? 100,
  };
  if (endMs !== undefined) out.endAt = new Date(endMs).toISOString();
  for (const key of ['parentId', 'limitPrice', 'strategyId', 'decisionId'] as const) {
    const value = r[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Fills defaults that depend on the parent id (seeds): stable across replays and --plan. */
export function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Validates and normalises a parent-order request for `algo`; reports every issue found.
 * `now` is the current time; `parentId` the workflow id (seeds default from it).
 */
export function validateParentRequest(
  algo: Algo,
  input: unknown,
  context: { now: Date; parentId?: string },
): ParentValidation<ParentRequest> {
  const parsed = schemas[algo].safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: structuralIssues(parsed.error) };
  const issues: RequestIssue[] = [];
  const add = (code: string, field: string, message: string) => issues.push({ code, field, message });
  const r = parsed.data as Parsed<Algo>;
  const needsEnd = algo !== 'iceberg' && algo !== 'route';
  const { startMs, endMs } = window(r, context.now, needsEnd, add);
  const base = commonOf(algo, r, startMs, endMs);
  const seedDefault = seedOf(r.parentId ?? context.parentId ?? `${r.symbol}:${r.side}:${r.quantity}`);
  const span = endMs === undefined ? 0 : endMs - startMs;
  let request: ParentRequest | undefined;
  /** Every slice lives in progress and in what continue-as-new carries: keep both well under 2 MB. */
  const tooManySlices = (count: number, field: string) => {
    if (span > 0 && count > MAX_SLICES)
      add('TOO_MANY_SLICES', field, `${count} slices is more than ${MAX_SLICES}: use a longer interval`);
  };

  switch (algo) {
    case 'twap': {
      const t = r as Parsed<'twap'>;
      if (t.interval !== undefined && t.slices !== undefined)
        add('CONFLICTING_INTERVAL', 'slices', 'give interval or slices, not both');
      const intervalMs =
        t.interval !== undefined
          ? parseDuration(t.interval)
          : Math.max(
              1,
              Math.floor(span / (t.slices ?? Math.max(1, Math.min(60, Math.round(span / 60_000))))),
            );
      if (span > 0 && intervalMs > span)
        add('INTERVAL_TOO_LONG', 'interval', 'the interval is longer than the schedule');
      tooManySlices(Math.ceil(span / intervalMs), 'interval');
      request = {
        ...base,
        algo,
        endAt: base.endAt ?? '',
        intervalMs,
        randomization: t.randomization ?? 0,
        seed: t.seed ?? seedDefault,
      };
      break;
    }
    case 'vwap': {
      const v = r as Parsed<'vwap'>;
      const intervalMs =
        v.interval !== undefined ? parseDuration(v.interval) : Math.max(1, Math.floor(span / 30));
      if (span > 0 && intervalMs > span)
        add('INTERVAL_TOO_LONG', 'interval', 'the interval is longer than the schedule');
      tooManySlices(Math.ceil(span / intervalMs), 'interval');
      if (v.profile !== undefined && span > 0) {
        const slices = Math.ceil(span / intervalMs);
        if (v.profile.length !== slices)
          add(
            'PROFILE_LENGTH',
            'profile',
            `the profile has ${v.profile.length} weights for ${slices} slices`,
          );
        if (v.profile.every((w) => w === 0))
          add('PROFILE_EMPTY', 'profile', 'the profile weights are all zero');
      }
      request = { ...base, algo, endAt: base.endAt ?? '', intervalMs, lookbackDays: v.lookbackDays ?? 5 };
      if (v.profile !== undefined) request.profile = v.profile;
      if (v.maxParticipation !== undefined) request.maxParticipation = v.maxParticipation;
      break;
    }
    case 'pov': {
      const p = r as Parsed<'pov'>;
      const minParticipation = p.minParticipation ?? 0;
      const maxParticipation = p.maxParticipation ?? Math.max(p.participation, 0.5);
      if (minParticipation > p.participation)
        add('PARTICIPATION_RANGE', 'minParticipation', 'minParticipation is above participation');
      if (maxParticipation < p.participation)
        add('PARTICIPATION_RANGE', 'maxParticipation', 'maxParticipation is below participation');
      request = {
        ...base,
        algo,
        endAt: base.endAt ?? '',
        participation: p.participation,
        minParticipation,
        maxParticipation,
        checkIntervalMs: p.checkInterval !== undefined ? parseDuration(p.checkInterval) : 5_000,
      };
      break;
    }
    case 'is': {
      const s = r as Parsed<'is'>;
      if (s.riskAversion !== undefined && s.urgency !== undefined)
        add('CONFLICTING_URGENCY', 'urgency', 'give riskAversion or urgency, not both');
      const timeUnitMs =
        s.timeUnit !== undefined
          ? parseDuration(s.timeUnit)
          : s.duration !== undefined
            ? durationUnitMs(s.duration)
            : 86_400_000;
      tooManySlices(s.slices, 'slices');
      request = {
        ...base,
        algo,
        endAt: base.endAt ?? '',
        slices: s.slices,
        timeUnitMs,
        lookbackDays: s.lookbackDays ?? 5,
      };
      for (const key of ['sigma', 'eta', 'gamma', 'epsilon', 'riskAversion', 'urgency'] as const) {
        const value = s[key];
        if (value !== undefined) request[key] = value;
      }
      break;
    }
    case 'iceberg': {
      const i = r as Parsed<'iceberg'>;
      if (i.limitPrice === undefined) add('MISSING_LIMIT_PRICE', 'limitPrice', 'an iceberg needs limitPrice');
      request = {
        ...base,
        algo,
        limitPrice: i.limitPrice ?? '',
        displayQuantity: i.displayQuantity,
        displayRandomization: i.displayRandomization ?? 0,
        seed: i.seed ?? seedDefault,
      };
      break;
    }
    case 'route': {
      const o = r as Parsed<'route'>;
      request = {
        ...base,
        algo,
        maxRounds: o.maxRounds ?? 10,
        retryIntervalMs: o.retryInterval !== undefined ? parseDuration(o.retryInterval) : 2_000,
      };
      if (o.venues !== undefined) request.venues = o.venues;
      else if (o.venue !== undefined) request.venues = [o.venue];
      break;
    }
  }
  return issues.length > 0 || request === undefined ? { ok: false, issues } : { ok: true, request };
}
