/**
 * The alert state machine: per alert key (`<type>:<scope>`) an alert is either raised or not.
 * - raised when its metric is above its limit with at least `minSamples` samples in the window;
 * - cleared when the metric is back at or below limit × clearRatio (hysteresis: a metric
 *   hovering around the limit does not flap), or the window holds no samples for it any more
 *   (the window slid past the trouble); a few samples below minSamples keep it as it is;
 * - never raised again while raised: one RAISED, then one CLEARED.
 * Each change is a numbered transition (one EXECUTION_ALERT event each).
 */
import { ALL_SCOPE } from './metrics';
import type {
  ActiveAlert,
  AlertSeverity,
  AlertTransition,
  AlertType,
  MonitorLimits,
  ScopeMetrics,
} from './types';

interface Check {
  type: AlertType;
  severity: AlertSeverity;
  limit: (limits: MonitorLimits) => number;
  /** The metric and its sample count in one scope (value null: no samples). */
  read: (m: ScopeMetrics) => { value: number | null; samples: number };
  /** What the metric is called, and how a value of it reads. */
  label: string;
  format: (value: number) => string;
}

/** Severities as the reference design has them: rejections and shortfall HIGH, latency MEDIUM. */
const CHECKS: readonly Check[] = [
  {
    type: 'HIGH_REJECTION_RATE',
    severity: 'HIGH',
    limit: (l) => l.maxRejectionRate,
    read: (m) => ({ value: m.rejectionRate, samples: m.orders }),
    label: 'rejection rate',
    format: (v) => `${(v * 100).toFixed(2)}%`,
  },
  {
    type: 'HIGH_EXECUTION_LATENCY',
    severity: 'MEDIUM',
    limit: (l) => l.maxLatencyMs,
    read: (m) => ({ value: m.latency?.meanMs ?? null, samples: m.latency?.samples ?? 0 }),
    label: 'mean execution latency',
    format: (v) => `${v.toFixed(1)} ms`,
  },
  {
    type: 'HIGH_IMPLEMENTATION_SHORTFALL',
    severity: 'HIGH',
    limit: (l) => l.maxShortfallBps,
    read: (m) => ({ value: m.shortfall?.meanBps ?? null, samples: m.shortfall?.samples ?? 0 }),
    label: 'mean implementation shortfall',
    format: (v) => `${v.toFixed(2)} bp`,
  },
];

export interface AlertEvaluation {
  /** Active alerts by key, after this evaluation. */
  active: Record<string, ActiveAlert>;
  transitions: AlertTransition[];
  /** The last sequence number used (unchanged when nothing changed). */
  sequence: number;
}

/** Whether alerts watch this scope (`all`, or a venue's) under `limits.alertScopes`. */
export function alertsWatch(scope: ScopeMetrics, limits: MonitorLimits): boolean {
  const kind = scope.scope === ALL_SCOPE ? 'all' : 'venue';
  return limits.alertScopes.includes(kind);
}

/**
 * Compares the window's metrics with the limits at `at` (ISO-8601). `sequence` is the last
 * transition number used so far. Active alerts for a scope that has no metrics any more (its
 * venue left the window) are evaluated as having no samples, so they clear.
 */
export function evaluateAlerts(
  metrics: readonly ScopeMetrics[],
  active: Readonly<Record<string, ActiveAlert>>,
  limits: MonitorLimits,
  at: string,
  sequence: number,
): AlertEvaluation {
  const next: Record<string, ActiveAlert> = { ...active };
  const transitions: AlertTransition[] = [];
  let seq = sequence;
  const watched = metrics.filter((m) => alertsWatch(m, limits));
  const seen = new Set<string>();

  const consider = (
    check: Check,
    scope: string,
    venue: string | undefined,
    reading: ReturnType<Check['read']>,
  ) => {
    const key = `${check.type}:${scope}`;
    seen.add(key);
    const limit = check.limit(limits);
    // Rounded: 0.05 × 0.8 is 0.04, not 0.04000000000000001 (a rate of exactly 4 % clears).
    const clearAt = Number((limit * limits.clearRatio).toPrecision(12));
    const current = next[key];
    const where = venue === undefined ? 'all venues' : `venue ${venue}`;
    if (current === undefined) {
      if (reading.value === null || reading.samples < limits.minSamples || !(reading.value > limit)) return;
      seq += 1;
      const message = `${check.label} ${check.format(reading.value)} over ${reading.samples} samples exceeds the limit ${check.format(limit)} (${where})`;
      next[key] = {
        key,
        type: check.type,
        severity: check.severity,
        scope,
        ...(venue === undefined ? {} : { venue }),
        value: reading.value,
        limit,
        samples: reading.samples,
        raisedAt: at,
        raisedSequence: seq,
        message,
      };
      transitions.push({
        sequence: seq,
        state: 'RAISED',
        key,
        type: check.type,
        severity: check.severity,
        scope,
        ...(venue === undefined ? {} : { venue }),
        value: reading.value,
        limit,
        clearAt,
        samples: reading.samples,
        raisedSequence: seq,
        at,
        message,
      });
      return;
    }
    const empty = reading.value === null || reading.samples === 0;
    if (!empty && (reading.value as number) > clearAt) return;
    seq += 1;
    delete next[key];
    transitions.push({
      sequence: seq,
      state: 'CLEARED',
      key,
      type: check.type,
      severity: check.severity,
      scope,
      ...(venue === undefined ? {} : { venue }),
      value: empty ? null : reading.value,
      limit,
      clearAt,
      samples: reading.samples,
      raisedSequence: current.raisedSequence,
      at,
      message: empty
        ? `no samples left in the window (${where}): cleared`
        : `${check.label} ${check.format(reading.value as number)} is back at or below ${check.format(clearAt)} (${where}): cleared`,
    });
  };

  for (const m of watched) {
    for (const check of CHECKS) consider(check, m.scope, m.venue, check.read(m));
  }
  // Raised for a scope that has no observations left at all (or is no longer watched): no samples.
  for (const alert of Object.values(active)) {
    if (seen.has(alert.key)) continue;
    const check = CHECKS.find((c) => c.type === alert.type);
    if (check !== undefined) consider(check, alert.scope, alert.venue, { value: null, samples: 0 });
  }
  return { active: next, transitions, sequence: seq };
}
