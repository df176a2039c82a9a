import { Command } from 'commander';
import { registerMonitorCommands } from '../../src/client/cli-monitor';
import { formatMonitor } from '../../src/client/format-monitor';
import type { MonitorSnapshot, OrdoMonitor } from '../../src/client/monitor';

const SNAPSHOT: MonitorSnapshot = {
  taskQueue: 'execution',
  running: true,
  monitor: {
    workflowId: 'ordo-monitor',
    asOf: '2030-01-01T00:05:00.000Z',
    startedAt: '2030-01-01T00:00:00.000Z',
    limits: {
      windowMs: 300_000,
      minSamples: 10,
      maxRejectionRate: 0.05,
      maxLatencyMs: 1_000,
      maxShortfallBps: 100,
      clearRatio: 0.8,
      maxObservations: 5_000,
      alertScopes: ['venue'],
    },
    metrics: [
      {
        scope: 'all',
        orders: 40,
        placed: 36,
        rejected: 4,
        denied: 1,
        filled: 30,
        rejectionRate: 0.1,
        latency: { samples: 36, meanMs: 212.34, p50Ms: 180, p95Ms: 450, maxMs: 610 },
        shortfall: { samples: 30, meanBps: 1.2345, maxBps: 4.5 },
      },
      {
        scope: 'venue:sim',
        venue: 'sim',
        orders: 40,
        placed: 36,
        rejected: 4,
        denied: 1,
        filled: 30,
        rejectionRate: 0.1,
        latency: null,
        shortfall: null,
      },
    ],
    activeAlerts: [
      {
        key: 'HIGH_REJECTION_RATE:venue:sim',
        type: 'HIGH_REJECTION_RATE',
        severity: 'HIGH',
        scope: 'venue:sim',
        venue: 'sim',
        value: 0.1,
        limit: 0.05,
        samples: 40,
        raisedAt: '2030-01-01T00:04:00.000Z',
        raisedSequence: 3,
        message: 'rejection rate 10.00% over 40 samples exceeds the limit 5.00% (venue sim)',
      },
    ],
    recentAlerts: [],
    window: {
      observations: 107,
      oldestAt: '2030-01-01T00:00:01.000Z',
      overflowed: 0,
      stale: 0,
      duplicates: 2,
      malformed: 0,
    },
    undeliveredAlerts: 0,
  },
  working: {
    count: 3,
    orders: [
      {
        orderId: 'ord-1',
        status: 'ACCEPTED',
        side: 'buy',
        symbol: 'BTC/USDT',
        venue: 'sim',
        startedAt: '2030-01-01T00:04:59.000Z',
      },
    ],
  },
};

describe('ordo monitor output', () => {
  it('prints limits, metrics per scope, active alerts and working orders', () => {
    const text = formatMonitor(SNAPSHOT);
    expect(text).toContain('execution monitor ordo-monitor (task queue execution), window 5m');
    expect(text).toContain(
      'limits: rejection rate ≤ 5.00%, mean latency ≤ 1000.0 ms, mean shortfall ≤ 100.00 bp',
    );
    expect(text).toMatch(/^all\s+40\s+4\s+10\.00%\s+1\s+30\s+212\.3 \/ 180 \/ 450\s+1\.23 \/ 4\.50$/m);
    expect(text).toMatch(/^venue:sim\s+40\s+4\s+10\.00%\s+1\s+30\s+-\s+-$/m);
    expect(text).toContain('active alerts (1):');
    expect(text).toContain('HIGH    HIGH_REJECTION_RATE  venue:sim  since 2030-01-01T00:04:00.000Z');
    expect(text).toContain('working orders: 3 (latest 1 listed)');
    expect(text).toMatch(/ord-1\s+ACCEPTED\s+buy\s+BTC\/USDT\s+sim\s+-\s+2030-01-01T00:04:59.000Z/);
  });

  it('says so when no monitor runs', () => {
    const { monitor: _, ...rest } = SNAPSHOT;
    const text = formatMonitor({ ...rest, running: false, working: { count: 0, orders: [] } });
    expect(text).toContain('no execution monitor runs for task queue execution');
    expect(text).toContain('working orders: 0');
  });
});

describe('ordo monitor command', () => {
  function setup(pauses: boolean[] = []) {
    const out: string[] = [];
    let snapshots = 0;
    let closed = 0;
    const limits: number[] = [];
    const program = new Command('ordo').option('--json').exitOverride();
    registerMonitorCommands(program, {
      write: (text) => out.push(text),
      connect: async () => ({
        monitor: {
          snapshot: async (limit: number) => {
            limits.push(limit);
            snapshots += 1;
            return SNAPSHOT;
          },
        } as unknown as OrdoMonitor,
        close: async () => {
          closed += 1;
        },
      }),
      pause: async () => pauses.shift() ?? false,
      isTerminal: false,
    });
    return { program, out, counts: () => ({ snapshots, closed }), limits };
  }

  it('--json prints the snapshot as it is', async () => {
    const s = setup();
    await s.program.parseAsync(['--json', 'monitor'], { from: 'user' });
    expect(JSON.parse(s.out.join(''))).toEqual(SNAPSHOT);
    expect(s.counts()).toEqual({ snapshots: 1, closed: 1 });
    expect(s.limits).toEqual([20]);
  });

  it('--watch prints again until stopped (one JSON document per line), then closes', async () => {
    const s = setup([true, true, false]);
    await s.program.parseAsync(['--json', 'monitor', '--watch', '2', '--limit', '5'], { from: 'user' });
    const lines = s.out.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(JSON.parse(line)).toEqual(SNAPSHOT);
    expect(s.counts()).toEqual({ snapshots: 3, closed: 1 });
    expect(s.limits).toEqual([5, 5, 5]);
  });

  it.each([
    [['monitor', '--watch', '0']],
    [['monitor', '--watch', 'soon']],
    [['monitor', '--limit', '0']],
    [['monitor', '--limit', '1001']],
  ])('refuses %j before connecting', async (args) => {
    const s = setup();
    s.program.commands.forEach((c) => c.exitOverride().configureOutput({ writeErr: () => undefined }));
    await expect(s.program.parseAsync(args, { from: 'user' })).rejects.toThrow();
    expect(s.counts().snapshots).toBe(0);
  });
});
