/**
 * Configuration block `monitor`: the execution monitor's rolling window and the limits its alerts
 * hold the window's metrics to (the reference design's execution_risk_limits). Durations are texts
 * like "90s", "5m" (src/domain/algos/duration.ts).
 *
 * Defaults, for crypto venues (and the simulator):
 * - maxRejectionRate 0.05: the reference's 5 %. Crypto venues refuse little once an order passed
 *   Ordo's own checks (lot, tick, notional, funds); a twentieth refused is a venue or account issue.
 * - maxLatencyMs 1000: the reference's 100 ms is an equities co-location number. Here latency is
 *   Ordo receiving the order to the venue acknowledging it: three workflow tasks, market data for
 *   the arrival price, pre-trade checks, then a signed REST call — ~100 ms p50 on loopback against
 *   the simulator (README, bench/order-latency.ts), plus the internet's round trips to a real
 *   venue. A mean above a second, over minSamples orders, means a venue or Ordo is struggling.
 * - maxShortfallBps 100: the reference's 1 %; a mean over 1 % against the arrival mid is far
 *   beyond the spread and impact of the liquid pairs Ordo trades.
 * - window 5m, minSamples 10: enough orders for a rate to mean something, recent enough to act on.
 */
import { z } from 'zod';
import { parseDuration } from '../domain/algos/duration';
import { MAX_OBSERVATIONS } from '../domain/monitor/limits';
import { ALERT_SCOPES, type MonitorLimits } from '../domain/monitor/types';

const duration = z.string().refine((text) => {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}, 'a duration like 30s, 5m or 1h');

export const monitorConfig = z
  .strictObject({
    /** False: the worker neither feeds nor starts the monitor. */
    enabled: z.boolean().default(true),
    /** The rolling window the metrics are computed over. */
    window: duration.default('5m'),
    /** Samples a metric needs in the window before it can raise an alert. */
    minSamples: z.number().int().min(1).default(10),
    maxRejectionRate: z.number().gt(0).max(1).default(0.05),
    maxLatencyMs: z.number().positive().default(1_000),
    maxShortfallBps: z.number().positive().default(100),
    /** A raised alert clears at or below limit × clearRatio (hysteresis). */
    clearRatio: z.number().gt(0).max(1).default(0.8),
    /** Observations kept in the window at most (the oldest go first past it). */
    maxObservations: z.number().int().min(10).max(MAX_OBSERVATIONS).default(5_000),
    /** Alerts for each venue (`venue`), for everything together (`all`), or both. */
    alertScopes: z.array(z.enum(ALERT_SCOPES)).min(1).default(['venue']),
    /** How often the worker's event sink hands its observations to the monitor. */
    flushEvery: duration.default('500ms'),
  })
  .prefault({});

export type MonitorConfig = z.output<typeof monitorConfig>;

/** The limits the monitor workflow evaluates with. */
export function monitorLimits(config: MonitorConfig): MonitorLimits {
  return {
    windowMs: parseDuration(config.window),
    minSamples: config.minSamples,
    maxRejectionRate: config.maxRejectionRate,
    maxLatencyMs: config.maxLatencyMs,
    maxShortfallBps: config.maxShortfallBps,
    clearRatio: config.clearRatio,
    maxObservations: config.maxObservations,
    alertScopes: [...new Set(config.alertScopes)],
  };
}
