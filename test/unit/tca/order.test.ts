/**
 * TCA of one order and of a parent order: shortfall with fees converted from the base currency
 * or a venue token, VWAP performance, slippage, effective spread, fill rate and latency.
 */
import { analyseOrder, analyseParentOrder } from '../../../src/domain/tca/order';
import type { TcaFill, TcaOrderInput } from '../../../src/domain/tca/types';

const T0 = '2024-05-01T10:00:00.000Z';

function fill(quantity: string, price: string, extra: Partial<TcaFill> = {}): TcaFill {
  return { quantity, price, fee: '0', feeCurrency: 'USDT', timestamp: '2024-05-01T10:00:01.000Z', ...extra };
}

/** The partially filled sell of shortfall.test.ts, with base-currency fees, mids and times. */
const partialSell: TcaOrderInput = {
  orderId: 'o-sell',
  symbol: 'ETH/USDT',
  side: 'sell',
  venue: 'sim',
  strategyId: 'mm',
  quantity: '10',
  decisionPrice: '3000',
  arrivalMid: '2990',
  requestedAt: T0,
  endPrice: '2950',
  marketVwap: '2975',
  fills: [
    fill('4', '2980', {
      fee: '0.004',
      feeCurrency: 'ETH',
      mid: '2981',
      timestamp: '2024-05-01T10:00:01.250Z',
    }),
    fill('2', '2970', {
      fee: '0.002',
      feeCurrency: 'ETH',
      mid: '2971',
      timestamp: '2024-05-01T10:00:00.750Z',
    }),
  ],
};

describe('analyseOrder', () => {
  it('a partially filled sell: every measure, hand-worked', () => {
    const r = analyseOrder(partialSell);
    expect(r).toMatchObject({
      quoteCurrency: 'USDT',
      requestedQuantity: '10',
      filledQuantity: '6',
      unfilledQuantity: '4',
      fillRate: '0.6',
      // (4 × 2980 + 2 × 2970) / 6 = 17860 / 6
      averagePrice: '2976.6666666666666667',
      arrivalPrice: '2990',
      decisionPrice: '3000',
      benchmarkPrice: '3000',
      paperNotional: '30000',
      unconvertedFees: [],
    });
    // Base fees at each fill's price: 0.004 × 2980 + 0.002 × 2970 = 11.92 + 5.94 = 17.86.
    expect(r.shortfall.quote).toEqual({
      delay: '60',
      trading: '80',
      opportunity: '200',
      fees: '17.86',
      total: '357.86',
    });
    expect(r.shortfall.bps.total).toBe('119.2867');
    // Slippage: the trading part over X·P_a = 6 × 2990 = 17940: 80 / 17940 = 44.59309 → 44.5931 bp.
    expect(r.slippage).toEqual({ quote: '80', notional: '17940', bps: '44.5931' });
    // VWAP 2975: −(17860 − 6 × 2975) = −10 over 17850 → −5.60224 bp: sold above the market's VWAP.
    expect(r.marketVwap).toBe('2975');
    expect(r.vwapPerformance).toEqual({ quote: '-10', notional: '17850', bps: '-5.6022' });
    // Effective spread at the fills' own mids: 2·(−1)·4·(2980 − 2981) + 2·(−1)·2·(2970 − 2971)
    // = 8 + 4 = 12 over 4 × 2981 + 2 × 2971 = 17866 → 6.71667 → 6.7167 bp.
    expect(r.effectiveSpread).toEqual({
      quote: '12',
      notional: '17866',
      bps: '6.7167',
      reference: 'fill-mid',
    });
    // The earlier fill is the second one listed: 10:00:00.750 − 10:00:00.000.
    expect(r.firstFillAt).toBe('2024-05-01T10:00:00.750Z');
    expect(r.latencyMs).toBe(750);
  });

  it('a buy with no decision price: the arrival mid is the benchmark, so delay is 0', () => {
    // buy 2 @ arrival 100: 1 @ 100.5 (fee 0.1005 USDT) and 1 @ 101 (fee 0.101 USDT); no mids given.
    const r = analyseOrder({
      symbol: 'BTC/USDT',
      side: 'buy',
      quantity: '2',
      arrivalMid: '100',
      requestedAt: T0,
      fills: [fill('1', '100.5', { fee: '0.1005' }), fill('1', '101', { fee: '0.101' })],
    });
    expect(r.decisionPrice).toBeUndefined();
    expect(r.benchmarkPrice).toBe('100');
    // trading = 201.5 − 200 = 1.5 → 75 bp; fees 0.2015 → 10.075 bp; N = 200.
    expect(r.shortfall.quote).toEqual({
      delay: '0',
      trading: '1.5',
      opportunity: '0',
      fees: '0.2015',
      total: '1.7015',
    });
    expect(r.shortfall.bps).toEqual({
      delay: '0',
      trading: '75',
      opportunity: '0',
      fees: '10.075',
      total: '85.075',
    });
    // Against the arrival mid for want of fill mids: 2·(0.5 + 1) = 3 over 200 → 150 bp.
    expect(r.effectiveSpread).toEqual({ quote: '3', notional: '200', bps: '150', reference: 'arrival-mid' });
    expect(r.fillRate).toBe('1');
    expect(r.latencyMs).toBe(1000);
  });

  it('a passive buy with a rebate: negative effective spread and negative fees', () => {
    // 1 @ 59990 with the mid at 60000, rebate 5.999 USDT.
    const r = analyseOrder({
      symbol: 'BTC/USDT',
      side: 'buy',
      quantity: '1',
      arrivalMid: '60000',
      requestedAt: T0,
      fills: [fill('1', '59990', { fee: '-5.999', mid: '60000' })],
    });
    expect(r.shortfall.bps).toEqual({
      delay: '0',
      trading: '-1.6667',
      opportunity: '0',
      fees: '-0.9998',
      total: '-2.6665',
    });
    // 2 × (59990 − 60000) = −20 over 60000 → −3.3333 bp: bought inside the spread.
    expect(r.effectiveSpread).toMatchObject({ quote: '-20', bps: '-3.3333' });
  });

  it('nothing filled: opportunity cost only, no price-based measures', () => {
    const r = analyseOrder({
      symbol: 'BTC/USDT',
      side: 'buy',
      quantity: '1',
      arrivalMid: '60000',
      requestedAt: T0,
      endPrice: '60300',
      marketVwap: '60100',
      fills: [],
    });
    expect(r.shortfall.bps.total).toBe('50');
    expect(r.fillRate).toBe('0');
    for (const key of [
      'averagePrice',
      'slippage',
      'vwapPerformance',
      'effectiveSpread',
      'latencyMs',
    ] as const)
      expect(r[key]).toBeUndefined();
  });

  it('fees in a venue token: converted at a given price, else reported apart', () => {
    const order: TcaOrderInput = {
      symbol: 'BTC/USDT',
      side: 'buy',
      quantity: '1',
      arrivalMid: '100',
      requestedAt: T0,
      fills: [fill('0.5', '100', { fee: '0.001', feeCurrency: 'BNB' }), fill('0.5', '100', { fee: '0.05' })],
    };
    // Priced: 0.001 BNB × 600 = 0.6, + 0.05 USDT = 0.65 → 0.65 / 100 = 65 bp.
    const priced = analyseOrder({ ...order, feePrices: { BNB: '600' } });
    expect(priced.shortfall.quote.fees).toBe('0.65');
    expect(priced.shortfall.bps.fees).toBe('65');
    expect(priced.unconvertedFees).toEqual([]);
    // Not priced: only the USDT fee counts (5 bp); the BNB one is listed beside.
    const apart = analyseOrder(order);
    expect(apart.shortfall.quote.fees).toBe('0.05');
    expect(apart.shortfall.bps.fees).toBe('5');
    expect(apart.unconvertedFees).toEqual([{ currency: 'BNB', amount: '0.001' }]);
  });

  it('refuses malformed input by name', () => {
    const bad = (patch: Partial<TcaOrderInput>) => () => analyseOrder({ ...partialSell, ...patch });
    const invalid = expect.objectContaining({ code: 'INVALID_TCA_INPUT' });
    expect(bad({ quantity: '0' })).toThrow(invalid);
    expect(bad({ arrivalMid: 'abc' })).toThrow(invalid);
    expect(bad({ symbol: 'BTCUSDT' })).toThrow(invalid);
    expect(bad({ requestedAt: 'yesterday' })).toThrow(invalid);
    expect(bad({ fills: [fill('1', '-5')] })).toThrow(invalid);
    expect(bad({ endPrice: undefined })).toThrow(expect.objectContaining({ code: 'MISSING_END_PRICE' }));
  });
});

describe('analyseParentOrder', () => {
  it("pools the children's fills against the parent's decision and arrival", () => {
    // Parent buy Q = 3, P_d = 100, P_a = 100.5; child on venue a: 1 @ 101, on venue b: 1 @ 102;
    // U = 1 marked at P_T = 104; N = 300.
    const r = analyseParentOrder(
      {
        orderId: 'parent',
        symbol: 'BTC/USDT',
        side: 'buy',
        venue: 'smart',
        quantity: '3',
        decisionPrice: '100',
        arrivalMid: '100.5',
        requestedAt: T0,
        endPrice: '104',
      },
      [
        { venue: 'a', fills: [fill('1', '101', { timestamp: '2024-05-01T10:00:02.000Z' })] },
        { venue: 'b', fills: [fill('1', '102', { timestamp: '2024-05-01T10:00:03.000Z' })] },
      ],
    );
    // delay = 2 × 0.5 = 1 → 33.3333; trading = 203 − 2 × 100.5 = 2 → 66.6667;
    // opportunity = 1 × (104 − 100) = 4 → 133.3333; total 7 → 233.3333 bp.
    expect(r.shortfall.quote).toEqual({ delay: '1', trading: '2', opportunity: '4', fees: '0', total: '7' });
    expect(r.shortfall.bps).toEqual({
      delay: '33.3333',
      trading: '66.6667',
      opportunity: '133.3333',
      fees: '0',
      total: '233.3333',
    });
    expect(r).toMatchObject({ filledQuantity: '2', fillRate: '0.666667', venue: 'smart', latencyMs: 2000 });
  });
});
