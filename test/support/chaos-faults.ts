/**
 * The chaos fault mix (issue 3): ~20% transient errors on every API request, 10% of order
 * placements accepted but answered too late (timeout after accept), a few dropped connections,
 * and 429 bursts switched on for a moment. Shared by test/temporal/chaos-mix.test.ts and
 * bench/chaos.ts so the numbers describe what the test checks.
 *
 * ccxt's per-request timeout (CHAOS_CCXT_TIMEOUT_MS in the venue config) must be shorter than
 * HOLD_MS, or a held answer would simply arrive late instead of being lost.
 */
export const CHAOS_CCXT_TIMEOUT_MS = 3_000;
const HOLD_MS = 4_500;

/** Both dialects' cancel endpoints. */
const CANCEL_SCOPE = ['DELETE /api/v3/order', 'POST /v5/order/cancel'];

/**
 * Transient errors, rolled in order on every request (so the total is 1 − Π(1 − rate) ≈ 18% of
 * requests refused unprocessed, plus connection resets ≈ 2%): what a venue's front door and
 * backend do on a bad day. `unexpectedResponse` after the fact hits only successful order
 * placements: the order is live, the answer says "unknown error".
 */
export const TRANSIENT_ERRORS: readonly Record<string, unknown>[] = [
  { kind: 'badGateway', rate: 0.04 }, // 502 HTML page from the proxy
  { kind: 'nonJsonBody', rate: 0.01 }, // a 200 whose body is an HTML page
  { kind: 'internalError', rate: 0.05 }, // Binance -1000 / Bybit 10016
  { kind: 'disconnected', rate: 0.04 }, // Binance -1001
  { kind: 'backendTimeout', rate: 0.03 }, // Binance -1007: execution status unknown
  { kind: 'unexpectedResponse', rate: 0.05, phase: 'after', scope: ['@placeOrder'] }, // placed, then -1006
  // A cancel that went through, answered with an error: the retry finds the order already gone.
  { kind: 'internalError', rate: 0.2, phase: 'after', scope: CANCEL_SCOPE },
];

/** The steady chaos: POST /admin/faults body. */
export function chaosFaults(seed: number): Record<string, unknown> {
  return {
    seed,
    errors: TRANSIENT_ERRORS,
    connectionResets: { rate: 0.02 },
    timeoutAfterAccept: { rate: 0.1, mode: 'hold', holdMs: HOLD_MS },
    // Answers take a few ms, now and then a few hundred: calls overtake each other.
    latency: { distribution: 'lognormal', medianMs: 5, p99Ms: 300, maxMs: 1_000 },
  };
}

/** Timeouts after accept by a dropped connection instead of a late answer (from now on). */
export const DROP_AFTER_ACCEPT: Record<string, unknown> = { timeoutAfterAccept: { rate: 0.1, mode: 'drop' } };

/** The steady chaos plus a burst of `times` consecutive 429s on `scope` (then the rule is spent). */
export function rateLimitBurst(scope: string[], times: number): Record<string, unknown> {
  const burst = { kind: 'rateLimited', every: 1, times, scope, retryAfterSeconds: 1 };
  // `errors` is replaced whole (no seed: that would restart the fault PRNG mid-run).
  return { errors: [burst, ...TRANSIENT_ERRORS] };
}
