/**
 * Builds the worker's venues from configuration. Any ccxt exchange id works; `simulatorUrl`
 * points an exchange at the local simulator (every API group it uses replaced).
 */
import * as ccxt from 'ccxt';
import { simulatorExchangeConfig } from '../sim/ccxt-client';
import type { CcxtVenueConfig, VenueConfig, WorkerConfig } from '../workers/config';
import { CcxtVenue } from './ccxt-venue';
import { PaperVenue } from './paper-venue';
import { type RegisteredVenue, VenueRegistry } from './registry';

type ExchangeClass = new (config: Record<string, unknown>) => ccxt.Exchange;

export function createCcxtExchange(config: CcxtVenueConfig): ccxt.Exchange {
  // ccxt's declarations type `exchanges` as a map of classes; the CommonJS build exports an array
  // of ids. The classes themselves are top-level exports in both.
  const ids = ccxt.exchanges as unknown as readonly string[];
  const classes = ccxt as unknown as Record<string, ExchangeClass | undefined>;
  const ExchangeCtor = ids.includes(config.exchange) ? classes[config.exchange] : undefined;
  if (ExchangeCtor === undefined) throw new Error(`unknown ccxt exchange "${config.exchange}"`);
  const base: Record<string, unknown> = {
    enableRateLimit: true,
    timeout: config.timeoutMs,
    ...(config.rateLimitMs === undefined ? {} : { rateLimit: config.rateLimitMs }),
    ...(config.apiKey === undefined ? {} : { apiKey: config.apiKey }),
    ...(config.secret === undefined ? {} : { secret: config.secret }),
    ...(config.password === undefined ? {} : { password: config.password }),
  };
  const simulator =
    config.simulatorUrl === undefined ? {} : simulatorExchangeConfig(config.exchange, config.simulatorUrl);
  const simulatorOptions = (simulator as { options?: Record<string, unknown> }).options ?? {};
  const exchange = new ExchangeCtor({
    ...simulator,
    ...base,
    options: { defaultType: 'spot', ...simulatorOptions, ...config.options },
  });
  if (config.sandbox) exchange.setSandboxMode(true);
  return exchange;
}

function createVenue(name: string, config: VenueConfig): RegisteredVenue {
  const settings = {
    clientOrderIdRules: config.clientOrderIdRules,
    dayCloseUtc: config.dayCloseUtc,
    pollIntervalMs: config.pollIntervalMs,
    maxAttempts: config.maxAttempts,
  };
  if (config.kind === 'paper') return { venue: new PaperVenue(name, { ...config.prices }), settings };
  return {
    venue: new CcxtVenue({
      name,
      exchange: createCcxtExchange(config),
      recvWindowDeadline: config.recvWindowDeadline,
    }),
    settings,
  };
}

export function createVenueRegistry(config: WorkerConfig): VenueRegistry {
  const venues = new Map<string, RegisteredVenue>();
  for (const [name, venueConfig] of Object.entries(config.venues))
    venues.set(name, createVenue(name, venueConfig));
  return new VenueRegistry(venues);
}
