/**
 * Builds the worker's venues from configuration. Any ccxt exchange id works; `simulatorUrl`
 * points an exchange at the local simulator (every API group it uses replaced).
 */
import { Agent } from 'node:http';
import * as ccxt from 'ccxt';
import { simulatorExchangeConfig, simulatorWsUrls } from '../sim/ccxt-client';
import type { BreakerSettings } from '../domain/circuit-breaker';
import { type LiveGates, liveGatesFrom, venueTradingMode } from '../domain/live-gates';
import {
  type CcxtVenueConfig,
  type VenueConfig,
  type WorkerConfig,
  parseWorkerConfig,
} from '../workers/config';
import { dialectFor } from './ccxt-dialects';
import { CcxtVenue } from './ccxt-venue';
import { gateVenue } from './gated-venue';
import { PaperVenue } from './paper-venue';
import { type RegisteredVenue, VenueRegistry, type VenueSettings } from './registry';
import { VenueBreaker } from './venue-breaker';

type ExchangeClass = new (config: Record<string, unknown>) => ccxt.Exchange;

/** The REST class of a ccxt exchange id, or (pro) its WebSocket-capable class. */
function exchangeClass(exchangeId: string, pro = false): ExchangeClass | undefined {
  // ccxt's declarations type `exchanges` as a map of classes; the CommonJS build exports an array
  // of ids. The classes themselves are top-level exports in both (pro ones under `pro`).
  const ids = (pro ? (ccxt.pro as unknown as { exchanges: unknown }).exchanges : ccxt.exchanges) as
    readonly string[] | undefined;
  const classes = (pro ? ccxt.pro : ccxt) as unknown as Record<string, ExchangeClass | undefined>;
  return ids?.includes(exchangeId) === true ? classes[exchangeId] : undefined;
}

export function createCcxtExchange(config: CcxtVenueConfig): ccxt.Exchange {
  return buildExchange(config, false);
}

/**
 * A second, WebSocket-capable (ccxt pro) instance of the venue's exchange, same credentials, for
 * its order stream (src/venues/order-stream.ts). Separate from the REST instance so a stream that
 * drops or reconnects never disturbs the REST calls. On the simulator every WebSocket URL is
 * pointed at it too (Binance spot's user-data stream: ws://host:port/ws-api/v3).
 */
export function createCcxtProExchange(config: CcxtVenueConfig): ccxt.Exchange {
  return buildExchange(config, true);
}

/** Whether a venue gets an order stream: configured so, else if its exchange can watch orders. */
export function orderStreamEnabled(config: VenueConfig): boolean {
  if (config.kind !== 'ccxt') return false;
  const ProCtor = exchangeClass(config.exchange, true);
  const canWatch = ProCtor !== undefined && new ProCtor({}).has['watchOrders'] === true;
  if (config.stream.enabled === true && !canWatch) {
    throw new Error(`ccxt exchange "${config.exchange}" cannot watch orders: set stream.enabled to false`);
  }
  return config.stream.enabled ?? canWatch;
}

function buildExchange(config: CcxtVenueConfig, pro: boolean): ccxt.Exchange {
  const ExchangeCtor = exchangeClass(config.exchange, pro);
  if (ExchangeCtor === undefined) {
    throw new Error(`unknown ccxt${pro ? ' pro' : ''} exchange "${config.exchange}"`);
  }
  const base: Record<string, unknown> = {
    enableRateLimit: true,
    timeout: config.timeoutMs,
    ...(config.rateLimitMs === undefined ? {} : { rateLimit: config.rateLimitMs }),
    ...rateLimiter(config),
    ...(config.apiKey === undefined ? {} : { apiKey: config.apiKey }),
    ...(config.secret === undefined ? {} : { secret: config.secret }),
    ...(config.password === undefined ? {} : { password: config.password }),
  };
  const simulator =
    config.simulatorUrl === undefined ? {} : simulatorExchangeConfig(config.exchange, config.simulatorUrl);
  const simulatorOptions = (simulator as { options?: Record<string, unknown> }).options ?? {};
  const exchange = new ExchangeCtor({
    ...simulator,
    ...(pro && config.simulatorUrl !== undefined
      ? {
          urls: simulatorWsUrls(
            new ExchangeCtor({}).urls,
            config.simulatorUrl,
            (simulator as { urls: Record<string, Record<string, string>> }).urls,
          ),
        }
      : {}),
    ...base,
    options: {
      defaultType: 'spot',
      ...simulatorOptions,
      // ccxt's own delay before reconnecting a WebSocket grows to a minute: cap it like ours.
      ...(pro ? { ws: { backoff: { max: config.stream.reconnectMaxMs } } } : {}),
      ...config.options,
      // ccxt can resend a failed request by itself (maxRetriesOnFailure): never. Temporal retries,
      // and a resent order must be looked up first. The clock offset is kept by the adapter.
      maxRetriesOnFailure: 0,
    },
  });
  if (config.sandbox) exchange.setSandboxMode(true);
  // ccxt opens plain ws:// URLs (the local simulator) only through an agent it was given.
  if (pro && config.simulatorUrl?.startsWith('http:') === true) exchange.httpAgent = new Agent();
  return exchange;
}

/**
 * ccxt's rate limiter beyond rateLimitMs: a burst (its token bucket's capacity) and, for venues
 * that count request weight per window (Binance: per minute), its rolling-window algorithm.
 */
function rateLimiter(config: CcxtVenueConfig): Record<string, unknown> {
  return {
    ...(config.rateLimitBurst === undefined ? {} : { tokenBucket: { capacity: config.rateLimitBurst } }),
    ...(config.rateLimitWindowMs === undefined
      ? {}
      : { rateLimiterAlgorithm: 'rollingWindow', rollingWindowSize: config.rateLimitWindowMs }),
  };
}

/**
 * The ccxt-backed venue for a configured venue: its exchange (built from the same configuration
 * unless given), dialect and upkeep settings.
 */
export function createCcxtVenue(
  name: string,
  config: CcxtVenueConfig,
  exchange: ccxt.Exchange = createCcxtExchange(config),
): CcxtVenue {
  return new CcxtVenue({
    name,
    exchange,
    dialect: dialectFor(exchange.id, withoutUndefined(config.dialect ?? {})),
    upkeep: withoutUndefined({
      marketsTtlMs: config.marketsTtlMs,
      clockSyncIntervalMs: config.clockSyncIntervalMs,
    }),
    recvWindowDeadline: config.recvWindowDeadline,
  });
}

/** Optional configuration fields that were not given must not override defaults. */
function withoutUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

function settingsOf(config: VenueConfig): VenueSettings {
  return {
    clientOrderIdRules: config.clientOrderIdRules,
    dayCloseUtc: config.dayCloseUtc,
    pollIntervalMs: config.pollIntervalMs,
    maxAttempts: config.maxAttempts,
    whenBreakerOpen: config.breaker.whenOpen,
    breakerMaxWaitMs: config.breaker.maxWaitMs,
    routing: { ...config.routing },
  };
}

function breakerSettingsOf(config: VenueConfig): BreakerSettings {
  const { failureThreshold, failureRate, windowMs, cooldownMs } = config.breaker;
  return { failureThreshold, failureRate, windowMs, cooldownMs };
}

/**
 * One configured venue, behind the live-trading gates: a real venue they block is registered
 * gated (orders refused, market data kept; src/venues/gated-venue.ts). `exchange` replaces the
 * ccxt exchange the configuration would build (tests: one pointed at a recording server).
 */
export function createRegisteredVenue(
  name: string,
  config: VenueConfig,
  gates: LiveGates,
  exchange?: ccxt.Exchange,
): RegisteredVenue {
  const venue =
    config.kind === 'paper'
      ? new PaperVenue(name, { ...config.prices })
      : createCcxtVenue(name, config, exchange ?? createCcxtExchange(config));
  return {
    venue: gateVenue(venue, venueTradingMode(name, config, gates)),
    settings: settingsOf(config),
    breaker: new VenueBreaker(breakerSettingsOf(config)),
  };
}

/**
 * A venue object the caller built (tests: a scripted or wrapped venue) with the configuration's
 * defaults for every setting not given — the same defaults a configured venue gets.
 */
export function registeredVenue(
  venue: RegisteredVenue['venue'],
  settings: Partial<VenueSettings> = {},
  breaker: Partial<BreakerSettings> = {},
): RegisteredVenue {
  const defaults = parseWorkerConfig(JSON.stringify({ venues: { v: { kind: 'paper', prices: {} } } })).venues[
    'v'
  ];
  if (defaults === undefined) throw new Error('no default venue configuration');
  return {
    venue,
    settings: { ...settingsOf(defaults), ...settings },
    breaker: new VenueBreaker({ ...breakerSettingsOf(defaults), ...breaker }),
  };
}

/** The gates default to the environment's DRY_RUN / LIVE_CONFIRM (src/domain/live-gates.ts). */
export function createVenueRegistry(
  config: WorkerConfig,
  gates: LiveGates = liveGatesFrom(process.env),
): VenueRegistry {
  const venues = new Map<string, RegisteredVenue>();
  for (const [name, venueConfig] of Object.entries(config.venues))
    venues.set(name, createRegisteredVenue(name, venueConfig, gates));
  return new VenueRegistry(venues);
}
