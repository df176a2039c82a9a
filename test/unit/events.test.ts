import {
  eventsForFills,
  eventsForStatusChange,
  orderEventsBetween,
  positionEvents,
  reconciliationMismatchEvent,
  tradingStateChangedEvent,
  type PositionChange,
} from '../../src/domain/events';
import type { OrderRequest } from '../../src/domain/order-request';
import {
  newOrderState,
  withFills,
  withStatus,
  type Fill,
  type OrderState,
} from '../../src/domain/order-state';
import type { OrderStatus } from '../../src/domain/status';
import { executionAlertEvent } from '../../src/domain/monitor/alert-event';
import { EVENT_TYPES, type OrdoEvent } from '../../src/events/types';

const REQUEST: OrderRequest = {
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  quantity: '1',
  limitPrice: '60000',
  timeInForce: 'GTC',
  venue: 'sim',
  strategyId: 'mm-1',
};

const at = (second: number) => `2030-01-01T00:00:${String(second).padStart(2, '0')}.000Z`;

function fill(tradeId: string, quantity: string, venueOrderId = 'v-1', second = 30): Fill {
  return {
    tradeId,
    quantity,
    price: '60000',
    fee: '0.1',
    feeCurrency: 'USDT',
    timestamp: at(second),
    venueOrderId,
  };
}

/** An order's life, one state per step, as the order workflow would go through it. */
class Life {
  readonly states: OrderState[];
  constructor(request: OrderRequest = REQUEST, orderId = 'ord-1') {
    this.states = [newOrderState(orderId, request, `${orderId}-c`, at(0))];
  }
  get now(): OrderState {
    return this.states[this.states.length - 1] as OrderState;
  }
  status(status: OrderStatus, reason?: string): this {
    this.states.push(withStatus(this.now, status, at(this.states.length), reason));
    return this;
  }
  acked(venueOrderId: string): this {
    this.states.push({ ...this.now, venueOrderId });
    return this;
  }
  /** The venue's answer as the workflow applies it: the venue order id and its status together. */
  ackedAs(venueOrderId: string, status: OrderStatus): this {
    this.states.push(withStatus({ ...this.now, venueOrderId }, status, at(this.states.length)));
    return this;
  }
  fills(...fills: Fill[]): this {
    this.states.push(withFills(this.now, fills));
    return this;
  }
  /** The events a workflow publishing after every step would send, in order. */
  stepEvents(): OrdoEvent[] {
    return this.states.slice(1).flatMap((s, i) => orderEventsBetween(this.states[i] as OrderState, s));
  }
}

const types = (events: readonly OrdoEvent[]) => events.map((e) => e.type);
const ids = (events: readonly OrdoEvent[]) => events.map((e) => e.eventId);

describe('order events', () => {
  it('a filled order: placed once, one ORDER_FILLED per fill with the cumulative quantity', () => {
    const life = new Life()
      .status('SUBMITTED')
      .ackedAs('v-1', 'ACCEPTED')
      .fills(fill('t1', '0.4'))
      .status('PARTIALLY_FILLED')
      .fills(fill('t2', '0.6', 'v-1', 31))
      .status('FILLED');
    const events = life.stepEvents();
    expect(types(events)).toEqual(['ORDER_PLACED', 'ORDER_FILLED', 'ORDER_FILLED']);
    expect(ids(events)).toEqual(['ord-1:PLACED', 'ord-1:FILLED:v-1:t1', 'ord-1:FILLED:v-1:t2']);
    const [placed, first, second] = events as [OrdoEvent, OrdoEvent, OrdoEvent];
    expect(placed).toMatchObject({
      correlationId: 'ord-1',
      orderId: 'ord-1',
      strategyId: 'mm-1',
      symbol: 'BTC/USDT',
      venue: 'sim',
      occurredAt: at(2),
      data: { venueOrderId: 'v-1', clientOrderId: 'ord-1-c', quantity: '1' },
    });
    expect(first.data).toMatchObject({ fillQuantity: '0.4', filledQuantity: '0.4', complete: false });
    expect(second.data).toMatchObject({ fillQuantity: '0.6', filledQuantity: '1', complete: true });
    expect(second.occurredAt).toBe(at(31)); // the venue's trade time
  });

  it('diffs compose: step by step, or first to last, the same facts, none twice', () => {
    const life = new Life()
      .status('SUBMITTED')
      .acked('v-1')
      .status('ACCEPTED')
      .fills(fill('t1', '0.4'))
      .status('PARTIALLY_FILLED')
      .status('PENDING_CANCEL')
      .fills(fill('t2', '0.1'))
      .status('CANCELLED', 'CANCEL_REQUESTED');
    const stepped = life.stepEvents();
    const whole = orderEventsBetween(life.states[0] as OrderState, life.now);
    expect(new Set(ids(stepped)).size).toBe(stepped.length);
    expect(ids(stepped)).toEqual(ids(whole));
    expect(types(whole)).toEqual(['ORDER_PLACED', 'ORDER_FILLED', 'ORDER_FILLED', 'ORDER_CANCELLED']);
    // Deterministic: derived again (a replay), the very same events.
    expect(orderEventsBetween(life.states[0] as OrderState, life.now)).toEqual(whole);
    expect(orderEventsBetween(life.now, life.now)).toEqual([]);
  });

  it('ends: CANCELLED, EXPIRED, REJECTED and DENIED each once, with the status and reason', () => {
    const cancelled = new Life().status('SUBMITTED').acked('v-1').status('ACCEPTED').status('CANCELLED', 'X');
    const expired = new Life().status('SUBMITTED').acked('v-1').status('EXPIRED', 'TIME_IN_FORCE_EXPIRED');
    const rejected = new Life().status('SUBMITTED').status('REJECTED', 'INSUFFICIENT_FUNDS');
    const denied = new Life().status('DENIED', 'MAX_NOTIONAL,STALE_SIGNAL');
    expect(types(cancelled.stepEvents())).toEqual(['ORDER_PLACED', 'ORDER_CANCELLED']);
    expect(types(expired.stepEvents())).toEqual(['ORDER_PLACED', 'ORDER_EXPIRED']);
    expect(rejected.stepEvents()).toEqual([
      expect.objectContaining({
        eventId: 'ord-1:REJECTED',
        type: 'ORDER_REJECTED',
        occurredAt: at(2),
        data: expect.objectContaining({ status: 'REJECTED', reason: 'INSUFFICIENT_FUNDS' }),
      }),
    ]);
    expect(denied.stepEvents()).toEqual([
      expect.objectContaining({
        eventId: 'ord-1:DENIED',
        type: 'ORDER_REJECTED',
        data: expect.objectContaining({ status: 'DENIED', reason: 'MAX_NOTIONAL,STALE_SIGNAL' }),
      }),
    ]);
  });

  it('an order the venue rejects in its answer (with an id) was never placed', () => {
    const life = new Life().status('SUBMITTED');
    const rejected = withStatus({ ...life.now, venueOrderId: 'v-9' }, 'REJECTED', at(5), 'VENUE_REJECTED');
    expect(types(eventsForStatusChange(rejected, life.now))).toEqual(['ORDER_REJECTED']);
  });

  it('an amend (a new venue order) is not a second placement; its fills are told apart by venue order', () => {
    const life = new Life()
      .status('SUBMITTED')
      .acked('v-1')
      .status('ACCEPTED')
      .fills(fill('t1', '0.2', 'v-1'))
      .status('PARTIALLY_FILLED')
      .status('PENDING_REPLACE')
      .acked('v-2')
      .status('PARTIALLY_FILLED')
      .fills(fill('t1', '0.8', 'v-2')) // the same trade id on another venue order: another fact
      .status('FILLED');
    const events = life.stepEvents();
    expect(types(events)).toEqual(['ORDER_PLACED', 'ORDER_FILLED', 'ORDER_FILLED']);
    expect(ids(events)).toEqual(['ord-1:PLACED', 'ord-1:FILLED:v-1:t1', 'ord-1:FILLED:v-2:t1']);
  });

  it("a parent's slice correlates to the parent", () => {
    const life = new Life({ ...REQUEST, parentId: 'twap-1' }, 'twap-1-3').status('SUBMITTED').acked('v-1');
    const [placed] = life.stepEvents();
    expect(placed).toMatchObject({ correlationId: 'twap-1', parentId: 'twap-1', orderId: 'twap-1-3' });
  });

  it('eventsForFills refuses a fill the state does not hold', () => {
    const life = new Life().status('SUBMITTED').acked('v-1').fills(fill('t1', '0.5'));
    expect(eventsForFills(life.now, [fill('t1', '0.5')])).toHaveLength(1);
    expect(() => eventsForFills(life.now, [fill('t-unknown', '0.5')])).toThrow(/not one of order ord-1/);
  });

  it('events are plain JSON (nothing lost through a history or an HTTP body)', () => {
    const life = new Life().status('SUBMITTED').acked('v-1').fills(fill('t1', '1')).status('FILLED');
    for (const event of life.stepEvents()) expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });
});

describe('position events', () => {
  const change = (before: string, after: string, tradeId = 't1'): PositionChange => ({
    venue: 'sim',
    symbol: 'BTC/USDT',
    strategyId: 'mm-1',
    before,
    after,
    orderId: 'ord-1',
    tradeId,
    at: at(9),
  });

  it('opened from flat, closed back to flat; growing or shrinking is neither', () => {
    expect(positionEvents(change('0', '0.5'))).toEqual([
      expect.objectContaining({
        eventId: 'sim/BTC/USDT/mm-1:OPENED:ord-1:t1',
        type: 'POSITION_OPENED',
        correlationId: 'ord-1',
        data: expect.objectContaining({ side: 'long', quantity: '0.5' }),
      }),
    ]);
    expect(positionEvents(change('0.5', '1'))).toEqual([]);
    expect(positionEvents(change('1', '0.2'))).toEqual([]);
    expect(positionEvents(change('0.2', '0'))).toEqual([
      expect.objectContaining({
        type: 'POSITION_CLOSED',
        data: expect.objectContaining({ side: 'long', closedQuantity: '0.2' }),
      }),
    ]);
    expect(positionEvents(change('0', '-0.3'))[0]?.data).toMatchObject({ side: 'short' });
  });

  it('a flip closes one side and opens the other', () => {
    const events = positionEvents(change('0.5', '-0.5'));
    expect(types(events)).toEqual(['POSITION_CLOSED', 'POSITION_OPENED']);
    expect(events.map((e) => e.data['side'])).toEqual(['long', 'short']);
    expect(new Set(ids(events)).size).toBe(2);
  });
});

describe('reconciliation and trading-state events', () => {
  it('a mismatch is identified by its run and its finding', () => {
    const event = reconciliationMismatchEvent({
      reconciliationId: 'recon-1',
      key: 'MISSED_FILL:sim:123',
      kind: 'MISSED_FILL',
      at: at(3),
      venue: 'sim',
      orderId: 'ord-7',
      symbol: 'BTC/USDT',
      details: { tradeId: '123' },
    });
    expect(event).toMatchObject({
      eventId: 'reconciliation:recon-1:MISSED_FILL:sim:123',
      type: 'RECONCILIATION_MISMATCH',
      correlationId: 'ord-7',
      data: { kind: 'MISSED_FILL', tradeId: '123', reconciliationId: 'recon-1' },
    });
  });

  it("a trading-state change is identified by its place in the state's history", () => {
    const event = tradingStateChangedEvent({
      sequence: 4,
      from: 'ACTIVE',
      to: 'HALTED',
      reason: 'desk',
      at: at(1),
    });
    expect(event).toMatchObject({
      eventId: 'trading-control:4',
      correlationId: 'trading-control',
      data: { from: 'ACTIVE', to: 'HALTED', reason: 'desk' },
    });
  });

  it('names the control workflow and its chain, so a restarted control numbers apart', () => {
    const change = { sequence: 1, from: 'ACTIVE', to: 'HALTED', reason: 'desk', at: at(1) };
    const first = tradingStateChangedEvent(change, { workflowId: 'trading-control', epoch: 'run-a' });
    const again = tradingStateChangedEvent(change, { workflowId: 'trading-control', epoch: 'run-b' });
    expect(first).toMatchObject({ eventId: 'trading-control:run-a:1', correlationId: 'trading-control' });
    expect(again.eventId).not.toBe(first.eventId);
    expect(tradingStateChangedEvent(change, { workflowId: 'tc-test' }).eventId).toBe('tc-test:1');
  });

  it('every event type has a derivation', () => {
    const life = new Life()
      .status('SUBMITTED')
      .acked('v-1')
      .fills(fill('t1', '0.5'))
      .status('PARTIALLY_FILLED')
      .status('CANCELLED');
    const all = [
      ...life.stepEvents(),
      ...new Life().status('DENIED', 'X').stepEvents(),
      ...new Life().status('SUBMITTED').acked('v').status('EXPIRED').stepEvents(),
      ...positionEvents({ ...change0(), before: '1', after: '-1' }),
      reconciliationMismatchEvent({
        reconciliationId: 'r',
        key: 'k',
        kind: 'K',
        at: at(1),
        venue: 'sim',
        details: {},
      }),
      tradingStateChangedEvent({ sequence: 1, from: 'ACTIVE', to: 'HALTED', reason: 'r', at: at(1) }),
      executionAlertEvent(
        {
          sequence: 1,
          state: 'RAISED',
          key: 'HIGH_REJECTION_RATE:all',
          type: 'HIGH_REJECTION_RATE',
          severity: 'HIGH',
          scope: 'all',
          value: 0.5,
          limit: 0.05,
          clearAt: 0.04,
          samples: 10,
          raisedSequence: 1,
          at: at(1),
          message: 'm',
        },
        { workflowId: 'ordo-monitor', epoch: 'run' },
      ),
    ];
    expect(new Set(types(all))).toEqual(new Set(EVENT_TYPES));
  });
});

function change0(): PositionChange {
  return { venue: 'sim', symbol: 'BTC/USDT', before: '0', after: '0', orderId: 'o', tradeId: 't', at: at(1) };
}
