/**
 * A circuit breaker for one venue, as pure state transitions (the caller passes the time).
 *
 *   closed     every call goes through; calls and failures are counted in a sliding window:
 *              at least `failureThreshold` failures within `windowMs` that are also at least
 *              `failureRate` of the calls open the breaker (a venue that is down, not one that
 *              is merely busy: a worker polling many orders sees some failures at any rate)
 *   open       new orders are not sent; after `cooldownMs` the breaker lets one probe through
 *   half_open  one probe is in flight: its success closes the breaker, its failure re-opens it
 *              (a probe that never reports back is replaced after another cooldown)
 *
 * Only new orders ask `admit`; calls for working orders always go through and report their
 * outcome, so a venue that recovers closes the breaker even without new orders.
 */
export interface BreakerSettings {
  failureThreshold: number;
  /** Share of the window's calls that failed (0..1) needed, besides the count, to open. */
  failureRate: number;
  windowMs: number;
  cooldownMs: number;
}

export type BreakerMode = 'closed' | 'open' | 'half_open';

export interface BreakerState {
  mode: BreakerMode;
  /** Times (epoch ms) of recent failures, oldest first, within the window. */
  failures: number[];
  /** Times of recent calls (successes and failures), for the error rate. */
  calls: number[];
  openedAt?: number;
  probeSince?: number;
  lastError?: string;
}

export type Admission = 'send' | 'probe' | 'blocked';

export function closedBreaker(): BreakerState {
  return { mode: 'closed', failures: [], calls: [] };
}

function recent(times: number[], now: number, windowMs: number): number[] {
  return times.filter((t) => now - t < windowMs);
}

export function recordFailure(
  s: BreakerState,
  now: number,
  error: string,
  cfg: BreakerSettings,
): BreakerState {
  const failures = [...recent(s.failures, now, cfg.windowMs), now];
  const calls = [...recent(s.calls, now, cfg.windowMs), now];
  const base = { ...s, failures, calls, lastError: error };
  const tripped =
    failures.length >= cfg.failureThreshold && failures.length / calls.length >= cfg.failureRate;
  if (s.mode === 'half_open' || (s.mode === 'closed' && tripped)) {
    return { ...base, mode: 'open', openedAt: now, probeSince: undefined };
  }
  return base;
}

export function recordSuccess(s: BreakerState, now: number, cfg: BreakerSettings): BreakerState {
  const calls = [...recent(s.calls, now, cfg.windowMs), now];
  if (s.mode === 'closed') return { ...s, calls, failures: recent(s.failures, now, cfg.windowMs) };
  // Any success while open or probing means the venue answers again.
  return {
    mode: 'closed',
    failures: [],
    calls,
    ...(s.lastError === undefined ? {} : { lastError: s.lastError }),
  };
}

/** May a new order be sent now? `probe` admits it as the half-open probe. */
export function admit(
  s: BreakerState,
  now: number,
  cfg: BreakerSettings,
): { admission: Admission; state: BreakerState } {
  if (s.mode === 'closed') return { admission: 'send', state: s };
  const since = s.mode === 'open' ? (s.openedAt ?? now) : (s.probeSince ?? now);
  if (now - since < cfg.cooldownMs) return { admission: 'blocked', state: s };
  return { admission: 'probe', state: { ...s, mode: 'half_open', probeSince: now } };
}

/** Milliseconds until the breaker next lets a probe through (0 when closed). */
export function msUntilProbe(s: BreakerState, now: number, cfg: BreakerSettings): number {
  if (s.mode === 'closed') return 0;
  const since = s.mode === 'open' ? (s.openedAt ?? now) : (s.probeSince ?? now);
  return Math.max(0, cfg.cooldownMs - (now - since));
}

export function errorRate(s: BreakerState, now: number, cfg: BreakerSettings): number {
  const calls = recent(s.calls, now, cfg.windowMs).length;
  return calls === 0 ? 0 : recent(s.failures, now, cfg.windowMs).length / calls;
}
