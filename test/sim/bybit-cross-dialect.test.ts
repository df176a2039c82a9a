/**
 * One venue, two dialects: orders sent through Bybit v5 and through Binance meet in the same
 * book, and an account is the same account whichever dialect its key signs.
 */
import { defaultAccount } from '../../src/sim/config';
import { Decimal } from '../../src/sim/engine/decimal';
import type { RunningSimulator } from '../../src/sim/server';
import { bybitOn, type ccxt } from './bybit-harness';
import { binanceOn } from './ccxt-harness';
import { admin, clientId, startTestSimulator, type AdminOrder } from './harness';

const OTHER = { apiKey: 'other-key', secret: 'other-secret' };

let sim: RunningSimulator;
let bybit: ccxt.bybit;
let binance: ccxt.binance;
let otherBinance: ccxt.binance;

beforeAll(async () => {
  sim = await startTestSimulator({
    accounts: [defaultAccount({}), { ...OTHER, balances: { USDT: '1000000', BTC: '10' } }],
  });
  bybit = bybitOn(sim);
  binance = binanceOn(sim);
  otherBinance = binanceOn(sim, OTHER);
  await Promise.all([bybit.loadMarkets(), binance.loadMarkets(), otherBinance.loadMarkets()]);
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await admin(sim, 'POST', '/admin/reset');
});

/** A price inside the spread, so an order there is alone at the top of the book. */
async function insideSpread(): Promise<number> {
  const book = await bybit.fetchOrderBook('BTC/USDT', 1);
  const bid = new Decimal((book.bids[0] as [number, number])[0]);
  const ask = new Decimal((book.asks[0] as [number, number])[0]);
  return bid.plus(ask).div(2).toDecimalPlaces(2).toNumber();
}

it('fills a Bybit maker against a Binance taker of another account', async () => {
  const price = await insideSpread();
  const linkId = clientId('x-maker');
  const maker = await bybit.createOrder('BTC/USDT', 'limit', 'sell', 0.3, price, { clientOrderId: linkId });
  // Binance sees the Bybit order at the top of the same book.
  const book = await binance.fetchOrderBook('BTC/USDT', 1);
  expect(book.asks[0]).toEqual([price, 0.3]);

  const taker = await otherBinance.createOrder('BTC/USDT', 'limit', 'buy', 0.3, price, {
    timeInForce: 'IOC',
  });
  expect(taker).toMatchObject({ status: 'closed', filled: 0.3, average: price });

  const filled = await bybit.fetchOrder(maker.id!, 'BTC/USDT');
  expect(filled).toMatchObject({ status: 'closed', filled: 0.3, average: price });
  const [bybitTrade] = await bybit.fetchOrderTrades(maker.id!, 'BTC/USDT');
  const [binanceTrade] = await otherBinance.fetchMyTrades('BTC/USDT');
  // One engine trade, seen from both sides: the same id, price and quantity.
  expect(bybitTrade).toMatchObject({
    id: binanceTrade!.id,
    price,
    amount: 0.3,
    side: 'sell',
    takerOrMaker: 'maker',
  });
  expect(binanceTrade).toMatchObject({ price, amount: 0.3, side: 'buy', takerOrMaker: 'taker' });

  const records = await admin<AdminOrder[]>(sim, 'GET', '/admin/orders');
  expect(records.map((record) => [record.endpoint, record.clientOrderId, record.status])).toEqual([
    ['v5/order/create', linkId, 'FILLED'],
    ['order', taker.clientOrderId, 'FILLED'],
  ]);
});

it('fills a Bybit market taker against a Binance maker', async () => {
  const price = await insideSpread();
  const maker = await otherBinance.createOrder('BTC/USDT', 'limit', 'sell', 0.2, price);
  const taker = await bybit.createOrder('BTC/USDT', 'market', 'buy', 0.1);
  const order = await bybit.fetchOrder(taker.id!, 'BTC/USDT');
  expect(order).toMatchObject({ status: 'closed', filled: 0.1, average: price });
  const resting = await otherBinance.fetchOrder(maker.id!, 'BTC/USDT');
  expect(resting).toMatchObject({ status: 'open', filled: 0.1, remaining: 0.1 });
});

it('is one account through both dialects: same orders, same balances', async () => {
  const linkId = clientId('same');
  const order = await bybit.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 55000, { clientOrderId: linkId });

  const viaBinance = await binance.fetchOrder(order.id!, 'BTC/USDT');
  expect(viaBinance).toMatchObject({ id: order.id, clientOrderId: linkId, status: 'open', price: 55000 });
  const bybitBalance = await bybit.fetchBalance();
  const binanceBalance = await binance.fetchBalance();
  for (const coin of ['USDT', 'BTC']) {
    expect(bybitBalance[coin]).toMatchObject({
      free: binanceBalance[coin]!.free,
      used: binanceBalance[coin]!.used,
      total: binanceBalance[coin]!.total,
    });
  }
  expect(bybitBalance['USDT']!.used).toBe(550);

  // Cancelled through Binance, the Bybit order reads Cancelled.
  await binance.cancelOrder(order.id!, 'BTC/USDT');
  expect((await bybit.fetchOrder(order.id!, 'BTC/USDT')).status).toBe('canceled');
});

it('keeps a self-trade from happening across dialects (the account’s default: cancel the maker)', async () => {
  const price = await insideSpread();
  const resting = await binance.createOrder('BTC/USDT', 'limit', 'sell', 0.1, price);
  const taker = await bybit.createOrder('BTC/USDT', 'limit', 'buy', 0.1, price, { timeInForce: 'IOC' });
  expect((await binance.fetchOrder(resting.id!, 'BTC/USDT')).status).toBe('expired');
  const bybitView = await bybit.fetchOrder(resting.id!, 'BTC/USDT');
  expect(bybitView.info).toMatchObject({ orderStatus: 'Cancelled', cancelType: 'CancelBySmp' });
  expect((await bybit.fetchOrder(taker.id!, 'BTC/USDT')).filled).toBe(0);
});
