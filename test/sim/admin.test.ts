/** The admin API (DESIGN.md §3): the order-request log, faults, market control, reset, accounts. */
import { networkInterfaces } from 'node:os';
import type * as ccxt from 'ccxt';
import type { RunningSimulator } from '../../src/sim/server';
import { binanceOn } from './ccxt-harness';
import { admin, clientId, errorOf, startTestSimulator, type AdminOrder } from './harness';

interface MarketState {
  symbol: string;
  mid: string;
  lastPrice: string;
  bestBid: string;
  bestAsk: string;
}

let sim: RunningSimulator;
let exchange: ccxt.binance;

beforeAll(async () => {
  sim = await startTestSimulator();
  exchange = binanceOn(sim);
  await exchange.loadMarkets();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await admin(sim, 'POST', '/admin/reset');
});

describe('GET /admin/orders', () => {
  it('lists every order request in arrival order, refused and duplicated ones included', async () => {
    const id = clientId('log');
    const placed = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 50000, { clientOrderId: id });
    await errorOf(exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 50000, { clientOrderId: id }));
    await errorOf(
      exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.00001, 50000, { clientOrderId: clientId('tiny') }),
    );
    const market = await exchange.createOrder('ETH/USDT', 'market', 'sell', 1);
    await exchange.cancelOrder(placed.id!, 'BTC/USDT');

    const orders = await admin<AdminOrder[]>(sim, 'GET', '/admin/orders');

    expect(orders.map((order) => order.seq)).toEqual([1, 2, 3, 4]);
    expect(orders[0]).toMatchObject({
      endpoint: 'order',
      clientOrderId: id,
      orderId: Number(placed.id),
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      status: 'CANCELED',
      domainStatus: 'CANCELLED',
      origQty: '0.01',
      executedQty: '0',
      httpStatus: 200,
    });
    expect(orders[1]).toMatchObject({
      clientOrderId: id,
      orderId: null,
      status: 'REJECTED',
      rejectCode: -2010,
      rejectReason: 'Duplicate order sent.',
      httpStatus: 400,
    });
    expect(orders[2]).toMatchObject({
      status: 'REJECTED',
      rejectCode: -1013,
      rejectReason: 'Filter failure: NOTIONAL',
    });
    expect(orders[3]).toMatchObject({
      orderId: Number(market.id),
      symbol: 'ETHUSDT',
      type: 'MARKET',
      status: 'FILLED',
      executedQty: '1',
    });
    const sameId = await admin<AdminOrder[]>(sim, 'GET', `/admin/orders?clientOrderId=${id}`);
    expect(sameId).toHaveLength(2);
  });

  it('records an edit (cancelReplace) as a request for the new order', async () => {
    const original = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 50000);
    const edited = await exchange.editOrder(original.id!, 'BTC/USDT', 'limit', 'buy', 0.02, 50100);
    const orders = await admin<AdminOrder[]>(sim, 'GET', '/admin/orders');
    expect(orders).toHaveLength(2);
    expect(orders[1]).toMatchObject({
      endpoint: 'order/cancelReplace',
      orderId: Number(edited.id),
      status: 'NEW',
      origQty: '0.02',
    });
  });
});

describe('POST /admin/faults', () => {
  afterEach(async () => {
    await admin(sim, 'POST', '/admin/reset');
  });

  it('adds latency to API requests', async () => {
    await admin(sim, 'POST', '/admin/faults', { latencyMs: 150 });
    const started = Date.now();
    await exchange.fetchTime();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('refuses every Nth request as rate-limited, and logs it on order requests', async () => {
    await admin(sim, 'POST', '/admin/faults', { rateLimitEvery: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${sim.url}/api/v3/ping`)).status);
    expect(statuses).toEqual([200, 429, 200, 429]);

    await exchange.fetchTime(); // request 1 of the next pair
    await errorOf(exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 50000)); // request 2: refused
    const [logged] = await admin<AdminOrder[]>(sim, 'GET', '/admin/orders');
    expect(logged).toMatchObject({
      status: 'REJECTED',
      rejectCode: -1003,
      httpStatus: 429,
      fault: 'rateLimit',
    });
  });

  it('answers with the current settings and refuses unknown ones', async () => {
    const settings = await admin<Record<string, number>>(sim, 'POST', '/admin/faults', { errorRate: 0.25 });
    expect(settings).toMatchObject({
      errorRate: 0.25,
      latencyMs: 0,
      rateLimitEvery: 0,
      timeoutAfterAcceptRate: 0,
    });
    await expect(admin(sim, 'POST', '/admin/faults', { errorRate: 2 })).rejects.toThrow('HTTP 400');
    await expect(admin(sim, 'POST', '/admin/faults', { meteorStrike: 1 })).rejects.toThrow('HTTP 400');
  });
});

describe('market control', () => {
  it('moves the mid: the book follows and a trade prints in the direction of the move', async () => {
    const state = await admin<MarketState>(sim, 'POST', '/admin/mid', { symbol: 'ETHUSDT', price: '3100' });
    expect(state.mid).toBe('3100');
    expect(Number(state.bestBid)).toBeLessThan(3100);
    expect(Number(state.bestAsk)).toBeGreaterThan(3100);
    // A minimum-size buy lifted the best ask (the ladder is then re-laid at the same prices).
    expect(state.lastPrice).toBe(state.bestAsk);
    await expect(admin(sim, 'POST', '/admin/mid', { symbol: 'XRP/USDT', price: '1' })).rejects.toThrow(
      'HTTP 400',
    );
  });

  it('replays the same market for the same seed, and another market for another seed', async () => {
    const twin = await startTestSimulator();
    const other = await startTestSimulator({ seed: 99 });
    try {
      const run = async (target: RunningSimulator) =>
        admin<MarketState[]>(target, 'POST', '/admin/tick', { count: 25 });
      const [first, second, third] = [await run(sim), await run(twin), await run(other)];
      expect(second).toEqual(first);
      expect(third).not.toEqual(first);
      expect(first.map((state) => state.mid)).not.toEqual(['60000', '3000', '150']);
    } finally {
      await twin.close();
      await other.close();
    }
  });

  it('resets orders, balances, faults and the book to the initial state', async () => {
    const initialBook = await exchange.fetchOrderBook('BTC/USDT', 10);
    const initialBalance = await exchange.fetchBalance();
    await exchange.createOrder('BTC/USDT', 'market', 'buy', 1);
    await exchange.createOrder('BTC/USDT', 'limit', 'sell', 0.5, 70000);
    await admin(sim, 'POST', '/admin/faults', { latencyMs: 5 });

    await admin(sim, 'POST', '/admin/reset');

    expect(await admin(sim, 'GET', '/admin/orders')).toEqual([]);
    expect(await admin(sim, 'GET', '/admin/faults')).toMatchObject({ latencyMs: 0 });
    expect(await exchange.fetchOpenOrders('BTC/USDT')).toEqual([]);
    expect((await exchange.fetchBalance()).total).toEqual(initialBalance.total);
    const book = await exchange.fetchOrderBook('BTC/USDT', 10);
    expect([book.bids, book.asks]).toEqual([initialBook.bids, initialBook.asks]);
  });
});

describe('accounts', () => {
  it('adds an account that trades with its own keys and survives a reset with its starting balances', async () => {
    await admin(sim, 'POST', '/admin/accounts', {
      apiKey: 'desk-2',
      secret: 'desk-2-secret',
      balances: { USDT: '5000', BTC: '0' },
    });
    const desk = binanceOn(sim, { apiKey: 'desk-2', secret: 'desk-2-secret' });
    await desk.loadMarkets();
    await desk.createOrder('BTC/USDT', 'market', 'buy', 0.05);
    const balances = await admin<{ balances: Record<string, { free: string }> }>(
      sim,
      'GET',
      '/admin/balances?apiKey=desk-2',
    );
    expect(balances.balances.BTC!.free).toBe('0.04995');

    await admin(sim, 'POST', '/admin/reset');
    const after = await admin<{ balances: Record<string, { free: string }> }>(
      sim,
      'GET',
      '/admin/balances?apiKey=desk-2',
    );
    expect(after.balances.USDT!.free).toBe('5000');
  });
});

describe('loopback only', () => {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address?.family === 'IPv4' && !address.internal)?.address;

  (external ? it : it.skip)('refuses admin requests from other hosts with 403', async () => {
    const open = await startTestSimulator({ host: '0.0.0.0' });
    try {
      const remote = await fetch(`http://${external}:${open.port}/admin/orders`);
      expect(remote.status).toBe(403);
      const local = await fetch(`http://127.0.0.1:${open.port}/admin/orders`);
      expect(local.status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
