/**
 * Configuration block `reconciliation`: how often the Temporal Schedule runs reconciliationWorkflow,
 * what it does with an order working at a venue that Ordo did not place, and how much balance
 * drift it accepts. Durations are texts like "5m", "24h" (src/domain/algos/duration.ts).
 */
import { z } from 'zod';
import type { ReconciliationConfig } from '../activities/reconciliation-types';
import { parseDuration } from '../domain/algos/duration';
import type { WorkerConfig } from './config';

const duration = z.string().refine((text) => {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}, 'a duration like 90s, 5m, 2h or 1d');

const decimal = z.union([z.string().regex(/^\d+(\.\d+)?$/), z.number().nonnegative()]).transform(String);

export const reconciliationConfig = z
  .strictObject({
    /** False: no schedule and no start-up run (reconciliation still runs on demand). */
    enabled: z.boolean().default(true),
    /** The schedule's interval. */
    every: duration.default('5m'),
    /** Also run once when the worker starts (catches what happened while it was down). */
    atStartup: z.boolean().default(true),
    /** An order at the venue that Ordo does not know: reported only, cancelled, or adopted. */
    unknownOrders: z.enum(['report', 'cancel', 'adopt']).default('report'),
    /** How far back the account's trades are compared with the ledger. */
    lookback: duration.default('24h'),
    /** Pause before the second look that confirms a racy finding. */
    settle: duration.default('2s'),
    /** A venue order younger than this is not "unknown" yet (its workflow may not be listed). */
    grace: duration.default('10s'),
    /** Balance drift accepted per asset (absolute), and for assets not listed. */
    balanceTolerance: z.record(z.string().min(1), decimal).default({}),
    defaultBalanceTolerance: decimal.default('0'),
    /** Venues to reconcile (default: every configured venue). */
    venues: z.array(z.string().min(1)).optional(),
    /** Symbols always compared, besides those with Ordo or venue orders or ledger trades. */
    symbols: z.array(z.string().min(1)).default([]),
  })
  .prefault({});

export type ReconciliationConfigBlock = z.output<typeof reconciliationConfig>;

/**
 * What a reconciliation run works with. Venues that reach one account under several names (the
 * simulator's Binance and Bybit dialects on one key) are reconciled once, by the first of them:
 * `accountKeys` names each venue's account (venues without one are accounts of their own).
 */
export function reconciliationSettings(
  config: ReconciliationConfigBlock,
  venueNames: readonly string[],
  accountKeys: Readonly<Record<string, string>> = {},
): ReconciliationConfig {
  const primaryOf = new Map<string, string>();
  const sharedAccounts: Record<string, string[]> = {};
  for (const name of venueNames) {
    const key = accountKeys[name];
    const primary = key === undefined ? undefined : primaryOf.get(key);
    if (key !== undefined && primary === undefined) primaryOf.set(key, name);
    if (primary !== undefined) (sharedAccounts[primary] ??= []).push(name);
  }
  const secondary = new Set(Object.values(sharedAccounts).flat());
  return {
    venues: config.venues ?? venueNames.filter((name) => !secondary.has(name)),
    unknownOrders: config.unknownOrders,
    lookbackMs: parseDuration(config.lookback),
    settleMs: parseDuration(config.settle),
    graceMs: parseDuration(config.grace),
    balanceTolerance: config.balanceTolerance,
    defaultBalanceTolerance: config.defaultBalanceTolerance,
    symbols: config.symbols,
    sharedAccounts,
  };
}

/** A ccxt venue's account: the endpoint it trades on and its key (never the secret). */
export function venueAccountKeys(venues: WorkerConfig['venues']): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const [name, venue] of Object.entries(venues)) {
    if (venue.kind !== 'ccxt' || venue.apiKey === undefined) continue;
    keys[name] = `${venue.simulatorUrl ?? venue.exchange}|${venue.apiKey}`;
  }
  return keys;
}
