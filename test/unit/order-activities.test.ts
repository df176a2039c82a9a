import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createOrderActivities, toFailure } from '../../src/activities/order-activities';
import type { AmendOrderInput, OrderSnapshot } from '../../src/activities/types';
import { VenueError } from '../../src/venues/errors';
import { PaperVenue } from '../../src/venues/paper-venue';
import { VenueRegistry, nextDayClose } from '../../src/venues/registry';
import { registeredVenue } from '../../src/venues/factory';
import type { NewVenueOrder, VenueOrder } from '../../src/venues/types';

const PRICES = { 'BTC/USDT': '60000', 'ETH/USDT': '3000' };

function setup() {
  const paper = new PaperVenue('paper', { ...PRICES });
  const registry = new VenueRegistry(new Map([['paper', registeredVenue(paper, { pollIntervalMs: 5 })]]));
  return { paper, registry, activities: createOrderActivities(registry) };
}

const MARKET_BUY: NewVenueOrder = {
  clientOrderId: 'ord-1',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'market',
  quantity: '0.5',
  timeInForce: 'GTC',
};

const RESTING_BUY: NewVenueOrder = {
  clientOrderId: 'ord-2',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  quantity: '1',
  limitPrice: '59000',
  timeInForce: 'GTC',
};

const timeout = () => new VenueError('unknown_outcome', 'VENUE_TIMEOUT', 'timeout');

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApplicationFailure) return err;
    throw new Error(`expected an ApplicationFailure, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected an ApplicationFailure, the call succeeded');
}

function ordersWith(paper: PaperVenue, clientOrderId: string): readonly VenueOrder[] {
  return paper.allOrders().filter((o) => o.clientOrderId === clientOrderId);
}

/**
 * Simulates a partial fill the workflow has not seen yet, by changing the paper venue's own record
 * of the order (allOrders() returns the venue's live objects).
 */
function partiallyFill(paper: PaperVenue, venueOrderId: string, quantity: string): void {
  const order = paper.allOrders().find((o) => o.venueOrderId === venueOrderId) as VenueOrder;
  order.filledQuantity = quantity;
  order.fills.push({
    tradeId: `partial-${venueOrderId}`,
    quantity,
    price: order.limitPrice ?? '0',
    fee: '0',
    feeCurrency: 'USDT',
    timestamp: new Date().toISOString(),
    venueOrderId,
  });
}

/** Activity info of attempt `attempt`, scheduled now with the submit's 15 s start-to-close. */
function attemptInfo(attempt: number) {
  return { attempt, currentAttemptScheduledTimestampMs: Date.now(), startToCloseTimeoutMs: 15_000 };
}

describe('prepareOrder', () => {
  it('returns the market rules, reference price, client id rules and the next day close', async () => {
    const { activities } = setup();
    const before = new Date();
    const prepared = await activities.prepareOrder({ venue: 'paper', symbol: 'BTC/USDT' });
    expect(prepared.rules).toMatchObject({ venue: 'paper', symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT' });
    expect(prepared.referencePrice).toBe('60000');
    expect(prepared.clientOrderIdRules).toBe('binance');
    const close = Date.parse(prepared.dayCloseAt);
    expect(prepared.dayCloseAt).toMatch(/T00:00:00\.000Z$/);
    expect(close).toBeGreaterThan(before.getTime());
    expect(close).toBeLessThanOrEqual(nextDayClose(new Date(), '00:00').getTime());
  });

  it('an unknown venue fails non-retryably with type UNKNOWN_VENUE', async () => {
    const { activities } = setup();
    const failure = await failureOf(activities.prepareOrder({ venue: 'nowhere', symbol: 'BTC/USDT' }));
    expect(failure.type).toBe('UNKNOWN_VENUE');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('nowhere');
    expect(failure.message).toContain('paper');
  });

  it('an unknown market fails non-retryably with type BAD_SYMBOL', async () => {
    const { activities } = setup();
    const failure = await failureOf(activities.prepareOrder({ venue: 'paper', symbol: 'DOGE/USDT' }));
    expect([failure.type, failure.nonRetryable]).toEqual(['BAD_SYMBOL', true]);
  });
});

describe('submitOrder', () => {
  it('fills a market order', async () => {
    const { paper, activities } = setup();
    const snapshot = await activities.submitOrder({ venue: 'paper', order: MARKET_BUY });
    expect(snapshot.order).toMatchObject({
      clientOrderId: 'ord-1',
      symbol: 'BTC/USDT',
      side: 'buy',
      state: 'closed',
      quantity: '0.5',
      filledQuantity: '0.5',
      averagePrice: '60000',
    });
    expect(snapshot.fills).toEqual([
      expect.objectContaining({ quantity: '0.5', price: '60000', venueOrderId: snapshot.order.venueOrderId }),
    ]);
    expect(ordersWith(paper, 'ord-1')).toHaveLength(1);
  });

  it('a limit order that does not cross rests, with no fills', async () => {
    const { activities } = setup();
    const snapshot = await activities.submitOrder({ venue: 'paper', order: RESTING_BUY });
    expect(snapshot.order).toMatchObject({ state: 'open', filledQuantity: '0' });
    expect(snapshot.fills).toEqual([]);
  });

  it('a lost answer (placed, then the call throws) returns the placed order via the client order id', async () => {
    const { paper, activities } = setup();
    paper.injectFault('submitOrder', timeout(), true);
    const snapshot = await activities.submitOrder({ venue: 'paper', order: MARKET_BUY });
    expect(snapshot.order).toMatchObject({ clientOrderId: 'ord-1', state: 'closed', filledQuantity: '0.5' });
    expect(snapshot.fills).toHaveLength(1);
    expect(ordersWith(paper, 'ord-1')).toHaveLength(1);
    expect(paper.allOrders()).toHaveLength(1);
  });

  it('a timeout before any effect fails retryably, and nothing was placed', async () => {
    const { paper, activities } = setup();
    paper.injectFault('submitOrder', timeout(), false);
    const failure = await failureOf(activities.submitOrder({ venue: 'paper', order: MARKET_BUY }));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('VENUE_TIMEOUT');
    expect(failure.details).toEqual([{ action: 'unknown_outcome', origin: undefined }]);
    expect(paper.allOrders()).toHaveLength(0);

    // The retry then places it exactly once.
    const snapshot = await activities.submitOrder({ venue: 'paper', order: MARKET_BUY });
    expect(snapshot.order.state).toBe('closed');
    expect(ordersWith(paper, 'ord-1')).toHaveLength(1);
  });

  it('when the look-up after an unknown outcome fails too, the original failure is kept (retryable)', async () => {
    const { paper, activities } = setup();
    paper.injectFault('submitOrder', timeout(), true);
    paper.injectFault('fetchOrder', new VenueError('retry', 'RATE_LIMITED', 'slow down'));
    const failure = await failureOf(activities.submitOrder({ venue: 'paper', order: MARKET_BUY }));
    expect([failure.type, failure.nonRetryable]).toEqual(['VENUE_TIMEOUT', false]);
    expect(ordersWith(paper, 'ord-1')).toHaveLength(1);
  });

  it('a retried attempt looks the order up first and does not send it again', async () => {
    const { paper, activities } = setup();
    // Attempt 1: placed, answer lost, and the look-up failed as well.
    paper.injectFault('submitOrder', timeout(), true);
    paper.injectFault('fetchOrder', new VenueError('retry', 'RATE_LIMITED', 'slow down'));
    await failureOf(activities.submitOrder({ venue: 'paper', order: MARKET_BUY }));
    // Attempt 2, inside an activity context.
    const submit = jest.spyOn(paper, 'submitOrder');
    const snapshot: OrderSnapshot = await new MockActivityEnvironment(attemptInfo(2)).run(
      activities.submitOrder,
      {
        venue: 'paper',
        order: MARKET_BUY,
      },
    );
    expect(submit).not.toHaveBeenCalled();
    expect(snapshot.order).toMatchObject({ clientOrderId: 'ord-1', state: 'closed' });
    expect(ordersWith(paper, 'ord-1')).toHaveLength(1);
  });

  it('an attempt past its send deadline refuses to send (a later attempt may already have)', async () => {
    const { paper, activities } = setup();
    const late = { ...attemptInfo(1), currentAttemptScheduledTimestampMs: Date.now() - 14_000 };
    const failure = await failureOf(
      new MockActivityEnvironment(late).run(activities.submitOrder, { venue: 'paper', order: MARKET_BUY }),
    );
    expect([failure.type, failure.nonRetryable]).toEqual(['ATTEMPT_TOO_LATE', false]);
    expect(ordersWith(paper, 'ord-1')).toHaveLength(0);
  });

  it('the last attempt of the venue budget turns a retryable failure into a final RETRIES_EXHAUSTED', async () => {
    const { paper, activities } = setup();
    const timeout = () => new VenueError('unknown_outcome', 'VENUE_TIMEOUT', 'no answer');
    paper.injectFault('submitOrder', timeout());
    const early = await failureOf(
      new MockActivityEnvironment(attemptInfo(11)).run(activities.submitOrder, {
        venue: 'paper',
        order: MARKET_BUY,
      }),
    );
    expect([early.type, early.nonRetryable]).toEqual(['VENUE_TIMEOUT', false]);
    paper.injectFault('submitOrder', timeout());
    const last = await failureOf(
      new MockActivityEnvironment(attemptInfo(12)).run(activities.submitOrder, {
        venue: 'paper',
        order: MARKET_BUY,
      }),
    );
    expect([last.type, last.nonRetryable]).toEqual(['RETRIES_EXHAUSTED', true]);
    expect(last.message).toContain('VENUE_TIMEOUT');
    expect(ordersWith(paper, 'ord-1')).toHaveLength(0);
  });

  it('a retried attempt that finds nothing sends the order', async () => {
    const { paper, activities } = setup();
    const snapshot: OrderSnapshot = await new MockActivityEnvironment(attemptInfo(3)).run(
      activities.submitOrder,
      {
        venue: 'paper',
        order: MARKET_BUY,
      },
    );
    expect(snapshot.order.state).toBe('closed');
    expect(ordersWith(paper, 'ord-1')).toHaveLength(1);
  });

  it('a resend of an already placed client order id returns the existing order, not a second one', async () => {
    const { paper, activities } = setup();
    const first = await activities.submitOrder({ venue: 'paper', order: RESTING_BUY });
    const second = await activities.submitOrder({ venue: 'paper', order: RESTING_BUY });
    expect(second.order.venueOrderId).toBe(first.order.venueOrderId);
    expect(ordersWith(paper, 'ord-2')).toHaveLength(1);
  });

  it('a rejection becomes a non-retryable failure whose type is the reason code', async () => {
    const { paper, activities } = setup();
    paper.injectFault(
      'submitOrder',
      new VenueError('reject', 'INSUFFICIENT_FUNDS', 'not enough USDT', undefined, 'Test'),
    );
    const failure = await failureOf(activities.submitOrder({ venue: 'paper', order: MARKET_BUY }));
    expect(failure.type).toBe('INSUFFICIENT_FUNDS');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe('not enough USDT');
    expect(failure.details).toEqual([{ action: 'reject', origin: 'Test' }]);
    expect(paper.allOrders()).toHaveLength(0);
  });

  it('a throttled call is retryable and carries the venue’s retry delay', async () => {
    const { paper, activities } = setup();
    paper.injectFault('submitOrder', new VenueError('retry', 'RATE_LIMITED', 'slow down', 2500));
    const failure = await failureOf(activities.submitOrder({ venue: 'paper', order: MARKET_BUY }));
    expect([failure.type, failure.nonRetryable, failure.nextRetryDelay]).toEqual([
      'RATE_LIMITED',
      false,
      2500,
    ]);
  });

  it('an unknown venue fails non-retryably', async () => {
    const { activities } = setup();
    const failure = await failureOf(activities.submitOrder({ venue: 'nowhere', order: MARKET_BUY }));
    expect([failure.type, failure.nonRetryable]).toEqual(['UNKNOWN_VENUE', true]);
  });
});

describe('followOrder', () => {
  it('returns as soon as the venue says something new', async () => {
    const { paper, activities } = setup();
    const placed = await activities.submitOrder({ venue: 'paper', order: RESTING_BUY });
    setTimeout(() => paper.setPrice('BTC/USDT', '58999'), 20);
    const snapshot = await activities.followOrder({
      venue: 'paper',
      ref: { symbol: 'BTC/USDT', venueOrderId: placed.order.venueOrderId },
      known: { state: 'open', filledQuantity: '0' },
      maxWaitMs: 5000,
    });
    expect(snapshot.order).toMatchObject({ state: 'closed', filledQuantity: '1' });
    expect(snapshot.fills).toEqual([expect.objectContaining({ quantity: '1', price: '58999' })]);
  });

  it('returns the unchanged order when the wait is over', async () => {
    const { activities } = setup();
    const placed = await activities.submitOrder({ venue: 'paper', order: RESTING_BUY });
    const started = Date.now();
    const snapshot = await activities.followOrder({
      venue: 'paper',
      ref: { symbol: 'BTC/USDT', venueOrderId: placed.order.venueOrderId },
      known: { state: 'open', filledQuantity: '0' },
      maxWaitMs: 30,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(snapshot.order.state).toBe('open');
  });

  it('an order the venue does not know fails retryably with ORDER_NOT_FOUND', async () => {
    const { activities } = setup();
    const failure = await failureOf(
      activities.followOrder({
        venue: 'paper',
        ref: { symbol: 'BTC/USDT', venueOrderId: '999' },
        known: { state: 'open', filledQuantity: '0' },
        maxWaitMs: 10,
      }),
    );
    expect([failure.type, failure.nonRetryable]).toEqual(['ORDER_NOT_FOUND', false]);
  });
});

describe('cancelOrder', () => {
  it('cancels a working order', async () => {
    const { activities } = setup();
    const placed = await activities.submitOrder({ venue: 'paper', order: RESTING_BUY });
    const snapshot = await activities.cancelOrder({
      venue: 'paper',
      ref: { symbol: 'BTC/USDT', venueOrderId: placed.order.venueOrderId },
    });
    expect(snapshot.order.state).toBe('canceled');
  });

  it('reports an already filled order as closed, with its fills', async () => {
    const { activities } = setup();
    const placed = await activities.submitOrder({ venue: 'paper', order: MARKET_BUY });
    const snapshot = await activities.cancelOrder({
      venue: 'paper',
      ref: { symbol: 'BTC/USDT', venueOrderId: placed.order.venueOrderId },
    });
    expect(snapshot.order).toMatchObject({ state: 'closed', filledQuantity: '0.5' });
    expect(snapshot.fills).toHaveLength(1);
  });

  it('a cancel refused for another reason is a non-retryable failure', async () => {
    const { paper, activities } = setup();
    const placed = await activities.submitOrder({ venue: 'paper', order: RESTING_BUY });
    paper.injectFault('cancelOrder', new VenueError('reject', 'AUTHENTICATION_FAILED', 'bad key'));
    const failure = await failureOf(
      activities.cancelOrder({
        venue: 'paper',
        ref: { symbol: 'BTC/USDT', venueOrderId: placed.order.venueOrderId },
      }),
    );
    expect([failure.type, failure.nonRetryable]).toEqual(['AUTHENTICATION_FAILED', true]);
  });

  it('an order unknown to the venue fails retryably with ORDER_NOT_FOUND', async () => {
    const { activities } = setup();
    const failure = await failureOf(
      activities.cancelOrder({ venue: 'paper', ref: { symbol: 'BTC/USDT', venueOrderId: '404' } }),
    );
    expect([failure.type, failure.nonRetryable]).toEqual(['ORDER_NOT_FOUND', false]);
  });
});

describe('amendOrder', () => {
  async function placed() {
    const env = setup();
    const snapshot = await env.activities.submitOrder({ venue: 'paper', order: RESTING_BUY });
    const amend = (
      totalQuantity: string,
      filledBefore: string,
      newClientOrderId = 'ord-2..1',
    ): AmendOrderInput => ({
      venue: 'paper',
      replace: { symbol: 'BTC/USDT', venueOrderId: snapshot.order.venueOrderId },
      replacement: {
        clientOrderId: newClientOrderId,
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        limitPrice: '59500',
        timeInForce: 'GTC',
      },
      totalQuantity,
      filledBefore,
    });
    return { ...env, venueOrderId: snapshot.order.venueOrderId, amend };
  }

  it('replaces a working order with one for the new total', async () => {
    const { paper, activities, venueOrderId, amend } = await placed();
    const result = await activities.amendOrder(amend('2', '0'));
    if (!result.replaced) throw new Error(`not replaced: ${result.reason}`);
    expect(result.previous.order).toMatchObject({ venueOrderId, state: 'canceled' });
    expect(result.replacement.order).toMatchObject({
      clientOrderId: 'ord-2..1',
      quantity: '2',
      limitPrice: '59500',
      state: 'open',
    });
    expect(ordersWith(paper, 'ord-2..1')).toHaveLength(1);
  });

  it('computes the replacement quantity from the venue’s truth (fills the workflow has not seen)', async () => {
    const { paper, activities, venueOrderId, amend } = await placed();
    partiallyFill(paper, venueOrderId, '0.3');
    const result = await activities.amendOrder(amend('2', '0.5'));
    if (!result.replaced) throw new Error(`not replaced: ${result.reason}`);
    // 2 total − 0.5 filled on earlier legs − 0.3 filled on this one
    expect(result.replacement.order.quantity).toBe('1.2');
    expect(result.previous.fills).toEqual([expect.objectContaining({ quantity: '0.3' })]);
  });

  it('refuses AMEND_BELOW_FILLED when nothing would be left to trade, and keeps the order', async () => {
    const { paper, activities, venueOrderId, amend } = await placed();
    partiallyFill(paper, venueOrderId, '0.3');
    const result = await activities.amendOrder(amend('1', '0.7'));
    expect(result).toMatchObject({ replaced: false, reason: 'AMEND_BELOW_FILLED' });
    if (result.replaced) return;
    expect(result.message).toContain('1');
    expect(result.current.order).toMatchObject({ venueOrderId, state: 'open' });
    expect(ordersWith(paper, 'ord-2..1')).toHaveLength(0);
  });

  it('refuses AMEND_BELOW_FILLED for a total below what filled', async () => {
    const { activities, amend } = await placed();
    expect(await activities.amendOrder(amend('0.4', '0.5'))).toMatchObject({
      replaced: false,
      reason: 'AMEND_BELOW_FILLED',
    });
  });

  it('reports ORDER_NOT_WORKING when the order already ended', async () => {
    const { paper, activities, amend } = await placed();
    paper.setPrice('BTC/USDT', '58000');
    const result = await activities.amendOrder(amend('2', '0'));
    expect(result).toMatchObject({ replaced: false, reason: 'ORDER_NOT_WORKING' });
    if (!result.replaced) expect(result.current.order.state).toBe('closed');
    expect(ordersWith(paper, 'ord-2..1')).toHaveLength(0);
  });

  it('is idempotent: a retry after the replacement exists reports it and places nothing new', async () => {
    const { paper, activities, amend } = await placed();
    const first = await activities.amendOrder(amend('2', '0'));
    const second = await activities.amendOrder(amend('2', '0'));
    if (!first.replaced || !second.replaced) throw new Error('expected both to report the replacement');
    expect(second.replacement.order.venueOrderId).toBe(first.replacement.order.venueOrderId);
    expect(ordersWith(paper, 'ord-2..1')).toHaveLength(1);
    expect(paper.allOrders()).toHaveLength(2);
  });

  it('a refused replacement reports the reason and the original order as the venue has it', async () => {
    const { paper, activities, venueOrderId, amend } = await placed();
    paper.injectFault('submitOrder', new VenueError('reject', 'INSUFFICIENT_FUNDS', 'not enough USDT'));
    const result = await activities.amendOrder(amend('5', '0'));
    expect(result).toMatchObject({
      replaced: false,
      reason: 'INSUFFICIENT_FUNDS',
      message: 'not enough USDT',
    });
    // Cancel, then new: the original was cancelled before the replacement was refused.
    if (!result.replaced) expect(result.current.order).toMatchObject({ venueOrderId, state: 'canceled' });
  });

  it('an unknown original order fails retryably with ORDER_NOT_FOUND', async () => {
    const { activities, amend } = await placed();
    const input = amend('2', '0');
    const failure = await failureOf(
      activities.amendOrder({
        ...input,
        replace: { symbol: 'BTC/USDT', venueOrderId: '404' },
      }),
    );
    expect([failure.type, failure.nonRetryable]).toEqual(['ORDER_NOT_FOUND', false]);
  });
});

describe('toFailure', () => {
  it('passes anything that is not a VenueError through', () => {
    const err = new TypeError('x');
    expect(toFailure(err)).toBe(err);
    expect(toFailure('text')).toBe('text');
  });

  it.each<[VenueError['action'], boolean]>([
    ['reject', true],
    ['not_found', true],
    ['retry', false],
    ['unknown_outcome', false],
    ['resync_clock', false],
  ])('%s → nonRetryable %p', (action, nonRetryable) => {
    const failure = toFailure(new VenueError(action, 'SOME_CODE', 'msg')) as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect([failure.type, failure.message, failure.nonRetryable]).toEqual(['SOME_CODE', 'msg', nonRetryable]);
    expect(failure.nextRetryDelay).toBeUndefined();
  });
});

describe('VenueRegistry', () => {
  it('lists its venues and closes them all', async () => {
    const { paper, registry } = setup();
    expect(registry.names()).toEqual(['paper']);
    expect(registry.get('paper').venue).toBe(paper);
    const close = jest.spyOn(paper, 'close');
    await registry.close();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('an unknown name is a VenueError reject UNKNOWN_VENUE', () => {
    const { registry } = setup();
    expect(() => registry.get('x')).toThrow(
      expect.objectContaining({ action: 'reject', code: 'UNKNOWN_VENUE' }),
    );
  });
});
