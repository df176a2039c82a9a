import { checkMarketRules, type MarketRules } from '../../src/domain/market-rules';
import type { OrderRequest } from '../../src/domain/order-request';

const RULES: MarketRules = {
  venue: 'sim',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  amountStep: '0.00001',
  priceStep: '0.01',
  minAmount: '0.0001',
  maxAmount: '100',
  minPrice: '0.01',
  maxPrice: '1000000',
  minNotional: '5',
  orderTypes: ['market', 'limit', 'stop_limit'],
};

const LIMIT: OrderRequest = {
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  quantity: '0.5',
  limitPrice: '60000.5',
  timeInForce: 'GTC',
  venue: 'sim',
};

const MARKET: OrderRequest = {
  symbol: 'BTC/USDT',
  side: 'sell',
  type: 'market',
  quantity: '0.001',
  timeInForce: 'GTC',
  venue: 'sim',
};

const codes = (request: OrderRequest, rules = RULES, referencePrice?: string) =>
  checkMarketRules(request, rules, referencePrice).map((i) => i.code);

describe('checkMarketRules', () => {
  it('a good limit order passes', () => {
    expect(checkMarketRules(LIMIT, RULES)).toEqual([]);
  });

  it('a good market order passes, with and without a reference price', () => {
    expect(checkMarketRules(MARKET, RULES)).toEqual([]);
    expect(checkMarketRules(MARKET, RULES, '60000')).toEqual([]);
  });

  it('a good stop_limit order passes', () => {
    expect(checkMarketRules({ ...LIMIT, type: 'stop_limit', stopPrice: '59000' }, RULES)).toEqual([]);
  });

  it('orders exactly on the bounds pass', () => {
    expect(checkMarketRules({ ...LIMIT, quantity: '0.0001', limitPrice: '50000' }, RULES)).toEqual([]); // notional 5
    expect(checkMarketRules({ ...LIMIT, quantity: '100', limitPrice: '1000000' }, RULES)).toEqual([]);
    expect(
      checkMarketRules({ ...LIMIT, quantity: '500', limitPrice: '0.01' }, { ...RULES, maxAmount: '1000' }),
    ).toEqual([]);
  });

  it('QUANTITY_PRECISION names the nearest valid value below', () => {
    const issues = checkMarketRules({ ...LIMIT, quantity: '0.123456' }, RULES);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'QUANTITY_PRECISION', field: 'quantity' });
    expect(issues[0]?.message).toContain('0.12345');
    expect(issues[0]?.message).toContain('0.00001');
    expect(issues[0]?.message).toContain('0.123456');
  });

  it('MIN_QUANTITY', () => {
    const issues = checkMarketRules({ ...LIMIT, quantity: '0.00009', limitPrice: '100000' }, RULES);
    expect(issues.map((i) => i.code)).toEqual(['MIN_QUANTITY']);
    expect(issues[0]).toMatchObject({ field: 'quantity' });
    expect(issues[0]?.message).toContain('0.0001');
  });

  it('MAX_QUANTITY', () => {
    const issues = checkMarketRules({ ...LIMIT, quantity: '100.00001' }, RULES);
    expect(issues.map((i) => i.code)).toEqual(['MAX_QUANTITY']);
    expect(issues[0]?.message).toContain('100');
  });

  it('PRICE_PRECISION on the limit price', () => {
    const issues = checkMarketRules({ ...LIMIT, limitPrice: '60000.005' }, RULES);
    expect(issues).toEqual([expect.objectContaining({ code: 'PRICE_PRECISION', field: 'limitPrice' })]);
    expect(issues[0]?.message).toContain('0.01');
  });

  it('PRICE_PRECISION on the stop price', () => {
    const issues = checkMarketRules({ ...LIMIT, type: 'stop_limit', stopPrice: '59000.001' }, RULES);
    expect(issues).toEqual([expect.objectContaining({ code: 'PRICE_PRECISION', field: 'stopPrice' })]);
  });

  it('MIN_PRICE and MAX_PRICE, on limit and stop prices', () => {
    expect(
      checkMarketRules(
        { ...LIMIT, quantity: '99', limitPrice: '0.009' },
        { ...RULES, priceStep: '0.001', minNotional: '0.5' },
      ),
    ).toEqual([expect.objectContaining({ code: 'MIN_PRICE', field: 'limitPrice' })]);
    expect(checkMarketRules({ ...LIMIT, limitPrice: '1000000.01' }, RULES)).toEqual([
      expect.objectContaining({ code: 'MAX_PRICE', field: 'limitPrice' }),
    ]);
    expect(
      checkMarketRules(
        { ...LIMIT, type: 'stop_limit', limitPrice: '60000', stopPrice: '2000000' },
        RULES,
      ).map((i) => [i.code, i.field]),
    ).toEqual([['MAX_PRICE', 'stopPrice']]);
  });

  it('MIN_NOTIONAL with the limit price', () => {
    const issues = checkMarketRules({ ...LIMIT, quantity: '0.0001', limitPrice: '49999.99' }, RULES);
    expect(issues).toEqual([expect.objectContaining({ code: 'MIN_NOTIONAL', field: 'quantity' })]);
    expect(issues[0]?.message).toContain('4.999999');
    expect(issues[0]?.message).toContain('USDT');
    expect(issues[0]?.message).toContain('5');
  });

  it('MIN_NOTIONAL for a market order uses the reference price', () => {
    expect(codes(MARKET, RULES, '4000')).toEqual(['MIN_NOTIONAL']); // 0.001 × 4000 = 4
    expect(codes(MARKET, RULES, '5000')).toEqual([]); // exactly 5
    // Without a reference price the notional of a market order is not checked here.
    expect(codes(MARKET, RULES)).toEqual([]);
  });

  it('the limit price, not the reference price, decides the notional of a limit order', () => {
    expect(codes({ ...LIMIT, quantity: '0.0001', limitPrice: '10000' }, RULES, '60000')).toEqual([
      'MIN_NOTIONAL',
    ]);
    expect(codes({ ...LIMIT, quantity: '0.0001', limitPrice: '60000' }, RULES, '1')).toEqual([]);
  });

  it('no minNotional in the rules → no notional check', () => {
    const { minNotional: _n, ...noNotional } = RULES;
    expect(codes({ ...LIMIT, quantity: '0.0001', limitPrice: '1' }, noNotional)).toEqual([]);
  });

  it('UNSUPPORTED_ORDER_TYPE', () => {
    const issues = checkMarketRules({ ...MARKET, type: 'stop', stopPrice: '59000' }, RULES);
    expect(issues).toEqual([expect.objectContaining({ code: 'UNSUPPORTED_ORDER_TYPE', field: 'type' })]);
    expect(issues[0]?.message).toContain('stop');
    expect(issues[0]?.message).toContain('sim');
  });

  it('without optional limits only the steps are checked', () => {
    const bare: MarketRules = {
      venue: 'x',
      symbol: 'BTC/USDT',
      base: 'BTC',
      quote: 'USDT',
      amountStep: '1',
      priceStep: '1',
      orderTypes: ['limit'],
    };
    expect(codes({ ...LIMIT, quantity: '1000000000', limitPrice: '1' }, bare)).toEqual([]);
    expect(codes({ ...LIMIT, quantity: '1.5', limitPrice: '1.5' }, bare)).toEqual([
      'QUANTITY_PRECISION',
      'PRICE_PRECISION',
    ]);
  });

  it('reports every problem, not just the first', () => {
    const issues = checkMarketRules(
      { ...LIMIT, type: 'stop', limitPrice: '0.001', stopPrice: '2000000.001', quantity: '0.000001' },
      RULES,
    );
    expect(issues.map((i) => i.code).sort()).toEqual(
      [
        'UNSUPPORTED_ORDER_TYPE',
        'QUANTITY_PRECISION',
        'MIN_QUANTITY',
        'PRICE_PRECISION',
        'MIN_PRICE',
        'PRICE_PRECISION',
        'MAX_PRICE',
        'MIN_NOTIONAL',
      ].sort(),
    );
  });
});
