/**
 * One venue's circuit breaker inside one worker process: the pure state machine of
 * src/domain/circuit-breaker.ts with a clock, fed by every venue call's outcome.
 *
 * Each worker keeps its own breaker. Workers talk to the same venue, so they see the same
 * failures and trip within moments of each other; no shared store is needed for the breaker to
 * protect the venue, and a worker that has not seen the failures yet sends at most a few more
 * orders (each of which is handled by the retry and dead-letter path anyway).
 */
import {
  type Admission,
  type BreakerSettings,
  type BreakerState,
  admit,
  closedBreaker,
  errorRate,
  msUntilProbe,
  recordFailure,
  recordSuccess,
} from '../domain/circuit-breaker';

export interface BreakerView {
  mode: BreakerState['mode'];
  failuresInWindow: number;
  callsInWindow: number;
  errorRate: number;
  msUntilProbe: number;
  lastError?: string;
}

/** Told the new mode on every change (metrics: the worker exports it as a gauge per venue). */
export type BreakerModeListener = (mode: BreakerState['mode']) => void;

export class VenueBreaker {
  private state: BreakerState = closedBreaker();
  private readonly listeners: BreakerModeListener[] = [];

  constructor(
    readonly settings: BreakerSettings,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Calls `listener` with the current mode now, then on every change of mode. */
  onModeChange(listener: BreakerModeListener): void {
    this.listeners.push(listener);
    listener(this.state.mode);
  }

  admitNewOrder(): Admission {
    const { admission, state } = admit(this.state, this.clock(), this.settings);
    this.move(state);
    return admission;
  }

  failure(error: string): void {
    this.move(recordFailure(this.state, this.clock(), error, this.settings));
  }

  success(): void {
    this.move(recordSuccess(this.state, this.clock(), this.settings));
  }

  private move(next: BreakerState): void {
    const before = this.state.mode;
    this.state = next;
    if (next.mode !== before) for (const listener of this.listeners) listener(next.mode);
  }

  msUntilProbe(): number {
    return msUntilProbe(this.state, this.clock(), this.settings);
  }

  view(): BreakerView {
    const now = this.clock();
    const windowed = (times: number[]) => times.filter((t) => now - t < this.settings.windowMs).length;
    return {
      mode: this.state.mode,
      failuresInWindow: windowed(this.state.failures),
      callsInWindow: windowed(this.state.calls),
      errorRate: errorRate(this.state, now, this.settings),
      msUntilProbe: this.msUntilProbe(),
      ...(this.state.lastError === undefined ? {} : { lastError: this.state.lastError }),
    };
  }
}
