/**
 * The execution monitor's vocabulary: observations of orders (placed, rejected, filled) kept in a
 * rolling time window, metrics over the window per scope, the limits they are held to, and the
 * alerts raised and cleared against them. Pure data: the monitor workflow keeps it, the `monitor`
 * query, GET /monitor and `ordo monitor` show it.
 */

/**
 * What one order event told the monitor:
 * - placed: the venue acknowledged the order (with the latency from Ordo receiving it);
 * - rejected: the venue refused it; denied: Ordo refused it before sending (risk, market rules,
 *   trading state) — counted and shown, but not in the rejection rate: the venue never saw it;
 * - filled: the order filled completely (with its shortfall against the arrival mid).
 */
export const OBSERVATION_KINDS = ['placed', 'rejected', 'denied', 'filled'] as const;
export type ObservationKind = (typeof OBSERVATION_KINDS)[number];

export interface Observation {
  /** The event's id: a redelivered event is the same observation, kept once. */
  id: string;
  orderId: string;
  venue: string;
  strategyId?: string;
  kind: ObservationKind;
  /** Epoch milliseconds: when it happened (the event's occurredAt), which places it in the window. */
  at: number;
  /** placed: milliseconds from Ordo receiving the order to the venue's acknowledgement. */
  latencyMs?: number;
  /** filled: average fill price against the arrival mid, basis points, positive = cost. */
  shortfallBps?: number;
}

/** Which metrics alerts watch, and for which groupings of observations. */
export const ALERT_SCOPES = ['all', 'venue'] as const;
export type AlertScopeKind = (typeof ALERT_SCOPES)[number];

export interface MonitorLimits {
  /** The rolling window: observations older than this no longer count. */
  windowMs: number;
  /** Samples a metric needs in the window before it can raise an alert (one bad order is no trend). */
  minSamples: number;
  /** Venue rejections / orders that reached the venue (0..1). */
  maxRejectionRate: number;
  /** Mean of received → venue acknowledgement, milliseconds. */
  maxLatencyMs: number;
  /** Mean shortfall of completely filled orders, basis points (100 bp = 1 %). */
  maxShortfallBps: number;
  /**
   * Hysteresis: a raised alert clears when its metric is at or below limit × clearRatio (or the
   * window holds no samples any more), so a metric hovering at the limit does not flap.
   */
  clearRatio: number;
  /** Memory bound: past this many observations in the window, the oldest are dropped (and counted). */
  maxObservations: number;
  /** Scopes alerts are raised for; metrics are shown for every scope regardless. */
  alertScopes: AlertScopeKind[];
}

export interface LatencyStats {
  samples: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface ShortfallStats {
  samples: number;
  meanBps: number;
  maxBps: number;
}

/** The window's metrics for one scope: `all`, or one venue (`venue:sim`). */
export interface ScopeMetrics {
  scope: string;
  venue?: string;
  /** Distinct orders that reached the venue (placed or rejected): the rejection rate's denominator. */
  orders: number;
  placed: number;
  rejected: number;
  denied: number;
  filled: number;
  /** rejected / orders; null without orders. */
  rejectionRate: number | null;
  latency: LatencyStats | null;
  shortfall: ShortfallStats | null;
}

/** The reference design's alert types (execution_risk_limits). */
export const ALERT_TYPES = [
  'HIGH_REJECTION_RATE',
  'HIGH_EXECUTION_LATENCY',
  'HIGH_IMPLEMENTATION_SHORTFALL',
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];
export type AlertSeverity = 'HIGH' | 'MEDIUM';

/** An alert that is raised now. */
export interface ActiveAlert {
  /** `<type>:<scope>`: at most one active alert per key. */
  key: string;
  type: AlertType;
  severity: AlertSeverity;
  scope: string;
  venue?: string;
  /** The metric when raised, and its limit. */
  value: number;
  limit: number;
  samples: number;
  /** ISO-8601 (monitor workflow time). */
  raisedAt: string;
  /** The RAISED transition's sequence number: its CLEARED transition points back to it. */
  raisedSequence: number;
  message: string;
}

/** One raise or clear: each becomes one EXECUTION_ALERT event. */
export interface AlertTransition {
  /** Numbered across the monitor's whole chain (continue-as-new included): the event id's tail. */
  sequence: number;
  state: 'RAISED' | 'CLEARED';
  key: string;
  type: AlertType;
  severity: AlertSeverity;
  scope: string;
  venue?: string;
  /** The metric now (null: no samples left in the window). */
  value: number | null;
  limit: number;
  /** At or below this the alert clears. */
  clearAt: number;
  samples: number;
  /** The RAISED transition this one clears (its own sequence for a raise). */
  raisedSequence: number;
  /** ISO-8601 (monitor workflow time). */
  at: string;
  message: string;
}
