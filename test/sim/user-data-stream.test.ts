/**
 * The simulator's Binance user-data stream: the WebSocket API (`/ws-api/v3`) as an unmodified
 * ccxt.pro.binance uses it (watchOrders / watchMyTrades), its raw protocol shapes, the legacy
 * listenKey stream, and the admin switch that cuts the stream for polling-fallback tests.
 */
import { createHmac } from 'node:crypto';
import * as ccxt from 'ccxt';
import { WebSocket } from 'ws';
import { simBinanceProOptions, type SimCredentials } from '../../src/sim/ccxt-client';
import { DEFAULT_SIM_API_KEY, DEFAULT_SIM_API_SECRET } from '../../src/sim/config';
import type { RunningSimulator } from '../../src/sim/server';
import { binanceOn } from './ccxt-harness';
import { admin, clientId, errorOf, startTestSimulator } from './harness';

const CREDENTIALS: SimCredentials = { apiKey: DEFAULT_SIM_API_KEY, secret: DEFAULT_SIM_API_SECRET };
const SYMBOL = 'BTC/USDT';

interface StreamStatus {
  down: boolean;
  connections: number;
  subscriptions: number;
  messagesSent: Record<string, number>;
}

type Json = Record<string, unknown>;
type ProBinance = InstanceType<typeof ccxt.pro.binance>;

let sim: RunningSimulator;
let rest: ccxt.binance;
const openClients: ccxt.Exchange[] = [];

beforeAll(async () => {
  sim = await startTestSimulator();
  rest = binanceOn(sim);
  await rest.loadMarkets();
});

afterEach(async () => {
  await Promise.all(openClients.splice(0).map((client) => client.close()));
  await admin(sim, 'POST', '/admin/stream', { down: false });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await admin(sim, 'POST', '/admin/reset');
});

function proClient(credentials: SimCredentials = CREDENTIALS): ProBinance {
  const client = new ccxt.pro.binance(
    simBinanceProOptions(sim.url, new ccxt.pro.binance().urls, credentials),
  );
  openClients.push(client);
  markStrayFuturesHandled(client);
  return client;
}

interface FutureMaker {
  future(hash: string): Promise<unknown>;
}

/**
 * ccxt 4.5.84 bug: when the subscribe request is refused or the connection fails,
 * ensureUserDataStreamWsSubscribeSignature rejects a future it created ahead that nobody awaits
 * ('authenticate:signature:spot'): an unhandled rejection. The watch call itself rejects
 * properly, so every future of every connection this client opens is marked handled.
 */
function markStrayFuturesHandled(exchange: ProBinance): void {
  const patched = new WeakSet<object>();
  const clientFor = exchange.client.bind(exchange);
  exchange.client = (url: string) => {
    const wsClient = clientFor(url);
    if (!patched.has(wsClient)) {
      patched.add(wsClient);
      const maker = wsClient as unknown as FutureMaker;
      const future = maker.future.bind(maker);
      maker.future = (hash: string) => {
        const created = future(hash);
        created.catch(() => undefined);
        return created;
      };
    }
    return wsClient;
  };
}

async function streamStatus(): Promise<StreamStatus> {
  return admin<StreamStatus>(sim, 'GET', '/admin/stream');
}

/** Polls until `check` holds (the test's own timeout bounds the wait). */
async function eventually(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Keeps calling a ccxt watch method in the background, gathering everything it returns. */
function collect<T>(watch: () => Promise<T[]>): { items: T[]; error: () => unknown } {
  const items: T[] = [];
  let failure: unknown;
  void (async () => {
    try {
      // ccxt updates its cached order objects in place: keep a copy of each state seen.
      for (;;) items.push(...(await watch()).map((item) => structuredClone(item)));
    } catch (error) {
      failure = error;
    }
  })();
  return { items, error: () => failure };
}

/** A limit buy one tick above the best bid: the best bid, so synthetic sells hit it first. */
async function bestBidPlusTick(): Promise<number> {
  const market = await admin<{ symbol: string; bestBid: string }[]>(sim, 'GET', '/admin/market');
  const btc = market.find((entry) => entry.symbol === 'BTCUSDT');
  if (!btc) throw new Error('no BTCUSDT market');
  return Number(btc.bestBid) + 0.01;
}

describe('ccxt.pro.binance on the WebSocket API', () => {
  it('watchOrders sees a limit order NEW, its partial and complete fills, and watchMyTrades its trades', async () => {
    const pro = proClient();
    await pro.loadMarkets();
    const orders = collect(() => pro.watchOrders(SYMBOL));
    const trades = collect(() => pro.watchMyTrades(SYMBOL));
    await eventually(async () => (await streamStatus()).subscriptions === 1);

    const price = await bestBidPlusTick();
    const placed = await rest.createOrder(SYMBOL, 'limit', 'buy', 0.5, price, {
      newClientOrderId: clientId('uds-fill'),
    });
    await eventually(() => orders.items.some((order) => order.id === placed.id));
    await admin(sim, 'POST', '/admin/trade', { symbol: SYMBOL, side: 'SELL', quantity: '0.2' });
    await eventually(() => orders.items.some((order) => order.id === placed.id && order.filled === 0.2));
    await admin(sim, 'POST', '/admin/trade', { symbol: SYMBOL, side: 'SELL', quantity: '0.3' });
    await eventually(() => orders.items.some((order) => order.id === placed.id && order.status === 'closed'));
    await eventually(() => trades.items.length === 2);

    const updates = orders.items.filter((order) => order.id === placed.id);
    expect(updates.map((order) => [order.status, order.filled])).toEqual([
      ['open', 0],
      ['open', 0.2],
      ['closed', 0.5],
    ]);
    expect(updates.map((order) => (order.info as Json).x)).toEqual(['NEW', 'TRADE', 'TRADE']);
    for (const update of updates) {
      expect(update).toMatchObject({ clientOrderId: placed.clientOrderId, symbol: SYMBOL, side: 'buy' });
      expect(update.price).toBe(price);
      expect(update.amount).toBe(0.5);
    }

    // The pushed trades are the REST trades: same ids, prices, quantities and fees.
    const restTrades = await rest.fetchMyTrades(SYMBOL);
    const ofOrder = restTrades.filter((trade) => trade.order === placed.id);
    expect(ofOrder).toHaveLength(2);
    expect(trades.items.map((trade) => [trade.id, trade.order, trade.price, trade.amount])).toEqual(
      ofOrder.map((trade) => [trade.id, trade.order, trade.price, trade.amount]),
    );
    expect(trades.items.map((trade) => trade.fee)).toEqual([
      { cost: 0.0002, currency: 'BTC' },
      { cost: 0.0003, currency: 'BTC' },
    ]);
    expect(trades.items.map((trade) => trade.fee?.cost)).toEqual(ofOrder.map((trade) => trade.fee?.cost));
    expect(trades.items.every((trade) => trade.takerOrMaker === 'maker' && trade.side === 'buy')).toBe(true);

    // The last push agrees with the REST order.
    const final = await rest.fetchOrder(placed.id!, SYMBOL);
    const last = updates[updates.length - 1]!;
    expect([last.filled, last.cost, last.status]).toEqual([final.filled, final.cost, final.status]);
    expect(orders.error()).toBeUndefined();
  });

  it('watchOrders sees a cancel, with the order’s own client id', async () => {
    const pro = proClient();
    await pro.loadMarkets();
    const orders = collect(() => pro.watchOrders(SYMBOL));
    await eventually(async () => (await streamStatus()).subscriptions === 1);

    const placed = await rest.createOrder(SYMBOL, 'limit', 'buy', 0.1, 50000, {
      newClientOrderId: clientId('uds-cancel'),
    });
    await rest.cancelOrder(placed.id!, SYMBOL);
    await eventually(() => orders.items.some((order) => order.status === 'canceled'));

    const updates = orders.items.filter((order) => order.id === placed.id);
    expect(updates.map((order) => order.status)).toEqual(['open', 'canceled']);
    const canceled = updates[1]!;
    expect(canceled.clientOrderId).toBe(placed.clientOrderId);
    expect((canceled.info as Json).C).toBe(placed.clientOrderId);
    expect(canceled.filled).toBe(0);
  });

  it('watchBalance follows the outboundAccountPosition events', async () => {
    const pro = proClient();
    await pro.loadMarkets();
    const balances = collect(async () => [await pro.watchBalance()]);
    await eventually(async () => (await streamStatus()).subscriptions === 1);
    await rest.createOrder(SYMBOL, 'limit', 'buy', 0.25, 50000);
    await eventually(() => balances.items.some((balance) => balance.USDT?.used === 12500));
    const latest = balances.items[balances.items.length - 1]!;
    expect(latest.USDT).toMatchObject({ free: 987500, used: 12500, total: 1000000 });
    expect(latest.BTC).toMatchObject({ free: 10, used: 0, total: 10 });
  });

  it('refuses a bad signature with -1022, which ccxt maps to AuthenticationError', async () => {
    const pro = proClient({ apiKey: DEFAULT_SIM_API_KEY, secret: 'not-the-secret' });
    await pro.loadMarkets();
    const error = await errorOf(pro.watchOrders(SYMBOL));
    expect(error).toBeInstanceOf(ccxt.AuthenticationError);
    expect(error.message).toContain('Signature for this request is not valid.');
  });

  it('admin down cuts the stream (the watch rejects with NetworkError); after up a new watch works', async () => {
    const pro = proClient();
    await pro.loadMarkets();
    const pending = pro.watchOrders(SYMBOL);
    pending.catch(() => undefined);
    await eventually(async () => (await streamStatus()).subscriptions === 1);

    const down = await admin<StreamStatus>(sim, 'POST', '/admin/stream', { down: true });
    expect(down).toMatchObject({ down: true, connections: 0 });
    expect(await errorOf(pending)).toBeInstanceOf(ccxt.NetworkError);
    await eventually(async () => (await streamStatus()).subscriptions === 0);
    // While down, new connections are refused.
    expect(await errorOf(pro.watchOrders(SYMBOL))).toBeInstanceOf(ccxt.NetworkError);

    await admin(sim, 'POST', '/admin/stream', { down: false });
    const orders = collect(() => pro.watchOrders(SYMBOL));
    await eventually(async () => (await streamStatus()).subscriptions === 1);
    const placed = await rest.createOrder(SYMBOL, 'limit', 'buy', 0.1, 50000);
    await eventually(() => orders.items.some((order) => order.id === placed.id));
    expect(orders.error()).toBeUndefined();
  });
});

/** A bare WebSocket client that keeps every JSON message it receives. */
class RawSocket {
  readonly received: Json[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.received.push(JSON.parse(String(data)) as Json));
  }

  static async open(url: string): Promise<RawSocket> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new RawSocket(ws);
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first received message (from `from` on) that matches. */
  async next(match: (message: Json) => boolean, from = 0): Promise<Json> {
    let found: Json | undefined;
    await eventually(() => {
      found = this.received.slice(from).find(match);
      return found !== undefined;
    });
    return found!;
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise((resolve) => this.ws.once('close', resolve));
    this.ws.close();
    await closed;
  }
}

function wsApiUrl(): string {
  return `${sim.url.replace(/^http/, 'ws')}/ws-api/v3`;
}

function signedSubscribe(id: string, secret = DEFAULT_SIM_API_SECRET, timestamp = Date.now()): Json {
  const params: Json = { apiKey: DEFAULT_SIM_API_KEY, timestamp };
  const payload = Object.keys(params)
    .sort()
    .map((name) => `${name}=${String(params[name])}`)
    .join('&');
  const signature = createHmac('sha256', secret).update(payload).digest('hex');
  return { id, method: 'userDataStream.subscribe.signature', params: { ...params, signature } };
}

describe('the WebSocket API protocol, raw', () => {
  let socket: RawSocket;
  beforeEach(async () => {
    socket = await RawSocket.open(wsApiUrl());
  });
  afterEach(async () => {
    await socket.close();
  });

  it('answers ping, subscribe, unknown methods and bad JSON in Binance’s shapes', async () => {
    socket.send({ id: 1, method: 'ping' });
    expect(await socket.next((m) => m.id === 1)).toEqual({ id: 1, status: 200, result: {} });

    socket.send({ id: 'x', method: 'order.place', params: {} });
    expect(await socket.next((m) => m.id === 'x')).toEqual({
      id: 'x',
      status: 400,
      error: { code: -1020, msg: 'This operation is not supported.' },
    });

    socket.send('{not json');
    expect(await socket.next((m) => m.id === null)).toEqual({
      id: null,
      status: 400,
      error: { code: -1135, msg: 'Invalid JSON Request' },
    });

    socket.send(signedSubscribe('bad', 'wrong-secret'));
    expect(await socket.next((m) => m.id === 'bad')).toEqual({
      id: 'bad',
      status: 400,
      error: { code: -1022, msg: 'Signature for this request is not valid.' },
    });

    socket.send(signedSubscribe('stale', DEFAULT_SIM_API_SECRET, Date.now() - 60_000));
    expect(await socket.next((m) => m.id === 'stale')).toMatchObject({
      status: 400,
      error: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' },
    });

    socket.send(signedSubscribe('sub'));
    expect(await socket.next((m) => m.id === 'sub')).toEqual({
      id: 'sub',
      status: 200,
      result: { subscriptionId: 0 },
    });

    socket.send(signedSubscribe('again'));
    expect(await socket.next((m) => m.id === 'again')).toMatchObject({ status: 400, error: { code: -2035 } });
  });

  it('wraps events as {subscriptionId, event}: executionReport fields agree with REST, then the balances', async () => {
    socket.send(signedSubscribe('sub'));
    await socket.next((m) => m.id === 'sub');
    const from = socket.received.length;

    const clientOrderId = clientId('uds-raw');
    const placed = await rest.createOrder(SYMBOL, 'limit', 'buy', 0.25, 50000, {
      newClientOrderId: clientOrderId,
    });
    const report = await socket.next((m) => (m.event as Json | undefined)?.e === 'executionReport', from);
    const position = await socket.next(
      (m) => (m.event as Json | undefined)?.e === 'outboundAccountPosition',
      from,
    );
    expect(Object.keys(report)).toEqual(['subscriptionId', 'event']);
    expect(report.subscriptionId).toBe(0);

    const restOrder = (await rest.fetchOrder(placed.id!, SYMBOL)).info as Json;
    const event = report.event as Json;
    expect(event).toMatchObject({
      e: 'executionReport',
      s: 'BTCUSDT',
      c: clientOrderId,
      S: 'BUY',
      o: 'LIMIT',
      f: 'GTC',
      q: restOrder.origQty,
      p: restOrder.price,
      P: '0.00000000',
      g: -1,
      C: '',
      x: 'NEW',
      X: 'NEW',
      r: 'NONE',
      i: Number(restOrder.orderId),
      l: '0.00000000',
      z: '0.00000000',
      L: '0.00000000',
      n: '0',
      N: null,
      T: Number(restOrder.time),
      t: -1,
      w: true,
      m: false,
      O: Number(restOrder.time),
      Z: '0.00000000',
      Y: '0.00000000',
      Q: '0.00000000',
      W: Number(restOrder.workingTime),
      V: restOrder.selfTradePreventionMode,
    });
    expect(typeof event.E).toBe('number');

    // 0.25 BTC × 50000 = 12500 USDT locked by the order.
    const balances = (position.event as { B: { a: string; f: string; l: string }[] }).B;
    expect(balances.map((entry) => entry.a)).toEqual(['BTC', 'USDT']);
    expect(balances.find((entry) => entry.a === 'USDT')).toEqual({
      a: 'USDT',
      f: '987500.00000000',
      l: '12500.00000000',
    });
    expect(socket.received.indexOf(report)).toBeLessThan(socket.received.indexOf(position));

    // Unsubscribed, the connection gets no more events.
    socket.send({ id: 'unsub', method: 'userDataStream.unsubscribe' });
    expect(await socket.next((m) => m.id === 'unsub')).toEqual({ id: 'unsub', status: 200, result: {} });
    const afterUnsubscribe = socket.received.length;
    await rest.cancelOrder(placed.id!, SYMBOL);
    socket.send({ id: 'p', method: 'ping' });
    await socket.next((m) => m.id === 'p');
    expect(socket.received.slice(afterUnsubscribe).filter((m) => m.event !== undefined)).toEqual([]);
  });

  it('pushes cancel-replace as CANCELED then NEW, an unfilled IOC as NEW then EXPIRED', async () => {
    socket.send(signedSubscribe('sub'));
    await socket.next((m) => m.id === 'sub');
    const reports = (): Json[] =>
      socket.received
        .map((m) => m.event as Json | undefined)
        .filter((event): event is Json => event?.e === 'executionReport');

    const original = await rest.createOrder(SYMBOL, 'limit', 'buy', 0.1, 50000);
    const replaced = await rest.editOrder(original.id!, SYMBOL, 'limit', 'buy', 0.2, 50100);
    await eventually(() => reports().some((event) => event.i === Number(replaced.id)));
    expect(reports().map((event) => [event.i, event.x, event.X, event.q])).toEqual([
      [Number(original.id), 'NEW', 'NEW', '0.10000000'],
      [Number(original.id), 'CANCELED', 'CANCELED', '0.10000000'],
      [Number(replaced.id), 'NEW', 'NEW', '0.20000000'],
    ]);

    const ioc = await rest.createOrder(SYMBOL, 'limit', 'buy', 0.1, 50000, { timeInForce: 'IOC' });
    await eventually(() => reports().some((event) => event.i === Number(ioc.id) && event.x === 'EXPIRED'));
    const iocReports = reports().filter((event) => event.i === Number(ioc.id));
    expect(iocReports.map((event) => [event.x, event.X, event.f])).toEqual([
      ['NEW', 'NEW', 'IOC'],
      ['EXPIRED', 'EXPIRED', 'IOC'],
    ]);
    expect(ioc.status).toBe('expired');
  });

  it('pushes an admin deposit as balanceUpdate, then the new position', async () => {
    socket.send(signedSubscribe('sub'));
    await socket.next((m) => m.id === 'sub');
    const from = socket.received.length;
    await admin(sim, 'POST', '/admin/balances', { apiKey: DEFAULT_SIM_API_KEY, asset: 'ETH', delta: '1.5' });
    const update = await socket.next((m) => (m.event as Json | undefined)?.e === 'balanceUpdate', from);
    expect(update.event).toMatchObject({ a: 'ETH', d: '1.50000000' });
    const position = await socket.next(
      (m) => (m.event as Json | undefined)?.e === 'outboundAccountPosition',
      from,
    );
    expect((position.event as Json).B).toEqual([{ a: 'ETH', f: '201.50000000', l: '0.00000000' }]);
  });

  it('counts connections, subscriptions and messages in GET /admin/stream', async () => {
    socket.send(signedSubscribe('sub'));
    await socket.next((m) => m.id === 'sub');
    const before = await streamStatus();
    expect(before).toMatchObject({ down: false, connections: 1, subscriptions: 1 });
    await rest.createOrder(SYMBOL, 'limit', 'buy', 0.1, 50000);
    await eventually(async () => {
      const now = await streamStatus();
      return (
        (now.messagesSent[DEFAULT_SIM_API_KEY] ?? 0) >= (before.messagesSent[DEFAULT_SIM_API_KEY] ?? 0) + 2
      );
    });
  });

  it('refuses upgrades on unknown paths and while the stream is down', async () => {
    const origin = sim.url.replace(/^http/, 'ws');
    await expect(RawSocket.open(`${origin}/ws-fapi/v1`)).rejects.toThrow(/404/);
    await admin(sim, 'POST', '/admin/stream', { down: true });
    await expect(RawSocket.open(wsApiUrl())).rejects.toThrow(/503/);
  });
});

describe('the legacy listenKey stream', () => {
  it('POST /api/v3/userDataStream hands out a key; /ws/<listenKey> receives bare events; DELETE closes it', async () => {
    const headers = { 'X-MBX-APIKEY': DEFAULT_SIM_API_KEY };
    const created = await fetch(`${sim.url}/api/v3/userDataStream`, { method: 'POST', headers });
    const { listenKey } = (await created.json()) as { listenKey: string };
    expect(listenKey).toMatch(/^[A-Za-z0-9]{60}$/);
    const again = await fetch(`${sim.url}/api/v3/userDataStream`, { method: 'POST', headers });
    expect(((await again.json()) as { listenKey: string }).listenKey).toBe(listenKey);

    const socket = await RawSocket.open(`${sim.url.replace(/^http/, 'ws')}/ws/${listenKey}`);
    await eventually(async () => (await streamStatus()).subscriptions === 1);
    const placed = await rest.createOrder(SYMBOL, 'limit', 'buy', 0.1, 50000);
    const report = await socket.next((m) => m.e === 'executionReport');
    expect(report).toMatchObject({ x: 'NEW', i: Number(placed.id) });

    const keepAlive = await fetch(`${sim.url}/api/v3/userDataStream?listenKey=${listenKey}`, {
      method: 'PUT',
      headers,
    });
    expect(await keepAlive.json()).toEqual({});
    const closed = new Promise((resolve) => socket.ws.once('close', resolve));
    await fetch(`${sim.url}/api/v3/userDataStream?listenKey=${listenKey}`, { method: 'DELETE', headers });
    await closed;

    const unknown = await fetch(`${sim.url}/api/v3/userDataStream?listenKey=${listenKey}`, {
      method: 'PUT',
      headers,
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ code: -1125, msg: 'This listenKey does not exist.' });
  });
});
