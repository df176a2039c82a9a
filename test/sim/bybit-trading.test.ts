/**
 * An unmodified ccxt.bybit trading spot on the simulator's Bybit v5 dialect: order types,
 * amends, lookups, fills, balances. The market is frozen (tickMs 0) and reset before each test.
 */
import { Decimal } from '../../src/sim/engine/decimal';
import type { RunningSimulator } from '../../src/sim/server';
import { bybitOn, type ccxt } from './bybit-harness';
import { admin, clientId, startTestSimulator, type AdminOrder } from './harness';

let sim: RunningSimulator;
let exchange: ccxt.bybit;

beforeAll(async () => {
  sim = await startTestSimulator();
  exchange = bybitOn(sim);
  await exchange.loadMarkets();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await admin(sim, 'POST', '/admin/reset');
});

interface RawCoin {
  coin: string;
  walletBalance: string;
  locked: string;
}

/** A coin's raw Bybit wallet entry, as exact decimals. */
async function rawBalance(coin: string): Promise<{ wallet: Decimal; locked: Decimal }> {
  const balance = await exchange.fetchBalance();
  const info = balance.info as { result: { list: { coin: RawCoin[] }[] } };
  const entry = info.result.list[0]!.coin.find((candidate) => candidate.coin === coin);
  if (!entry) throw new Error(`no ${coin} balance`);
  return { wallet: new Decimal(entry.walletBalance), locked: new Decimal(entry.locked) };
}

async function bestLevels(): Promise<{ bid: [number, number]; ask: [number, number] }> {
  const book = await exchange.fetchOrderBook('BTC/USDT', 5);
  return { bid: book.bids[0] as [number, number], ask: book.asks[0] as [number, number] };
}

/** Rests a sell inside the spread (the new best ask), then lets the synthetic market buy `take` of it. */
async function partiallyFilledSell(qty: number, take: string): Promise<ccxt.Order> {
  const { ask } = await bestLevels();
  const price = new Decimal(ask[0]).minus('0.5').toNumber();
  const order = await exchange.createOrder('BTC/USDT', 'limit', 'sell', qty, price, {
    clientOrderId: clientId('partial'),
  });
  await admin(sim, 'POST', '/admin/trade', { symbol: 'BTC/USDT', side: 'BUY', quantity: take });
  return order;
}

describe('orders', () => {
  it('rests a limit order with its orderLinkId, locks its funds, and cancels it', async () => {
    const linkId = clientId('rest');
    const created = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 55000, {
      clientOrderId: linkId,
    });
    expect(created.clientOrderId).toBe(linkId);
    const order = await exchange.fetchOpenOrder(created.id!, 'BTC/USDT');
    expect(order).toMatchObject({
      id: created.id,
      clientOrderId: linkId,
      status: 'open',
      type: 'limit',
      side: 'buy',
      price: 55000,
      amount: 0.01,
      filled: 0,
      remaining: 0.01,
      timeInForce: 'GTC',
    });
    expect((await rawBalance('USDT')).locked.toString()).toBe('550');
    expect((await exchange.fetchOpenOrders('BTC/USDT')).map((open) => open.id)).toEqual([created.id]);

    const canceled = await exchange.cancelOrder(created.id!, 'BTC/USDT');
    expect(canceled.id).toBe(created.id);
    expect(await exchange.fetchOpenOrders('BTC/USDT')).toEqual([]);
    expect((await exchange.fetchOrder(created.id!, 'BTC/USDT')).status).toBe('canceled');
    expect((await rawBalance('USDT')).locked.toString()).toBe('0');
  });

  it('fills a market order across several levels at the volume-weighted price', async () => {
    const book = await exchange.fetchOrderBook('BTC/USDT', 20);
    const amount = 2.5;
    let left = new Decimal(amount);
    let cost = new Decimal(0);
    let levels = 0;
    for (const [price, size] of book.asks as [number, number][]) {
      if (left.lte(0)) break;
      const take = Decimal.min(left, new Decimal(size));
      cost = cost.plus(take.mul(price));
      left = left.minus(take);
      levels += 1;
    }
    expect(levels).toBeGreaterThan(1);

    // A unified account sizes a market buy in base when ccxt sends marketUnit=baseCoin.
    const created = await exchange.createOrder('BTC/USDT', 'market', 'buy', amount);
    const order = await exchange.fetchOrder(created.id!, 'BTC/USDT');

    expect(order).toMatchObject({ status: 'closed', type: 'market', filled: amount, amount });
    expect((order.info as { marketUnit: string }).marketUnit).toBe('baseCoin');
    expect(new Decimal((order.info as { cumExecValue: string }).cumExecValue).eq(cost)).toBe(true);
    expect(order.average).toBeCloseTo(cost.div(amount).toNumber(), 6);
    expect(order.fee).toEqual({ currency: 'BTC', cost: 0.0025 });
    const trades = await exchange.fetchOrderTrades(created.id!, 'BTC/USDT');
    expect(trades).toHaveLength(levels);
    expect(trades.every((trade) => trade.takerOrMaker === 'taker' && trade.order === created.id)).toBe(true);
  });

  it('spends a quote amount with a market buy by cost (marketUnit=quoteCoin)', async () => {
    const created = await exchange.createMarketBuyOrderWithCost('BTC/USDT', 1000);
    const order = await exchange.fetchOrder(created.id!, 'BTC/USDT');
    expect(order.status).toBe('closed');
    expect((order.info as { marketUnit: string; qty: string }).marketUnit).toBe('quoteCoin');
    expect(order.cost!).toBeLessThanOrEqual(1000);
    expect(order.cost!).toBeGreaterThan(999);
    expect(order.filled!).toBeGreaterThan(0);
  });

  it('fills what it can of an IOC order and cancels the rest (PartiallyFilledCanceled → ccxt "closed")', async () => {
    const { ask } = await bestLevels();
    const [bestAsk, bestSize] = ask;
    const amount = new Decimal(bestSize).plus('0.01').toNumber();

    const created = await exchange.createOrder('BTC/USDT', 'limit', 'buy', amount, bestAsk, {
      timeInForce: 'IOC',
    });
    const order = await exchange.fetchOrder(created.id!, 'BTC/USDT');

    expect((order.info as { orderStatus: string; rejectReason: string }).orderStatus).toBe(
      'PartiallyFilledCanceled',
    );
    // ccxt maps PartiallyFilledCanceled to 'closed': only filled < amount tells it apart from a fill.
    expect(order).toMatchObject({
      status: 'closed',
      timeInForce: 'IOC',
      filled: bestSize,
      amount,
      remaining: 0,
    });
    expect(await exchange.fetchOpenOrders('BTC/USDT')).toEqual([]);
  });

  it('cancels a fill-or-kill order the book cannot fill whole', async () => {
    const { ask } = await bestLevels();
    const created = await exchange.createOrder('BTC/USDT', 'limit', 'buy', ask[1] + 0.01, ask[0], {
      timeInForce: 'FOK',
    });
    const order = await exchange.fetchOrder(created.id!, 'BTC/USDT');
    expect(order).toMatchObject({ status: 'canceled', filled: 0, timeInForce: 'FOK' });
    expect((order.info as { rejectReason: string }).rejectReason).toBe('EC_CancelForNoFullFill');
  });

  it('rests a post-only order that does not cross', async () => {
    const { bid } = await bestLevels();
    const created = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, bid[0], { postOnly: true });
    const order = await exchange.fetchOrder(created.id!, 'BTC/USDT');
    expect(order).toMatchObject({ status: 'open', timeInForce: 'PO' });
  });

  it('generates a numeric orderLinkId when none is sent, as Bybit spot does', async () => {
    const created = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 55000);
    expect(created.clientOrderId).toMatch(/^\d{16}$/);
  });

  it('cancels every open order of a symbol', async () => {
    const first = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 55000);
    const second = await exchange.createOrder('BTC/USDT', 'limit', 'sell', 0.01, 65000);
    const other = await exchange.createOrder('ETH/USDT', 'limit', 'buy', 0.1, 2500);
    await exchange.cancelAllOrders('BTC/USDT');
    expect((await exchange.fetchOpenOrders()).map((order) => order.id)).toEqual([other.id]);
    for (const order of [first, second]) {
      expect((await exchange.fetchOrder(order.id!, 'BTC/USDT')).status).toBe('canceled');
    }
  });
});

describe('amend (editOrder → POST /v5/order/amend)', () => {
  it('moves the price and quantity of a resting order, keeping its ids', async () => {
    const linkId = clientId('amend');
    const created = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 55000, {
      clientOrderId: linkId,
    });

    const edited = await exchange.editOrder(created.id!, 'BTC/USDT', 'limit', 'buy', 0.02, 55100);
    expect(edited).toMatchObject({ id: created.id, clientOrderId: linkId });

    const order = await exchange.fetchOrder(created.id!, 'BTC/USDT');
    expect(order).toMatchObject({
      id: created.id,
      clientOrderId: linkId,
      status: 'open',
      price: 55100,
      amount: 0.02,
    });
    expect((await exchange.fetchOpenOrders('BTC/USDT')).map((open) => [open.id, open.price])).toEqual([
      [created.id, 55100],
    ]);
    expect((await rawBalance('USDT')).locked.toString()).toBe('1102');
    // /admin/orders keeps one record for the order, following it through the amend.
    const records = await admin<AdminOrder[]>(sim, 'GET', `/admin/orders?clientOrderId=${linkId}`);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'NEW', origQty: '0.02' });
  });

  it('keeps the filled part across an amend: qty is the new total', async () => {
    const created = await partiallyFilledSell(1, '0.3');
    const before = await exchange.fetchOrder(created.id!, 'BTC/USDT');
    expect(before).toMatchObject({ status: 'open', filled: 0.3, remaining: 0.7 });

    await exchange.editOrder(created.id!, 'BTC/USDT', 'limit', 'sell', 0.8, before.price);
    const after = await exchange.fetchOrder(created.id!, 'BTC/USDT');
    expect(after).toMatchObject({ id: created.id, status: 'open', amount: 0.8, filled: 0.3, remaining: 0.5 });
    expect((after.info as { orderStatus: string }).orderStatus).toBe('PartiallyFilled');
    expect((await rawBalance('BTC')).locked.toString()).toBe('0.5');

    // The rest fills later; the trades of both legs belong to the one order.
    await admin(sim, 'POST', '/admin/trade', { symbol: 'BTC/USDT', side: 'BUY', quantity: '0.5' });
    const filled = await exchange.fetchOrder(created.id!, 'BTC/USDT');
    expect(filled).toMatchObject({ status: 'closed', amount: 0.8, filled: 0.8 });
    const trades = await exchange.fetchOrderTrades(created.id!, 'BTC/USDT');
    expect(trades.map((trade) => trade.amount)).toEqual([0.3, 0.5]);
    expect(trades.every((trade) => trade.order === created.id && trade.takerOrMaker === 'maker')).toBe(true);
  });
});

describe('lookups', () => {
  it('finds an order by id and by orderLinkId, open or closed', async () => {
    const linkId = clientId('lookup');
    const created = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 55000, {
      clientOrderId: linkId,
    });

    const byId = await exchange.fetchOrder(created.id!, 'BTC/USDT');
    // ccxt sends fetchOrder's params as they are: orderLinkId, not clientOrderId, names the order.
    const byLinkId = await exchange.fetchOrder('', 'BTC/USDT', { orderLinkId: linkId });
    expect(byLinkId.id).toBe(created.id);
    expect(byLinkId).toEqual(byId);
    expect((await exchange.fetchOpenOrder(created.id!, 'BTC/USDT')).clientOrderId).toBe(linkId);

    await exchange.cancelOrder('', 'BTC/USDT', { orderLinkId: linkId });
    expect((await exchange.fetchOrder('', 'BTC/USDT', { orderLinkId: linkId })).status).toBe('canceled');
    // Bybit ignores openOnly when an order is named, so ccxt's fetchOpenOrder returns it closed too.
    expect((await exchange.fetchOpenOrder(created.id!, 'BTC/USDT')).status).toBe('canceled');
    await expect(exchange.fetchOrder('999', 'BTC/USDT')).rejects.toThrow(/not found/);
  });

  it('finds a filled order with fetchClosedOrder (Bybit history, orderStatus=Filled)', async () => {
    const created = await exchange.createOrder('BTC/USDT', 'market', 'sell', 0.05);
    const closed = await exchange.fetchClosedOrder(created.id!, 'BTC/USDT');
    expect(closed).toMatchObject({ id: created.id, status: 'closed', filled: 0.05 });
    // A cancelled order is not "closed" for ccxt.bybit: fetchClosedOrder asks for Filled only.
    const resting = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 55000);
    await exchange.cancelOrder(resting.id!, 'BTC/USDT');
    await expect(exchange.fetchClosedOrder(resting.id!, 'BTC/USDT')).rejects.toThrow(/not found/);
    expect((await exchange.fetchCanceledOrders('BTC/USDT')).map((order) => order.id)).toEqual([resting.id]);
  });

  it('lists open orders of every symbol (Bybit: newest first; ccxt sorts them oldest first)', async () => {
    const btc = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 55000);
    const eth = await exchange.createOrder('ETH/USDT', 'limit', 'sell', 0.1, 3500);
    await exchange.createOrder('SOL/USDT', 'market', 'buy', 1);
    const open = await exchange.fetchOpenOrders();
    expect(open.map((order) => [order.symbol, order.id]).sort()).toEqual([
      ['BTC/USDT', btc.id],
      ['ETH/USDT', eth.id],
    ]);
    const raw = (await exchange.privateGetV5OrderRealtime({ category: 'spot' })) as {
      result: { list: { orderId: string }[] };
    };
    expect(raw.result.list.map((order) => order.orderId)).toEqual([eth.id, btc.id]);
  });

  it('lists the account trades with fees, newest last as ccxt sorts them', async () => {
    const buy = await exchange.createOrder('BTC/USDT', 'market', 'buy', 0.1);
    const sell = await exchange.createOrder('BTC/USDT', 'market', 'sell', 0.1);
    const trades = await exchange.fetchMyTrades('BTC/USDT');
    expect(trades.map((trade) => [trade.order, trade.side])).toEqual([
      [buy.id, 'buy'],
      [sell.id, 'sell'],
    ]);
    const [bought, sold] = trades as [ccxt.Trade, ccxt.Trade];
    expect(bought.fee).toMatchObject({ currency: 'BTC', cost: 0.0001, rate: 0.001 });
    expect(sold.fee!.currency).toBe('USDT');
    expect(sold.fee!.cost).toBeCloseTo(sold.cost! * 0.001, 8);
  });
});

describe('balances and the order log', () => {
  it('moves balances by the fills, fees taken from what was received', async () => {
    const before = { btc: await rawBalance('BTC'), usdt: await rawBalance('USDT') };
    expect(before.btc.wallet.toString()).toBe('10');
    expect(before.usdt.wallet.toString()).toBe('1000000');

    const created = await exchange.createOrder('BTC/USDT', 'market', 'buy', 0.5);
    const order = await exchange.fetchOrder(created.id!, 'BTC/USDT');
    const info = order.info as { cumExecValue: string; cumExecFee: string; cumExecQty: string };

    const btc = await rawBalance('BTC');
    const usdt = await rawBalance('USDT');
    expect(info.cumExecFee).toBe('0.0005');
    expect(btc.wallet.toString()).toBe(new Decimal('10').plus('0.5').minus('0.0005').toString());
    expect(usdt.wallet.toString()).toBe(new Decimal('1000000').minus(info.cumExecValue).toString());
    const balance = await exchange.fetchBalance();
    expect(balance['BTC']).toMatchObject({ total: 10.4995, used: 0, free: 10.4995 });
  });

  it('logs every order placed through Bybit in /admin/orders with its orderLinkId', async () => {
    const linkId = clientId('log');
    const created = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 55000, {
      clientOrderId: linkId,
    });
    await expect(
      exchange.createOrder('BTC/USDT', 'limit', 'buy', 100, 60000, { clientOrderId: clientId('broke') }),
    ).rejects.toThrow();

    const records = await admin<AdminOrder[]>(sim, 'GET', '/admin/orders?symbol=BTC/USDT');
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      endpoint: 'v5/order/create',
      clientOrderId: linkId,
      orderId: Number(created.id),
      side: 'Buy',
      type: 'Limit',
      status: 'NEW',
      domainStatus: 'ACCEPTED',
      origQty: '0.01',
    });
    expect(records[1]).toMatchObject({
      status: 'REJECTED',
      rejectCode: 170131,
      rejectReason: 'Insufficient balance.',
    });
  });
});
