/**
 * ordo_venue_breaker_state without a worker: a VenueBreaker tells its listeners every change of
 * mode (and only changes), and exportBreakerStates turns them into the gauge per venue (0 closed,
 * 1 half-open, 2 open). The Prometheus side is tested in test/temporal/metrics.test.ts.
 */
import type { MetricGauge, MetricMeter, MetricTags } from '@temporalio/common';
import { registeredVenue } from '../../src/venues/factory';
import { PaperVenue } from '../../src/venues/paper-venue';
import { VenueRegistry } from '../../src/venues/registry';
import { VenueBreaker } from '../../src/venues/venue-breaker';
import { exportBreakerStates } from '../../src/workers/ordo-metrics';

const settings = { failureThreshold: 2, failureRate: 0.5, windowMs: 1_000, cooldownMs: 100 };

test('a breaker tells each change of mode once: closed → open → half_open → closed', () => {
  let now = 0;
  const breaker = new VenueBreaker(settings, () => now);
  const seen: string[] = [];
  breaker.onModeChange((mode) => seen.push(mode));
  breaker.failure('VENUE_TIMEOUT: a');
  breaker.failure('VENUE_TIMEOUT: b'); // the second failure opens it
  breaker.failure('VENUE_TIMEOUT: c'); // still open: no news
  expect(breaker.admitNewOrder()).toBe('blocked');
  now = 150;
  expect(breaker.admitNewOrder()).toBe('probe');
  breaker.success();
  breaker.success();
  expect(seen).toEqual(['closed', 'open', 'half_open', 'closed']);
});

test('exportBreakerStates sets the gauge per venue, now and on every change', () => {
  const sets: Array<[number, MetricTags | undefined]> = [];
  const gauge = {
    set: (value: number, tags?: MetricTags) => sets.push([value, tags]),
  } as unknown as MetricGauge;
  const created: string[] = [];
  const meter = {
    createGauge: (name: string) => {
      created.push(name);
      return gauge;
    },
  } as unknown as MetricMeter;
  const a = registeredVenue(new PaperVenue('a', { 'BTC/USDT': '100' }), {}, settings);
  const b = registeredVenue(new PaperVenue('b', { 'BTC/USDT': '100' }), {}, settings);
  exportBreakerStates(
    new VenueRegistry(
      new Map([
        ['a', a],
        ['b', b],
      ]),
    ),
    meter,
  );
  expect(created).toEqual(['ordo_venue_breaker_state']);
  expect(sets).toEqual([
    [0, { venue: 'a' }],
    [0, { venue: 'b' }],
  ]);
  b.breaker.failure('x');
  b.breaker.failure('y');
  expect(sets.slice(2)).toEqual([[2, { venue: 'b' }]]);
});
