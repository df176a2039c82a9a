/**
 * Latency from the request to the first fill: the earliest fill's venue timestamp minus the time
 * Ordo received the order, in whole milliseconds. The two clocks differ (venue vs Ordo), so a
 * small negative value is possible; it is reported as it is rather than hidden by clamping.
 * Percentiles are nearest-rank: the p-th of n sorted values is the ⌈p/100·n⌉-th.
 */
import { requireTime } from './input';
import type { LatencyStats, TcaFill } from './types';

export function firstFill(
  requestedAt: string,
  fills: readonly TcaFill[],
): { firstFillAt?: string; latencyMs?: number } {
  const requested = requireTime('requestedAt', requestedAt);
  let first: { at: string; ms: number } | undefined;
  for (const [i, f] of fills.entries()) {
    const ms = requireTime(`fills[${i}].timestamp`, f.timestamp);
    if (first === undefined || ms < first.ms) first = { at: f.timestamp, ms };
  }
  return first === undefined ? {} : { firstFillAt: first.at, latencyMs: first.ms - requested };
}

/** Nearest-rank percentile (0 < p ≤ 100) of the values; undefined when there are none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export function latencyStats(values: readonly number[]): LatencyStats {
  const p50 = percentile(values, 50);
  const p90 = percentile(values, 90);
  return {
    count: values.length,
    ...(p50 === undefined ? {} : { p50 }),
    ...(p90 === undefined ? {} : { p90 }),
  };
}
