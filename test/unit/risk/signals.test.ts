/** The signal hash, the duplicate-order window and stale signals, at their edges. */
import { checkRisk, signalHash, signalKey, type RecentOrder } from '../../../src/domain/risk';
import { validateOrderRequest } from '../../../src/domain/order-request';
import { BUY, NOW, ago, context, order } from './risk-fixtures';

describe('signalHash', () => {
  it('depends on strategy, symbol, side and quantity only', () => {
    const base = signalHash(BUY);
    expect(base).toMatch(/^sig-[0-9a-f]{16}$/);
    expect(signalHash(order({ orderId: 'other', limitPrice: '1', venue: 'sim-bybit', type: 'market' }))).toBe(
      base,
    );
    for (const change of [
      { strategyId: 'other' },
      { strategyId: undefined },
      { symbol: 'ETH/USDT' },
      { side: 'sell' as const },
      { quantity: '1.1' },
    ])
      expect(signalHash(order(change))).not.toBe(base);
  });

  it('compares quantities as numbers: "1.0" and "1" are the same signal', () => {
    expect(signalHash(order({ quantity: '1.000' }))).toBe(signalHash(BUY));
    expect(signalKey(order({ quantity: '1e0' }))).toBe(signalKey(BUY));
  });

  it('keeps fields apart: a strategy ending in a symbol is not another split', () => {
    const a = signalKey({ strategyId: 'x', symbol: 'BTC/USDT', side: 'buy', quantity: '1' });
    const b = signalKey({ strategyId: 'xBTC', symbol: '/USDT', side: 'buy', quantity: '1' });
    expect(a).not.toBe(b);
  });
});

describe('DUPLICATE_ORDER', () => {
  const WINDOW = 5000;
  const limits = { duplicateWindowMs: WINDOW };
  const earlier = (msAgo: number, overrides: Partial<RecentOrder> = {}): RecentOrder => ({
    orderId: 'o-earlier',
    fingerprint: signalHash(BUY),
    at: ago(msAgo),
    ...overrides,
  });
  const check = (recent: RecentOrder[], o = BUY) =>
    checkRisk(o, context({ recentOrders: recent }), limits).map((i) => i.code);

  it('refuses the same signal inside the window, naming the earlier order', () => {
    const [issue] = checkRisk(BUY, context({ recentOrders: [earlier(1200)] }), limits);
    expect(issue?.code).toBe('DUPLICATE_ORDER');
    expect(issue?.message).toBe(
      `same strategy, symbol, side and quantity (${signalHash(BUY)}) as order o-earlier 1200 ms ago; ` +
        'the duplicate window is 5000 ms',
    );
  });

  it('window edges: 1 ms before its end is a duplicate, exactly at its end is not', () => {
    expect(check([earlier(WINDOW - 1)])).toEqual(['DUPLICATE_ORDER']);
    expect(check([earlier(WINDOW)])).toEqual([]);
    expect(check([earlier(WINDOW + 1)])).toEqual([]);
    expect(check([earlier(0)])).toEqual(['DUPLICATE_ORDER']);
  });

  it('an earlier record stamped a moment in the future (clock skew) still counts', () => {
    expect(check([earlier(-50)])).toEqual(['DUPLICATE_ORDER']);
  });

  it('a retried check of the same order is not its own duplicate', () => {
    expect(check([earlier(10, { orderId: BUY.orderId as string })])).toEqual([]);
  });

  it('another fingerprint is not a duplicate', () => {
    expect(check([earlier(10, { fingerprint: signalHash(order({ quantity: '2' })) })])).toEqual([]);
  });

  it('exempts orders without a strategy and the children of a parent order', () => {
    const recent = [earlier(10, { fingerprint: signalHash(order({ strategyId: undefined })) })];
    expect(check(recent, order({ strategyId: undefined }))).toEqual([]);
    expect(check([earlier(10)], order({ parentId: 'twap-1' }))).toEqual([]);
  });

  it('is not checked without a window', () => {
    expect(checkRisk(BUY, context({ recentOrders: [earlier(10)] }), {})).toEqual([]);
  });
});

describe('STALE_SIGNAL', () => {
  const TTL = 30_000;
  const limits = { signalTtlMs: TTL };
  const check = (decisionTime: string) =>
    checkRisk(order({ decisionTime }), context(), limits).map((i) => i.code);

  it('refuses a decision older than the TTL, with its age', () => {
    const [issue] = checkRisk(order({ decisionTime: ago(45_000) }), context(), limits);
    expect(issue).toEqual({
      code: 'STALE_SIGNAL',
      field: 'decisionTime',
      message: `the decision was made 45000 ms ago (at ${ago(45_000)}); signals expire after 30000 ms`,
    });
  });

  it('TTL edges: exactly the TTL old is fresh, 1 ms more is stale', () => {
    expect(check(ago(TTL))).toEqual([]);
    expect(check(ago(TTL + 1))).toEqual(['STALE_SIGNAL']);
    expect(check(NOW)).toEqual([]);
  });

  it('a decision time a little in the future (clock skew) is fresh', () => {
    expect(check(ago(-2000))).toEqual([]);
  });

  it('an order without decisionTime, or limits without a TTL, are not checked', () => {
    expect(checkRisk(BUY, context(), limits)).toEqual([]);
    expect(checkRisk(order({ decisionTime: ago(10 * TTL) }), context(), {})).toEqual([]);
  });
});

describe('OrderRequest.decisionTime', () => {
  const input = { symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: '1', venue: 'sim' };

  it('is optional, and normalised to UTC ISO-8601 when given', () => {
    const plain = validateOrderRequest(input);
    expect(plain.ok && 'decisionTime' in plain.request).toBe(false);
    expect(plain.ok).toBe(true);
    const given = validateOrderRequest({ ...input, decisionTime: '2030-01-02T14:00:00.5+02:00' });
    expect(given.ok && given.request.decisionTime).toBe('2030-01-02T12:00:00.500Z');
  });

  it('refuses anything but an ISO-8601 date-time with INVALID_DECISION_TIME', () => {
    for (const bad of ['yesterday', 1893585600000, '2030-01-02'])
      expect(validateOrderRequest({ ...input, decisionTime: bad })).toEqual({
        ok: false,
        issues: [expect.objectContaining({ code: 'INVALID_DECISION_TIME', field: 'decisionTime' })],
      });
  });
});
