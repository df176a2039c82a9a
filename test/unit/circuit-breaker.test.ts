import {
  type BreakerSettings,
  admit,
  closedBreaker,
  errorRate,
  msUntilProbe,
  recordFailure,
  recordSuccess,
} from '../../src/domain/circuit-breaker';

const cfg: BreakerSettings = { failureThreshold: 3, failureRate: 0.5, windowMs: 1_000, cooldownMs: 500 };

function failures(times: number[]) {
  return times.reduce((s, t) => recordFailure(s, t, 'VENUE_TIMEOUT: x', cfg), closedBreaker());
}

describe('circuit breaker', () => {
  it('stays closed below the threshold and admits new orders', () => {
    const s = failures([0, 10]);
    expect(s.mode).toBe('closed');
    expect(admit(s, 20, cfg).admission).toBe('send');
  });

  it('opens at the threshold within the window, and blocks new orders', () => {
    const s = failures([0, 10, 20]);
    expect(s).toMatchObject({ mode: 'open', openedAt: 20, lastError: 'VENUE_TIMEOUT: x' });
    expect(admit(s, 100, cfg).admission).toBe('blocked');
    expect(msUntilProbe(s, 100, cfg)).toBe(420);
  });

  it('does not open for a busy venue: enough failures, but a small share of the calls', () => {
    let s = closedBreaker();
    for (let t = 0; t < 100; t++) s = t % 10 === 0 ? recordFailure(s, t, 'x', cfg) : recordSuccess(s, t, cfg);
    expect(s.failures.length).toBe(10);
    expect(s.mode).toBe('closed');
  });

  it('forgets failures older than the window', () => {
    expect(failures([0, 10, 1_500]).mode).toBe('closed');
  });

  it('lets one probe through after the cool-down, and blocks the rest while it runs', () => {
    const open = failures([0, 10, 20]);
    const { admission, state } = admit(open, 520, cfg);
    expect(admission).toBe('probe');
    expect(state.mode).toBe('half_open');
    expect(admit(state, 600, cfg).admission).toBe('blocked');
    // A probe that never reports back is replaced after another cool-down.
    expect(admit(state, 1_020, cfg).admission).toBe('probe');
  });

  it('a successful probe closes it; a failed one re-opens it', () => {
    const probing = admit(failures([0, 10, 20]), 520, cfg).state;
    expect(recordSuccess(probing, 530, cfg)).toMatchObject({ mode: 'closed', failures: [] });
    expect(recordFailure(probing, 530, 'again', cfg)).toMatchObject({ mode: 'open', openedAt: 530 });
  });

  it('a success while open (a working order answered) closes it', () => {
    expect(recordSuccess(failures([0, 10, 20]), 50, cfg).mode).toBe('closed');
  });

  it('reports the error rate over the window', () => {
    const s = recordSuccess(recordSuccess(failures([0, 10]), 20, cfg), 30, cfg);
    expect(errorRate(s, 40, cfg)).toBe(0.5);
    expect(errorRate(s, 2_000, cfg)).toBe(0);
  });
});
