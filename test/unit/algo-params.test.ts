import { MAX_SLICES, seedOf, validateParentRequest } from '../../src/domain/algos/params';
import type { Algo } from '../../src/domain/algos/types';

const now = new Date('2026-03-02T10:00:00Z');
const base = { symbol: 'BTC/USDT', side: 'buy', quantity: '1', venue: 'sim' };

function codes(algo: Algo, input: unknown): string[] {
  const result = validateParentRequest(algo, input, { now, parentId: 'p-1' });
  return result.ok ? [] : result.issues.map((i) => i.code).sort();
}

function valid(algo: Algo, input: unknown) {
  const result = validateParentRequest(algo, input, { now, parentId: 'p-1' });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.request;
}

describe('validateParentRequest', () => {
  test('a TWAP: window from now and duration, interval, defaults', () => {
    const twap = valid('twap', { ...base, duration: '2h', interval: '5m' });
    expect(twap).toMatchObject({
      algo: 'twap',
      startAt: '2026-03-02T10:00:00.000Z',
      endAt: '2026-03-02T12:00:00.000Z',
      intervalMs: 300_000,
      randomization: 0,
      aggression: 'cross',
      childrenPerRun: 100,
      seed: seedOf('p-1'),
    });
    expect(valid('twap', { ...base, duration: '1h', slices: 4 })).toMatchObject({ intervalMs: 900_000 });
    expect(
      valid('twap', { ...base, startAt: '2026-03-02T11:00:00Z', endAt: '2026-03-02T11:30:00Z' }),
    ).toMatchObject({
      startAt: '2026-03-02T11:00:00.000Z',
      endAt: '2026-03-02T11:30:00.000Z',
    });
  });

  test('the seed defaults from the parent id, so a plan and its run agree', () => {
    const a = validateParentRequest(
      'twap',
      { ...base, duration: '1h', randomization: 0.3 },
      { now, parentId: 'x' },
    );
    const b = validateParentRequest(
      'twap',
      { ...base, duration: '1h', randomization: 0.3 },
      { now, parentId: 'x' },
    );
    const c = validateParentRequest(
      'twap',
      { ...base, duration: '1h', randomization: 0.3 },
      { now, parentId: 'y' },
    );
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (!(a.ok && b.ok && c.ok) || a.request.algo !== 'twap' || c.request.algo !== 'twap') return;
    expect(a.request).toEqual(b.request);
    expect(a.request.seed).not.toBe(c.request.seed);
  });

  test('window problems', () => {
    expect(codes('twap', base)).toEqual(['MISSING_END']);
    expect(codes('twap', { ...base, duration: '1h', endAt: '2026-03-02T12:00:00Z' })).toEqual([
      'CONFLICTING_END',
    ]);
    expect(
      codes('twap', { ...base, startAt: '2026-03-02T12:00:00Z', endAt: '2026-03-02T11:00:00Z' }),
    ).toEqual(['END_BEFORE_START']);
    expect(
      codes('twap', { ...base, startAt: '2026-03-02T08:00:00Z', endAt: '2026-03-02T09:00:00Z' }),
    ).toEqual(['END_IN_PAST']);
    expect(codes('twap', { ...base, duration: '10 minutes' })).toEqual(['INVALID_DURATION']);
  });

  test('slices: interval not longer than the schedule, not more than MAX_SLICES', () => {
    expect(codes('twap', { ...base, duration: '1m', interval: '5m' })).toEqual(['INTERVAL_TOO_LONG']);
    expect(codes('twap', { ...base, duration: '1h', interval: '5m', slices: 3 })).toEqual([
      'CONFLICTING_INTERVAL',
    ]);
    expect(codes('twap', { ...base, duration: '1d', interval: '10s' })).toEqual(['TOO_MANY_SLICES']);
    expect(codes('is', { ...base, duration: '1d', slices: MAX_SLICES + 1 })).toEqual(['TOO_MANY_SLICES']);
    expect(codes('is', { ...base, duration: '1d', slices: MAX_SLICES })).toEqual([]);
  });

  test('VWAP profile must have one weight per slice, not all zero', () => {
    expect(codes('vwap', { ...base, duration: '1h', interval: '20m', profile: [1, 2] })).toEqual([
      'PROFILE_LENGTH',
    ]);
    expect(codes('vwap', { ...base, duration: '1h', interval: '20m', profile: [0, 0, 0] })).toEqual([
      'PROFILE_EMPTY',
    ]);
    expect(
      valid('vwap', { ...base, duration: '1h', interval: '20m', profile: [3, 1, 2], maxParticipation: 0.2 }),
    ).toMatchObject({
      profile: [3, 1, 2],
      maxParticipation: 0.2,
      lookbackDays: 5,
    });
  });

  test('POV rates: 0 ≤ min ≤ participation ≤ max < 1', () => {
    expect(valid('pov', { ...base, duration: '1h', participation: 0.1 })).toMatchObject({
      participation: 0.1,
      minParticipation: 0,
      maxParticipation: 0.5,
      checkIntervalMs: 5_000,
    });
    expect(codes('pov', { ...base, duration: '1h', participation: 0.1, minParticipation: 0.2 })).toEqual([
      'PARTICIPATION_RANGE',
    ]);
    expect(codes('pov', { ...base, duration: '1h', participation: 0.3, maxParticipation: 0.2 })).toEqual([
      'PARTICIPATION_RANGE',
    ]);
    expect(codes('pov', { ...base, duration: '1h', participation: 1 })).toEqual(['INVALID_PARTICIPATION']);
  });

  test('IS: the time unit is the unit the duration is written in', () => {
    expect(valid('is', { ...base, duration: '5d', slices: 5 })).toMatchObject({ timeUnitMs: 86_400_000 });
    expect(valid('is', { ...base, duration: '120h', slices: 5 })).toMatchObject({ timeUnitMs: 3_600_000 });
    expect(valid('is', { ...base, duration: '1h', slices: 5, timeUnit: '1d' })).toMatchObject({
      timeUnitMs: 86_400_000,
    });
    expect(codes('is', { ...base, duration: '5d', slices: 5, riskAversion: 1e-6, urgency: 2 })).toEqual([
      'CONFLICTING_URGENCY',
    ]);
  });

  test('iceberg needs a limit price; route needs no venue or end', () => {
    expect(codes('iceberg', { ...base, displayQuantity: '0.1' })).toEqual(['MISSING_LIMIT_PRICE']);
    expect(valid('iceberg', { ...base, displayQuantity: '0.1', limitPrice: '60000' })).toMatchObject({
      aggression: 'passive',
      displayRandomization: 0,
    });
    const { venue: _venue, ...noVenue } = base;
    expect(valid('route', { ...noVenue, venues: ['sim', 'sim-bybit'] })).toMatchObject({
      venues: ['sim', 'sim-bybit'],
      maxRounds: 10,
      retryIntervalMs: 2_000,
    });
  });

  test('structural problems carry field codes; unknown fields are refused', () => {
    expect(codes('twap', { ...base, duration: '1h', side: 'hold', quantity: '-1', colour: 'red' })).toEqual([
      'INVALID_QUANTITY',
      'INVALID_SIDE',
      'UNKNOWN_FIELD',
    ]);
    expect(codes('twap', { duration: '1h' })).toEqual([
      'MISSING_QUANTITY',
      'MISSING_SIDE',
      'MISSING_SYMBOL',
      'MISSING_VENUE',
    ]);
    expect(codes('twap', 'twap 1 BTC')).toEqual(['INVALID_REQUEST']);
  });
});
