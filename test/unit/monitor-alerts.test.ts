import { executionAlertEvent } from '../../src/domain/monitor/alert-event';
import { type AlertEvaluation, evaluateAlerts } from '../../src/domain/monitor/alerts';
import { scopeMetrics, windowMetrics } from '../../src/domain/monitor/metrics';
import type { ActiveAlert, MonitorLimits, Observation, ScopeMetrics } from '../../src/domain/monitor/types';

const LIMITS: MonitorLimits = {
  windowMs: 60_000,
  minSamples: 10,
  maxRejectionRate: 0.05,
  maxLatencyMs: 1_000,
  maxShortfallBps: 100,
  clearRatio: 0.8,
  maxObservations: 1_000,
  alertScopes: ['venue'],
};
const AT = '2026-01-01T00:00:00.000Z';

/** A window of `orders` orders at `venue`, `rejected` of them rejected, the rest placed. */
function orders(
  count: number,
  rejected: number,
  venue = 'sim',
  extra: Partial<Observation> = {},
): Observation[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${venue}-${i}`,
    orderId: `${venue}-o${i}`,
    venue,
    kind: i < rejected ? ('rejected' as const) : ('placed' as const),
    at: i,
    ...extra,
  }));
}

function run(
  observations: Observation[],
  active: Record<string, ActiveAlert> = {},
  limits: MonitorLimits = LIMITS,
  sequence = 0,
): AlertEvaluation {
  return evaluateAlerts(windowMetrics(observations), active, limits, AT, sequence);
}

describe('execution alerts', () => {
  it('raises HIGH_REJECTION_RATE when the rate is over the limit with enough samples', () => {
    const result = run(orders(10, 1)); // 10 % > 5 %
    expect(result.transitions).toHaveLength(1);
    expect(result.transitions[0]).toMatchObject({
      sequence: 1,
      state: 'RAISED',
      key: 'HIGH_REJECTION_RATE:venue:sim',
      type: 'HIGH_REJECTION_RATE',
      severity: 'HIGH',
      scope: 'venue:sim',
      venue: 'sim',
      value: 0.1,
      limit: 0.05,
      clearAt: 0.04,
      samples: 10,
      raisedSequence: 1,
      at: AT,
    });
    expect(result.transitions[0]?.message).toBe(
      'rejection rate 10.00% over 10 samples exceeds the limit 5.00% (venue sim)',
    );
    expect(Object.keys(result.active)).toEqual(['HIGH_REJECTION_RATE:venue:sim']);
    expect(result.sequence).toBe(1);
  });

  it('needs minSamples: 1 rejection of 9 orders is no trend yet', () => {
    expect(run(orders(9, 1)).transitions).toEqual([]);
  });

  it('exactly at the limit is not over it', () => {
    expect(run(orders(20, 1)).transitions).toEqual([]); // 5 %
  });

  it('does not raise again while raised, whatever the metric does', () => {
    const first = run(orders(10, 5));
    const second = run(orders(20, 10), first.active, LIMITS, first.sequence);
    expect(second.transitions).toEqual([]);
    expect(second.active).toEqual(first.active);
    expect(second.sequence).toBe(1);
  });

  it('hysteresis: stays raised between clearAt and the limit, clears at or below clearAt', () => {
    const raised = run(orders(10, 1));
    // 1 of 22 = 4.5 %: under the 5 % limit, above the 4 % clear threshold.
    expect(run(orders(22, 1), raised.active, LIMITS, raised.sequence).transitions).toEqual([]);
    // 1 of 25 = 4 %: at the clear threshold.
    const cleared = run(orders(25, 1), raised.active, LIMITS, raised.sequence);
    expect(cleared.transitions).toHaveLength(1);
    expect(cleared.transitions[0]).toMatchObject({
      sequence: 2,
      state: 'CLEARED',
      raisedSequence: 1,
      value: 0.04,
      samples: 25,
    });
    expect(cleared.transitions[0]?.message).toBe(
      'rejection rate 4.00% is back at or below 4.00% (venue sim): cleared',
    );
    expect(cleared.active).toEqual({});
  });

  it('a few samples below minSamples keep a raised alert as it is; no samples at all clear it', () => {
    const raised = run(orders(10, 5));
    expect(run(orders(3, 3), raised.active, LIMITS, raised.sequence).transitions).toEqual([]);
    const empty = run([], raised.active, LIMITS, raised.sequence);
    expect(empty.transitions).toHaveLength(1);
    expect(empty.transitions[0]).toMatchObject({
      state: 'CLEARED',
      value: null,
      samples: 0,
      scope: 'venue:sim',
    });
    expect(empty.transitions[0]?.message).toBe('no samples left in the window (venue sim): cleared');
  });

  it('a venue gone from the window clears its alerts while another venue goes on', () => {
    const raised = run(orders(10, 5, 'a'));
    const later = run(orders(10, 0, 'b'), raised.active, LIMITS, raised.sequence);
    expect(later.transitions.map((t) => [t.state, t.scope])).toEqual([['CLEARED', 'venue:a']]);
  });

  it('latency: the mean of acknowledgement latencies against maxLatencyMs, MEDIUM', () => {
    const slow = orders(10, 0, 'sim', { latencyMs: 1_500 });
    const result = run(slow);
    expect(result.transitions.map((t) => [t.type, t.severity, t.value])).toEqual([
      ['HIGH_EXECUTION_LATENCY', 'MEDIUM', 1_500],
    ]);
    expect(result.transitions[0]?.message).toBe(
      'mean execution latency 1500.0 ms over 10 samples exceeds the limit 1000.0 ms (venue sim)',
    );
    const fast = orders(10, 0, 'sim', { latencyMs: 100 });
    expect(run(fast).transitions).toEqual([]);
  });

  it('shortfall: the mean over complete fills against maxShortfallBps, HIGH', () => {
    const fills: Observation[] = Array.from({ length: 10 }, (_, i) => ({
      id: `f${i}`,
      orderId: `o${i}`,
      venue: 'sim',
      kind: 'filled',
      at: i,
      shortfallBps: 150,
    }));
    const result = run(fills);
    expect(result.transitions.map((t) => [t.type, t.severity, t.value])).toEqual([
      ['HIGH_IMPLEMENTATION_SHORTFALL', 'HIGH', 150],
    ]);
  });

  it('several alerts at once are numbered in order, each its own key', () => {
    const bad = orders(20, 5, 'sim', { latencyMs: 5_000 }); // 15 placements with their latency
    const result = run(bad, {}, LIMITS, 41);
    expect(result.transitions.map((t) => [t.sequence, t.type])).toEqual([
      [42, 'HIGH_REJECTION_RATE'],
      [43, 'HIGH_EXECUTION_LATENCY'],
    ]);
    expect(result.sequence).toBe(43);
  });

  it('scopes: only venues by default; `all` when asked (both when both are)', () => {
    const two = [...orders(10, 5, 'a'), ...orders(10, 5, 'b')];
    expect(run(two).transitions.map((t) => t.scope)).toEqual(['venue:a', 'venue:b']);
    const all = run(two, {}, { ...LIMITS, alertScopes: ['all'] });
    expect(all.transitions.map((t) => [t.scope, t.samples])).toEqual([['all', 20]]);
    expect(all.transitions[0]?.message).toContain('(all venues)');
    const both = run(two, {}, { ...LIMITS, alertScopes: ['all', 'venue'] });
    expect(both.transitions.map((t) => t.scope)).toEqual(['all', 'venue:a', 'venue:b']);
  });

  it('an alert for a scope no longer watched clears (limits changed)', () => {
    const raised = run(orders(10, 5), {}, { ...LIMITS, alertScopes: ['all'] });
    const after = run(orders(10, 5), raised.active, LIMITS, raised.sequence);
    expect(after.transitions.map((t) => [t.state, t.scope])).toEqual([
      ['RAISED', 'venue:sim'],
      ['CLEARED', 'all'],
    ]);
  });

  it('never changes the alerts it was given', () => {
    const raised = run(orders(10, 5));
    const copy = JSON.parse(JSON.stringify(raised.active));
    run([], raised.active, LIMITS, raised.sequence);
    expect(raised.active).toEqual(copy);
  });

  it('metrics without samples for a metric never raise it (null is not over a limit)', () => {
    const m: ScopeMetrics = { ...scopeMetrics('venue:sim', [], 'sim'), orders: 50 };
    expect(evaluateAlerts([m], {}, LIMITS, AT, 0).transitions).toEqual([]);
  });
});

describe('EXECUTION_ALERT events', () => {
  const monitor = { workflowId: 'ordo-monitor', epoch: 'run-1' };

  it('one per transition, identified by the monitor, its chain and the sequence; the clear correlates to the raise', () => {
    const raised = run(orders(10, 5));
    const cleared = run([], raised.active, LIMITS, raised.sequence);
    const [raise] = raised.transitions.map((t) => executionAlertEvent(t, monitor));
    const [clear] = cleared.transitions.map((t) => executionAlertEvent(t, monitor));
    expect(raise).toMatchObject({
      eventId: 'ordo-monitor:run-1:1',
      type: 'EXECUTION_ALERT',
      occurredAt: AT,
      correlationId: 'ordo-monitor:run-1:1',
      venue: 'sim',
      data: {
        state: 'RAISED',
        alertType: 'HIGH_REJECTION_RATE',
        severity: 'HIGH',
        scope: 'venue:sim',
        value: 0.5,
      },
    });
    expect(clear).toMatchObject({
      eventId: 'ordo-monitor:run-1:2',
      correlationId: 'ordo-monitor:run-1:1',
      data: { state: 'CLEARED', value: null, raisedSequence: 1 },
    });
    expect(JSON.parse(JSON.stringify(clear))).toEqual(clear);
  });

  it('the same transition gives the same event (redelivery dedupes)', () => {
    const t = run(orders(10, 5)).transitions[0];
    if (t === undefined) throw new Error('no transition');
    expect(executionAlertEvent(t, monitor)).toEqual(executionAlertEvent({ ...t }, monitor));
  });
});
