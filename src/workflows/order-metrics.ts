/**
 * Ordo's own metrics from inside orderWorkflow, through the SDK's workflow metric meter: exported
 * with Temporal's runtime metrics on the worker's Prometheus endpoint (ORDO_METRICS_ADDRESS). The
 * meter records nothing while a history replays, so each order counts once, and it issues no
 * command (recorded histories are unchanged).
 */
import { metricMeter } from '@temporalio/workflow';
import type { OrderStatus } from '../domain/status';

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

export function countOrderEnded(status: OrderStatus, venue: unknown): void {
  ended.add(1, { status, venue: venueTag(venue) });
}

export function countDeadLetter(venue: unknown): void {
  parked.add(1, { venue: venueTag(venue) });
}

/** A refused request may not even name a venue: never let a tag break the order. */
function venueTag(venue: unknown): string {
  return typeof venue === 'string' && venue.length > 0 && venue.length <= 64 ? venue : 'unknown';
}
