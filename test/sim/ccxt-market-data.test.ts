/** Public market data through ccxt: book, ticker, candles (with the synthetic history), trades. */
import { BINANCE_URL_GROUPS, simBinanceOptions } from '../../src/sim/ccxt-client';
import type { RunningSimulator } from '../../src/sim/server';
import { binanceOn, ccxt } from './ccxt-harness';
import { admin, startTestSimulator } from './harness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let sim: RunningSimulator;
let exchange: ccxt.binance;

beforeAll(async () => {
  sim = await startTestSimulator({ historyDays: 2 });
  exchange = binanceOn(sim);
  await exchange.loadMarkets();
});

afterAll(async () => {
  await sim.close();
});

it('points every URL group ccxt.binance knows at the simulator', () => {
  const stock = new ccxt.binance();
  const options = simBinanceOptions(sim.url);
  for (const variant of ['api', 'test', 'demo'] as const) {
    const groups = Object.keys(stock.urls[variant] as Record<string, string>);
    for (const group of groups) expect(BINANCE_URL_GROUPS).toHaveProperty(group);
    const configured = new ccxt.binance({ urls: options.urls }).urls[variant] as Record<string, string>;
    for (const url of Object.values(configured)) expect(url.startsWith(sim.url)).toBe(true);
  }
});

it('serves a two-sided book around the mid, best prices first', async () => {
  const book = await exchange.fetchOrderBook('BTC/USDT', 10);
  const bids = book.bids.map(([price]) => price as number);
  const asks = book.asks.map(([price]) => price as number);
  expect(bids).toHaveLength(10);
  expect(asks).toHaveLength(10);
  expect([...bids].sort((a, b) => b - a)).toEqual(bids);
  expect([...asks].sort((a, b) => a - b)).toEqual(asks);
  expect(bids[0]).toBeLessThan(60000);
  expect(asks[0]).toBeGreaterThan(60000);
  expect(asks[0]! - bids[0]!).toBeLessThan(60000 * 0.001);
});

it('serves a 24h ticker with the last price, the quotes and the day volume', async () => {
  const ticker = await exchange.fetchTicker('ETH/USDT');
  const book = await exchange.fetchOrderBook('ETH/USDT', 1);
  expect(ticker.symbol).toBe('ETH/USDT');
  expect(ticker.last).toBe(3000);
  expect(ticker.bid).toBe(book.bids[0]![0]);
  expect(ticker.ask).toBe(book.asks[0]![0]);
  expect(ticker.baseVolume).toBeGreaterThan(0);
  expect(ticker.high!).toBeGreaterThanOrEqual(ticker.low!);
});

it('serves one-minute candles of the synthetic history up to now', async () => {
  const before = Math.floor(Date.now() / MINUTE) * MINUTE;
  const candles = await exchange.fetchOHLCV('BTC/USDT', '1m', undefined, 120);
  const after = Math.floor(Date.now() / MINUTE) * MINUTE;
  expect(candles).toHaveLength(120);
  for (let i = 1; i < candles.length; i++) expect(candles[i]![0]! - candles[i - 1]![0]!).toBe(MINUTE);
  const last = candles[candles.length - 1]!;
  expect([before, after]).toContain(last[0]);
  // The history ends at the opening mid, so the live market continues it seamlessly.
  expect(candles[candles.length - 2]![4]).toBe(60000);
  for (const [, open, high, low, close, volume] of candles.slice(0, -1)) {
    expect(high!).toBeGreaterThanOrEqual(Math.max(open!, close!));
    expect(low!).toBeLessThanOrEqual(Math.min(open!, close!));
    expect(volume!).toBeGreaterThan(0);
  }
});

it('aggregates hourly candles from the minutes, and pages forward from `since`', async () => {
  const hours = await exchange.fetchOHLCV('BTC/USDT', '1h', undefined, 10);
  expect(hours).toHaveLength(10);
  for (let i = 1; i < hours.length; i++) expect(hours[i]![0]! - hours[i - 1]![0]!).toBe(HOUR);
  const lastFullHour = hours[hours.length - 2]!;
  const inHour = await exchange.fetchOHLCV('BTC/USDT', '1m', lastFullHour[0], 60);
  expect(inHour[inHour.length - 1]![0]).toBe(lastFullHour[0]! + HOUR - MINUTE);
  expect(lastFullHour[1]).toBe(inHour[0]![1]);
  expect(lastFullHour[2]).toBe(Math.max(...inHour.map((candle) => candle[2]!)));
  expect(lastFullHour[3]).toBe(Math.min(...inHour.map((candle) => candle[3]!)));
  expect(lastFullHour[4]).toBe(inHour[inHour.length - 1]![4]);

  const since = hours[0]![0]!;
  const paged = await exchange.fetchOHLCV('BTC/USDT', '1h', since, 3);
  expect(paged.map(([time]) => time)).toEqual(hours.slice(0, 3).map(([time]) => time));
});

it('prints trades to the tape, the candles and the ticker', async () => {
  await admin(sim, 'POST', '/admin/trade', { symbol: 'SOL/USDT', side: 'buy', quantity: '10' });
  const trades = await exchange.fetchTrades('SOL/USDT');
  const ticker = await exchange.fetchTicker('SOL/USDT');
  const lastTrade = trades[trades.length - 1]!;
  expect(lastTrade.side).toBe('buy');
  expect(ticker.last).toBe(lastTrade.price);
  const latest = (await exchange.fetchOHLCV('SOL/USDT', '1m', undefined, 1))[0]!;
  expect(latest[4]).toBe(lastTrade.price);
  expect(latest[5]).toBeGreaterThanOrEqual(10);
});
