import { Rng } from '../market/prng';
import type { InjectedError } from './fault-renderer';
import type {
  ConnectionResetSpec,
  ErrorRuleSpec,
  FaultSettings,
  FaultUpdate,
  LatencySpec,
  TimeoutAfterAcceptSpec,
} from './fault-settings';
import { sampleLatency } from './latency';
import { inScope, type FaultTarget } from './scope';
import { Trigger, type TriggerSpec } from './trigger';

export type { FaultTarget } from './scope';

/** What happens to one request instead of (or after) its normal processing. */
export type Fault =
  /** Answer with this error (worded by the dialect, see FaultRenderer). */
  | { action: 'answer'; error: InjectedError; label: string }
  /** Destroy the connection without an answer. */
  | { action: 'drop'; label: string }
  /** Send the real answer, but only after holdMs (the client has given up by then). */
  | { action: 'hold'; holdMs: number; label: string };

/** A fault that replaces a successful answer; claim() before applying it (it may be used up). */
export interface PendingFault {
  fault: Fault;
  claim(): boolean;
}

/** The faults chosen for one request, in the order they apply. */
export interface FaultPlan {
  /** Wait this long first (latency). */
  delayMs: number;
  /** Answer with this instead of processing the request (there is nothing to hold yet). */
  before?: Exclude<Fault, { action: 'hold' }>;
  /** After processing, if the answer is a success: replace it with this. */
  afterSuccess?: PendingFault;
}

/** The original flat settings and their defaults. */
const NO_FLAT_FAULTS = {
  errorRate: 0,
  latencyMs: 0,
  timeoutAfterAcceptRate: 0,
  holdMs: 30_000,
  rateLimitEvery: 0,
  retryAfterSeconds: 1,
};
type FlatSettings = typeof NO_FLAT_FAULTS;

interface Armed<Spec> {
  spec: Spec;
  trigger: Trigger;
}

/** `scope` overrides the spec's scope for matching (a default), while GET still shows the spec. */
function arm<Spec extends TriggerSpec>(spec: Spec, scope = spec.scope): Armed<Spec> {
  return { spec, trigger: new Trigger({ ...spec, scope }) };
}

function view<Spec>(armed: Armed<Spec> | undefined): (Spec & { fired: number }) | null {
  return armed === undefined ? null : { ...armed.spec, fired: armed.trigger.fired };
}

/**
 * Injected misbehaviour, venue-neutral: decides *what* goes wrong with each request; each dialect
 * renders it in its own wire format (FaultRenderer) through answerWithFaults. All random draws
 * come from one seeded PRNG at the moment a request arrives, so the same seed and the same
 * request sequence give the same faults.
 */
export class FaultInjector {
  private flat: FlatSettings = { ...NO_FLAT_FAULTS };
  private seed: number | null = null;
  private latency?: Armed<LatencySpec>;
  private errors: Armed<ErrorRuleSpec>[] = [];
  private timeoutAfterAccept?: Armed<TimeoutAfterAcceptSpec>;
  private connectionResets?: Armed<ConnectionResetSpec>;
  private clockSkewMs = 0;
  private maintenance?: { from: number; until: number; scope?: string[] };
  /** Requests seen since the last configure(), for rateLimitEvery. */
  private requestCount = 0;

  constructor(private rng: Rng) {}

  /** The venue's clock: real time plus the injected skew. Dialects stamp and check times with it. */
  serverTime(now: number): number {
    return now + this.clockSkewMs;
  }

  current(now: number): FaultSettings {
    const window = this.maintenance;
    return {
      ...this.flat,
      seed: this.seed,
      latency: view(this.latency),
      errors: this.errors.map((rule) => ({ ...rule.spec, fired: rule.trigger.fired })),
      timeoutAfterAccept: view(this.timeoutAfterAccept),
      connectionResets: view(this.connectionResets),
      clockSkewMs: this.clockSkewMs,
      maintenance: window === undefined ? null : { ...window, active: this.inMaintenance(now) },
    };
  }

  /**
   * Applies an update: given fields replace the current ones (a list such as `errors` is replaced
   * whole, and its fired counts restart), null switches a fault off. The rate-limit counter
   * restarts so "every Nth" counts from now.
   */
  configure(update: FaultUpdate, now: number): FaultSettings {
    const { seed, latency, errors, timeoutAfterAccept, connectionResets, clockSkewMs, maintenance, ...flat } =
      update;
    this.flat = { ...this.flat, ...flat };
    if (seed !== undefined) {
      this.seed = seed;
      this.rng = new Rng(seed);
    }
    if (latency !== undefined) this.latency = latency === null ? undefined : arm(latency);
    if (errors !== undefined) this.errors = errors.map((rule) => arm(rule));
    if (timeoutAfterAccept !== undefined) {
      // Unscoped, it means order placements: nothing else accepts anything.
      this.timeoutAfterAccept =
        timeoutAfterAccept === null
          ? undefined
          : arm(timeoutAfterAccept, timeoutAfterAccept.scope ?? ['@placeOrder']);
    }
    if (connectionResets !== undefined) {
      this.connectionResets = connectionResets === null ? undefined : arm(connectionResets);
    }
    if (clockSkewMs !== undefined) this.clockSkewMs = clockSkewMs;
    if (maintenance === null) this.maintenance = undefined;
    else if (maintenance !== undefined && 'forMs' in maintenance) {
      this.maintenance = { from: now, until: now + maintenance.forMs, scope: maintenance.scope };
    } else if (maintenance !== undefined) {
      this.maintenance = {
        from: maintenance.from ?? now,
        until: maintenance.until,
        scope: maintenance.scope,
      };
    }
    this.requestCount = 0;
    return this.current(now);
  }

  /** Every fault off (the PRNG stream continues: clearing is not reseeding). */
  clear(now: number): FaultSettings {
    return this.configure(
      {
        ...NO_FLAT_FAULTS,
        latency: null,
        errors: [],
        timeoutAfterAccept: null,
        connectionResets: null,
        clockSkewMs: 0,
        maintenance: null,
      },
      now,
    );
  }

  plan(target: FaultTarget, now: number): FaultPlan {
    this.requestCount += 1;
    const delayMs = this.flat.latencyMs + this.sampleDelay(target);
    const before = this.planBefore(target, now);
    if (before !== undefined) return { delayMs, before };
    const afterSuccess = this.planAfter(target, now);
    return afterSuccess === undefined ? { delayMs } : { delayMs, afterSuccess };
  }

  private sampleDelay(target: FaultTarget): number {
    const latency = this.latency;
    if (latency === undefined || !latency.trigger.fires(target, this.rng)) return 0;
    return sampleLatency(latency.spec, this.rng);
  }

  private inMaintenance(now: number): boolean {
    return this.maintenance !== undefined && now >= this.maintenance.from && now < this.maintenance.until;
  }

  private planBefore(target: FaultTarget, now: number): FaultPlan['before'] {
    const { flat, rng } = this;
    if (
      this.maintenance !== undefined &&
      this.inMaintenance(now) &&
      inScope(this.maintenance.scope, target)
    ) {
      const until = this.maintenance.until;
      const retryAfterSeconds = Math.max(1, Math.ceil((until - now) / 1000));
      const error = { kind: 'maintenance', until: this.serverTime(until), retryAfterSeconds } as const;
      return { action: 'answer', error, label: 'maintenance' };
    }
    if (flat.rateLimitEvery > 0 && this.requestCount % flat.rateLimitEvery === 0) {
      const error = { kind: 'rateLimited', retryAfterSeconds: flat.retryAfterSeconds } as const;
      return { action: 'answer', error, label: 'rateLimit' };
    }
    const resets = this.connectionResets;
    if (resets && (resets.spec.phase ?? 'before') === 'before' && resets.trigger.fires(target, rng)) {
      return { action: 'drop', label: 'connectionReset' };
    }
    for (const rule of this.errors) {
      if ((rule.spec.phase ?? 'before') === 'before' && rule.trigger.fires(target, rng)) {
        return { action: 'answer', error: this.errorOf(rule.spec, now), label: rule.spec.kind };
      }
    }
    if (target.signed && flat.errorRate > 0 && rng.chance(flat.errorRate)) {
      return { action: 'answer', error: { kind: 'internalError' }, label: 'error' };
    }
    return undefined;
  }

  private planAfter(target: FaultTarget, now: number): PendingFault | undefined {
    const { flat, rng } = this;
    if (target.placesOrder && flat.timeoutAfterAcceptRate > 0 && rng.chance(flat.timeoutAfterAcceptRate)) {
      const fault: Fault = { action: 'hold', holdMs: flat.holdMs, label: 'timeoutAfterAccept' };
      return { fault, claim: () => true };
    }
    const held = this.timeoutAfterAccept;
    if (held && held.trigger.hits(target, rng)) {
      const fault: Fault =
        held.spec.mode === 'drop'
          ? { action: 'drop', label: 'timeoutAfterAccept' }
          : { action: 'hold', holdMs: held.spec.holdMs ?? flat.holdMs, label: 'timeoutAfterAccept' };
      return { fault, claim: () => held.trigger.claim() };
    }
    for (const rule of this.errors) {
      if (rule.spec.phase === 'after' && rule.trigger.hits(target, rng)) {
        const fault: Fault = { action: 'answer', error: this.errorOf(rule.spec, now), label: rule.spec.kind };
        return { fault, claim: () => rule.trigger.claim() };
      }
    }
    const resets = this.connectionResets;
    if (resets && resets.spec.phase === 'after' && resets.trigger.hits(target, rng)) {
      return { fault: { action: 'drop', label: 'connectionReset' }, claim: () => resets.trigger.claim() };
    }
    return undefined;
  }

  private errorOf(rule: ErrorRuleSpec, now: number): InjectedError {
    const retryAfterSeconds = rule.retryAfterSeconds ?? this.flat.retryAfterSeconds;
    switch (rule.kind) {
      case 'rateLimited':
      case 'orderRateLimited':
        return { kind: rule.kind, retryAfterSeconds };
      case 'ipBanned':
        return {
          kind: 'ipBanned',
          retryAfterSeconds,
          until: this.serverTime(now) + retryAfterSeconds * 1000,
        };
      default:
        return { kind: rule.kind };
    }
  }
}
