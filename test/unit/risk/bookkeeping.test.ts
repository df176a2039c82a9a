/** The in-memory order bookkeeping behind the day limits and the duplicate window. */
import { InMemoryOrderBookkeeping } from '../../../src/activities/risk-bookkeeping';
import type { RecordedOrder, WorkingOrder } from '../../../src/activities/risk-sources';

const T0 = Date.parse('2030-01-02T23:59:59.000Z');
const at = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();

function recorded(orderId: string, offsetMs: number, overrides: Partial<RecordedOrder> = {}): RecordedOrder {
  return {
    orderId,
    venue: 'sim',
    symbol: 'BTC/USDT',
    side: 'buy',
    quantity: '1',
    strategyId: 'momo',
    notional: '60000.1',
    fingerprint: 'sig-a',
    at: at(offsetMs),
    ...overrides,
  };
}

function bookkeeping(retainMs?: number) {
  const working: WorkingOrder[] = [{ symbol: 'BTC/USDT', side: 'buy', remaining: '0.5' }];
  return new InMemoryOrderBookkeeping({
    openOrders: async () => working,
    ...(retainMs === undefined ? {} : { retainMs }),
  });
}

describe('InMemoryOrderBookkeeping', () => {
  it('sums orders and notional per strategy and UTC day', async () => {
    const book = bookkeeping();
    await book.record(recorded('a', 0));
    await book.record(recorded('b', 500, { notional: '0.2' }));
    await book.record(recorded('c', 600, { strategyId: 'other' }));
    await book.record(recorded('d', 700, { strategyId: undefined, notional: undefined }));
    await book.record(recorded('e', 1500)); // the next UTC day
    expect(await book.dayStats({ strategyId: 'momo', day: '2030-01-02' })).toEqual({
      orders: 2,
      notional: '60000.3',
    });
    expect(await book.dayStats({ strategyId: 'other', day: '2030-01-02' })).toEqual({
      orders: 1,
      notional: '60000.1',
    });
    expect(await book.dayStats({ day: '2030-01-02' })).toEqual({ orders: 1, notional: '0' });
    expect(await book.dayStats({ strategyId: 'momo', day: '2030-01-03' })).toEqual({
      orders: 1,
      notional: '60000.1',
    });
    expect(await book.dayStats({ strategyId: 'none', day: '2030-01-02' })).toEqual({
      orders: 0,
      notional: '0',
    });
  });

  it('records an order once, however often a retried check records it', async () => {
    const book = bookkeeping();
    await book.record(recorded('a', 0));
    await book.record(recorded('a', 10));
    expect(await book.dayStats({ strategyId: 'momo', day: '2030-01-02' })).toEqual({
      orders: 1,
      notional: '60000.1',
    });
    expect(await book.recentFingerprints({ fingerprint: 'sig-a', since: new Date(T0 - 1) })).toHaveLength(1);
  });

  it('leaves out the order being checked again (excludeOrderId), only on its own day and strategy', async () => {
    const book = bookkeeping();
    await book.record(recorded('a', 0));
    await book.record(recorded('b', 1));
    expect(await book.dayStats({ strategyId: 'momo', day: '2030-01-02', excludeOrderId: 'a' })).toEqual({
      orders: 1,
      notional: '60000.1',
    });
    expect(await book.dayStats({ strategyId: 'other', day: '2030-01-02', excludeOrderId: 'a' })).toEqual({
      orders: 0,
      notional: '0',
    });
  });

  it('lists recent orders of one fingerprint since a time, inclusive', async () => {
    const book = bookkeeping();
    await book.record(recorded('a', 0));
    await book.record(recorded('b', 100, { fingerprint: 'sig-b' }));
    await book.record(recorded('c', 200));
    const since = (offsetMs: number) =>
      book.recentFingerprints({ fingerprint: 'sig-a', since: new Date(T0 + offsetMs) });
    expect((await since(0)).map((r) => r.orderId)).toEqual(['a', 'c']);
    expect((await since(1)).map((r) => r.orderId)).toEqual(['c']);
    expect(await since(201)).toEqual([]);
    expect((await since(200))[0]).toEqual({ orderId: 'c', fingerprint: 'sig-a', at: at(200) });
  });

  it('forgets fingerprints older than retainMs, so memory stays bounded', async () => {
    const book = bookkeeping(1000);
    await book.record(recorded('a', 0));
    await book.record(recorded('b', 1001, { fingerprint: 'sig-b' }));
    expect(await book.recentFingerprints({ fingerprint: 'sig-a', since: new Date(0) })).toEqual([]);
    // Forgotten, so a late retry of "a" is recorded again rather than ignored.
    await book.record(recorded('a', 1002));
    expect(await book.recentFingerprints({ fingerprint: 'sig-a', since: new Date(0) })).toHaveLength(1);
  });

  it('takes working orders from its source', async () => {
    expect(await bookkeeping().openOrders('sim', 'BTC/USDT')).toEqual([
      { symbol: 'BTC/USDT', side: 'buy', remaining: '0.5' },
    ]);
  });
});
