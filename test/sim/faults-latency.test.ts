/**
 * Latency distributions: fixed, uniform and lognormal (given by median and p99) delays drawn
 * from the seeded fault PRNG, so the same seed and request sequence replay the same delays.
 */
import { FaultInjector, type FaultTarget } from '../../src/sim/faults/fault-injector';
import type { LatencySpec } from '../../src/sim/faults/fault-settings';
import { sampleLatency } from '../../src/sim/faults/latency';
import { Rng } from '../../src/sim/market/prng';
import type { RunningSimulator } from '../../src/sim/server';
import { faultSettings, setFaults, watchedBinance } from './faults-harness';
import { startTestSimulator } from './harness';

const ORDER: FaultTarget = { method: 'POST', path: '/api/v3/order', signed: true, placesOrder: true };
const TICKER: FaultTarget = { method: 'GET', path: '/api/v3/ticker/24hr', signed: false, placesOrder: false };

function draws(spec: LatencySpec, count: number, seed = 1): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => sampleLatency(spec, rng));
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

describe('sampleLatency', () => {
  it('fixed is fixed; uniform stays within [minMs, maxMs] and covers it', () => {
    expect(new Set(draws({ distribution: 'fixed', ms: 42 }, 100))).toEqual(new Set([42]));
    const uniform = draws({ distribution: 'uniform', minMs: 10, maxMs: 50 }, 5_000);
    expect(Math.min(...uniform)).toBe(10);
    expect(Math.max(...uniform)).toBe(50);
  });

  it('lognormal has the requested median and p99', () => {
    const sorted = draws({ distribution: 'lognormal', medianMs: 20, p99Ms: 400 }, 40_000).sort(
      (a, b) => a - b,
    );
    expect(quantile(sorted, 0.5)).toBeGreaterThanOrEqual(18);
    expect(quantile(sorted, 0.5)).toBeLessThanOrEqual(22);
    expect(quantile(sorted, 0.99)).toBeGreaterThan(340);
    expect(quantile(sorted, 0.99)).toBeLessThan(460);
  });

  it('maxMs caps the lognormal tail', () => {
    const capped = draws({ distribution: 'lognormal', medianMs: 20, p99Ms: 400, maxMs: 100 }, 5_000);
    expect(Math.max(...capped)).toBe(100);
  });
});

describe('reproducibility', () => {
  function delays(seed: number): number[] {
    const injector = new FaultInjector(new Rng(999));
    injector.configure({ seed, latency: { distribution: 'lognormal', medianMs: 5, p99Ms: 80 } }, 0);
    return Array.from({ length: 50 }, (_, i) => injector.plan(i % 2 ? ORDER : TICKER, 0).delayMs);
  }

  it('the same seed gives the same delays; another seed gives others', () => {
    expect(delays(7)).toEqual(delays(7));
    expect(delays(7)).not.toEqual(delays(8));
  });

  it('random faults replay too: the same seed hits the same requests', () => {
    function hits(seed: number): boolean[] {
      const injector = new FaultInjector(new Rng(1));
      injector.configure({ seed, errors: [{ kind: 'internalError', rate: 0.3 }] }, 0);
      return Array.from({ length: 100 }, () => injector.plan(ORDER, 0).before !== undefined);
    }
    expect(hits(3)).toEqual(hits(3));
    expect(hits(3).filter(Boolean).length).toBeGreaterThan(15);
    expect(hits(3).filter(Boolean).length).toBeLessThan(45);
  });
});

describe('through the simulator', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startTestSimulator();
  });

  afterAll(async () => {
    await sim.close();
  });

  it('a scoped latency slows only its endpoint, and `times` ends it', async () => {
    const { exchange } = watchedBinance(sim, { timeout: 5_000 });
    await exchange.loadMarkets();
    await setFaults(sim, {
      latency: {
        distribution: 'uniform',
        minMs: 150,
        maxMs: 200,
        scope: ['GET /api/v3/ticker/24hr'],
        times: 2,
      },
    });
    for (let i = 0; i < 2; i++) {
      const started = Date.now();
      await exchange.fetchTicker('BTC/USDT');
      expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    }
    await exchange.fetchTicker('BTC/USDT');
    await exchange.fetchBalance();
    expect((await faultSettings(sim)).latency).toMatchObject({ times: 2, fired: 2 });
  });
});
