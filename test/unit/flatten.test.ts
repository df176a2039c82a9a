/**
 * The kill switch's flatten, decided purely: Ordo's holdings from ledger positions (the book
 * quantity less the fees taken in the base asset, strategies summed) and the size of the order that
 * undoes one (lot size, the free balance for the last satoshi, dust left alone).
 */
import { flattenSize } from '../../src/domain/flatten';
import { holdingsOf } from '../../src/domain/net-positions';
import { type PositionTrade, positionsFromTrades } from '../../src/domain/positions';

let seq = 0;
function trade(
  direction: 'BUY' | 'SELL',
  size: string,
  fee: string,
  feeCurrency: string,
  extra: Partial<PositionTrade> = {},
): PositionTrade {
  seq += 1;
  return {
    tradeId: `t-${seq}`,
    timestamp: new Date(Date.UTC(2030, 0, 1, 0, 0, seq)).toISOString(),
    symbol: 'BTC/USDT',
    venue: 'sim',
    direction,
    size,
    price: '60000',
    fee,
    feeCurrency,
    ...extra,
  };
}

const BTC = { amountStep: '0.00001', minAmount: '0.00001', minNotional: '5' };

describe('holdingsOf', () => {
  it('subtracts the fees a buy paid in the base asset: 0.02 bought at 0.1% holds 0.01998', () => {
    const holdings = holdingsOf(positionsFromTrades([trade('BUY', '0.02', '0.00002', 'BTC')]));
    expect(holdings).toEqual([
      { venue: 'sim', symbol: 'BTC/USDT', quantity: '0.02', baseFees: '0.00002', held: '0.01998' },
    ]);
  });

  it('leaves fees in the quote or another asset out; sums strategies per venue and symbol', () => {
    const holdings = holdingsOf(
      positionsFromTrades([
        trade('BUY', '0.03', '0.00003', 'BTC', { strategyId: 'a' }),
        trade('SELL', '0.01', '0.6', 'USDT', { strategyId: 'b' }),
        trade('BUY', '0.01', '0.001', 'BNB', { strategyId: 'b' }),
        trade('SELL', '1', '0.18', 'USDT', { symbol: 'ETH/USDT' }),
        trade('BUY', '0.5', '0', 'BTC', { venue: 'other' }),
      ]),
    );
    expect(holdings).toEqual([
      { venue: 'other', symbol: 'BTC/USDT', quantity: '0.5', baseFees: '0', held: '0.5' },
      { venue: 'sim', symbol: 'BTC/USDT', quantity: '0.03', baseFees: '0.00003', held: '0.02997' },
      { venue: 'sim', symbol: 'ETH/USDT', quantity: '-1', baseFees: '0', held: '-1' },
    ]);
  });

  it('a book closed by quantity still holds minus its base fees (a rebate adds)', () => {
    const [closed] = holdingsOf(
      positionsFromTrades([trade('BUY', '0.02', '0.00002', 'BTC'), trade('SELL', '0.02', '1.2', 'USDT')]),
    );
    expect(closed).toMatchObject({ quantity: '0', held: '-0.00002' });
    const [rebated] = holdingsOf(positionsFromTrades([trade('BUY', '0.02', '-0.000002', 'BTC')]));
    expect(rebated).toMatchObject({ quantity: '0.02', held: '0.020002' });
  });
});

describe('flattenSize', () => {
  it('sells a long holding in full when it is a whole number of lots', () => {
    expect(flattenSize({ held: '0.01998', freeBase: '10', market: BTC, referencePrice: '60000' })).toEqual({
      side: 'sell',
      quantity: '0.01998',
      leftover: '0',
    });
  });

  it('buys back a short holding', () => {
    expect(flattenSize({ held: '-0.5', market: BTC })).toEqual({
      side: 'buy',
      quantity: '0.5',
      leftover: '0',
    });
  });

  it('rounds down to the lot size: never more than the holding, the rest is left over', () => {
    expect(flattenSize({ held: '0.0122877', freeBase: '10', market: BTC })).toEqual({
      side: 'sell',
      quantity: '0.01228',
      leftover: '0.0000077',
    });
    expect(flattenSize({ held: '-0.0122877', market: BTC })).toEqual({
      side: 'buy',
      quantity: '0.01228',
      leftover: '-0.0000077',
    });
  });

  it('the last satoshi: a sell is capped at the free balance, then rounded down', () => {
    // The ledger says 0.02 was left in the account, but the venue holds 0.0199799 free.
    expect(flattenSize({ held: '0.02', freeBase: '0.0199799', market: BTC })).toEqual({
      side: 'sell',
      quantity: '0.01997',
      leftover: '0.00003',
    });
    expect(flattenSize({ held: '0.02', freeBase: '0', market: BTC })).toEqual({
      skip: 'NOTHING_FREE',
      leftover: '0.02',
    });
    expect(flattenSize({ held: '0.02', freeBase: '-1', market: BTC })).toMatchObject({
      skip: 'NOTHING_FREE',
    });
  });

  it('leaves dust alone (below a lot, the minimum amount or notional) instead of trying forever', () => {
    expect(flattenSize({ held: '0', market: BTC })).toEqual({ skip: 'FLAT', leftover: '0' });
    expect(flattenSize({ held: '0.0000077', freeBase: '1', market: BTC })).toEqual({
      skip: 'BELOW_LOT_SIZE',
      leftover: '0.0000077',
    });
    expect(
      flattenSize({ held: '0.00004', market: { amountStep: '0.00001', minAmount: '0.0001' } }),
    ).toMatchObject({ skip: 'BELOW_MIN_AMOUNT' });
    // 0.00008 BTC at 60000 is 4.8 USDT, under the 5 USDT minimum notional.
    expect(flattenSize({ held: '-0.00008', market: BTC, referencePrice: '60000' })).toEqual({
      skip: 'BELOW_MIN_NOTIONAL',
      leftover: '-0.00008',
    });
    // Without a price the notional is not judged here (the order's own checks will).
    expect(flattenSize({ held: '-0.00008', market: BTC })).toMatchObject({
      side: 'buy',
      quantity: '0.00008',
    });
  });
});
