/**
 * Pushed fills end to end: a worker with its order stream (ccxt pro watchOrders on the simulator's
 * Binance user-data stream) on a real dev server. The venue's fallback poll is set longer than any
 * wait here (60 s, the follow's own window too), so a working order only learns of a fill in time
 * through the stream: the `reconcile` signal with reason PUSHED in its history proves the path.
 * With the stream cut, the order still ends filled through polling at pollIntervalMs, and the
 * stream comes back by itself when the venue serves it again.
 *
 * This file runs its own simulator with the market standing still (tickMs 0): a resting order
 * fills only when the test moves the market, and cutting the stream touches no other test file.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { add, cmp } from '../../src/domain/decimal';
import type { OrderState } from '../../src/domain/order-state';
import { type RunningSimulator, startSimulator } from '../../src/sim/server';
import type { StreamHealth } from '../../src/venues/order-stream';
import { type TestOrdo, startTestOrdo, testWorkerConfig, uniqueOrderId } from '../support/ordo-worker';
import { simAdmin } from '../support/simulator-admin';

jest.setTimeout(60_000);

/** Longer than every wait in this file: a fill seen in time was pushed, not polled. */
const FALLBACK_POLL_MS = 60_000;

let sim: RunningSimulator;
let ordo: TestOrdo;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 11, tickMs: 0 });
  const apiKey = 'pushed-fills';
  await admin('POST', '/admin/accounts', {
    apiKey,
    secret: `${apiKey}-secret`,
    balances: { USDT: '1000000', BTC: '10' },
  });
  const config = testWorkerConfig({
    simulatorUrl: sim.url,
    apiKey,
    secret: `${apiKey}-secret`,
    stream: { fallbackPollIntervalMs: FALLBACK_POLL_MS, reconnectMaxMs: 500 },
  });
  ordo = await startTestOrdo(config, { streams: config });
  await streamWhen((h) => h.state === 'up', 'the stream to come up');
});

afterAll(async () => {
  await ordo?.shutdown();
  await sim?.close();
});

// ---- helpers ---------------------------------------------------------------------------------

const admin = simAdmin(() => sim.url);

async function midOf(symbol: string): Promise<number> {
  const market = await admin<{ symbol: string; mid: string }[]>('GET', '/admin/market');
  const mid = Number(market.find((m) => m.symbol === symbol.replace('/', ''))?.mid);
  if (!Number.isFinite(mid)) throw new Error(`no mid for ${symbol}`);
  return mid;
}

async function bestBid(symbol: string): Promise<number> {
  const response = await fetch(`${sim.url}/api/v3/depth?symbol=${symbol.replace('/', '')}&limit=5`);
  const book = (await response.json()) as { bids: [string, string][] };
  return Number(book.bids[0]?.[0]);
}

const setMid = (symbol: string, price: number) =>
  admin('POST', '/admin/mid', { symbol, price: price.toFixed(2) });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isWorking = (s: OrderState) => s.status === 'ACCEPTED' || s.status === 'PARTIALLY_FILLED';

function streamHealth(): StreamHealth {
  const health = ordo.pushedFills?.health()[0];
  if (health === undefined) throw new Error('the test worker has no order stream');
  return health;
}

async function streamWhen(check: (h: StreamHealth) => boolean, what: string): Promise<StreamHealth> {
  const deadline = Date.now() + 20_000;
  while (!check(streamHealth())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(streamHealth())}`);
    await sleep(50);
  }
  return streamHealth();
}

/** The reasons of every `reconcile` signal in the order's history, in order. */
async function reconcileReasons(orderId: string): Promise<string[]> {
  const history = await ordo.client.workflow.getHandle(orderId).fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const signal = event.workflowExecutionSignaledEventAttributes;
    if (signal?.signalName !== 'reconcile') return [];
    const payload = signal.input?.payloads?.[0];
    const request = payload ? defaultPayloadConverter.fromPayload<{ reason: string }>(payload) : undefined;
    return [request?.reason ?? '(no reason)'];
  });
}

/**
 * Until a follow of the order runs on this worker and has not been signalled yet: an update now
 * can only reach the workflow as a push (its next poll is FALLBACK_POLL_MS away).
 */
async function followed(orderId: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { venueOrderId } = await ordo.orders.status(orderId);
    if (venueOrderId !== undefined && ordo.pushedFills?.router.wouldSignal('sim', venueOrderId)) return;
    if (Date.now() > deadline) throw new Error(`${orderId} is not followed here`);
    await sleep(20);
  }
}

/** A buy resting on the book (ACCEPTED, followed by its workflow). */
async function restingBuy(orderId: string, quantity: string, limitPrice: number): Promise<void> {
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity,
    limitPrice: limitPrice.toFixed(2),
    venue: 'sim',
  });
  const working = await ordo.orders.waitFor(orderId, isWorking);
  expect(working.status).toBe('ACCEPTED');
  await followed(orderId);
}

/** Fills add up to the filled quantity, and the ledger holds each exactly once. */
async function expectBooked(state: OrderState): Promise<void> {
  expect(state.fills.reduce((sum, f) => add(sum, f.quantity), '0')).toBe(state.filledQuantity);
  const trades = await ordo.ledger.trades({ orderId: state.orderId });
  const byTrade = (rows: { id: string; size: string }[]) => rows.sort((a, b) => (a.id < b.id ? -1 : 1));
  expect(byTrade(trades.map((t) => ({ id: t.venueTradeId, size: t.size })))).toEqual(
    byTrade(state.fills.map((f) => ({ id: f.tradeId, size: f.quantity }))),
  );
}

// ---- tests -----------------------------------------------------------------------------------

test('a resting order filled by the market learns of it through the stream (reconcile PUSHED)', async () => {
  const orderId = uniqueOrderId('push-fill');
  const mid = await midOf('BTC/USDT');
  const limit = mid * 0.99;
  await restingBuy(orderId, '0.01', limit);
  // Only a push can wake the follow now: it polls again in FALLBACK_POLL_MS.
  expect(await reconcileReasons(orderId)).toEqual([]);

  await setMid('BTC/USDT', mid * 0.97); // the market trades through the resting buy
  const final = (await ordo.client.workflow.getHandle(orderId).result()) as OrderState;
  expect(final.status).toBe('FILLED');
  expect(final.filledQuantity).toBe('0.01');
  for (const fill of final.fills) expect(cmp(fill.price, limit.toFixed(2))).toBeLessThanOrEqual(0);
  const reasons = await reconcileReasons(orderId);
  expect(reasons.length).toBeGreaterThanOrEqual(1);
  expect(reasons).toContain('PUSHED: executionReport TRADE');
  for (const reason of reasons) expect(reason).toMatch(/^PUSHED: executionReport /);
  await expectBooked(final);
  await setMid('BTC/USDT', mid);
});

test('partial fills are pushed one after the other, each reaching the workflow', async () => {
  const orderId = uniqueOrderId('push-partial');
  // Above the best bid and below the best ask: the best bid, so a small sell trades with it alone.
  const price = (await bestBid('BTC/USDT')) + 1;
  await restingBuy(orderId, '0.002', price);

  await admin('POST', '/admin/trade', { symbol: 'BTC/USDT', side: 'sell', quantity: '0.001' });
  const partly = await ordo.orders.waitFor(orderId, (s) => s.status === 'PARTIALLY_FILLED', 30_000);
  expect(partly.filledQuantity).toBe('0.001');
  await followed(orderId); // the follow started after the look-up: it is the one to be signalled

  await admin('POST', '/admin/trade', { symbol: 'BTC/USDT', side: 'sell', quantity: '0.001' });
  const final = (await ordo.client.workflow.getHandle(orderId).result()) as OrderState;
  expect(final.status).toBe('FILLED');
  expect(final.filledQuantity).toBe('0.002');
  expect(final.fills).toHaveLength(2);
  // One signal per fill (each reached a fresh follow).
  const pushedTrades = (await reconcileReasons(orderId)).filter((r) => r === 'PUSHED: executionReport TRADE');
  expect(pushedTrades.length).toBeGreaterThanOrEqual(2);
  await expectBooked(final);
});

test('with the stream cut, a fill still arrives by polling; the stream then reconnects', async () => {
  const orderId = uniqueOrderId('push-down');
  const mid = await midOf('BTC/USDT');
  await restingBuy(orderId, '0.01', mid * 0.99); // followed while the stream is up
  const before = streamHealth().reconnects;

  await admin('POST', '/admin/stream', { down: true });
  await streamWhen((h) => h.state === 'down', 'the stream to go down');
  await setMid('BTC/USDT', mid * 0.97);
  const final = (await ordo.client.workflow.getHandle(orderId).result()) as OrderState;
  expect(final.status).toBe('FILLED');
  expect(final.filledQuantity).toBe('0.01');
  // Nothing was pushed: the follow, woken when the stream dropped, polled at pollIntervalMs.
  expect(await reconcileReasons(orderId)).toEqual([]);
  await expectBooked(final);
  await setMid('BTC/USDT', mid);

  await admin('POST', '/admin/stream', { down: false });
  const back = await streamWhen((h) => h.state === 'up', 'the stream to reconnect');
  expect(back.reconnects).toBe(before + 1);
  expect(back.lastError).toBeDefined();

  // And pushes work again after the reconnect.
  const again = uniqueOrderId('push-again');
  const mid2 = await midOf('BTC/USDT');
  await restingBuy(again, '0.01', mid2 * 0.99);
  await setMid('BTC/USDT', mid2 * 0.97);
  const filled = (await ordo.client.workflow.getHandle(again).result()) as OrderState;
  expect(filled.status).toBe('FILLED');
  expect(await reconcileReasons(again)).toContain('PUSHED: executionReport TRADE');
  await setMid('BTC/USDT', mid2);
});
