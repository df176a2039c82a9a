/**
 * Each pre-trade risk rule alone: it refuses past its limit (with its code, field and the numbers),
 * passes at the limit, and is not checked without one. Orders are BTC/USDT at a mid of 60000.
 */
import { checkRisk, RISK_CODES, type RiskLimits } from '../../../src/domain/risk';
import type { RequestIssue } from '../../../src/domain/order-request';
import { BUY, MARKET_BUY, SELL, context, order } from './risk-fixtures';

function codes(issues: RequestIssue[]): string[] {
  return issues.map((i) => i.code);
}

function only(issues: RequestIssue[], code: string): RequestIssue {
  expect(codes(issues)).toEqual([code]);
  return issues[0] as RequestIssue;
}

describe('checkRisk: no limits', () => {
  it('passes any order when no limit is set, even with an empty context', () => {
    expect(checkRisk(order({ quantity: '1000000' }), { now: '2030-01-01T00:00:00Z' }, {})).toEqual([]);
  });

  it('reports codes from the documented list only', () => {
    expect(RISK_CODES).toHaveLength(13);
    expect(new Set(RISK_CODES).size).toBe(13);
  });
});

describe('MAX_ORDER_QUANTITY', () => {
  const limits: RiskLimits = { maxOrderQuantity: '2' };
  it('refuses a quantity above the maximum, naming both', () => {
    const issue = only(checkRisk(order({ quantity: '2.5' }), context(), limits), 'MAX_ORDER_QUANTITY');
    expect(issue.field).toBe('quantity');
    expect(issue.message).toBe('quantity 2.5 BTC exceeds the maximum order quantity 2 BTC');
  });
  it('passes exactly at the maximum, for sells too', () => {
    expect(checkRisk(order({ quantity: '2' }), context(), limits)).toEqual([]);
    expect(codes(checkRisk({ ...SELL, quantity: '2.00000001' }, context(), limits))).toEqual([
      'MAX_ORDER_QUANTITY',
    ]);
  });
});

describe('MAX_NOTIONAL', () => {
  const limits: RiskLimits = { maxOrderNotional: '100000' };
  it('values a limit order at its limit price', () => {
    const issue = only(checkRisk(order({ quantity: '2' }), context(), limits), 'MAX_NOTIONAL');
    expect(issue.message).toBe('notional 120000 USDT (2 × 60000 limitPrice) exceeds the maximum 100000 USDT');
  });
  it('values a market order at the mid, a stop order at its stop price', () => {
    expect(codes(checkRisk({ ...MARKET_BUY, quantity: '1.7' }, context({ mid: '60000' }), limits))).toEqual([
      'MAX_NOTIONAL',
    ]);
    expect(checkRisk({ ...MARKET_BUY, quantity: '1.6' }, context({ mid: '60000' }), limits)).toEqual([]);
    const stop = order({ type: 'stop', limitPrice: undefined, stopPrice: '50000', quantity: '2' });
    expect(checkRisk(stop, context(), limits)).toEqual([]);
  });
  it('passes exactly at the maximum', () => {
    expect(checkRisk(order({ quantity: '2', limitPrice: '50000' }), context(), limits)).toEqual([]);
  });
  it('refuses a market order it cannot value (no mid): fail closed', () => {
    const issue = only(checkRisk(MARKET_BUY, context({ mid: undefined }), limits), 'MAX_NOTIONAL');
    expect(issue.message).toContain('no current mid price for BTC/USDT at sim');
  });
});

describe('PRICE_COLLAR', () => {
  const limits: RiskLimits = { priceCollarBps: 500 };
  it('refuses a limit price further from the mid than the collar, either side', () => {
    const above = only(checkRisk(order({ limitPrice: '63000.06' }), context(), limits), 'PRICE_COLLAR');
    expect(above.field).toBe('limitPrice');
    expect(above.message).toBe('limitPrice 63000.06 is 500.01 bps from the mid 60000; the collar is 500 bps');
    expect(codes(checkRisk(order({ limitPrice: '6000' }), context(), limits))).toEqual(['PRICE_COLLAR']);
  });
  it('passes exactly at the collar', () => {
    expect(checkRisk(order({ limitPrice: '63000' }), context(), limits)).toEqual([]);
    expect(checkRisk(order({ limitPrice: '57000' }), context(), limits)).toEqual([]);
  });
  it('checks the stop price too, and both prices of a stop-limit (two issues)', () => {
    const stopLimit = order({ type: 'stop_limit', limitPrice: '70000', stopPrice: '40000' });
    const issues = checkRisk(stopLimit, context(), limits);
    expect(issues.map((i) => [i.code, i.field])).toEqual([
      ['PRICE_COLLAR', 'limitPrice'],
      ['PRICE_COLLAR', 'stopPrice'],
    ]);
  });
  it('does not apply to market orders; refuses a priced order when there is no mid', () => {
    expect(checkRisk(MARKET_BUY, context({ mid: undefined }), limits)).toEqual([]);
    expect(codes(checkRisk(BUY, context({ mid: undefined }), limits))).toEqual(['PRICE_COLLAR']);
  });
});

describe('POSITION_LIMIT', () => {
  const limits: RiskLimits = { maxPosition: '5' };
  it('projects the position with working orders on the same side and this order', () => {
    const ctx = context({ position: '3', workingBuy: '1.5', workingSell: '100' });
    const issue = only(checkRisk(order({ quantity: '1' }), ctx, limits), 'POSITION_LIMIT');
    expect(issue.message).toBe(
      'projected position 5.5 BTC (position 3 + working buys 1.5 + this order 1) exceeds the limit ±5 BTC ' +
        'for BTC/USDT at sim',
    );
    expect(checkRisk(order({ quantity: '0.5' }), ctx, limits)).toEqual([]);
  });
  it('checks shorts on the sell side', () => {
    const ctx = context({ position: '-3', workingSell: '2', workingBuy: '100' });
    expect(codes(checkRisk({ ...SELL, quantity: '0.1' }, ctx, limits))).toEqual(['POSITION_LIMIT']);
    expect(
      checkRisk({ ...SELL, quantity: '0.1' }, context({ position: '-3', workingSell: '1.9' }), limits),
    ).toEqual([]);
  });
  it('lets an order that reduces a breach through', () => {
    expect(checkRisk({ ...SELL, quantity: '1' }, context({ position: '9' }), limits)).toEqual([]);
    expect(checkRisk(order({ quantity: '1' }), context({ position: '-9' }), limits)).toEqual([]);
  });
  it('refuses when the position is unknown', () => {
    expect(codes(checkRisk(BUY, context({ position: undefined }), limits))).toEqual(['POSITION_LIMIT']);
  });
});

describe('GROSS_EXPOSURE and NET_EXPOSURE', () => {
  it('adds this order to the position at mid and the other symbols', () => {
    const ctx = context({ position: '1', exposures: { 'ETH/USDT': '-100000', 'SOL/USDT': '50000' } });
    // After buying 1: own 120000; gross 270000, net 70000.
    expect(checkRisk(BUY, ctx, { maxGrossExposure: '270000', maxNetExposure: '70000' })).toEqual([]);
    const issues = checkRisk(BUY, ctx, { maxGrossExposure: '269999.99', maxNetExposure: '69999.99' });
    expect(codes(issues)).toEqual(['GROSS_EXPOSURE', 'NET_EXPOSURE']);
    expect(issues[0]?.message).toBe(
      'gross exposure after the order 270000 USDT (now 210000) exceeds the limit 269999.99 USDT',
    );
    expect(issues[1]?.message).toBe(
      'net exposure after the order 70000 USDT (now 10000) exceeds the limit ±69999.99 USDT',
    );
  });
  it('measures net exposure both ways: a large short breaches too', () => {
    const ctx = context({ position: '0', exposures: { 'ETH/USDT': '-100000' } });
    expect(codes(checkRisk({ ...SELL, quantity: '1' }, ctx, { maxNetExposure: '150000' }))).toEqual([
      'NET_EXPOSURE',
    ]);
    expect(checkRisk(BUY, ctx, { maxNetExposure: '150000' })).toEqual([]);
  });
  it('passes an order that reduces exposure already above the limits', () => {
    const ctx = context({ position: '10', exposures: { 'ETH/USDT': '500000' } });
    expect(
      checkRisk({ ...SELL, quantity: '1' }, ctx, { maxGrossExposure: '1', maxNetExposure: '1' }),
    ).toEqual([]);
  });
  it('values at the mid, not the limit price; refuses without a mid or a position', () => {
    const limits = { maxGrossExposure: '60000' };
    expect(checkRisk(order({ limitPrice: '70000' }), context(), limits)).toEqual([]);
    expect(codes(checkRisk(BUY, context({ mid: undefined }), limits))).toEqual(['GROSS_EXPOSURE']);
    expect(codes(checkRisk(BUY, context({ position: undefined }), { maxNetExposure: '1' }))).toEqual([
      'NET_EXPOSURE',
    ]);
  });
});

describe('DAILY_ORDER_COUNT and DAILY_NOTIONAL', () => {
  it('counts this order in the strategy day', () => {
    const limits: RiskLimits = { maxDailyOrders: 10, maxDailyNotional: '600000' };
    expect(checkRisk(BUY, context({ dayStats: { orders: 9, notional: '540000' } }), limits)).toEqual([]);
    const issues = checkRisk(BUY, context({ dayStats: { orders: 10, notional: '540000.01' } }), limits);
    expect(codes(issues)).toEqual(['DAILY_ORDER_COUNT', 'DAILY_NOTIONAL']);
    expect(issues[0]?.message).toBe('strategy momo has sent 10 orders today (UTC); the limit is 10 a day');
    expect(issues[1]?.message).toBe(
      'strategy momo would trade 600000.01 USDT today (UTC): 540000.01 so far + 60000 (1 × 60000 limitPrice); ' +
        'the limit is 600000 USDT a day',
    );
  });
  it('names orders without a strategy', () => {
    const issue = only(
      checkRisk(order({ strategyId: undefined }), context({ dayStats: { orders: 1, notional: '0' } }), {
        maxDailyOrders: 1,
      }),
      'DAILY_ORDER_COUNT',
    );
    expect(issue.message).toContain('orders without a strategy has sent 1 orders');
  });
  it('refuses when the day is unknown', () => {
    expect(codes(checkRisk(BUY, context({ dayStats: undefined }), { maxDailyOrders: 5 }))).toEqual([
      'DAILY_ORDER_COUNT',
    ]);
  });
});

describe('OPEN_ORDER_LIMIT', () => {
  it('caps working orders on the symbol at the venue, this one included', () => {
    expect(checkRisk(BUY, context({ openOrders: 2 }), { maxOpenOrders: 3 })).toEqual([]);
    const issue = only(checkRisk(BUY, context({ openOrders: 3 }), { maxOpenOrders: 3 }), 'OPEN_ORDER_LIMIT');
    expect(issue.message).toBe('3 orders already working on BTC/USDT at sim; the cap is 3');
    expect(codes(checkRisk(BUY, context(), { maxOpenOrders: 0 }))).toEqual(['OPEN_ORDER_LIMIT']);
  });
});

describe('REDUCE_ONLY', () => {
  const reduce = (side: 'buy' | 'sell', quantity: string) => order({ side, quantity, reduceOnly: true });
  it('lets a reduce-only order shrink the position, down to flat', () => {
    expect(checkRisk(reduce('sell', '2'), context({ position: '2' }), {})).toEqual([]);
    expect(checkRisk(reduce('buy', '0.5'), context({ position: '-2' }), {})).toEqual([]);
  });
  it('refuses one that would flip or grow the position, or open one from flat', () => {
    const flip = only(checkRisk(reduce('sell', '3'), context({ position: '2' }), {}), 'REDUCE_ONLY');
    expect(flip.field).toBe('reduceOnly');
    expect(flip.message).toBe(
      'a reduce-only sell of 3 BTC would take the position 2 to -1 (working sells 0)',
    );
    expect(codes(checkRisk(reduce('buy', '1'), context({ position: '2' }), {}))).toEqual(['REDUCE_ONLY']);
    expect(codes(checkRisk(reduce('sell', '1'), context({ position: '0' }), {}))).toEqual(['REDUCE_ONLY']);
  });
  it('counts working orders on the same side', () => {
    expect(codes(checkRisk(reduce('sell', '1'), context({ position: '2', workingSell: '1.5' }), {}))).toEqual(
      ['REDUCE_ONLY'],
    );
    expect(checkRisk(reduce('sell', '0.5'), context({ position: '2', workingSell: '1.5' }), {})).toEqual([]);
  });
  it('is checked without any limit, and refuses when the position is unknown', () => {
    expect(codes(checkRisk(reduce('sell', '1'), context({ position: undefined }), {}))).toEqual([
      'REDUCE_ONLY',
    ]);
  });
});

describe('INSUFFICIENT_BALANCE', () => {
  const limits: RiskLimits = { checkBalance: true };
  it('a buy spends the quote currency at its price', () => {
    expect(checkRisk(BUY, context({ balances: { USDT: '60000' } }), limits)).toEqual([]);
    const issue = only(
      checkRisk(BUY, context({ balances: { USDT: '59999.99' } }), limits),
      'INSUFFICIENT_BALANCE',
    );
    expect(issue.message).toBe(
      'the order needs 60000 USDT (1 × 60000 limitPrice); 59999.99 USDT free at sim',
    );
  });
  it('a market buy is valued at the mid; a sell spends the base asset', () => {
    expect(
      codes(checkRisk(MARKET_BUY, context({ mid: '60000.01', balances: { USDT: '60000' } }), limits)),
    ).toEqual(['INSUFFICIENT_BALANCE']);
    expect(checkRisk({ ...SELL, quantity: '10' }, context(), limits)).toEqual([]);
    const issue = only(checkRisk({ ...SELL, quantity: '10.5' }, context(), limits), 'INSUFFICIENT_BALANCE');
    expect(issue.message).toBe('the order needs 10.5 BTC; 10 BTC free at sim');
  });
  it('a currency missing from the balances is zero; unknown balances refuse', () => {
    expect(codes(checkRisk(BUY, context({ balances: {} }), limits))).toEqual(['INSUFFICIENT_BALANCE']);
    expect(codes(checkRisk(BUY, context({ balances: undefined }), limits))).toEqual(['INSUFFICIENT_BALANCE']);
    expect(checkRisk(BUY, context({ balances: {} }), { checkBalance: false })).toEqual([]);
  });
});

describe('decimal edge cases', () => {
  it('compares exactly where floats would not (0.1 + 0.2 = 0.3)', () => {
    const ctx = context({ dayStats: { orders: 0, notional: '0.1' } });
    const tiny = order({ quantity: '0.00002', limitPrice: '10000' }); // notional 0.2
    expect(checkRisk(tiny, ctx, { maxDailyNotional: '0.3' })).toEqual([]);
    expect(codes(checkRisk(tiny, ctx, { maxDailyNotional: '0.29999999999999999999' }))).toEqual([
      'DAILY_NOTIONAL',
    ]);
  });
  it('a single unit in the 18th decimal place is over the limit', () => {
    const limits = { maxOrderQuantity: '1', maxPosition: '1' };
    expect(codes(checkRisk(order({ quantity: '1.000000000000000001' }), context(), limits))).toEqual([
      'MAX_ORDER_QUANTITY',
      'POSITION_LIMIT',
    ]);
  });
  it('handles magnitudes far beyond a float mantissa', () => {
    const big = order({ quantity: '123456789012345678.9', limitPrice: '98765432109876.54321' });
    const limits = { maxOrderNotional: '12193263113702179522374638011112.635269' };
    expect(checkRisk(big, context({ mid: '98765432109876.5' }), limits)).toEqual([]);
    const justUnder = { maxOrderNotional: '12193263113702179522374638011112.635268' };
    expect(codes(checkRisk(big, context({ mid: '98765432109876.5' }), justUnder))).toEqual(['MAX_NOTIONAL']);
  });
  it('prints canonical decimals in messages (no exponent, no trailing zeros)', () => {
    const issue = only(
      checkRisk(order({ quantity: '0.00000015', limitPrice: '60000' }), context(), {
        maxOrderQuantity: '1e-7',
      }),
      'MAX_ORDER_QUANTITY',
    );
    expect(issue.message).toBe('quantity 0.00000015 BTC exceeds the maximum order quantity 0.0000001 BTC');
  });
});
