/**
 * Perold implementation shortfall: hand-worked buys and sells (partial, none filled, rebates), and
 * the identity total = delay + trading + opportunity + fees on seeded random orders.
 */
import { Dec, add, dec, toDecimalString } from '../../../src/domain/decimal';
import { mulberry32 } from '../../../src/domain/algos/prng';
import { implementationShortfall } from '../../../src/domain/tca/shortfall';
import { TcaError } from '../../../src/domain/tca/types';

describe('implementationShortfall', () => {
  it('buy, fully filled, decision price given, fees in the quote currency', () => {
    // Q = 2, P_d = 100, P_a = 101, fills 1 @ 102 and 1 @ 103, F = 0.2; N = 2 × 100 = 200.
    const r = implementationShortfall({
      side: 'buy',
      quantity: '2',
      benchmarkPrice: '100',
      arrivalMid: '101',
      fills: [
        { quantity: '1', price: '102' },
        { quantity: '1', price: '103' },
      ],
      fees: '0.2',
    });
    // delay = 2 × (101 − 100) = 2 → 100 bp; trading = 205 − 2 × 101 = 3 → 150 bp;
    // opportunity 0 (all filled, no end price needed); fees 0.2 → 10 bp; total 5.2 → 260 bp.
    expect(r.quote).toEqual({ delay: '2', trading: '3', opportunity: '0', fees: '0.2', total: '5.2' });
    expect(r.bps).toEqual({ delay: '100', trading: '150', opportunity: '0', fees: '10', total: '260' });
    expect(r).toMatchObject({ paperNotional: '200', filledQuantity: '2', unfilledQuantity: '0' });
  });

  it('sell, partially filled: the unfilled rest is marked at the end price', () => {
    // s = −1, Q = 10, P_d = 3000, P_a = 2990, fills 4 @ 2980 + 2 @ 2970 (X = 6, U = 4), P_T = 2950,
    // F = 17.86; N = 30000.
    const r = implementationShortfall({
      side: 'sell',
      quantity: '10',
      benchmarkPrice: '3000',
      arrivalMid: '2990',
      endPrice: '2950',
      fills: [
        { quantity: '4', price: '2980' },
        { quantity: '2', price: '2970' },
      ],
      fees: '17.86',
    });
    // delay = −6 × (2990 − 3000) = 60 → 20 bp
    // trading = −(11920 + 5940 − 6 × 2990) = −(17860 − 17940) = 80 → 26.6667 bp
    // opportunity = −4 × (2950 − 3000) = 200 → 66.6667 bp
    // fees 17.86 → 5.95333… → 5.9533 bp; total 357.86 → 20 + 26.6667 + 66.6667 + 5.9533 = 119.2867
    expect(r.quote).toEqual({
      delay: '60',
      trading: '80',
      opportunity: '200',
      fees: '17.86',
      total: '357.86',
    });
    expect(r.bps).toEqual({
      delay: '20',
      trading: '26.6667',
      opportunity: '66.6667',
      fees: '5.9533',
      total: '119.2867',
    });
    expect(r).toMatchObject({ filledQuantity: '6', unfilledQuantity: '4' });
  });

  it('a sell that the market moved in its favour is a negative cost', () => {
    // s = −1, Q = 1, P_d = P_a = 100, 1 @ 101: trading = −(101 − 100) = −1 → −100 bp (a gain).
    const r = implementationShortfall({
      side: 'sell',
      quantity: '1',
      benchmarkPrice: '100',
      arrivalMid: '100',
      fills: [{ quantity: '1', price: '101' }],
      fees: '0',
    });
    expect(r.quote.total).toBe('-1');
    expect(r.bps).toEqual({ delay: '0', trading: '-100', opportunity: '0', fees: '0', total: '-100' });
  });

  it('nothing filled: all of it is opportunity cost', () => {
    // buy Q = 1, P_d = P_a = 60000, P_T = 60300: opportunity = 1 × 300 = 300 → 300 / 60000 = 50 bp.
    const r = implementationShortfall({
      side: 'buy',
      quantity: '1',
      benchmarkPrice: '60000',
      arrivalMid: '60000',
      endPrice: '60300',
      fills: [],
      fees: '0',
    });
    expect(r.quote).toEqual({ delay: '0', trading: '0', opportunity: '300', fees: '0', total: '300' });
    expect(r.bps).toEqual({ delay: '0', trading: '0', opportunity: '50', fees: '0', total: '50' });
  });

  it('a maker rebate lowers the cost', () => {
    // buy Q = 1 at 59990 against P_a = P_d = 60000, fee −5.999 (a rebate):
    // trading −10 → −1.66667 → −1.6667 bp; fees −5.999 → −0.99983 → −0.9998 bp; total −15.999 → −2.6665 bp.
    const r = implementationShortfall({
      side: 'buy',
      quantity: '1',
      benchmarkPrice: '60000',
      arrivalMid: '60000',
      fills: [{ quantity: '1', price: '59990' }],
      fees: '-5.999',
    });
    expect(r.quote).toEqual({
      delay: '0',
      trading: '-10',
      opportunity: '0',
      fees: '-5.999',
      total: '-15.999',
    });
    expect(r.bps).toEqual({
      delay: '0',
      trading: '-1.6667',
      opportunity: '0',
      fees: '-0.9998',
      total: '-2.6665',
    });
  });

  it('refuses an unfilled rest without an end price, and more fills than requested', () => {
    const base = { side: 'buy' as const, benchmarkPrice: '100', arrivalMid: '100', fees: '0' };
    const partial = () =>
      implementationShortfall({ ...base, quantity: '2', fills: [{ quantity: '1', price: '100' }] });
    expect(partial).toThrow(TcaError);
    expect(partial).toThrow(expect.objectContaining({ code: 'MISSING_END_PRICE' }));
    const over = () =>
      implementationShortfall({
        ...base,
        quantity: '1',
        endPrice: '100',
        fills: [{ quantity: '1.5', price: '100' }],
      });
    expect(over).toThrow(expect.objectContaining({ code: 'OVERFILLED' }));
  });

  it('total = delay + trading + opportunity + fees on 500 seeded random orders', () => {
    const random = mulberry32(20240501);
    /** A decimal with `dp` places in [lo, hi). */
    const between = (lo: number, hi: number, dp: number): string =>
      toDecimalString(dec(lo).plus(dec(Math.floor(random() * (hi - lo) * 10 ** dp)).dividedBy(10 ** dp)));
    let partials = 0;
    for (let n = 0; n < 500; n++) {
      const side = random() < 0.5 ? 'buy' : 'sell';
      const quantity = between(0.001, 50, 3);
      const benchmarkPrice = between(10, 70000, 2);
      const arrivalMid = toDecimalString(dec(benchmarkPrice).times(between(0.95, 1.05, 4)));
      const endPrice = toDecimalString(dec(arrivalMid).times(between(0.9, 1.1, 4)));
      const fills: Array<{ quantity: string; price: string }> = [];
      let left = dec(quantity);
      const count = Math.floor(random() * 6);
      for (let i = 0; i < count && left.greaterThan(0); i++) {
        // The last fill sometimes takes the rest exactly (a full fill), else a random share of it.
        const q =
          i === count - 1 && random() < 0.5 ? left : left.times(between(0.01, 1, 3)).toDecimalPlaces(6);
        if (!q.greaterThan(0)) continue;
        fills.push({
          quantity: toDecimalString(q),
          price: toDecimalString(dec(arrivalMid).times(between(0.98, 1.02, 5))),
        });
        left = left.minus(q);
      }
      if (!left.isZero()) partials += 1;
      const fees = between(-2, 20, 6);
      const r = implementationShortfall({
        side,
        quantity,
        benchmarkPrice,
        arrivalMid,
        endPrice,
        fills,
        fees,
      });

      const { delay, trading, opportunity } = r.quote;
      expect(add(add(delay, trading), add(opportunity, r.quote.fees))).toBe(r.quote.total);
      // The definition, computed here on its own: real portfolio (fills at their prices, the rest
      // marked at P_T, plus fees) against the paper one (Q at P_d), signed for the side.
      const s = side === 'buy' ? 1 : -1;
      const paid = fills.reduce((sum, f) => sum.plus(dec(f.quantity).times(f.price)), new Dec(0));
      const expected = paid
        .plus(left.times(endPrice))
        .minus(dec(quantity).times(benchmarkPrice))
        .times(s)
        .plus(fees);
      expect(r.quote.total).toBe(toDecimalString(expected));

      const b = r.bps;
      expect(add(add(b.delay, b.trading), add(b.opportunity, b.fees))).toBe(b.total);
      // Four components rounded to 0.0001 bp: at most 4 × 0.00005 from the exact total.
      const exactBps = expected.dividedBy(r.paperNotional).times(10_000);
      expect(exactBps.minus(b.total).abs().lessThanOrEqualTo('0.0002')).toBe(true);
    }
    // The cases cover both partial and complete fills.
    expect(partials).toBeGreaterThan(50);
    expect(partials).toBeLessThan(450);
  });
});
