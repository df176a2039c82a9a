import { positionEvents } from '../../src/domain/events';
import { type ChangeTrade, positionChangesOf } from '../../src/domain/position-changes';

const at = (second: number) => `2030-01-01T00:00:${String(second).padStart(2, '0')}.000Z`;

function trade(
  tradeId: string,
  direction: 'BUY' | 'SELL',
  size: string,
  second: number,
  extra: Partial<ChangeTrade> = {},
): ChangeTrade {
  return {
    tradeId,
    timestamp: at(second),
    symbol: 'BTC/USDT',
    venue: 'sim',
    direction,
    size,
    price: '100',
    fee: '0',
    feeCurrency: 'USDT',
    orderId: `o-${tradeId}`,
    ...extra,
  };
}

test('each asked-for trade gets its position before and after it, replayed in time order', () => {
  // Given newest first and mixed with another position's trades: the derivation sorts by time.
  const trades = [
    trade('t3', 'SELL', '2', 3),
    trade('e1', 'BUY', '5', 1, { symbol: 'ETH/USDT' }),
    trade('t2', 'BUY', '1', 2),
    trade('t1', 'BUY', '1', 1),
  ];
  const changes = positionChangesOf(trades, new Set(['t3', 't1', 'e1']));
  expect(changes.map((c) => [c.tradeId, c.symbol, c.before, c.after])).toEqual([
    ['e1', 'ETH/USDT', '0', '5'],
    ['t1', 'BTC/USDT', '0', '1'],
    ['t3', 'BTC/USDT', '2', '0'],
  ]);
  // Only opening/closing trades carry prices: t3 closes at cost, no PnL.
  expect(changes[2]).toMatchObject({ realizedPnl: '0', at: at(3), orderId: 'o-t3' });
  expect(changes[2]?.averagePrice).toBeUndefined();
});

test('a trade that adds to a position is a change without events; a flip is a close and an open', () => {
  const trades = [trade('a', 'BUY', '1', 1), trade('b', 'BUY', '1', 2), trade('c', 'SELL', '3', 3)];
  const changes = positionChangesOf(trades, new Set(['a', 'b', 'c']));
  expect(changes.map((c) => positionEvents(c).map((e) => e.type))).toEqual([
    ['POSITION_OPENED'],
    [],
    ['POSITION_CLOSED', 'POSITION_OPENED'],
  ]);
});

test('a trade recorded late but earlier in time is placed by its time (the later one then adds)', () => {
  const late = trade('early', 'BUY', '1', 1);
  const trades = [trade('later', 'BUY', '1', 5), late];
  const [change] = positionChangesOf(trades, new Set(['early']));
  expect(change).toMatchObject({ before: '0', after: '1' });
  const [later] = positionChangesOf(trades, new Set(['later']));
  expect(later).toMatchObject({ before: '1', after: '2' });
});
