/**
 * The CcxtVenue adapter as the worker builds it (createCcxtVenue from a config/venues.json-shaped
 * configuration), pointed at an in-process simulator, for both dialects.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as ccxt from 'ccxt';
import type { RunningSimulator } from '../../src/sim/server';
import type { CcxtVenue } from '../../src/venues/ccxt-venue';
import { VenueError } from '../../src/venues/errors';
import { createCcxtExchange, createCcxtVenue } from '../../src/venues/factory';
import type { NewVenueOrder } from '../../src/venues/types';
import { parseWorkerConfig, type CcxtVenueConfig } from '../../src/workers/config';
import { admin, clientId } from './harness';

/** The venues of config/venues.json that trade on the simulator, one per dialect. */
export const DIALECTS = [
  ['sim', 'binance'],
  ['sim-bybit', 'bybit'],
] as const;
export type VenueName = (typeof DIALECTS)[number][0];

/** A venue's configuration from config/venues.json, with the simulator's port substituted. */
export function venueConfig(sim: RunningSimulator, name: VenueName): CcxtVenueConfig {
  const text = readFileSync(path.join(__dirname, '..', '..', 'config', 'venues.json'), 'utf8');
  const config = parseWorkerConfig(text, { SIM_PORT: String(sim.port) }).venues[name];
  if (config === undefined || config.kind !== 'ccxt') throw new Error(`no ccxt venue ${name}`);
  return config;
}

export interface TestVenue {
  venue: CcxtVenue;
  /** The ccxt instance inside (to watch or tamper with what the adapter relies on). */
  exchange: ccxt.Exchange;
  /** Every URL path the instance requested, in order. */
  requests: string[];
}

/**
 * A CcxtVenue for `name` on `sim`, built by createCcxtVenue from its configuration (plus
 * `overrides`), keeping a handle on the exchange. A short timeout makes held answers time out
 * fast; the periodic clock sync is off unless asked for (it would add /time requests).
 */
export function testVenue(
  sim: RunningSimulator,
  name: VenueName,
  overrides: Partial<CcxtVenueConfig> = {},
): TestVenue {
  const config = { ...venueConfig(sim, name), timeoutMs: 400, clockSyncIntervalMs: 0, ...overrides };
  const exchange = createCcxtExchange(config);
  const requests = recordRequests(exchange);
  return { venue: createCcxtVenue(name, config, exchange), exchange, requests };
}

/** Every URL path the exchange requests from now on, in order. */
export function recordRequests(exchange: ccxt.Exchange): string[] {
  const requests: string[] = [];
  const originalFetch = exchange.fetch.bind(exchange);
  exchange.fetch = (url: string, ...rest: unknown[]) => {
    requests.push(new URL(url).pathname);
    return originalFetch(url, ...(rest as [string?, Record<string, unknown>?, string?]));
  };
  return requests;
}

export async function setFaults(sim: RunningSimulator, faults: Record<string, unknown>): Promise<void> {
  await admin(sim, 'POST', '/admin/faults', faults);
}

/** The VenueError a venue call fails with (fails the test if it succeeds or throws anything else). */
export async function venueErrorOf(call: Promise<unknown>): Promise<VenueError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof VenueError) return err;
    throw new Error(`expected a VenueError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected the call to fail');
}

/** A limit buy far below the market: it rests (open), so it is easy to find again. */
export function restingBuy(label: string, overrides: Partial<NewVenueOrder> = {}): NewVenueOrder {
  return {
    clientOrderId: clientId(label),
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.01',
    limitPrice: '50000',
    timeInForce: 'GTC',
    ...overrides,
  };
}
