import {
  latencyStats,
  percentile,
  scopeMetrics,
  shortfallStats,
  windowMetrics,
} from '../../src/domain/monitor/metrics';
import type { Observation } from '../../src/domain/monitor/types';

let n = 0;
function obs(kind: Observation['kind'], orderId: string, extra: Partial<Observation> = {}): Observation {
  n += 1;
  return { id: `e${n}`, orderId, venue: 'sim', kind, at: n, ...extra };
}

describe('window metrics', () => {
  it('rejection rate: venue rejections over the orders that reached the venue; denials apart', () => {
    const m = scopeMetrics('all', [
      obs('placed', 'a'),
      obs('placed', 'b'),
      obs('placed', 'c'),
      obs('rejected', 'd'),
      obs('denied', 'e'),
      obs('denied', 'f'),
    ]);
    expect(m).toMatchObject({ orders: 4, placed: 3, rejected: 1, denied: 2, filled: 0, rejectionRate: 0.25 });
  });

  it('an order placed and later refused counts once, as rejected', () => {
    const m = scopeMetrics('all', [obs('placed', 'a'), obs('rejected', 'a'), obs('placed', 'b')]);
    expect(m.orders).toBe(2);
    expect(m.rejected).toBe(1);
    expect(m.rejectionRate).toBe(0.5);
  });

  it('no orders: no rate, no latency, no shortfall (null, not zero)', () => {
    const m = scopeMetrics('all', [obs('denied', 'x')]);
    expect(m).toMatchObject({ orders: 0, rejectionRate: null, latency: null, shortfall: null, denied: 1 });
  });

  it('latency from placements that carry it; shortfall from complete fills that carry it', () => {
    const m = scopeMetrics('all', [
      obs('placed', 'a', { latencyMs: 100 }),
      obs('placed', 'b', { latencyMs: 300 }),
      obs('placed', 'c'),
      obs('filled', 'a', { shortfallBps: 2 }),
      obs('filled', 'b', { shortfallBps: -1 }),
      obs('filled', 'c'),
    ]);
    expect(m.latency).toEqual({ samples: 2, meanMs: 200, p50Ms: 100, p95Ms: 300, maxMs: 300 });
    expect(m.shortfall).toEqual({ samples: 2, meanBps: 0.5, maxBps: 2 });
    expect(m.filled).toBe(3);
  });

  it('per scope: all first, then each venue in name order, each with only its own', () => {
    const metrics = windowMetrics([
      obs('placed', 'a', { venue: 'zeta' }),
      obs('rejected', 'b', { venue: 'alpha' }),
      obs('placed', 'c', { venue: 'alpha' }),
    ]);
    expect(metrics.map((m) => [m.scope, m.venue, m.orders, m.rejected])).toEqual([
      ['all', undefined, 3, 1],
      ['venue:alpha', 'alpha', 2, 1],
      ['venue:zeta', 'zeta', 1, 0],
    ]);
  });

  it('an empty window still has the `all` scope, all zero', () => {
    expect(windowMetrics([])).toEqual([
      {
        scope: 'all',
        orders: 0,
        placed: 0,
        rejected: 0,
        denied: 0,
        filled: 0,
        rejectionRate: null,
        latency: null,
        shortfall: null,
      },
    ]);
  });

  it('percentiles are nearest-rank: always a value that was observed', () => {
    const sorted = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.95)).toBe(100);
    expect(percentile(sorted, 0.9)).toBe(90);
    expect(percentile([7], 0.95)).toBe(7);
    expect(() => percentile([], 0.5)).toThrow(RangeError);
  });

  it('stats round the mean, not the samples', () => {
    expect(latencyStats([1, 2, 2])?.meanMs).toBe(1.7);
    expect(latencyStats([])).toBeNull();
    expect(shortfallStats([1.23456, 1])?.meanBps).toBe(1.1173);
    expect(shortfallStats([])).toBeNull();
  });
});
