/**
 * Limits arrive in the monitor workflow by signal (each worker sends its configuration's): a
 * payload that is not a complete, sensible set is refused here rather than poisoning the monitor.
 * The worker's configuration schema (src/workers/config-monitor.ts) says the same with messages.
 */
import { ALERT_SCOPES, type AlertScopeKind, type MonitorLimits } from './types';

/** Why a limits payload was refused, one line per field. */
export function limitsProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['limits must be an object'];
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  const positive = (name: string, max = Infinity, integer = false) => {
    const n = v[name];
    if (
      typeof n !== 'number' ||
      !Number.isFinite(n) ||
      n <= 0 ||
      n > max ||
      (integer && !Number.isInteger(n))
    )
      problems.push(
        `${name} must be a ${integer ? 'whole ' : ''}number > 0${max === Infinity ? '' : ` and ≤ ${max}`}`,
      );
  };
  positive('windowMs', Infinity, true);
  positive('minSamples', Infinity, true);
  positive('maxRejectionRate', 1);
  positive('maxLatencyMs');
  positive('maxShortfallBps');
  positive('clearRatio', 1);
  positive('maxObservations', MAX_OBSERVATIONS, true);
  const scopes = v['alertScopes'];
  if (
    !Array.isArray(scopes) ||
    scopes.length === 0 ||
    !scopes.every((s) => (ALERT_SCOPES as readonly unknown[]).includes(s))
  )
    problems.push(`alertScopes must list some of ${ALERT_SCOPES.join(', ')}`);
  return problems;
}

/**
 * The most observations a window keeps: they travel in the continue-as-new input (~120 bytes
 * each), which must stay well under Temporal's 2 MB payload limit.
 */
export const MAX_OBSERVATIONS = 10_000;

/** The limits, copied to exactly the known fields; throws with every problem when invalid. */
export function parseLimits(value: unknown): MonitorLimits {
  const problems = limitsProblems(value);
  if (problems.length > 0) throw new RangeError(`invalid monitor limits: ${problems.join('; ')}`);
  const v = value as MonitorLimits;
  return {
    windowMs: v.windowMs,
    minSamples: v.minSamples,
    maxRejectionRate: v.maxRejectionRate,
    maxLatencyMs: v.maxLatencyMs,
    maxShortfallBps: v.maxShortfallBps,
    clearRatio: v.clearRatio,
    maxObservations: v.maxObservations,
    alertScopes: [...new Set(v.alertScopes)] as AlertScopeKind[],
  };
}
