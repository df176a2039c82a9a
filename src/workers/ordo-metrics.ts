/**
 * The worker-side half of Ordo's Prometheus metrics (the workflow half is
 * src/workflows/order-metrics.ts): bucket boundaries for Ordo's histograms, and each venue's
 * circuit-breaker mode as a gauge, through the Temporal runtime's own meter so everything is on
 * the one endpoint (ORDO_METRICS_ADDRESS).
 */
import type { MetricMeter } from '@temporalio/common';
import type { BreakerMode } from '../domain/circuit-breaker';
import type { VenueRegistry } from '../venues/registry';

/**
 * Bucket boundaries for the runtime's Prometheus exporter (histogramBucketOverrides). The defaults
 * are sized for task latencies in ms: too coarse for slippage in bps (its size; the sign is the
 * `direction` tag, as the SDK's histograms refuse negative values) and far below the minutes a
 * resting limit order can take to fill.
 */
export const ORDO_HISTOGRAM_BUCKETS: Record<string, number[]> = {
  ordo_fill_latency: [
    25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000,
    14_400_000, 86_400_000,
  ],
  ordo_slippage_bps: [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500],
};

/** The gauge's value per mode: ordered by how much of the venue's traffic is held back. */
export const BREAKER_STATE_VALUE: Record<BreakerMode, number> = { closed: 0, half_open: 1, open: 2 };

/**
 * Sets `ordo_venue_breaker_state{venue}` (0 closed, 1 half-open, 2 open) for every venue now and
 * on every change of its breaker's mode. Breakers live in the worker process, outside activities,
 * so this uses the runtime's meter (Runtime.instance().metricMeter), not an activity's.
 */
export function exportBreakerStates(registry: VenueRegistry, meter: MetricMeter): void {
  const gauge = meter.createGauge(
    'ordo_venue_breaker_state',
    'int',
    'state',
    "Each venue's circuit breaker in this worker: 0 closed, 1 half-open, 2 open",
  );
  for (const venue of registry.names())
    registry.get(venue).breaker.onModeChange((mode) => gauge.set(BREAKER_STATE_VALUE[mode], { venue }));
}
