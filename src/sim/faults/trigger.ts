import type { Rng } from '../market/prng';
import { inScope, type FaultTarget } from './scope';

export interface TriggerSpec {
  rate?: number;
  every?: number;
  scope?: string[];
  times?: number;
}

/**
 * When one configured fault fires: the request is in scope, then every Nth such request or with
 * probability `rate` (default: always), at most `times` times in all. Hitting and claiming are
 * separate steps, so a fault that only replaces a successful answer counts toward `times` only
 * when it really did (a rejected order does not use up "fail the first order placement").
 */
export class Trigger {
  private firedCount = 0;
  private seenCount = 0;

  constructor(readonly spec: TriggerSpec) {}

  get fired(): number {
    return this.firedCount;
  }

  get spent(): boolean {
    return this.spec.times !== undefined && this.firedCount >= this.spec.times;
  }

  /** Whether this request is hit: counts it toward `every`, draws for `rate`; consumes nothing. */
  hits(target: FaultTarget, rng: Rng): boolean {
    if (this.spent || !inScope(this.spec.scope, target)) return false;
    if (this.spec.every !== undefined) {
      this.seenCount += 1;
      return this.seenCount % this.spec.every === 0;
    }
    const rate = this.spec.rate ?? 1;
    if (rate >= 1) return true;
    // No draw at rate 0, so a switched-off fault does not shift the other faults' draws.
    return rate > 0 && rng.chance(rate);
  }

  /** Counts one firing; false when `times` ran out meanwhile (a concurrent request took the last). */
  claim(): boolean {
    if (this.spent) return false;
    this.firedCount += 1;
    return true;
  }

  /** hits() and claim() at once, for faults applied on the spot. */
  fires(target: FaultTarget, rng: Rng): boolean {
    return this.hits(target, rng) && this.claim();
  }
}
