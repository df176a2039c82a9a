/**
 * The `risk` block of worker configuration: pre-trade risk limits with defaults, per-symbol and
 * per-strategy overrides (defaults < symbol < strategy; null in an override removes a limit).
 * Every limit is optional (absent: not checked). Durations are texts ("5s", "2m") or milliseconds.
 *
 *   "risk": { "enabled": true,
 *             "defaults":   { "maxOrderNotional": "500000", "priceCollarBps": 2500, "signalTtl": "30s" },
 *             "symbols":    { "BTC/USDT": { "maxOrderQuantity": "5", "maxPosition": "50" } },
 *             "strategies": { "momentum": { "maxDailyOrders": 500, "duplicateWindow": "10s" } },
 *             "positionSource": "ledger" }
 *
 * `positionSource` says where the position limit, the exposures and reduce-only read positions:
 * "venue" (the default) the account's balances, deposits included; "ledger" Ordo's own book, what
 * its trades bought and sold (src/activities/ledger-positions.ts) — the order's strategy's when it
 * has one. It also gives the REDUCING trading state its position.
 */
import { z } from 'zod';
import { DurationError, parseDuration } from '../domain/algos/duration';
import { cmp, isDecimalText, toDecimalString } from '../domain/decimal';
import { SYMBOL_PATTERN, id } from '../domain/order-request';
import type { RiskLimits, RiskLimitsOverride, RiskSettings } from '../domain/risk/types';

const amount = z
  .string()
  .refine((v) => isDecimalText(v) && cmp(v, 0) >= 0, 'must be a decimal string ≥ 0')
  .transform((v) => toDecimalString(v));
const count = z.number().int().nonnegative();
const duration = z.union([z.string(), z.number().int().positive()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  try {
    return parseDuration(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: err instanceof DurationError ? err.message : String(err) });
    return z.NEVER;
  }
});

/** Each limit's schema, by its name in configuration. */
const fields = {
  maxOrderQuantity: amount,
  maxOrderNotional: amount,
  priceCollarBps: z.number().nonnegative(),
  maxPosition: amount,
  maxGrossExposure: amount,
  maxNetExposure: amount,
  maxDailyOrders: count,
  maxDailyNotional: amount,
  maxOpenOrders: count,
  duplicateWindow: duration,
  signalTtl: duration,
  checkBalance: z.boolean(),
};
type Field = keyof typeof fields;

/**
 * Configuration names → RiskLimits names (durations become duplicateWindowMs / signalTtlMs); the
 * other fields are the same in both, which the config tests check value by value.
 */
function renamed(parsed: { duplicateWindow?: number | null; signalTtl?: number | null }): object {
  const { duplicateWindow, signalTtl, ...rest } = parsed;
  return {
    ...rest,
    ...(duplicateWindow === undefined ? {} : { duplicateWindowMs: duplicateWindow }),
    ...(signalTtl === undefined ? {} : { signalTtlMs: signalTtl }),
  };
}

const limits = z
  .strictObject(fields)
  .partial()
  .transform((p) => renamed(p) as RiskLimits);

const nullableFields = Object.fromEntries(Object.entries(fields).map(([k, s]) => [k, s.nullable()])) as {
  [K in Field]: z.ZodNullable<(typeof fields)[K]>;
};
const override = z
  .strictObject(nullableFields)
  .partial()
  .transform((p) => renamed(p) as RiskLimitsOverride);

export const POSITION_SOURCES = ['venue', 'ledger'] as const;
export type PositionSourceName = (typeof POSITION_SOURCES)[number];

export const riskConfig = z
  .strictObject({
    enabled: z.boolean().default(true),
    // Absent means "venue": left out of the parsed block so it stays a plain RiskSettings.
    positionSource: z.enum(POSITION_SOURCES).optional(),
    defaults: limits.prefault({}),
    symbols: z
      .record(z.string().regex(SYMBOL_PATTERN, 'must be a unified symbol like "BTC/USDT"'), override)
      .default({}),
    strategies: z.record(id, override).default({}),
  })
  .prefault({}) satisfies z.ZodType<RiskSettings>;

/** The parsed `risk` block: the limits, and where positions come from. */
export type RiskConfig = z.output<typeof riskConfig>;
