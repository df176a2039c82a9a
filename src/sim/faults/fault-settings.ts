import { z } from 'zod';

/**
 * The fault settings as `POST /admin/faults` takes them and `GET /admin/faults` shows them:
 * plain, dialect-neutral data. Nothing here knows Binance or Bybit — error kinds are named for
 * what happened ("the venue's backend timed out"), and each dialect renders them in its own words
 * (see fault-renderer.ts). The README's "Faults" section documents every field.
 */

/** Venue-level errors: the venue (or its front door) answers, in the dialect's error format. */
export const VENUE_ERROR_KINDS = [
  'internalError',
  'disconnected',
  'unexpectedResponse',
  'backendTimeout',
  'rateLimited',
  'orderRateLimited',
  'ipBanned',
  'shuttingDown',
] as const;

/** Answers that are not in any venue's format: a proxy's HTML 502 page, a 200 that is not JSON. */
export const TRANSPORT_ERROR_KINDS = ['badGateway', 'nonJsonBody'] as const;

export const ERROR_KINDS = [...VENUE_ERROR_KINDS, ...TRANSPORT_ERROR_KINDS] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/**
 * Scope entries: `"POST /api/v3/order"` (method and exact path), `"/api/v3/order"` (any method),
 * `"GET /api/v3/*"` or `"/v5/*"` (path prefix), or a dialect-neutral tag: `@placeOrder` (any
 * order-placing endpoint), `@signed` (any authenticated endpoint), `@public`.
 */
export const SCOPE_TAGS = ['@placeOrder', '@signed', '@public'] as const;
const SCOPE_ENTRY = /^(@\w+|((GET|POST|PUT|PATCH|DELETE) )?\/\S*)$/;

const scope = z
  .array(
    z
      .string()
      .regex(SCOPE_ENTRY, 'a scope entry is "[METHOD ]/path", "[METHOD ]/prefix*" or a tag like @placeOrder')
      .refine((entry) => !entry.startsWith('@') || (SCOPE_TAGS as readonly string[]).includes(entry), {
        message: `scope tags are ${SCOPE_TAGS.join(', ')}`,
      }),
  )
  .min(1);

/** How often a fault fires among the requests in its scope: a probability, or every Nth one. */
const trigger = {
  rate: z.number().min(0).max(1).optional(),
  every: z.number().int().min(1).optional(),
  scope: scope.optional(),
  /** Fires at most this many times, then switches itself off. */
  times: z.number().int().min(1).optional(),
};
const notBothRateAndEvery = (rule: { rate?: number; every?: number }): boolean =>
  rule.rate === undefined || rule.every === undefined;
const RATE_XOR_EVERY = { message: 'give rate or every, not both' };

/** 'before': refused without being processed. 'after': processed (an order placed), then the answer is lost. */
const phase = z.enum(['before', 'after']).optional();

const errorRule = z
  .object({
    kind: z.enum(ERROR_KINDS),
    ...trigger,
    phase,
    /** For rateLimited, orderRateLimited and ipBanned (default: the top-level retryAfterSeconds). */
    retryAfterSeconds: z.number().int().min(0).optional(),
  })
  .strict()
  .refine(notBothRateAndEvery, RATE_XOR_EVERY);

const timeoutAfterAccept = z
  .object({
    ...trigger,
    /** 'hold': the answer is sent after holdMs (the client has timed out); 'drop': the connection is reset. */
    mode: z.enum(['hold', 'drop']).optional(),
    holdMs: z.number().int().min(0).optional(),
  })
  .strict()
  .refine(notBothRateAndEvery, RATE_XOR_EVERY);

const connectionResets = z
  .object({ ...trigger, phase })
  .strict()
  .refine(notBothRateAndEvery, RATE_XOR_EVERY);

const latencyLimits = { scope: scope.optional(), times: trigger.times };
const latency = z.discriminatedUnion('distribution', [
  z.object({ distribution: z.literal('fixed'), ms: z.number().int().min(0), ...latencyLimits }).strict(),
  z
    .object({
      distribution: z.literal('uniform'),
      minMs: z.number().int().min(0),
      maxMs: z.number().int().min(0),
      ...latencyLimits,
    })
    .strict()
    .refine((spec) => spec.minMs <= spec.maxMs, { message: 'minMs must not exceed maxMs' }),
  z
    .object({
      distribution: z.literal('lognormal'),
      medianMs: z.number().positive(),
      p99Ms: z.number().positive(),
      /** Caps the long tail (default: none). */
      maxMs: z.number().int().min(0).optional(),
      ...latencyLimits,
    })
    .strict()
    .refine((spec) => spec.p99Ms >= spec.medianMs, { message: 'p99Ms must not be below medianMs' }),
]);

/** Epoch milliseconds or an ISO-8601 string. */
const instant = z.union([
  z.number().int().min(0),
  z
    .string()
    .refine((text) => !Number.isNaN(Date.parse(text)), { message: 'not an ISO-8601 time' })
    .transform((text) => Date.parse(text)),
]);

const maintenance = z.union([
  z.object({ forMs: z.number().int().min(1), scope: scope.optional() }).strict(),
  z.object({ from: instant.optional(), until: instant, scope: scope.optional() }).strict(),
]);

/** The body of `POST /admin/faults`: every field optional; given fields replace the current ones. */
export const faultUpdateSchema = z
  .object({
    // The original flat settings, kept working exactly as before.
    errorRate: z.number().min(0).max(1),
    latencyMs: z.number().int().min(0),
    timeoutAfterAcceptRate: z.number().min(0).max(1),
    holdMs: z.number().int().min(0),
    rateLimitEvery: z.number().int().min(0),
    retryAfterSeconds: z.number().int().min(0),
    // Structured faults; null switches one off.
    seed: z.number().int().min(0).max(0xffffffff),
    latency: latency.nullable(),
    errors: z.array(errorRule).max(64),
    timeoutAfterAccept: timeoutAfterAccept.nullable(),
    connectionResets: connectionResets.nullable(),
    clockSkewMs: z.number().int(),
    maintenance: maintenance.nullable(),
  })
  .partial()
  .strict();

export type FaultUpdate = z.output<typeof faultUpdateSchema>;
export type LatencySpec = z.output<typeof latency>;
export type ErrorRuleSpec = z.output<typeof errorRule>;
export type TimeoutAfterAcceptSpec = z.output<typeof timeoutAfterAccept>;
export type ConnectionResetSpec = z.output<typeof connectionResets>;
export type MaintenanceSpec = z.output<typeof maintenance>;

/** How often a rule has fired so far (shown by GET so a test or an operator can see it work). */
export interface Fired {
  fired: number;
}

/** The complete settings, as `GET /admin/faults` shows them. */
export interface FaultSettings {
  /** Fraction of signed requests answered with an internal error instead of being processed. */
  errorRate: number;
  /** Delay added before every API request is processed. */
  latencyMs: number;
  /** Fraction of order placements that are processed but whose answer is held back. */
  timeoutAfterAcceptRate: number;
  /** How long a held answer is held (long enough for a client to time out). */
  holdMs: number;
  /** Every Nth API request is refused as rate-limited (0 = never). */
  rateLimitEvery: number;
  /** Seconds a rate-limited client is told to wait. */
  retryAfterSeconds: number;
  /** The seed the fault PRNG was last restarted from (null: derived from the simulator's seed). */
  seed: number | null;
  latency: (LatencySpec & Fired) | null;
  errors: (ErrorRuleSpec & Fired)[];
  timeoutAfterAccept: (TimeoutAfterAcceptSpec & Fired) | null;
  connectionResets: (ConnectionResetSpec & Fired) | null;
  /** The venue's clock runs this far ahead of real time (negative: behind). */
  clockSkewMs: number;
  /** A maintenance window in epoch milliseconds; `active` is computed when read. */
  maintenance: { from: number; until: number; scope?: string[]; active: boolean } | null;
}
