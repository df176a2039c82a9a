/**
 * An unmodified ccxt.bybit loading the simulator's spot markets and reading its market data
 * through the Bybit v5 dialect (the same books and candles the Binance dialect serves).
 */
import { BYBIT_URL_GROUPS, bybitUrlGroups, simulatorExchangeConfig } from '../../src/sim/ccxt-client';
import type { RunningSimulator } from '../../src/sim/server';
import { bybitOn, ccxt, recordUrls } from './bybit-harness';
import { DEFAULT_CREDENTIALS } from './ccxt-harness';
import { admin, startTestSimulator } from './harness';

const HOUR = 60 * 60_000;

let sim: RunningSimulator;
let exchange: ccxt.bybit;

beforeAll(async () => {
  sim = await startTestSimulator({ historyDays: 2 });
  exchange = bybitOn(sim);
  await exchange.loadMarkets();
});

afterAll(async () => {
  await sim.close();
});

describe('loadMarkets', () => {
  it('calls only the spot instrument list, and parses precision and limits', async () => {
    const fresh = bybitOn(sim);
    const urls = recordUrls(fresh, sim);
    const markets = await fresh.loadMarkets();

    expect(urls).toEqual(['/v5/market/instruments-info?category=spot']);
    expect(Object.keys(markets).sort()).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT']);
    const btc = markets['BTC/USDT']!;
    expect(btc).toMatchObject({
      id: 'BTCUSDT',
      type: 'spot',
      spot: true,
      active: true,
      base: 'BTC',
      quote: 'USDT',
    });
    expect(btc.precision).toEqual({ amount: 0.00001, price: 0.01 });
    expect(btc.limits.amount).toEqual({ min: 0.00001, max: 9000 });
    expect(btc.limits.cost).toEqual({ min: 5, max: 9000000 });
    expect(btc.info).toMatchObject({
      lotSizeFilter: {
        basePrecision: '0.00001',
        minOrderQty: '0.00001',
        minOrderAmt: '5',
        maxMarketOrderQty: '100',
      },
      priceFilter: { tickSize: '0.01' },
    });
    expect(markets['ETH/USDT']!.precision.amount).toBe(0.0001);
    expect(markets['SOL/USDT']!.precision.amount).toBe(0.001);
  });

  it('also works unconfigured (default market types, currencies, account lookups)', async () => {
    const bare = new ccxt.bybit({ ...DEFAULT_CREDENTIALS, urls: { api: bybitUrlGroups(sim.url) } });
    const urls = recordUrls(bare, sim);
    const markets = await bare.loadMarkets();

    expect(Object.keys(markets).sort()).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT']);
    // What stock ccxt 4.5.84 asks for: currencies (private), then every category's instruments.
    expect(urls[0]).toBe('/v5/asset/coin/query-info?');
    expect(urls).toContain('/v5/market/instruments-info?category=spot');
    expect(urls).toContain('/v5/market/instruments-info?category=linear&limit=1000&status=PreLaunch');
    expect(urls.filter((url) => url.includes('category=option'))).toHaveLength(6);
    expect(Object.keys(bare.currencies).sort()).toEqual(['BTC', 'ETH', 'SOL', 'USDT']);

    urls.length = 0;
    await bare.fetchBalance();
    expect(urls).toEqual([
      '/v5/user/query-api?',
      '/v5/account/info?',
      '/v5/account/wallet-balance?accountType=UNIFIED',
    ]);
  });

  it('is what the venue factory gets for exchange id "bybit"', async () => {
    const config = simulatorExchangeConfig('bybit', sim.url, DEFAULT_CREDENTIALS);
    const fromFactory = new ccxt.bybit(config);
    expect(Object.keys(await fromFactory.loadMarkets())).toHaveLength(3);
    expect(() => simulatorExchangeConfig('kraken', sim.url)).toThrow(/binance, bybit/);
  });

  it('points every URL group ccxt.bybit knows at the simulator', () => {
    const stock = new ccxt.bybit();
    for (const variant of ['api', 'test', 'demotrading'] as const) {
      const groups = Object.keys(stock.urls[variant] as Record<string, string>);
      for (const group of groups) expect(BYBIT_URL_GROUPS).toHaveProperty(group);
      const configured = bybitOn(sim).urls[variant] as Record<string, string>;
      for (const url of Object.values(configured)) expect(url.startsWith(sim.url)).toBe(true);
    }
  });
});

describe('market data', () => {
  it('tells the server time', async () => {
    const before = Date.now();
    const time = await exchange.fetchTime();
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());
  });

  it('serves the shared book, best prices first', async () => {
    const book = await exchange.fetchOrderBook('BTC/USDT', 10);
    const bids = book.bids.map(([price]) => price as number);
    const asks = book.asks.map(([price]) => price as number);
    expect(bids).toHaveLength(10);
    expect(asks).toHaveLength(10);
    expect([...bids].sort((a, b) => b - a)).toEqual(bids);
    expect([...asks].sort((a, b) => a - b)).toEqual(asks);
    expect(bids[0]!).toBeLessThan(asks[0]!);
    const market = await admin<{ symbol: string; bestBid: string; bestAsk: string }[]>(
      sim,
      'GET',
      '/admin/market',
    );
    const btc = market.find((entry) => entry.symbol === 'BTCUSDT')!;
    expect([bids[0], asks[0]]).toEqual([Number(btc.bestBid), Number(btc.bestAsk)]);
  });

  it('gives tickers with the top of the book and 24h statistics', async () => {
    const ticker = await exchange.fetchTicker('BTC/USDT');
    const book = await exchange.fetchOrderBook('BTC/USDT', 1);
    expect(ticker.symbol).toBe('BTC/USDT');
    expect(ticker.bid).toBe(book.bids[0]![0]);
    expect(ticker.ask).toBe(book.asks[0]![0]);
    expect(ticker.high!).toBeGreaterThanOrEqual(ticker.low!);
    expect(ticker.baseVolume!).toBeGreaterThan(0);
    const all = await exchange.fetchTickers();
    expect(Object.keys(all).sort()).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT']);
  });

  it('gives candles from the synthetic history, oldest first as ccxt sorts them', async () => {
    const latest = await exchange.fetchOHLCV('BTC/USDT', '1h', undefined, 5);
    expect(latest).toHaveLength(5);
    const times = latest.map(([time]) => time as number);
    expect(times.slice(1).map((time, i) => time - times[i]!)).toEqual([HOUR, HOUR, HOUR, HOUR]);
    expect(times[4]! % HOUR).toBe(0);
    expect(times[4]!).toBeGreaterThan(Date.now() - HOUR);

    const since = times[0]!;
    const fromSince = await exchange.fetchOHLCV('BTC/USDT', '1h', since, 3);
    expect(fromSince.map(([time]) => time)).toEqual(times.slice(0, 3));
    expect(fromSince[0]).toEqual(latest[0]);
  });

  it('lists recent public trades with the taker side', async () => {
    await admin(sim, 'POST', '/admin/trade', { symbol: 'BTC/USDT', side: 'BUY', quantity: '0.2' });
    const trades = await exchange.fetchTrades('BTC/USDT', undefined, 10);
    expect(trades.length).toBeGreaterThan(0);
    const last = trades[trades.length - 1]!;
    expect(last.side).toBe('buy');
    expect(last.timestamp!).toBeLessThanOrEqual(Date.now());
  });
});
