/**
 * recordFills publishes POSITION_OPENED / POSITION_CLOSED from the trades ledger (an in-memory
 * SQLite ledger, the real activity code, sinks that record or fail): each trade's position before
 * and after it, the same event ids on every attempt — also a retry whose insert found the rows
 * already there — and a flip through zero as a close and an open.
 */
import { ApplicationFailure } from '@temporalio/common';
import { createLedgerActivities } from '../../src/activities/ledger-activities';
import type { LedgerOrderRef, RecordFillsInput } from '../../src/activities/types';
import type { Fill } from '../../src/domain/order-state';
import type { EventSink, OrdoEvent } from '../../src/events/types';
import { WebhookDeliveryError } from '../../src/events/webhook-sink';
import { openLedger } from '../../src/ledger/open-ledger';
import type { Ledger } from '../../src/ledger/types';

let ledger: Ledger;
beforeEach(async () => {
  ledger = await openLedger('sqlite::memory:');
});
afterEach(async () => {
  await ledger.close();
});

/** A sink that keeps what it is given. */
function recorder(): EventSink & { events: OrdoEvent[] } {
  const events: OrdoEvent[] = [];
  return {
    name: 'recorder',
    events,
    async publish(event) {
      events.push(event);
    },
  };
}

/** A sink that is unavailable for its first `failures` events, then takes them. */
function flaky(failures: number): EventSink & { events: OrdoEvent[] } {
  const events: OrdoEvent[] = [];
  let left = failures;
  return {
    name: 'flaky',
    events,
    async publish(event) {
      if (left > 0) {
        left -= 1;
        throw new WebhookDeliveryError('WEBHOOK_UNAVAILABLE', 'receiver down', true, 503);
      }
      events.push(event);
    },
  };
}

const at = (second: number) => `2030-01-01T00:00:${String(second).padStart(2, '0')}.000Z`;

function order(orderId: string, side: 'buy' | 'sell', extra: Partial<LedgerOrderRef> = {}): LedgerOrderRef {
  return { orderId, clientOrderId: `${orderId}-c`, symbol: 'BTC/USDT', side, venue: 'sim', ...extra };
}

function fill(tradeId: string, quantity: string, price: string, second: number, venueOrderId = 'v'): Fill {
  return { tradeId, quantity, price, fee: '0', feeCurrency: 'USDT', timestamp: at(second), venueOrderId };
}

function input(ref: LedgerOrderRef, fills: Fill[]): RecordFillsInput {
  return { order: ref, fills };
}

const summary = (e: OrdoEvent) => ({ type: e.type, eventId: e.eventId, data: e.data });

test('open, add, flip through zero (CLOSED then OPENED), back to flat (CLOSED)', async () => {
  const sink = recorder();
  const { recordFills } = createLedgerActivities(ledger, [sink]);
  const mm = { strategyId: 'mm' };

  await recordFills(input(order('o1', 'buy', mm), [fill('1', '1', '100', 1, 'v1')]));
  expect(sink.events.map(summary)).toEqual([
    {
      type: 'POSITION_OPENED',
      eventId: 'sim/BTC/USDT/mm:OPENED:o1:sim:v1:1',
      data: { side: 'long', quantity: '1', tradeId: 'sim:v1:1', averagePrice: '100' },
    },
  ]);
  expect(sink.events[0]).toMatchObject({
    correlationId: 'o1',
    orderId: 'o1',
    strategyId: 'mm',
    venue: 'sim',
    symbol: 'BTC/USDT',
    occurredAt: at(1),
  });

  // Adding to a long position is not an event.
  sink.events.length = 0;
  await recordFills(input(order('o2', 'buy', mm), [fill('2', '1', '200', 2, 'v2')]));
  expect(sink.events).toEqual([]);

  // Selling 3 of a long 2 at 250: closes the long (PnL 2×250 − 300 = 200) and opens a short 1.
  await recordFills(input(order('o3', 'sell', mm), [fill('3', '3', '250', 3, 'v3')]));
  expect(sink.events.map(summary)).toEqual([
    {
      type: 'POSITION_CLOSED',
      eventId: 'sim/BTC/USDT/mm:CLOSED:o3:sim:v3:3',
      data: { side: 'long', closedQuantity: '2', tradeId: 'sim:v3:3', realizedPnl: '200' },
    },
    {
      type: 'POSITION_OPENED',
      eventId: 'sim/BTC/USDT/mm:OPENED:o3:sim:v3:3',
      data: { side: 'short', quantity: '-1', tradeId: 'sim:v3:3', averagePrice: '250' },
    },
  ]);

  // Buying the short back in two fills of one order: only the last one closes it (closing what
  // was left of it: -0.6).
  sink.events.length = 0;
  await recordFills(
    input(order('o4', 'buy', { ...mm, parentId: 'twap-1' }), [
      fill('4', '0.4', '240', 4, 'v4'),
      fill('5', '0.6', '240', 5, 'v4'),
    ]),
  );
  expect(sink.events.map(summary)).toEqual([
    {
      type: 'POSITION_CLOSED',
      eventId: 'sim/BTC/USDT/mm:CLOSED:o4:sim:v4:5',
      data: { side: 'short', closedQuantity: '-0.6', tradeId: 'sim:v4:5', realizedPnl: '6' },
    },
  ]);
  // A parent's slice: the parent's id correlates it.
  expect(sink.events[0]).toMatchObject({ correlationId: 'twap-1', orderId: 'o4', parentId: 'twap-1' });
});

test('a retry after the insert succeeded (0 new rows) publishes the same events again', async () => {
  const kept = recorder();
  const down = flaky(1);
  const { recordFills } = createLedgerActivities(ledger, [kept, down]);
  const first = input(order('o1', 'buy'), [fill('1', '0.5', '100', 1), fill('2', '0.5', '100', 2)]);

  // The write succeeds, the webhook is down: the activity fails retryably, the rows stay.
  const failure = await recordFills(first).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({ type: 'EVENT_DELIVERY_FAILED', nonRetryable: false });
  expect((await ledger.trades()).map((t) => t.tradeId)).toEqual(['sim:v:1', 'sim:v:2']);

  // Temporal's retry: nothing new to insert, the same event delivered to both sinks.
  expect(await recordFills(first)).toEqual({ inserted: 0 });
  const ids = (events: OrdoEvent[]) => events.map((e) => e.eventId);
  expect(ids(down.events)).toEqual(['sim/BTC/USDT/:OPENED:o1:sim:v:1']);
  expect(ids(kept.events)).toEqual(['sim/BTC/USDT/:OPENED:o1:sim:v:1', 'sim/BTC/USDT/:OPENED:o1:sim:v:1']);
  expect(kept.events[1]).toEqual(kept.events[0]);

  // The order workflow handing the same fills again after a later fill: still the same facts.
  await recordFills(input(order('o1', 'buy'), [fill('1', '0.5', '100', 1), fill('2', '0.5', '100', 2)]));
  expect(new Set(ids(kept.events))).toEqual(new Set(['sim/BTC/USDT/:OPENED:o1:sim:v:1']));
});

test('positions are per venue, symbol and strategy: a trade without a strategy is its own book', async () => {
  const sink = recorder();
  const { recordFills } = createLedgerActivities(ledger, [sink]);
  await recordFills(input(order('a', 'buy', { strategyId: 's1' }), [fill('1', '1', '100', 1, 'va')]));
  // No strategy: flat before, whatever s1 holds, so it opens its own position.
  await recordFills(input(order('b', 'buy'), [fill('2', '1', '100', 2, 'vb')]));
  // Another symbol, same strategy: opens too.
  await recordFills(
    input(order('c', 'sell', { strategyId: 's1', symbol: 'ETH/USDT' }), [fill('3', '2', '10', 3, 'vc')]),
  );
  // Selling s1's BTC: closes s1's position only.
  await recordFills(input(order('d', 'sell', { strategyId: 's1' }), [fill('4', '1', '110', 4, 'vd')]));
  expect(sink.events.map((e) => [e.type, e.eventId])).toEqual([
    ['POSITION_OPENED', 'sim/BTC/USDT/s1:OPENED:a:sim:va:1'],
    ['POSITION_OPENED', 'sim/BTC/USDT/:OPENED:b:sim:vb:2'],
    ['POSITION_OPENED', 'sim/ETH/USDT/s1:OPENED:c:sim:vc:3'],
    ['POSITION_CLOSED', 'sim/BTC/USDT/s1:CLOSED:d:sim:vd:4'],
  ]);
  expect(sink.events[3]?.data).toMatchObject({ realizedPnl: '10' });
});

test('a sink that refuses an event for good does not fail the write', async () => {
  const kept = recorder();
  const refusing: EventSink = {
    name: 'refusing',
    async publish() {
      throw new WebhookDeliveryError('WEBHOOK_REJECTED', 'answered 400', false, 400);
    },
  };
  const { recordFills } = createLedgerActivities(ledger, [refusing, kept]);
  expect(await recordFills(input(order('o1', 'buy'), [fill('1', '1', '100', 1)]))).toEqual({ inserted: 1 });
  expect(kept.events.map((e) => e.type)).toEqual(['POSITION_OPENED']);
});
