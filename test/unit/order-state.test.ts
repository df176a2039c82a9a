import type { OrderRequest } from '../../src/domain/order-request';
import {
  isFullyFilled,
  newOrderState,
  withFills,
  withQuantity,
  withStatus,
  workingStatus,
  type Fill,
  type OrderState,
} from '../../src/domain/order-state';
import { InvalidTransitionError, type OrderStatus } from '../../src/domain/status';

const REQUEST: OrderRequest = {
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  quantity: '1',
  limitPrice: '60000',
  timeInForce: 'GTC',
  venue: 'paper',
};

const T0 = '2030-01-01T00:00:00.000Z';

function fill(tradeId: string, quantity: string, price: string): Fill {
  return { tradeId, quantity, price, fee: '0', feeCurrency: 'USDT', timestamp: T0 };
}

function stateIn(...path: OrderStatus[]): OrderState {
  let s = newOrderState('ord-1', REQUEST, 'ord-1', T0);
  path.forEach((status, i) => {
    s = withStatus(s, status, `2030-01-01T00:00:0${i + 1}.000Z`);
  });
  return s;
}

describe('newOrderState', () => {
  it('starts PENDING with nothing filled and one history entry', () => {
    const s = newOrderState('ord-1', REQUEST, 'cid-1', T0);
    expect(s).toEqual({
      orderId: 'ord-1',
      clientOrderId: 'cid-1',
      status: 'PENDING',
      request: REQUEST,
      filledQuantity: '0',
      remainingQuantity: '1',
      fills: [],
      history: [{ status: 'PENDING', at: T0 }],
      replaceSequence: 0,
    });
    expect(s.averagePrice).toBeUndefined();
  });
});

describe('withStatus', () => {
  it('records each change in the history, with its time and reason', () => {
    const s0 = newOrderState('ord-1', REQUEST, 'ord-1', T0);
    const s1 = withStatus(s0, 'SUBMITTED', '2030-01-01T00:00:01.000Z');
    const s2 = withStatus(s1, 'ACCEPTED', '2030-01-01T00:00:02.000Z');
    const s3 = withStatus(s2, 'CANCELLED', '2030-01-01T00:00:03.000Z', 'USER_CANCEL');
    expect(s3.status).toBe('CANCELLED');
    expect(s3.reason).toBe('USER_CANCEL');
    expect(s3.history).toEqual([
      { status: 'PENDING', at: T0 },
      { status: 'SUBMITTED', at: '2030-01-01T00:00:01.000Z' },
      { status: 'ACCEPTED', at: '2030-01-01T00:00:02.000Z' },
      { status: 'CANCELLED', at: '2030-01-01T00:00:03.000Z', reason: 'USER_CANCEL' },
    ]);
  });

  it('returns new states and never mutates the old one', () => {
    const s0 = newOrderState('ord-1', REQUEST, 'ord-1', T0);
    const snapshot = JSON.parse(JSON.stringify(s0));
    const s1 = withStatus(s0, 'SUBMITTED', T0);
    expect(s1).not.toBe(s0);
    expect(s0).toEqual(snapshot);
  });

  it('refuses invalid transitions with InvalidTransitionError and leaves the state as it was', () => {
    const s = stateIn('SUBMITTED', 'ACCEPTED', 'FILLED');
    const before = JSON.parse(JSON.stringify(s));
    expect(() => withStatus(s, 'ACCEPTED', T0)).toThrow(InvalidTransitionError);
    expect(() => withStatus(s, 'CANCELLED', T0)).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION' }),
    );
    expect(() => withStatus(newOrderState('o', REQUEST, 'o', T0), 'FILLED', T0)).toThrow(
      InvalidTransitionError,
    );
    expect(s).toEqual(before);
  });

  it('staying in the same status records nothing', () => {
    const s = stateIn('SUBMITTED', 'ACCEPTED');
    expect(withStatus(s, 'ACCEPTED', '2030-01-02T00:00:00.000Z')).toBe(s);
    const partial = stateIn('SUBMITTED', 'PARTIALLY_FILLED');
    expect(withStatus(partial, 'PARTIALLY_FILLED', T0).history).toHaveLength(3);
  });

  it('staying put with a reason updates the reason only', () => {
    const s = stateIn('SUBMITTED', 'ACCEPTED');
    const r = withStatus(s, 'ACCEPTED', T0, 'VENUE_SAYS_SO');
    expect(r.reason).toBe('VENUE_SAYS_SO');
    expect(r.history).toEqual(s.history);
  });

  it('keeps the previous reason when a later change gives none (current behaviour; see report)', () => {
    const s = withStatus(stateIn('SUBMITTED'), 'DEAD_LETTER', T0, 'VENUE_TIMEOUT');
    const resumed = withStatus(s, 'ACCEPTED', T0);
    expect(resumed.history.at(-1)).toEqual({ status: 'ACCEPTED', at: T0 });
    expect(resumed.reason).toBe('VENUE_TIMEOUT');
  });
});

describe('withFills', () => {
  it('adds fills and recomputes filled, remaining and average price', () => {
    const s = withFills(stateIn('SUBMITTED', 'ACCEPTED'), [
      fill('t1', '0.25', '60000'),
      fill('t2', '0.5', '60003'),
    ]);
    expect(s.fills.map((f) => f.tradeId)).toEqual(['t1', 't2']);
    expect(s.filledQuantity).toBe('0.75');
    expect(s.remainingQuantity).toBe('0.25');
    expect(s.averagePrice).toBe('60002');
  });

  it('deduplicates by trade id, across calls and within one call', () => {
    const s1 = withFills(stateIn('SUBMITTED'), [fill('t1', '0.1', '100')]);
    const s2 = withFills(s1, [fill('t1', '0.1', '100'), fill('t2', '0.2', '130'), fill('t2', '0.2', '130')]);
    expect(s2.fills.map((f) => f.tradeId)).toEqual(['t1', 't2']);
    expect(s2.filledQuantity).toBe('0.3');
    expect(s2.remainingQuantity).toBe('0.7');
    expect(s2.averagePrice).toBe('120');
  });

  it('a duplicate with different numbers is still ignored (the venue trade id decides)', () => {
    const s1 = withFills(stateIn('SUBMITTED'), [fill('t1', '0.1', '100')]);
    const s2 = withFills(s1, [fill('t1', '0.9', '999')]);
    expect(s2).toBe(s1);
  });

  it('returns the same state when nothing is new', () => {
    const s1 = withFills(stateIn('SUBMITTED'), [fill('t1', '0.1', '100')]);
    expect(withFills(s1, [])).toBe(s1);
    expect(withFills(s1, [fill('t1', '0.1', '100')])).toBe(s1);
  });

  it('does not mutate the state it is given', () => {
    const s0 = stateIn('SUBMITTED');
    const snapshot = JSON.parse(JSON.stringify(s0));
    withFills(s0, [fill('t1', '0.1', '100')]);
    expect(s0).toEqual(snapshot);
  });

  it('sums without float artefacts', () => {
    const s = withFills(stateIn('SUBMITTED'), [fill('a', '0.1', '1'), fill('b', '0.2', '1')]);
    expect(s.filledQuantity).toBe('0.3');
    expect(s.remainingQuantity).toBe('0.7');
  });

  it('an over-fill shows a negative remaining quantity (never clamped)', () => {
    const s = withFills(stateIn('SUBMITTED'), [fill('a', '0.6', '1'), fill('b', '0.6', '1')]);
    expect(s.filledQuantity).toBe('1.2');
    expect(s.remainingQuantity).toBe('-0.2');
    expect(isFullyFilled(s)).toBe(true);
  });

  it('does not touch the status', () => {
    const s = withFills(stateIn('SUBMITTED', 'ACCEPTED'), [fill('a', '1', '1')]);
    expect(s.status).toBe('ACCEPTED');
  });
});

describe('workingStatus and isFullyFilled', () => {
  it('ACCEPTED with nothing filled, PARTIALLY_FILLED in between, FILLED when done', () => {
    const s0 = stateIn('SUBMITTED');
    expect(workingStatus(s0)).toBe('ACCEPTED');
    expect(isFullyFilled(s0)).toBe(false);
    const s1 = withFills(s0, [fill('a', '0.999', '1')]);
    expect(workingStatus(s1)).toBe('PARTIALLY_FILLED');
    expect(isFullyFilled(s1)).toBe(false);
    const s2 = withFills(s1, [fill('b', '0.001', '1')]);
    expect(workingStatus(s2)).toBe('FILLED');
    expect(isFullyFilled(s2)).toBe(true);
  });
});

describe('withQuantity', () => {
  it('sets a new total and recomputes what remains after the fills', () => {
    const s = withFills(stateIn('SUBMITTED', 'ACCEPTED'), [fill('a', '0.4', '1')]);
    const r = withQuantity(s, '2.50');
    expect(r.request.quantity).toBe('2.5');
    expect(r.remainingQuantity).toBe('2.1');
    expect(r.filledQuantity).toBe('0.4');
    expect(s.request.quantity).toBe('1');
    expect(workingStatus(r)).toBe('PARTIALLY_FILLED');
  });

  it('a smaller total can make the order fully filled', () => {
    const s = withFills(stateIn('SUBMITTED', 'ACCEPTED'), [fill('a', '0.4', '1')]);
    const r = withQuantity(s, '0.4');
    expect(r.remainingQuantity).toBe('0');
    expect(workingStatus(r)).toBe('FILLED');
  });

  it('keeps the other request fields', () => {
    const r = withQuantity(stateIn('SUBMITTED'), '3');
    expect(r.request).toEqual({ ...REQUEST, quantity: '3' });
  });
});
