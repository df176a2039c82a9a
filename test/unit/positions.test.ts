/**
 * Positions from trades (average-cost method): quantity, average cost, realised PnL, fees apart.
 */
import { type PositionTrade, positionsFromTrades } from '../../src/domain/positions';

let seq = 0;
/** A trade one second after the previous one (ids in the same order). */
function trade(
  direction: 'BUY' | 'SELL',
  size: string,
  price: string,
  extra: Partial<PositionTrade> = {},
): PositionTrade {
  seq += 1;
  return {
    tradeId: `t-${String(seq).padStart(4, '0')}`,
    timestamp: new Date(Date.UTC(2030, 0, 1, 0, 0, seq)).toISOString(),
    symbol: 'BTC/USDT',
    venue: 'sim',
    direction,
    size,
    price,
    fee: '0',
    feeCurrency: '',
    ...extra,
  };
}

function only(trades: PositionTrade[]) {
  const positions = positionsFromTrades(trades);
  expect(positions).toHaveLength(1);
  return positions[0]!;
}

beforeEach(() => {
  seq = 0;
});

describe('positionsFromTrades', () => {
  it('long, then a partial close, then the rest: PnL against the average cost', () => {
    const open = [trade('BUY', '2', '100'), trade('BUY', '2', '110')];
    expect(only(open)).toMatchObject({ quantity: '4', averageCost: '105', realizedPnl: '0' });

    const partial = [...open, trade('SELL', '1', '120')];
    // (120 − 105) × 1; the rest keeps its average.
    expect(only(partial)).toMatchObject({ quantity: '3', averageCost: '105', realizedPnl: '15' });

    const closed = [...partial, trade('SELL', '3', '100')];
    // 15 + (100 − 105) × 3 = 0, flat: no average.
    expect(only(closed)).toMatchObject({
      quantity: '0',
      averageCost: '0',
      realizedPnl: '0',
      boughtQuantity: '4',
      soldQuantity: '4',
      trades: 4,
    });
  });

  it('short: selling first, covering at a lower price is a gain', () => {
    const p = only([trade('SELL', '2', '50'), trade('SELL', '2', '60'), trade('BUY', '1', '40')]);
    expect(p).toMatchObject({ quantity: '-3', averageCost: '55', realizedPnl: '15' });
  });

  it('flip through zero: closes the position, then opens the other side at the trade price', () => {
    const flipped = [trade('BUY', '1', '100'), trade('SELL', '3', '90')];
    // Closing 1 long loses 10; the other 2 open a short at 90.
    expect(only(flipped)).toMatchObject({ quantity: '-2', averageCost: '90', realizedPnl: '-10' });

    const back = [...flipped, trade('BUY', '5', '80')];
    // Covering 2 short at 80 gains 20; 3 long open at 80.
    expect(only(back)).toMatchObject({ quantity: '3', averageCost: '80', realizedPnl: '10' });
  });

  it('fees are summed per currency beside the PnL, never in it (rebates negative)', () => {
    const p = only([
      trade('BUY', '1', '100', { fee: '0.001', feeCurrency: 'BTC' }),
      trade('BUY', '1', '100', { fee: '0.05', feeCurrency: 'USDT' }),
      trade('SELL', '2', '110', { fee: '0.1', feeCurrency: 'USDT' }),
      trade('SELL', '1', '110', { fee: '-0.02', feeCurrency: 'USDT' }),
      trade('BUY', '1', '110', { fee: '0.0005', feeCurrency: 'BNB' }),
    ]);
    expect(p.realizedPnl).toBe('20');
    expect(p.fees).toEqual({ BNB: '0.0005', BTC: '0.001', USDT: '0.13' });
    expect(Object.keys(p.fees)).toEqual(['BNB', 'BTC', 'USDT']);
  });

  it('a zero fee without a currency lists no fee', () => {
    expect(only([trade('BUY', '1', '100')]).fees).toEqual({});
  });

  it('decimal math: no float error, and a repeating average leaves no rounding in the final PnL', () => {
    expect(only([trade('BUY', '0.1', '0.2'), trade('BUY', '0.2', '0.2')])).toMatchObject({
      quantity: '0.3',
      averageCost: '0.2',
    });

    const open = [trade('BUY', '1', '100'), trade('BUY', '2', '101')];
    // 302 / 3, shown to 20 significant digits.
    expect(only(open).averageCost).toBe('100.66666666666666667');
    const partly = [...open, trade('SELL', '1', '102')];
    expect(only(partly).realizedPnl).toBe('1.3333333333333333333');
    // Received 306, paid 302: exactly 4, however the closes were split.
    expect(only([...partly, trade('SELL', '2', '102')]).realizedPnl).toBe('4');
    expect(only([...open, trade('SELL', '3', '102')]).realizedPnl).toBe('4');
  });

  it('applies trades in time order whatever order they come in (ties by trade id)', () => {
    const inOrder = [trade('BUY', '1', '100'), trade('SELL', '1', '120'), trade('BUY', '1', '90')];
    const shuffled = [inOrder[2]!, inOrder[0]!, inOrder[1]!];
    expect(positionsFromTrades(shuffled)).toEqual(positionsFromTrades(inOrder));
    expect(only(shuffled)).toMatchObject({ quantity: '1', averageCost: '90', realizedPnl: '20' });

    // Same timestamp: the trade id decides (a-… before b-…): sell after the buy, so a realised gain.
    const at = '2030-01-01T00:00:00.000Z';
    const tied = positionsFromTrades([
      trade('SELL', '1', '120', { tradeId: 'b', timestamp: at }),
      trade('BUY', '1', '100', { tradeId: 'a', timestamp: at }),
    ]);
    expect(tied[0]).toMatchObject({ quantity: '0', realizedPnl: '20' });
  });

  it('one position per symbol, venue and strategy, sorted; no strategy is its own book', () => {
    const positions = positionsFromTrades([
      trade('BUY', '1', '3000', { symbol: 'ETH/USDT' }),
      trade('BUY', '2', '100', { strategyId: 's2' }),
      trade('BUY', '3', '100', { strategyId: 's1' }),
      trade('BUY', '4', '100'),
      trade('SELL', '5', '100', { venue: 'bybit' }),
    ]);
    expect(positions.map((p) => [p.symbol, p.venue, p.strategyId, p.quantity])).toEqual([
      ['BTC/USDT', 'bybit', undefined, '-5'],
      ['BTC/USDT', 'sim', undefined, '4'],
      ['BTC/USDT', 'sim', 's1', '3'],
      ['BTC/USDT', 'sim', 's2', '2'],
      ['ETH/USDT', 'sim', undefined, '1'],
    ]);
    expect('strategyId' in positions[0]!).toBe(false);
    expect(positions[2]!.lastTradeAt).toBe('2030-01-01T00:00:03.000Z');
  });

  it('no trades, no positions', () => {
    expect(positionsFromTrades([])).toEqual([]);
  });
});
