/**
 * Ordo's own metrics from inside orderWorkflow, through the SDK's workflow metric meter: exported
 * with Temporal's runtime metrics on the worker's Prometheus endpoint (ORDO_METRICS_ADDRESS). The
 * meter records nothing while a history replays, so each order counts once, and it issues no
 * command (recorded histories are unchanged). Everything here is computed from the order's state,
 * in workflow time, so it stays deterministic.
 */
import { log, metricMeter } from '@temporalio/workflow';
import type { OrderState } from '../domain/order-state';
import type { OrderStatus } from '../domain/status';
import { orderMetricValues } from './order-metric-values';

const ended = metricMeter.createCounter(
  'ordo_orders_ended',
  'orders',
  'Orders that reached a terminal status, by status and venue',
);
const parked = metricMeter.createCounter(
  'ordo_dead_letters',
  'orders',
  'Orders parked in DEAD_LETTER for an operator, by venue',
);
const fillLatency = metricMeter.createHistogram(
  'ordo_fill_latency',
  'int',
  'ms',
  'Order received to its first fill seen by the workflow (workflow time), by venue',
);
// The SDK's histograms refuse negative values (and a throw here would fail the workflow task), so
// the size goes in the histogram and the sign in a tag: `direction` cost (≥ 0) or improvement.
const slippage = metricMeter.createHistogram(
  'ordo_slippage_bps',
  'float',
  'bps',
  "Ended orders' average fill price against the arrival mid: size in bps, sign in `direction`, by venue and side",
);

export function countOrderEnded(status: OrderStatus, venue: unknown): void {
  neverFailTheOrder(() => ended.add(1, { status, venue: venueTag(venue) }));
}

export function countDeadLetter(venue: unknown): void {
  neverFailTheOrder(() => parked.add(1, { venue: venueTag(venue) }));
}

/**
 * After a status change: counts an ended order and its slippage, and the latency to the first
 * fill once per order (see orderMetricValues for when each is due).
 */
export function recordStatusMetrics(state: OrderState): void {
  neverFailTheOrder(() => {
    const values = orderMetricValues(state);
    const venue = venueTag(state.request.venue);
    if (values.fillLatencyMs !== undefined) fillLatency.record(Math.max(0, values.fillLatencyMs), { venue });
    if (values.ended !== undefined) countOrderEnded(values.ended, state.request.venue);
    if (values.slippageBps !== undefined)
      slippage.record(Math.abs(values.slippageBps), {
        venue,
        side: String(state.request.side),
        direction: values.slippageBps < 0 ? 'improvement' : 'cost',
      });
  });
}

/**
 * A metric is never worth an order: the meter throws on values it refuses, and a throw in workflow
 * code fails the workflow task (the order would be stuck retrying it). Logged and left out instead.
 */
function neverFailTheOrder(record: () => void): void {
  try {
    record();
  } catch (err) {
    log.warn('order metric not recorded', { error: err instanceof Error ? err.message : String(err) });
  }
}

/** A refused request may not even name a venue: never let a tag break the order. */
function venueTag(venue: unknown): string {
  return typeof venue === 'string' && venue.length > 0 && venue.length <= 64 ? venue : 'unknown';
}
