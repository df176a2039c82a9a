/**
 * An unmodified ccxt.binance trading on the simulator: order types, lookups, fills, balances.
 * The market is frozen (tickMs 0) and reset before each test, so the book is the seeded one.
 */
import type * as ccxt from 'ccxt';
import { Decimal } from '../../src/sim/engine/decimal';
import type { RunningSimulator } from '../../src/sim/server';
import { binanceOn } from './ccxt-harness';
import { admin, clientId, startTestSimulator } from './harness';

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

/** The raw Binance balance of an asset, as exact decimals. */
async function rawBalance(asset: string): Promise<{ free: Decimal; locked: Decimal }> {
  const balance = await exchange.fetchBalance();
  const balances = (balance.info as { balances: { asset: string; free: string; locked: string }[] }).balances;
  const entry = balances.find((candidate) => candidate.asset === asset);
  if (!entry) throw new Error(`no ${asset} balance`);
  return { free: new Decimal(entry.free), locked: new Decimal(entry.locked) };
}

describe('markets', () => {
  it('loads only the spot exchangeInfo, and parses the filters', async () => {
    const fresh = binanceOn(sim);
    const urls: string[] = [];
    const originalFetch = fresh.fetch.bind(fresh);
    fresh.fetch = (url: string, ...rest: unknown[]) => {
      urls.push(url);
      return originalFetch(url, ...(rest as [string?, Record<string, unknown>?, string?]));
    };
    const markets = await fresh.loadMarkets();

    expect(urls).toEqual([`${sim.url}/api/v3/exchangeInfo`]);
    expect(Object.keys(markets).sort()).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT']);
    const btc = markets['BTC/USDT']!;
    expect(btc).toMatchObject({ id: 'BTCUSDT', spot: true, active: true, base: 'BTC', quote: 'USDT' });
    expect(btc.precision).toMatchObject({ amount: 0.00001, price: 0.01 });
    expect(btc.limits.amount).toMatchObject({ min: 0.00001, max: 9000 });
    expect(btc.limits.price).toMatchObject({ min: 0.01, max: 1000000 });
    expect(btc.limits.cost).toMatchObject({ min: 5 });
    expect(markets['ETH/USDT']!.precision.amount).toBe(0.0001);
    expect(markets['SOL/USDT']!.precision.amount).toBe(0.001);
  });
});

describe('orders', () => {
  it('rests a limit order, locks its funds, and cancels it', async () => {
    const order = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 55000);
    expect(order).toMatchObject({
      status: 'open',
      type: 'limit',
      side: 'buy',
      price: 55000,
      amount: 0.01,
      filled: 0,
    });
    expect((await rawBalance('USDT')).locked.toString()).toBe('550');
    expect((await exchange.fetchOpenOrders('BTC/USDT')).map((open) => open.id)).toEqual([order.id]);

    const canceled = await exchange.cancelOrder(order.id!, 'BTC/USDT');
    expect(canceled.status).toBe('canceled');
    expect(canceled.id).toBe(order.id);
    expect(await exchange.fetchOpenOrders('BTC/USDT')).toEqual([]);
    expect((await rawBalance('USDT')).locked.toString()).toBe('0');
  });

  it('fills a market order across several levels at the volume-weighted price', async () => {
    const book = await exchange.fetchOrderBook('BTC/USDT', 20);
    const amount = 2.5;
    // What the book says the order should get, level by level.
    let left = new Decimal(amount);
    const expected: [number, string][] = [];
    for (const [price, size] of book.asks as [number, number][]) {
      if (left.lte(0)) break;
      const take = Decimal.min(left, new Decimal(size));
      expected.push([price, take.toString()]);
      left = left.minus(take);
    }
    expect(expected.length).toBeGreaterThan(1);

    const order = await exchange.createOrder('BTC/USDT', 'market', 'buy', amount);

    expect(order.status).toBe('closed');
    expect(order.filled).toBe(amount);
    expect(order.trades.map((trade) => [trade.price, new Decimal(trade.amount!).toString()])).toEqual(
      expected,
    );
    const cost = expected.reduce(
      (sum, [price, qty]) => sum.plus(new Decimal(price).mul(qty)),
      new Decimal(0),
    );
    expect(new Decimal((order.info as { cummulativeQuoteQty: string }).cummulativeQuoteQty).eq(cost)).toBe(
      true,
    );
    expect(order.average).toBeCloseTo(cost.div(amount).toNumber(), 6);
    expect(order.fee).toMatchObject({ currency: 'BTC', cost: 0.0025 });
  });

  it('expires the rest of an IOC order after a partial fill', async () => {
    const book = await exchange.fetchOrderBook('BTC/USDT', 5);
    const [bestAsk, bestSize] = book.asks[0] as [number, number];
    const amount = new Decimal(bestSize).plus('0.01').toNumber();

    const order = await exchange.createOrder('BTC/USDT', 'limit', 'buy', amount, bestAsk, {
      timeInForce: 'IOC',
    });

    expect(order.status).toBe('expired');
    expect(order.timeInForce).toBe('IOC');
    expect(order.filled).toBe(bestSize);
    expect(order.remaining).toBeCloseTo(0.01, 8);
  });

  it('kills a FOK order it cannot fill completely', async () => {
    const book = await exchange.fetchOrderBook('BTC/USDT', 5);
    const [bestAsk, bestSize] = book.asks[0] as [number, number];

    const order = await exchange.createOrder('BTC/USDT', 'limit', 'buy', bestSize + 0.01, bestAsk, {
      timeInForce: 'FOK',
    });

    expect(order.status).toBe('expired');
    expect(order.filled).toBe(0);
    expect(order.trades).toEqual([]);
  });

  it('buys for a quote amount (quoteOrderQty)', async () => {
    const order = await exchange.createMarketBuyOrderWithCost('BTC/USDT', 1000);
    expect(order.status).toBe('closed');
    expect(order.cost).toBeLessThanOrEqual(1000);
    expect(order.cost).toBeGreaterThan(999);
    expect((order.info as { origQuoteOrderQty: string }).origQuoteOrderQty).toBe('1000.00000000');
  });

  it('edits an order with cancelReplace: a new order id with the new price and amount', async () => {
    const original = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 55000);

    const edited = await exchange.editOrder(original.id!, 'BTC/USDT', 'limit', 'buy', 0.02, 55500);

    expect(edited.id).not.toBe(original.id);
    expect(edited).toMatchObject({ status: 'open', price: 55500, amount: 0.02 });
    expect((await exchange.fetchOrder(original.id!, 'BTC/USDT')).status).toBe('canceled');
    expect((await exchange.fetchOpenOrders('BTC/USDT')).map((open) => open.id)).toEqual([edited.id]);
  });

  it('lists closed orders and cancels all open orders of a symbol', async () => {
    const filled = await exchange.createOrder('BTC/USDT', 'market', 'buy', 0.1);
    const first = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 50000);
    const second = await exchange.createOrder('BTC/USDT', 'limit', 'sell', 0.01, 70000);

    const canceled = await exchange.cancelAllOrders('BTC/USDT');

    expect(canceled.map((order) => order.id).sort()).toEqual([first.id, second.id].sort());
    const orders = await exchange.fetchOrders('BTC/USDT');
    expect(orders.map((order) => [order.id, order.status])).toEqual([
      [filled.id, 'closed'],
      [first.id, 'canceled'],
      [second.id, 'canceled'],
    ]);
    expect((await exchange.fetchClosedOrders('BTC/USDT')).map((order) => order.id)).toEqual([filled.id]);
  });

  it('finds an order by client order id (clientOrderId or origClientOrderId in params)', async () => {
    const id = clientId('lookup');
    const placed = await exchange.createOrder('BTC/USDT', 'limit', 'sell', 0.01, 65000, {
      clientOrderId: id,
    });
    expect(placed.clientOrderId).toBe(id);

    // fetchOrder needs the symbol; with a client order id in params the id argument is not sent.
    const byClientId = await exchange.fetchOrder('', 'BTC/USDT', { clientOrderId: id });
    const byOrigClientId = await exchange.fetchOrder('', 'BTC/USDT', { origClientOrderId: id });

    expect(byClientId).toMatchObject({ id: placed.id, clientOrderId: id, status: 'open' });
    expect(byOrigClientId.id).toBe(placed.id);
  });

  it("reports the cancel request's id as a cancelled order's clientOrderId, like Binance", async () => {
    const id = clientId('cancel');
    await exchange.createOrder('BTC/USDT', 'limit', 'sell', 0.01, 65000, { clientOrderId: id });
    const canceled = await exchange.cancelOrder('', 'BTC/USDT', { clientOrderId: id });
    expect(canceled.status).toBe('canceled');
    expect(canceled.clientOrderId).not.toBe(id);
    expect((canceled.info as { origClientOrderId: string }).origClientOrderId).toBe(id);
  });

  it('lists the fills of an order and of the account', async () => {
    const order = await exchange.createOrder('BTC/USDT', 'market', 'sell', 1.5);
    const orderTrades = await exchange.fetchOrderTrades(order.id!, 'BTC/USDT');
    const myTrades = await exchange.fetchMyTrades('BTC/USDT');

    expect(orderTrades.length).toBeGreaterThan(1);
    expect(orderTrades.every((trade) => trade.order === order.id && trade.side === 'sell')).toBe(true);
    expect(
      orderTrades.every((trade) => trade.takerOrMaker === 'taker' && trade.fee?.currency === 'USDT'),
    ).toBe(true);
    const filled = orderTrades.reduce((sum, trade) => sum.plus(new Decimal(trade.amount!)), new Decimal(0));
    expect(filled.toString()).toBe('1.5');
    expect(myTrades.map((trade) => trade.id)).toEqual(orderTrades.map((trade) => trade.id));
  });

  it('charges fees in the asset received, visible in the balance', async () => {
    const before = { btc: await rawBalance('BTC'), usdt: await rawBalance('USDT') };
    const order = await exchange.createOrder('BTC/USDT', 'market', 'buy', 1);
    const cost = new Decimal((order.info as { cummulativeQuoteQty: string }).cummulativeQuoteQty);

    const btc = await rawBalance('BTC');
    const usdt = await rawBalance('USDT');

    expect(btc.free.minus(before.btc.free).toString()).toBe('0.999'); // 1 BTC minus the 0.1% taker fee
    expect(before.usdt.free.minus(usdt.free).eq(cost)).toBe(true);
    const unified = await exchange.fetchBalance();
    expect(unified.BTC?.free).toBeCloseTo(10.999, 8);
  });

  it('fills a resting order when /admin/mid moves the market through it (the user is maker)', async () => {
    const order = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.5, 58800);
    expect(order.status).toBe('open');

    await admin(sim, 'POST', '/admin/mid', { symbol: 'BTC/USDT', price: '58000' });

    const filled = await exchange.fetchOrder(order.id!, 'BTC/USDT');
    expect(filled).toMatchObject({ status: 'closed', filled: 0.5, average: 58800 });
    const trades = await exchange.fetchOrderTrades(order.id!, 'BTC/USDT');
    expect(trades.every((trade) => trade.takerOrMaker === 'maker')).toBe(true);
    expect((await rawBalance('BTC')).free.toString()).toBe('10.4995');
  });

  it('triggers a stop-loss-limit order when the last price falls to its stop', async () => {
    const stop = await exchange.createOrder('BTC/USDT', 'limit', 'sell', 0.1, 58000, { stopPrice: 59000 });
    expect(stop).toMatchObject({ status: 'open', triggerPrice: 59000, type: 'limit' });
    expect((stop.info as { type: string }).type).toBe('STOP_LOSS_LIMIT');
    const waiting = await exchange.fetchOrder(stop.id!, 'BTC/USDT');
    expect((waiting.info as { isWorking: boolean }).isWorking).toBe(false);
    expect((await rawBalance('BTC')).locked.toString()).toBe('0.1');

    await admin(sim, 'POST', '/admin/mid', { symbol: 'BTC/USDT', price: '58500' });

    const triggered = await exchange.fetchOrder(stop.id!, 'BTC/USDT');
    expect(triggered.status).toBe('closed');
    expect((triggered.info as { isWorking: boolean }).isWorking).toBe(true);
    expect(triggered.average).toBeGreaterThanOrEqual(58000);
    expect(triggered.average).toBeLessThanOrEqual(58500);
  });
});
