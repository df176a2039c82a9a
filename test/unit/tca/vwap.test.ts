/**
 * The market's interval VWAP, and execution against a reference price (VWAP or arrival mid).
 */
import { againstReference, marketVwap } from '../../../src/domain/tca/vwap';

describe('marketVwap', () => {
  it('is Σqp / Σq of the market trades, undefined without volume', () => {
    // (1 × 100 + 3 × 104) / 4 = 412 / 4 = 103
    expect(
      marketVwap([
        { quantity: '1', price: '100' },
        { quantity: '3', price: '104' },
      ]),
    ).toBe('103');
    expect(marketVwap([])).toBeUndefined();
  });
});

describe('againstReference', () => {
  it('buying above the reference is a cost, selling above it a gain', () => {
    const fills = [
      { quantity: '2', price: '101' },
      { quantity: '2', price: '103' },
    ];
    // Buy: 408 − 4 × 100 = 8 over 400 → 200 bp. Sell: the same trades, −8 → −200 bp.
    expect(againstReference('buy', fills, '100')).toEqual({ quote: '8', notional: '400', bps: '200' });
    expect(againstReference('sell', fills, '100')).toEqual({ quote: '-8', notional: '400', bps: '-200' });
    expect(againstReference('buy', [], '100')).toBeUndefined();
  });
});
