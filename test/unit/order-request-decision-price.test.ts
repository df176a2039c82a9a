/** OrderRequest's optional decisionPrice (TCA's benchmark): normalised like any price, refused typed. */
import { validateOrderRequest } from '../../src/domain/order-request';

const MARKET = { symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: '0.5', venue: 'sim' };

test('a decision price is kept as a canonical decimal string; a number is accepted too', () => {
  expect(validateOrderRequest({ ...MARKET, decisionPrice: '60000.50' })).toEqual({
    ok: true,
    request: { ...MARKET, timeInForce: 'GTC', decisionPrice: '60000.5' },
  });
  const fromNumber = validateOrderRequest({ ...MARKET, decisionPrice: 59999.25 });
  expect(fromNumber.ok && fromNumber.request.decisionPrice).toBe('59999.25');
});

test('without one the request has no decisionPrice field at all', () => {
  const result = validateOrderRequest(MARKET);
  expect(result.ok && 'decisionPrice' in result.request).toBe(false);
});

test.each([['0'], ['-1'], ['abc'], [Number.NaN], [true]])(
  'decisionPrice %p is refused INVALID_DECISION_PRICE',
  (bad) => {
    const result = validateOrderRequest({ ...MARKET, decisionPrice: bad });
    expect(result.ok ? [] : result.issues.map((i) => [i.code, i.field])).toEqual([
      ['INVALID_DECISION_PRICE', 'decisionPrice'],
    ]);
  },
);
