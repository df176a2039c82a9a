import { limitsProblems, parseLimits } from '../../src/domain/monitor/limits';
import { monitorConfig, monitorLimits } from '../../src/workers/config-monitor';
import { parseWorkerConfig } from '../../src/workers/config';

const VENUES = { venues: { paper: { kind: 'paper', prices: { 'BTC/USDT': '60000' } } } };

describe('monitor configuration', () => {
  it('defaults: the reference limits (latency for crypto), a 5 minute window, venue alerts', () => {
    const config = parseWorkerConfig(JSON.stringify(VENUES));
    expect(config.monitor).toEqual({
      enabled: true,
      window: '5m',
      minSamples: 10,
      maxRejectionRate: 0.05,
      maxLatencyMs: 1_000,
      maxShortfallBps: 100,
      clearRatio: 0.8,
      maxObservations: 5_000,
      alertScopes: ['venue'],
      flushEvery: '500ms',
    });
    expect(monitorLimits(config.monitor)).toEqual({
      windowMs: 300_000,
      minSamples: 10,
      maxRejectionRate: 0.05,
      maxLatencyMs: 1_000,
      maxShortfallBps: 100,
      clearRatio: 0.8,
      maxObservations: 5_000,
      alertScopes: ['venue'],
    });
  });

  it('takes overrides from the file', () => {
    const config = parseWorkerConfig(
      JSON.stringify({
        ...VENUES,
        monitor: { window: '90s', maxRejectionRate: 0.2, alertScopes: ['all', 'venue', 'all'] },
      }),
    );
    const limits = monitorLimits(config.monitor);
    expect(limits.windowMs).toBe(90_000);
    expect(limits.maxRejectionRate).toBe(0.2);
    expect(limits.alertScopes).toEqual(['all', 'venue']);
  });

  it.each([
    [{ window: 'soon' }, 'window'],
    [{ maxRejectionRate: 0 }, 'maxRejectionRate'],
    [{ maxRejectionRate: 1.5 }, 'maxRejectionRate'],
    [{ maxLatencyMs: -1 }, 'maxLatencyMs'],
    [{ minSamples: 0 }, 'minSamples'],
    [{ clearRatio: 1.2 }, 'clearRatio'],
    [{ maxObservations: 1_000_000 }, 'maxObservations'],
    [{ alertScopes: ['strategy'] }, 'alertScopes'],
    [{ alertScopes: [] }, 'alertScopes'],
    [{ maxShortfall: 1 }, 'monitor'],
  ])('refuses %j, naming the field', (monitor, field) => {
    expect(() => parseWorkerConfig(JSON.stringify({ ...VENUES, monitor }))).toThrow(
      new RegExp(`invalid worker configuration: monitor(\\.${field})?`),
    );
    expect(() => parseWorkerConfig(JSON.stringify({ ...VENUES, monitor }))).toThrow(field);
  });

  it('what the configuration accepts, the workflow accepts too', () => {
    const limits = monitorLimits(monitorConfig.parse({ maxObservations: 10_000, clearRatio: 1 }));
    expect(limitsProblems(limits)).toEqual([]);
    expect(parseLimits(limits)).toEqual(limits);
  });
});

describe('monitor limits as the workflow receives them', () => {
  const good = monitorLimits(monitorConfig.parse({}));

  it('a complete set passes, copied to its known fields', () => {
    expect(parseLimits({ ...good, extra: 1 })).toEqual(good);
  });

  it('names every problem', () => {
    expect(limitsProblems({ ...good, windowMs: 1.5, maxRejectionRate: 2, alertScopes: ['x'] })).toEqual([
      'windowMs must be a whole number > 0',
      'maxRejectionRate must be a number > 0 and ≤ 1',
      'alertScopes must list some of all, venue',
    ]);
    expect(limitsProblems(null)).toEqual(['limits must be an object']);
    expect(() => parseLimits({})).toThrow(/invalid monitor limits: windowMs/);
  });
});
