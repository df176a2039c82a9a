import type { Rng } from '../market/prng';

/**
 * Injected misbehaviour, venue-neutral: this decides *what* goes wrong with a request; each
 * dialect renders it in its own wire format. New kinds (connection resets, maintenance windows,
 * per-endpoint scoping) extend FaultSettings and FaultPlan without touching the dialects' logic.
 */
export interface FaultSettings {
  /** Fraction of signed requests answered with an internal error instead of being processed. */
  errorRate: number;
  /** Delay added before every API request is processed. */
  latencyMs: number;
  /** Fraction of order placements that are processed but whose answer is held back. */
  timeoutAfterAcceptRate: number;
  /** How long a held answer is held (long enough for a client to time out). */
  holdMs: number;
  /** Every Nth API request is refused as rate-limited (0 = never). */
  rateLimitEvery: number;
  /** Seconds a rate-limited client is told to wait. */
  retryAfterSeconds: number;
}

export const NO_FAULTS: Readonly<FaultSettings> = {
  errorRate: 0,
  latencyMs: 0,
  timeoutAfterAcceptRate: 0,
  holdMs: 30_000,
  rateLimitEvery: 0,
  retryAfterSeconds: 1,
};

/** What kind of request is being planned for. */
export interface FaultRequestInfo {
  signed: boolean;
  placesOrder: boolean;
}

/** The faults chosen for one request, in the order they apply. */
export interface FaultPlan {
  delayMs: number;
  /** Refuse before processing. */
  refuse?: { kind: 'rateLimited'; retryAfterSeconds: number } | { kind: 'internalError' };
  /** Process, then hold the answer this long. */
  holdResponseMs?: number;
}

export class FaultInjector {
  private settings: FaultSettings = { ...NO_FAULTS };
  private requestCount = 0;

  constructor(private readonly rng: Rng) {}

  current(): FaultSettings {
    return { ...this.settings };
  }

  /** Merges a partial update; the rate-limit counter restarts so "every Nth" counts from now. */
  configure(update: Partial<FaultSettings>): FaultSettings {
    this.settings = { ...this.settings, ...update };
    this.requestCount = 0;
    return this.current();
  }

  plan(request: FaultRequestInfo): FaultPlan {
    const settings = this.settings;
    this.requestCount++;
    const plan: FaultPlan = { delayMs: settings.latencyMs };
    if (settings.rateLimitEvery > 0 && this.requestCount % settings.rateLimitEvery === 0) {
      plan.refuse = { kind: 'rateLimited', retryAfterSeconds: settings.retryAfterSeconds };
    } else if (request.signed && settings.errorRate > 0 && this.rng.chance(settings.errorRate)) {
      plan.refuse = { kind: 'internalError' };
    } else if (
      request.placesOrder &&
      settings.timeoutAfterAcceptRate > 0 &&
      this.rng.chance(settings.timeoutAfterAcceptRate)
    ) {
      plan.holdResponseMs = settings.holdMs;
    }
    return plan;
  }
}
