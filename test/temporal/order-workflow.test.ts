/**
 * orderWorkflow on a real Temporal dev server, trading on the real simulator through real ccxt.
 */
import { WorkflowHandle } from '@temporalio/client';
import type { OrderState } from '../../src/domain/order-state';
import { deriveClientOrderId } from '../../src/domain/client-order-id';
import { orderListQuery } from '../../src/client/orders';
import { recordHistory } from '../support/histories';
import { type TestOrdo, startTestOrdo, testWorkerConfig, uniqueOrderId } from '../support/ordo-worker';
import {
  TEST_BALANCES,
  asksWithin,
  createSimAccount,
  midOf,
  setMid,
  simOrdersFor,
} from '../support/simulator-admin';

jest.setTimeout(60_000);

let ordo: TestOrdo;

beforeAll(async () => {
  // Its own account: balances here do not depend on what other test files trade meanwhile.
  const account = await createSimAccount(TEST_BALANCES);
  ordo = await startTestOrdo(testWorkerConfig({ ...account }));
});

afterAll(async () => {
  await ordo?.shutdown();
});

const isWorking = (s: OrderState) => s.status === 'ACCEPTED' || s.status === 'PARTIALLY_FILLED';

async function resultOf(orderId: string): Promise<OrderState> {
  return (await ordo.client.workflow.getHandle(orderId).result()) as OrderState;
}

function price(value: number): string {
  return value.toFixed(2);
}

test('a market order fills, and the venue sees its client order id once', async () => {
  const orderId = uniqueOrderId('mkt');
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    quantity: '0.01',
    venue: 'sim',
  });
  const final = await resultOf(orderId);

  expect(final.status).toBe('FILLED');
  expect(final.filledQuantity).toBe('0.01');
  expect(final.remainingQuantity).toBe('0');
  expect(final.fills.length).toBeGreaterThan(0);
  expect(Number(final.averagePrice)).toBeGreaterThan(0);
  expect(final.history.map((h) => h.status)).toEqual(['PENDING', 'SUBMITTED', 'FILLED']);
  expect(new Set(final.fills.map((f) => f.tradeId)).size).toBe(final.fills.length);
  const sent = await simOrdersFor(final.clientOrderId);
  expect(sent).toHaveLength(1);
  expect(sent[0]?.status).toBe('FILLED');
  // market-fill.json (kept) was recorded before the checks ran together (CHECKS_TOGETHER_PATCH).
  await recordHistory(ordo.client, orderId, 'market-fill-checks-together');
});

test('a limit order rests, is amended in price and quantity, then cancelled', async () => {
  const orderId = uniqueOrderId('lmt');
  const mid = await midOf('ETH/USDT');
  const restingPrice = price(mid * 0.8);
  const amendedPrice = price(mid * 0.75);
  await ordo.orders.submit({
    orderId,
    symbol: 'ETH/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.5',
    limitPrice: restingPrice,
    venue: 'sim',
  });
  const working = await ordo.orders.waitFor(orderId, isWorking);
  expect(working.status).toBe('ACCEPTED');
  expect(working.venueOrderId).toBeDefined();

  const amended = await ordo.orders.amend(orderId, { quantity: '0.7', limitPrice: amendedPrice });
  expect(amended).toEqual({ accepted: true, status: 'ACCEPTED' });
  const afterAmend = await ordo.orders.status(orderId);
  expect(afterAmend.request.quantity).toBe('0.7');
  // The amend's price is kept in canonical decimal form ("2247.40" → "2247.4").
  expect(Number(afterAmend.request.limitPrice)).toBe(Number(amendedPrice));
  expect(afterAmend.clientOrderId).toBe(deriveClientOrderId(orderId, 1));
  expect(afterAmend.venueOrderId).not.toBe(working.venueOrderId);
  expect(afterAmend.history.map((h) => h.status)).toEqual([
    'PENDING',
    'SUBMITTED',
    'ACCEPTED',
    'PENDING_REPLACE',
    'ACCEPTED',
  ]);

  const cancelled = await ordo.orders.cancel(orderId, 'test done');
  expect(cancelled).toEqual({ accepted: true, status: 'CANCELLED' });
  const final = await resultOf(orderId);
  expect(final.status).toBe('CANCELLED');
  expect(final.filledQuantity).toBe('0');

  const [original, replacement, ...more] = await simOrdersFor(orderId);
  expect(more).toHaveLength(0);
  expect(original).toMatchObject({
    clientOrderId: orderId,
    status: 'CANCELED',
    origQty: expect.stringMatching(/^0\.50*$/),
  });
  expect(replacement).toMatchObject({ clientOrderId: deriveClientOrderId(orderId, 1), status: 'CANCELED' });
  expect(Number(replacement?.origQty)).toBe(0.7);
  await recordHistory(ordo.client, orderId, 'limit-amend-cancel');
});

test('an amend that is impossible is refused synchronously by the validator', async () => {
  const orderId = uniqueOrderId('lmt-bad-amend');
  const mid = await midOf('ETH/USDT');
  await ordo.orders.submit({
    orderId,
    symbol: 'ETH/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.5',
    limitPrice: price(mid * 0.8),
    venue: 'sim',
  });
  await ordo.orders.waitFor(orderId, isWorking);
  await expect(ordo.orders.amend(orderId, { quantity: '-1' })).rejects.toThrow(/INVALID_QUANTITY/);
  await expect(ordo.orders.amend(orderId, { stopPrice: '10' })).rejects.toThrow(/UNEXPECTED_STOP_PRICE/);
  await ordo.orders.cancel(orderId);
  expect((await resultOf(orderId)).status).toBe('CANCELLED');
  await expect(ordo.orders.cancel(orderId)).rejects.toThrow(/ORDER_ENDED/);
});

test('a resting order fills when the market moves through it', async () => {
  const orderId = uniqueOrderId('lmt-fill');
  const mid = await midOf('SOL/USDT');
  const limit = price(mid * 0.98);
  await ordo.orders.submit({
    orderId,
    symbol: 'SOL/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '2',
    limitPrice: limit,
    venue: 'sim',
  });
  await ordo.orders.waitFor(orderId, isWorking);
  await setMid('SOL/USDT', price(mid * 0.95));
  const final = await resultOf(orderId);
  expect(final.status).toBe('FILLED');
  expect(final.filledQuantity).toBe('2');
  expect(Number(final.averagePrice)).toBeLessThanOrEqual(Number(limit));
  await setMid('SOL/USDT', price(mid));
});

test('a GTD order expires at its time: cancelled at the venue, status EXPIRED', async () => {
  const orderId = uniqueOrderId('gtd');
  const mid = await midOf('BTC/USDT');
  const expireAt = new Date(Date.now() + 3000).toISOString();
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.001',
    limitPrice: price(mid * 0.8),
    timeInForce: 'GTD',
    expireAt,
    venue: 'sim',
  });
  const final = await resultOf(orderId);
  expect(final.status).toBe('EXPIRED');
  expect(Date.parse(final.history.at(-1)?.at ?? '')).toBeGreaterThanOrEqual(Date.parse(expireAt));
  const [sent] = await simOrdersFor(orderId);
  expect(sent?.status).toBe('CANCELED');
  await recordHistory(ordo.client, orderId, 'gtd-expiry');
});

test('a DAY order expires at the venue session close', async () => {
  // A worker whose venue closes its day three seconds from now.
  const close = new Date(Date.now() + 3000);
  const dayCloseUtc = close.toISOString().slice(11, 19);
  const dayOrdo = await startTestOrdo(testWorkerConfig({ dayCloseUtc }));
  try {
    const orderId = uniqueOrderId('day');
    const mid = await midOf('BTC/USDT');
    await dayOrdo.orders.submit({
      orderId,
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'limit',
      quantity: '0.001',
      limitPrice: price(mid * 1.2),
      timeInForce: 'DAY',
      venue: 'sim',
    });
    const final = (await dayOrdo.client.workflow.getHandle(orderId).result()) as OrderState;
    expect(final.status).toBe('EXPIRED');
    expect(final.reason).toBe('TIME_IN_FORCE_EXPIRED');
  } finally {
    await dayOrdo.shutdown();
  }
});

test('starting the same order id twice gives the same order, sent once', async () => {
  const orderId = uniqueOrderId('dup');
  const request = {
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    quantity: '0.002',
    venue: 'sim',
  };
  const first = await ordo.orders.submit(request);
  const second = await ordo.orders.submit(request);
  expect(second.runId).toBe(first.runId);
  await resultOf(orderId);
  const third = await ordo.orders.submit(request); // after it ended, too
  expect(third.runId).toBe(first.runId);
  expect(await simOrdersFor(orderId)).toHaveLength(1);
});

test.each([
  ['a negative quantity', { quantity: '-1' }, 'INVALID_QUANTITY'],
  ['a limit order without a price', { type: 'limit' }, 'MISSING_LIMIT_PRICE'],
  ['an unknown venue', { venue: 'nowhere' }, 'UNKNOWN_VENUE'],
  ['an unknown symbol', { symbol: 'NOPE/USDT' }, 'BAD_SYMBOL'],
  ['a quantity below the minimum notional', { quantity: '0.00001' }, 'MIN_NOTIONAL'],
  ['a quantity off the lot size', { quantity: '0.0000001' }, 'QUANTITY_PRECISION'],
])('%s ends DENIED with its reason, without touching the venue', async (_name, change, code) => {
  const orderId = uniqueOrderId('bad');
  const request = {
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    quantity: '0.01',
    venue: 'sim',
    ...change,
  };
  // Started directly (not through OrdoOrders, which would refuse it before starting).
  const handle: WorkflowHandle = await ordo.client.workflow.start('orderWorkflow', {
    taskQueue: ordo.taskQueue,
    workflowId: orderId,
    args: [request],
  });
  const final = (await handle.result()) as OrderState;
  expect(final.status).toBe('DENIED');
  expect(final.history.map((h) => h.status)).toEqual(['PENDING', 'DENIED']);
  expect(final.history.at(-1)?.reason).toContain(code);
  expect(await simOrdersFor(orderId)).toHaveLength(0);
});

test('the venue refusing an order ends it REJECTED with the typed reason', async () => {
  const orderId = uniqueOrderId('poor');
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '5000', // 5,000,000 USDT of a 1,000,000 USDT account,
    limitPrice: '1000.00',
    venue: 'sim',
  });
  const final = await resultOf(orderId);
  expect(final.status).toBe('REJECTED');
  expect(final.history.at(-1)?.reason).toBe('INSUFFICIENT_FUNDS');
});

test('a post-only order that would take is REJECTED', async () => {
  const orderId = uniqueOrderId('maker');
  const mid = await midOf('BTC/USDT');
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.001',
    limitPrice: price(mid * 1.05),
    postOnly: true,
    venue: 'sim',
  });
  const final = await resultOf(orderId);
  expect(final.status).toBe('REJECTED');
  expect(final.history.at(-1)?.reason).toBe('POST_ONLY_WOULD_TAKE');
});

test('an IOC order for more than the book holds at its price fills partly and expires', async () => {
  const orderId = uniqueOrderId('ioc');
  // Half as much again as rests within 0.05% of the best ask (a margin: the market moves while
  // the order travels): what rests up to the limit fills, the rest expires.
  const asks = await asksWithin('ETH/USDT', 0.0005);
  const quantity = (asks.quantity * 1.5).toFixed(4);
  await ordo.orders.submit({
    orderId,
    symbol: 'ETH/USDT',
    side: 'buy',
    type: 'limit',
    quantity,
    limitPrice: asks.limitPrice,
    timeInForce: 'IOC',
    venue: 'sim',
  });
  const final = await resultOf(orderId);
  expect({ status: final.status, reason: final.reason }).toEqual({
    status: 'EXPIRED',
    reason: 'TIME_IN_FORCE_EXPIRED',
  });
  expect(Number(final.filledQuantity)).toBeGreaterThan(0);
  expect(Number(final.filledQuantity)).toBeLessThan(Number(quantity));
});

test('the killSwitch signal cancels a working order', async () => {
  const orderId = uniqueOrderId('kill');
  const mid = await midOf('BTC/USDT');
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.001',
    limitPrice: price(mid * 0.8),
    venue: 'sim',
    strategyId: 'kill-test',
  });
  await ordo.orders.waitFor(orderId, isWorking);
  await ordo.orders.killSwitch(orderId, 'desk halt');
  const final = await resultOf(orderId);
  expect(final.status).toBe('CANCELLED');
  expect(final.reason).toBe('KILL_SWITCH: desk halt');
  const [sent] = await simOrdersFor(orderId);
  expect(sent?.status).toBe('CANCELED');
  await recordHistory(ordo.client, orderId, 'kill-switch');
});

test('status query and search attributes: a visibility query finds the filled order', async () => {
  const orderId = uniqueOrderId('vis');
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'sell',
    type: 'market',
    quantity: '0.003',
    venue: 'sim',
    strategyId: 'vis-strategy',
  });
  await resultOf(orderId);
  const status = await ordo.orders.status(orderId);
  expect(status).toMatchObject({
    orderId,
    status: 'FILLED',
    filledQuantity: '0.003',
    request: { side: 'sell', strategyId: 'vis-strategy' },
  });

  // The same filter as `temporal workflow list --query 'Symbol="BTC/USDT" AND OrderStatus="FILLED"'`.
  const query = `${orderListQuery({ symbol: 'BTC/USDT', status: 'FILLED', strategyId: 'vis-strategy' })} AND WorkflowId = '${orderId}'`;
  let found: string[] = [];
  for (let i = 0; i < 50 && found.length === 0; i++) {
    found = [];
    for await (const wf of ordo.client.workflow.list({ query })) found.push(wf.workflowId);
    if (found.length === 0) await new Promise((r) => setTimeout(r, 200));
  }
  expect(found).toEqual([orderId]);
  const listed = await ordo.orders.list({ symbol: 'BTC/USDT', status: 'FILLED', strategyId: 'vis-strategy' });
  expect(listed.map((o) => o.orderId)).toContain(orderId);
  expect(listed.find((o) => o.orderId === orderId)).toMatchObject({
    side: 'sell',
    venue: 'sim',
    status: 'FILLED',
  });
});
