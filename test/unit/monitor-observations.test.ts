import { orderEventsBetween } from '../../src/domain/events';
import { observationOf, shortfallOf, wellFormedObservations } from '../../src/domain/monitor/observations';
import type { OrderRequest } from '../../src/domain/order-request';
import {
  type Fill,
  type OrderState,
  newOrderState,
  withFills,
  withStatus,
} from '../../src/domain/order-state';
import type { OrdoEvent } from '../../src/events/types';

const REQUEST: OrderRequest = {
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'market',
  quantity: '1',
  timeInForce: 'GTC',
  venue: 'sim',
  strategyId: 'mm-1',
};
const at = (ms: number) => new Date(Date.parse('2030-01-01T00:00:00.000Z') + ms).toISOString();

function fill(tradeId: string, quantity: string, price: string, ms: number): Fill {
  return { tradeId, quantity, price, fee: '0', feeCurrency: 'USDT', timestamp: at(ms), venueOrderId: 'v-1' };
}

/** Received at 0 ms, submitted at 10, acknowledged (and partly filled) at 250, then filled. */
function lifeOf(request: OrderRequest = REQUEST): OrderState[] {
  const received = { ...newOrderState('ord-1', request, 'c-1', at(0)), arrivalMid: '60000' };
  const submitted = withStatus(received, 'SUBMITTED', at(10));
  const acked = withFills(withStatus({ ...submitted, venueOrderId: 'v-1' }, 'PARTIALLY_FILLED', at(250)), [
    fill('t1', '0.4', '60030', 240),
  ]);
  const filled = withStatus(withFills(acked, [fill('t2', '0.6', '60060', 400)]), 'FILLED', at(400));
  return [received, submitted, acked, filled];
}

function eventsOf(states: OrderState[]): OrdoEvent[] {
  return states.slice(1).flatMap((s, i) => orderEventsBetween(states[i] as OrderState, s));
}

describe('order events carry what the monitor measures', () => {
  it('ORDER_PLACED: when Ordo received the order and the latency to the venue acknowledgement', () => {
    const placed = eventsOf(lifeOf()).find((e) => e.type === 'ORDER_PLACED');
    expect(placed?.occurredAt).toBe(at(250));
    expect(placed?.data).toMatchObject({ receivedAt: at(0), latencyMs: 250 });
  });

  it('the completing ORDER_FILLED: the average price over every fill, and the arrival mid', () => {
    const fills = eventsOf(lifeOf()).filter((e) => e.type === 'ORDER_FILLED');
    expect(fills.map((e) => e.data['complete'])).toEqual([false, true]);
    expect(fills[0]?.data).not.toHaveProperty('averagePrice');
    // (0.4 × 60030 + 0.6 × 60060) / 1 = 60048
    expect(fills[1]?.data).toMatchObject({ averagePrice: '60048', arrivalMid: '60000' });
  });

  it('no arrival mid known: the average price alone', () => {
    const states = lifeOf().map(({ arrivalMid: _, ...s }) => s as OrderState);
    const last = eventsOf(states)
      .filter((e) => e.type === 'ORDER_FILLED')
      .at(-1);
    expect(last?.data['averagePrice']).toBe('60048');
    expect(last?.data).not.toHaveProperty('arrivalMid');
  });
});

describe('observations of order events', () => {
  it('placed with its latency, filled with its shortfall; partial fills are not observed', () => {
    const observations = eventsOf(lifeOf()).map(observationOf);
    const seen = observations.filter((o) => o !== undefined);
    expect(seen).toEqual([
      {
        id: 'ord-1:PLACED',
        orderId: 'ord-1',
        venue: 'sim',
        strategyId: 'mm-1',
        kind: 'placed',
        at: Date.parse(at(250)),
        latencyMs: 250,
      },
      {
        id: 'ord-1:FILLED:v-1:t2',
        orderId: 'ord-1',
        venue: 'sim',
        strategyId: 'mm-1',
        kind: 'filled',
        at: Date.parse(at(400)),
        shortfallBps: 8, // bought 48 over a 60000 mid
      },
    ]);
  });

  it('a venue rejection is `rejected`; Ordo refusing it (DENIED) is `denied`', () => {
    const received = newOrderState('ord-2', REQUEST, 'c-2', at(0));
    const rejected = withStatus(
      withStatus(received, 'SUBMITTED', at(5)),
      'REJECTED',
      at(9),
      'INSUFFICIENT_FUNDS',
    );
    const denied = withStatus(received, 'DENIED', at(1), 'MAX_NOTIONAL');
    const [r] = orderEventsBetween(received, rejected).map(observationOf);
    const [d] = orderEventsBetween(received, denied).map(observationOf);
    expect(r).toMatchObject({ id: 'ord-2:REJECTED', kind: 'rejected', at: Date.parse(at(9)) });
    expect(d).toMatchObject({ id: 'ord-2:DENIED', kind: 'denied' });
  });

  it('other events, and events without order or venue, are not observations', () => {
    const base: OrdoEvent = {
      eventId: 'x',
      type: 'ORDER_CANCELLED',
      occurredAt: at(0),
      correlationId: 'o',
      orderId: 'o',
      venue: 'sim',
      data: {},
    };
    expect(observationOf(base)).toBeUndefined();
    expect(observationOf({ ...base, type: 'TRADING_STATE_CHANGED' })).toBeUndefined();
    expect(observationOf({ ...base, type: 'EXECUTION_ALERT' })).toBeUndefined();
    const { venue: _, ...noVenue } = base;
    expect(observationOf({ ...noVenue, type: 'ORDER_PLACED' })).toBeUndefined();
    expect(observationOf({ ...base, type: 'ORDER_PLACED', occurredAt: 'not a time' })).toBeUndefined();
  });

  it('a placement without a usable latency is still a placement', () => {
    const event: OrdoEvent = {
      eventId: 'p',
      type: 'ORDER_PLACED',
      occurredAt: at(0),
      correlationId: 'o',
      orderId: 'o',
      venue: 'sim',
      data: { latencyMs: 'slow' },
    };
    expect(observationOf(event)).toEqual({
      id: 'p',
      orderId: 'o',
      venue: 'sim',
      kind: 'placed',
      at: Date.parse(at(0)),
    });
  });

  it('shortfall sign: a cost is positive for buys and sells alike', () => {
    expect(shortfallOf('buy', '101', '100')).toBe(100);
    expect(shortfallOf('sell', '99', '100')).toBe(100);
    expect(shortfallOf('sell', '101', '100')).toBe(-100);
    expect(shortfallOf('buy', '100.00123', '100')).toBe(0.123);
    expect(shortfallOf('buy', '100', '0')).toBeUndefined();
    expect(shortfallOf('buy', 'abc', '100')).toBeUndefined();
    expect(shortfallOf('hold', '100', '100')).toBeUndefined();
    expect(shortfallOf('buy', undefined, '100')).toBeUndefined();
  });
});

describe('well-formed observations of a signal payload', () => {
  it('keeps the good ones (copied to their known fields), counts the rest', () => {
    const good = { id: 'a', orderId: 'o', venue: 'sim', kind: 'placed', at: 5, latencyMs: 3, extra: 'x' };
    const result = wellFormedObservations([
      good,
      { ...good, kind: 'exploded' },
      { ...good, id: '' },
      { ...good, at: 'yesterday' },
      { ...good, latencyMs: Number.NaN },
      null,
      42,
    ]);
    expect(result.observations).toEqual([
      { id: 'a', orderId: 'o', venue: 'sim', kind: 'placed', at: 5, latencyMs: 3 },
    ]);
    expect(result.malformed).toBe(6);
  });

  it('not an array: nothing', () => {
    expect(wellFormedObservations(undefined)).toEqual({ observations: [], malformed: 0 });
  });
});
