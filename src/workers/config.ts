/**
 * Worker configuration: Temporal connection and venues, from a JSON file with ${VAR} and
 * ${VAR:-default} substituted from the environment. Secrets live only here (never in workflow
 * inputs, histories or logs).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { clientEnvironment } from '../client/connection';
import { isClientOrderIdRuleName } from '../domain/client-order-id-rules';
import { cmp, isDecimalText } from '../domain/decimal';
import { TIME_OF_DAY } from '../venues/registry';
import { eventsConfig } from './config-events';
import { monitorConfig } from './config-monitor';
import { reconciliationConfig } from './config-reconciliation';
import { riskConfig } from './config-risk';

const clientIdRules = z.string().refine(isClientOrderIdRuleName, 'must be "binance" or "bybit"');
const timeOfDay = z.string().regex(TIME_OF_DAY, 'must be HH:MM or HH:MM:SS, 00:00 to 23:59:59');
const nonNegativeDecimal = z
  .string()
  .refine((v) => isDecimalText(v) && cmp(v, 0) >= 0, 'must be a decimal string ≥ 0');
const positiveDecimal = z
  .string()
  .refine((v) => isDecimalText(v) && cmp(v, 0) > 0, 'must be a decimal string > 0');

const common = {
  clientOrderIdRules: clientIdRules.default('binance'),
  dayCloseUtc: timeOfDay.default('00:00'),
  pollIntervalMs: z.number().int().positive().default(500),
  /** Attempts of one venue call before the order parks in DEAD_LETTER (~4 min with backoff). */
  maxAttempts: z.number().int().min(1).default(12),
  /**
   * Circuit breaker: failureThreshold transient failures within windowMs, that are also failureRate
   * of the calls, open it; cooldownMs until a probe.
   */
  breaker: z
    .strictObject({
      failureThreshold: z.number().int().min(1).default(5),
      failureRate: z.number().gt(0).max(1).default(0.5),
      windowMs: z.number().int().positive().default(30_000),
      cooldownMs: z.number().int().positive().default(10_000),
      whenOpen: z.enum(['deny', 'wait']).default('wait'),
      maxWaitMs: z.number().int().nonnegative().default(60_000),
    })
    .prefault({}),
  /**
   * What smart routing weighs for this venue (routeQuotes hands these to the router): a lower
   * priority wins ties; costs are the venue's trading costs beyond the price (fees in basis points
   * of notional, plus a fixed cost per unit of base asset); maxOrderSize caps one child order
   * (base asset); a disabled venue is left out of routing, not out of trading.
   */
  routing: z
    .strictObject({
      priority: z.number().int().min(1).default(100),
      costBps: z.number().nonnegative().default(0),
      costPerUnit: nonNegativeDecimal.default('0'),
      maxOrderSize: positiveDecimal.optional(),
      enabled: z.boolean().default(true),
    })
    .prefault({}),
};

const ccxtVenue = z.strictObject({
  kind: z.literal('ccxt'),
  exchange: z.string().min(1),
  apiKey: z.string().optional(),
  secret: z.string().optional(),
  password: z.string().optional(),
  /** Point the exchange at the local simulator at this base URL (e.g. http://127.0.0.1:8300). */
  simulatorUrl: z.string().url().optional(),
  sandbox: z.boolean().default(false),
  timeoutMs: z.number().int().positive().default(10_000),
  /** ccxt's rate limiter: minimum milliseconds between requests. */
  rateLimitMs: z.number().nonnegative().optional(),
  options: z.record(z.string(), z.unknown()).default({}),
  /** The venue enforces a new order's send deadline through Binance's timestamp + recvWindow. */
  recvWindowDeadline: z.boolean().default(false),
  /** ccxt's rate limiter: requests allowed back to back before it spaces them by rateLimitMs. */
  rateLimitBurst: z.number().int().positive().optional(),
  /** Use ccxt's rolling-window limiter over this window (venues that count weight per minute). */
  rateLimitWindowMs: z.number().int().positive().optional(),
  /** Reload markets this often (default 15 min); also after the venue calls a symbol unknown. */
  marketsTtlMs: z.number().int().positive().optional(),
  /** Resync the clock offset this often (default 10 min; 0: only when a timestamp is refused). */
  clockSyncIntervalMs: z.number().int().nonnegative().optional(),
  /**
   * Pushed order updates (src/venues/order-stream.ts): a ccxt pro `watchOrders` stream per venue that
   * wakes the order workflows at once. `enabled` defaults to whether the exchange has watchOrders;
   * while the stream is up the follow polls only every fallbackPollIntervalMs (while it is down, at
   * pollIntervalMs). reconnectMaxMs caps the backoff between reconnects.
   */
  stream: z
    .strictObject({
      enabled: z.boolean().optional(),
      fallbackPollIntervalMs: z.number().int().positive().default(2_000),
      reconnectMaxMs: z.number().int().positive().default(5_000),
    })
    .prefault({}),
  /** Overrides of how this exchange's ccxt class behaves (src/venues/ccxt-dialects.ts). */
  dialect: z
    .strictObject({
      clientOrderIdLookupParam: z.string().min(1).optional(),
      thinOrderAnswers: z.boolean().optional(),
      listParams: z.record(z.string(), z.unknown()).optional(),
      amendClientOrderIdParam: z.string().min(1).nullable().optional(),
      amendAmountIsTotal: z.boolean().optional(),
      jsonAnswers: z.boolean().optional(),
      tradesPaging: z.enum(['window', 'latest']).optional(),
      tradesPageKeeps: z.enum(['first', 'last']).optional(),
      tradesPageLimit: z.number().int().min(1).optional(),
      tradesMaxSpanMs: z.number().int().min(1).nullable().optional(),
    })
    .optional(),
  ...common,
});

const paperVenue = z.strictObject({
  kind: z.literal('paper'),
  /** Mid prices the paper venue starts from, by symbol. */
  prices: z.record(z.string(), z.string()),
  balances: z.record(z.string(), z.string()).default({}),
  ...common,
});

/** `kind` defaults to ccxt; a discriminated union then reports errors with the field that is wrong. */
const venueConfig = z.preprocess(
  (v) => (typeof v === 'object' && v !== null && !('kind' in v) ? { ...v, kind: 'ccxt' } : v),
  z.discriminatedUnion('kind', [paperVenue, ccxtVenue]),
);

const workerConfig = z.strictObject({
  venues: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/), venueConfig),
  /** Business event sinks beyond the log (src/workers/config-events.ts). */
  events: eventsConfig,
  /** Pre-trade risk limits: defaults < symbol < strategy (src/workers/config-risk.ts). */
  risk: riskConfig,
  /** Reconciliation schedule and policy (src/workers/config-reconciliation.ts). */
  reconciliation: reconciliationConfig,
  /** Execution monitor: window and alert limits (src/workers/config-monitor.ts). */
  monitor: monitorConfig,
});

export type CcxtVenueConfig = z.output<typeof ccxtVenue>;
export type PaperVenueConfig = z.output<typeof paperVenue>;
export type VenueConfig = z.output<typeof venueConfig>;
export type WorkerConfig = z.output<typeof workerConfig>;

export interface Environment {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  configFile: string;
}

export function environment(env: NodeJS.ProcessEnv = process.env): Environment {
  const temporal = clientEnvironment(env);
  return {
    temporalAddress: temporal.address,
    namespace: temporal.namespace,
    taskQueue: temporal.taskQueue,
    configFile: env['ORDO_CONFIG'] ?? path.join(__dirname, '..', '..', 'config', 'venues.json'),
  };
}

const VARIABLE = /\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g;

/** Replaces ${VAR} and ${VAR:-default} (default when unset or empty); an unset VAR without default is an error. */
export function substituteEnv(text: string, env: NodeJS.ProcessEnv = process.env): string {
  return text.replace(VARIABLE, (_match, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (fallback !== undefined) return value === undefined || value === '' ? fallback : value;
    if (value === undefined) throw new Error(`configuration needs environment variable ${name}`);
    return value;
  });
}

/** Substitutes inside string values only, after parsing: a value can never change the structure. */
function substituteInValues(value: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === 'string') return substituteEnv(value, env);
  if (Array.isArray(value)) return value.map((v) => substituteInValues(v, env));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteInValues(v, env)]));
  }
  return value;
}

export function parseWorkerConfig(json: string, env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`invalid worker configuration: not JSON (${why})`, { cause: err });
  }
  const result = workerConfig.safeParse(substituteInValues(raw, env));
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`)
      .join('; ');
    throw new Error(`invalid worker configuration: ${problems}`);
  }
  return result.data;
}

export function loadWorkerConfig(file: string, env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return parseWorkerConfig(readFileSync(file, 'utf8'), env);
}
