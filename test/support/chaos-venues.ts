/**
 * Worker configuration for resilience tests: the simulated venues of the default configuration
 * (config/venues.json), pointed at a given simulator and account.
 *
 * The venues are taken from config/venues.json rather than written here so that a simulated venue
 * added there (`sim-bybit`, issue 3) is exercised as configured, without editing this file: every
 * ccxt venue with a `simulatorUrl` is included, with the URL, keys and test timings replaced.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type WorkerConfig, parseWorkerConfig } from '../../src/workers/config';
import type { SimAccount } from './chaos-sim';

const DEFAULT_CONFIG = path.join(__dirname, '..', '..', 'config', 'venues.json');

export interface ChaosVenues {
  config: WorkerConfig;
  /** Names of the simulated venues in `config`, e.g. ["sim", "sim-bybit"]. */
  venues: string[];
}

export function simulatedVenues(options: {
  simulatorUrl: string;
  account: SimAccount;
  /** ccxt's per-request timeout: must be shorter than the simulator's held answers. */
  timeoutMs: number;
  /** Fields set on every venue (e.g. maxAttempts). */
  overrides?: Record<string, unknown>;
  configFile?: string;
}): ChaosVenues {
  const raw = JSON.parse(readFileSync(options.configFile ?? DEFAULT_CONFIG, 'utf8')) as {
    venues: Record<string, Record<string, unknown>>;
  };
  const venues: Record<string, Record<string, unknown>> = {};
  for (const [name, venue] of Object.entries(raw.venues)) {
    if ((venue['kind'] ?? 'ccxt') !== 'ccxt' || venue['simulatorUrl'] === undefined) continue;
    venues[name] = {
      ...venue,
      simulatorUrl: options.simulatorUrl,
      apiKey: options.account.apiKey,
      secret: options.account.secret,
      pollIntervalMs: 100,
      timeoutMs: options.timeoutMs,
      rateLimitMs: 1,
      ...options.overrides,
    };
  }
  if (venues['sim'] === undefined)
    throw new Error(`no simulated venue "sim" in ${options.configFile ?? DEFAULT_CONFIG}`);
  // Parsed like the worker parses its file (${VAR:-default} substituted, schema checked).
  const config = parseWorkerConfig(JSON.stringify({ venues }));
  return { config, venues: Object.keys(venues) };
}
