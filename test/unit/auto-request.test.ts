import { AUTO_DEFAULTS, validateAutoOrderRequest } from '../../src/domain/algos/auto-request';

const now = new Date('2026-01-01T00:00:00Z');
const base = { symbol: 'BTC/USDT', side: 'buy', quantity: '0.5', venue: 'sim' };

describe('validateAutoOrderRequest', () => {
  test('defaults: normal urgency, the default thresholds, a market order unless a price is given', () => {
    const result = validateAutoOrderRequest(base, now);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.request.urgency).toBe('normal');
    expect(result.request.order.type).toBe('market');
    expect(result.request.config).toEqual({
      twapNotionalThreshold: AUTO_DEFAULTS.twapNotionalThreshold,
      twapDurationMs: 600_000,
      twapIntervalMs: 60_000,
      maxSpreadBpsForMarket: AUTO_DEFAULTS.maxSpreadBpsForMarket,
    });
    const limited = validateAutoOrderRequest({ ...base, limitPrice: '60000' }, now);
    expect(limited.ok && limited.request.order).toMatchObject({ type: 'limit', limitPrice: '60000' });
  });

  test('settings per order', () => {
    const result = validateAutoOrderRequest(
      { ...base, urgency: 'high', twapNotionalThreshold: 5000, twapDuration: '2h', twapInterval: '5m' },
      now,
    );
    expect(result.ok && result.request.config).toMatchObject({
      twapNotionalThreshold: '5000',
      twapDurationMs: 7_200_000,
      twapIntervalMs: 300_000,
    });
  });

  test('every problem is reported with a code, the order fields included', () => {
    const result = validateAutoOrderRequest(
      {
        ...base,
        type: 'limit',
        quantity: '-1',
        urgency: 'now',
        twapNotionalThreshold: 'lots',
        twapDuration: '10 minutes',
        maxSpreadBpsForMarket: -1,
      },
      now,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.code).sort()).toEqual(
      [
        'UNEXPECTED_TYPE',
        'INVALID_QUANTITY',
        'INVALID_URGENCY',
        'INVALID_THRESHOLD',
        'INVALID_DURATION',
        'INVALID_SPREAD_LIMIT',
      ].sort(),
    );
  });

  test('not an object', () => {
    expect(validateAutoOrderRequest('buy 1 BTC', now)).toEqual({
      ok: false,
      issues: [{ code: 'INVALID_REQUEST', message: 'the request must be a JSON object' }],
    });
  });
});
