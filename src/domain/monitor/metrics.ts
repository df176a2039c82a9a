/**
 * Metrics of the window, per scope: every observation (`all`) and each venue (`venue:<name>`).
 * Rejection rate counts orders, not events: an order placed and later refused (a venue rejecting
 * a replacement) is one order, rejected.
 */
import type { LatencyStats, Observation, ScopeMetrics, ShortfallStats } from './types';

export const ALL_SCOPE = 'all';

export function venueScope(venue: string): string {
  return `venue:${venue}`;
}

/** Metrics for `all` first, then each venue in name order. */
export function windowMetrics(observations: readonly Observation[]): ScopeMetrics[] {
  const venues = [...new Set(observations.map((o) => o.venue))].sort();
  return [
    scopeMetrics(ALL_SCOPE, observations),
    ...venues.map((venue) =>
      scopeMetrics(
        venueScope(venue),
        observations.filter((o) => o.venue === venue),
        venue,
      ),
    ),
  ];
}

export function scopeMetrics(
  scope: string,
  observations: readonly Observation[],
  venue?: string,
): ScopeMetrics {
  const reached = new Set<string>();
  const rejected = new Set<string>();
  let placed = 0;
  let denied = 0;
  let filled = 0;
  const latencies: number[] = [];
  const shortfalls: number[] = [];
  for (const o of observations) {
    if (o.kind === 'placed') {
      placed += 1;
      reached.add(o.orderId);
      if (o.latencyMs !== undefined) latencies.push(o.latencyMs);
    } else if (o.kind === 'rejected') {
      rejected.add(o.orderId);
      reached.add(o.orderId);
    } else if (o.kind === 'denied') {
      denied += 1;
    } else {
      filled += 1;
      if (o.shortfallBps !== undefined) shortfalls.push(o.shortfallBps);
    }
  }
  return {
    scope,
    ...(venue === undefined ? {} : { venue }),
    orders: reached.size,
    placed,
    rejected: rejected.size,
    denied,
    filled,
    rejectionRate: reached.size === 0 ? null : round(rejected.size / reached.size, 6),
    latency: latencyStats(latencies),
    shortfall: shortfallStats(shortfalls),
  };
}

export function latencyStats(samples: readonly number[]): LatencyStats | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    meanMs: round(mean(sorted), 1),
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    maxMs: sorted[sorted.length - 1] ?? 0,
  };
}

export function shortfallStats(samples: readonly number[]): ShortfallStats | null {
  if (samples.length === 0) return null;
  return { samples: samples.length, meanBps: round(mean(samples), 4), maxBps: Math.max(...samples) };
}

/** Nearest-rank percentile of ascending `sorted` (non-empty): a value that was actually observed. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no samples');
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function round(value: number, places: number): number {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}
