/**
 * Faults below the venue's API format: a proxy's HTML 502, a 200 that is not JSON, connection
 * resets, and answers lost after the order was accepted (held past the client's timeout, or the
 * connection dropped). Each through an unmodified ccxt.binance, with the exact class it throws.
 * The server writes these with src/sim/http/write-response.ts (rawBody as is, dropConnection).
 */
import type { RunningSimulator } from '../../src/sim/server';
import {
  ccxt,
  HOLD_MS,
  ordersWithClientId,
  restingBuy,
  setFaults,
  thrownBy,
  watchedBinance,
  type WatchedExchange,
} from './faults-harness';
import { admin, clientId, startTestSimulator } from './harness';

let sim: RunningSimulator;
let client: WatchedExchange;

beforeAll(async () => {
  sim = await startTestSimulator();
  client = watchedBinance(sim);
  await client.exchange.loadMarkets();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await admin(sim, 'POST', '/admin/reset');
  client.forget();
});

describe('transport-level errors', () => {
  it('badGateway → HTTP 502 HTML page → ExchangeNotAvailable', async () => {
    await setFaults(sim, { errors: [{ kind: 'badGateway' }] });
    const { className } = await thrownBy(client.exchange.fetchBalance());
    expect(className).toBe('ExchangeNotAvailable');
    expect(client.seen()).toMatchObject({ status: 502, headers: { 'Content-Type': 'text/html' } });
    expect(client.seen()?.body).toContain('502 Bad Gateway');
  });

  it('nonJsonBody → HTTP 200 HTML → a plain TypeError from createOrder (not a ccxt error)', async () => {
    await setFaults(sim, { errors: [{ kind: 'nonJsonBody' }] });
    const { className, error } = await thrownBy(restingBuy(client.exchange, clientId('nonjson')));
    expect(className).toBe('TypeError');
    expect(error).not.toBeInstanceOf(ccxt.BaseError);
    expect(client.seen()?.status).toBe(200);
  });

  it('nonJsonBody → fetchBalance and fetchOpenOrders do not throw at all: they return garbage', async () => {
    await setFaults(sim, { errors: [{ kind: 'nonJsonBody' }] });
    const balance = await client.exchange.fetchBalance();
    expect(balance.total).toEqual({});
    const open = await client.exchange.fetchOpenOrders('BTC/USDT');
    // One "order" per character of the page, none with an id.
    expect(open.length).toBeGreaterThan(10);
    expect(open[0]?.id).toBeUndefined();
  });

  it("nonJsonBody, phase 'after' → the order exists, the answer was cut short → TypeError", async () => {
    await setFaults(sim, { errors: [{ kind: 'nonJsonBody', phase: 'after', scope: ['@placeOrder'] }] });
    const id = clientId('truncated');
    const { className } = await thrownBy(restingBuy(client.exchange, id));
    expect(className).toBe('TypeError');
    expect(client.seen()?.body.startsWith('{"symbol":"BTCUSDT"')).toBe(true);
    expect(await client.exchange.fetchOrder('', 'BTC/USDT', { clientOrderId: id })).toMatchObject({
      status: 'open',
    });
  });
});

describe('connection resets', () => {
  it('before processing → NetworkError, and no order was placed', async () => {
    await setFaults(sim, { connectionResets: { rate: 1, scope: ['@placeOrder'] } });
    const id = clientId('reset');
    const { className } = await thrownBy(restingBuy(client.exchange, id));
    expect(className).toBe('NetworkError');
    expect(client.seen()).toBeUndefined();

    await setFaults(sim, { connectionResets: null });
    expect(await ordersWithClientId(sim, id)).toEqual([
      expect.objectContaining({ status: 'REJECTED', httpStatus: 0, fault: 'connectionReset' }),
    ]);
    expect(
      (await thrownBy(client.exchange.fetchOrder('', 'BTC/USDT', { clientOrderId: id }))).className,
    ).toBe('OrderNotFound');
  });

  it('on reads too, at the configured rate (every 2nd request here)', async () => {
    await setFaults(sim, { connectionResets: { every: 2, scope: ['GET /api/v3/account'] } });
    await client.exchange.fetchBalance();
    expect((await thrownBy(client.exchange.fetchBalance())).className).toBe('NetworkError');
    await client.exchange.fetchBalance();
  });
});

describe('timeout after accept', () => {
  it('hold → RequestTimeout; the order is accepted and in /admin/orders exactly once', async () => {
    await setFaults(sim, { timeoutAfterAccept: { rate: 1, mode: 'hold', holdMs: HOLD_MS, times: 1 } });
    const id = clientId('held');
    const { className } = await thrownBy(restingBuy(client.exchange, id));
    expect(className).toBe('RequestTimeout');

    // The retry policy's first step: look the order up by client order id — it is there.
    const found = await client.exchange.fetchOrder('', 'BTC/USDT', { clientOrderId: id });
    expect(found).toMatchObject({ clientOrderId: id, status: 'open' });
    expect(await ordersWithClientId(sim, id)).toEqual([
      expect.objectContaining({ status: 'NEW', httpStatus: 200, fault: 'timeoutAfterAccept' }),
    ]);
  });

  it('drop → NetworkError at once; the order is accepted and in /admin/orders exactly once', async () => {
    await setFaults(sim, { timeoutAfterAccept: { mode: 'drop', times: 1 } });
    const id = clientId('dropped');
    const { className } = await thrownBy(restingBuy(client.exchange, id));
    expect(className).toBe('NetworkError');

    expect(await client.exchange.fetchOrder('', 'BTC/USDT', { clientOrderId: id })).toMatchObject({
      status: 'open',
    });
    expect(await ordersWithClientId(sim, id)).toEqual([
      expect.objectContaining({ status: 'NEW', httpStatus: 0, fault: 'timeoutAfterAccept' }),
    ]);
    // times: 1 — the next order goes through normally.
    await restingBuy(client.exchange, clientId('after-drop'));
  });

  it('a market order held after accept is already matched when the client gives up', async () => {
    await setFaults(sim, { timeoutAfterAccept: { holdMs: HOLD_MS } });
    const id = clientId('held-market');
    const call = client.exchange.createOrder('BTC/USDT', 'market', 'buy', 0.01, undefined, {
      clientOrderId: id,
    });
    expect((await thrownBy(call)).className).toBe('RequestTimeout');
    const [logged] = await ordersWithClientId(sim, id);
    expect(logged).toMatchObject({ status: 'FILLED', executedQty: '0.01' });
  });
});
