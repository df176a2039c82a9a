import { ZERO } from '../engine/decimal';
import type { Instrument } from '../engine/instrument';
import { parseInterval } from '../marketdata/intervals';
import type { Simulation } from '../simulation';
import type { BinanceEndpoint, PublicEndpointContext } from './endpoint';
import { binanceErrors } from './errors';
import { aggregateTrade, amount, klineRow, publicTrade, symbolInfo } from './format';
import type { BinanceParams } from './params';
import { serverTime } from './request-helpers';

const RATE_LIMITS = [
  { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
  { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
  { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
  { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
];

/** Binance's average-price window for MARKET notional checks, reported by avgPrice. */
const AVERAGE_PRICE_MINUTES = 5;

function instrumentParam(context: PublicEndpointContext): Instrument {
  const symbol = context.params.requireString('symbol');
  return context.sim.exchange.instrument(symbol) ?? throwError(binanceErrors.invalidSymbol());
}

/** `symbol=X`, `symbols=["X","Y"]`, or neither (every symbol); whether one was asked for. */
function instrumentsParam(context: PublicEndpointContext): { instruments: Instrument[]; single: boolean } {
  const { params, sim } = context;
  const symbol = params.string('symbol');
  if (symbol !== undefined) return { instruments: [instrumentParam(context)], single: true };
  const symbols = params.string('symbols');
  if (symbols === undefined) return { instruments: sim.exchange.instruments(), single: false };
  let names: unknown;
  try {
    names = JSON.parse(symbols);
  } catch {
    throw binanceErrors.invalidParameterValue('symbols');
  }
  if (!Array.isArray(names)) throw binanceErrors.invalidParameterValue('symbols');
  const instruments = names.map(
    (name) => sim.exchange.instrument(String(name)) ?? throwError(binanceErrors.invalidSymbol()),
  );
  return { instruments, single: false };
}

function limitParam(params: BinanceParams, fallback: number, max: number): number {
  return Math.min(params.boundedInteger('limit', fallback, 1, Number.MAX_SAFE_INTEGER), max);
}

function dayTicker(sim: Simulation, instrument: Instrument): Record<string, unknown> {
  const symbol = instrument.symbol;
  const stats = sim.marketData.dayStats(symbol);
  const last = sim.exchange.lastPrice(symbol);
  const lastTrade = sim.exchange.lastTrade(symbol);
  const open = stats?.open ?? last;
  const volume = stats?.volume ?? ZERO;
  const quoteVolume = stats?.quoteVolume ?? ZERO;
  const book = sim.exchange.depth(symbol, 1);
  const now = sim.clock();
  return {
    symbol,
    priceChange: amount(last.minus(open)),
    priceChangePercent: open.isZero() ? '0.000' : last.minus(open).div(open).mul(100).toFixed(3),
    weightedAvgPrice: amount(volume.isZero() ? last : quoteVolume.div(volume)),
    prevClosePrice: amount(stats?.previousClose ?? open),
    lastPrice: amount(last),
    lastQty: amount(lastTrade?.qty ?? ZERO),
    bidPrice: amount(book.bids[0]?.price ?? ZERO),
    bidQty: amount(book.bids[0]?.quantity ?? ZERO),
    askPrice: amount(book.asks[0]?.price ?? ZERO),
    askQty: amount(book.asks[0]?.quantity ?? ZERO),
    openPrice: amount(open),
    highPrice: amount(stats?.high ?? last),
    lowPrice: amount(stats?.low ?? last),
    volume: amount(volume),
    quoteVolume: amount(quoteVolume),
    openTime: stats?.openTime ?? now,
    closeTime: now,
    firstId: -1,
    lastId: lastTrade?.id ?? -1,
    count: stats?.trades ?? 0,
  };
}

function bookTicker(sim: Simulation, instrument: Instrument): Record<string, unknown> {
  const book = sim.exchange.depth(instrument.symbol, 1);
  return {
    symbol: instrument.symbol,
    bidPrice: amount(book.bids[0]?.price ?? ZERO),
    bidQty: amount(book.bids[0]?.quantity ?? ZERO),
    askPrice: amount(book.asks[0]?.price ?? ZERO),
    askQty: amount(book.asks[0]?.quantity ?? ZERO),
  };
}

/** One entry per symbol, or a bare object when one symbol was asked for (Binance's shape). */
function perSymbol(context: PublicEndpointContext, build: (instrument: Instrument) => unknown): unknown {
  const { instruments, single } = instrumentsParam(context);
  const rows = instruments.map(build);
  return single ? rows[0] : rows;
}

function klines(context: PublicEndpointContext): unknown[] {
  const { params, sim } = context;
  const instrument = instrumentParam(context);
  const intervalName = params.requireString('interval');
  const interval = parseInterval(intervalName) ?? throwError(binanceErrors.invalidInterval());
  params.accept('timeZone');
  const candles = sim.marketData.candles(instrument.symbol).query(
    interval,
    {
      startTime: params.integer('startTime'),
      endTime: params.integer('endTime'),
      limit: limitParam(params, 500, 1000),
    },
    sim.clock(),
  );
  return candles.map((candle) => klineRow(candle, interval.nextStart(candle.openTime) - 1));
}

/** Binance refuses a startTime–endTime window longer than this (-1127). */
const MAX_AGG_TRADES_WINDOW_MS = 3_600_000;

/**
 * GET /api/v3/aggTrades (what ccxt.binance's fetchTrades calls, with startTime and endTime = since
 * + 1 h). As on Binance: from fromId or a lone startTime, the first `limit` trades; a startTime–
 * endTime window holding more than `limit` answers its LAST `limit` (binance-spot-api-docs#10);
 * otherwise the newest. Each simulated trade is its own aggregate.
 */
function aggregateTrades(context: PublicEndpointContext): unknown[] {
  const { params, sim } = context;
  const instrument = instrumentParam(context);
  const fromId = params.integer('fromId');
  const startTime = params.integer('startTime');
  const endTime = params.integer('endTime');
  const limit = limitParam(params, 500, 1000);
  if (startTime !== undefined && endTime !== undefined && endTime - startTime > MAX_AGG_TRADES_WINDOW_MS)
    throw binanceErrors.timeWindowTooLong();
  const trades = sim.exchange
    .recentTrades(instrument.symbol, Number.MAX_SAFE_INTEGER)
    .filter(
      (trade) =>
        (fromId === undefined || trade.id >= fromId) &&
        (startTime === undefined || trade.time >= startTime) &&
        (endTime === undefined || trade.time <= endTime),
    );
  const fromStart = fromId !== undefined || (startTime !== undefined && endTime === undefined);
  const page = fromStart ? trades.slice(0, limit) : trades.slice(Math.max(0, trades.length - limit));
  return page.map(aggregateTrade);
}

export const PUBLIC_ENDPOINTS: readonly BinanceEndpoint[] = [
  { method: 'GET', path: '/api/v3/ping', security: 'NONE', handle: () => ({}) },
  {
    method: 'GET',
    path: '/api/v3/time',
    security: 'NONE',
    handle: ({ sim }) => ({ serverTime: serverTime(sim) }),
  },
  {
    method: 'GET',
    path: '/api/v3/exchangeInfo',
    security: 'NONE',
    handle: (context) => ({
      timezone: 'UTC',
      serverTime: serverTime(context.sim),
      rateLimits: RATE_LIMITS,
      exchangeFilters: [],
      symbols: instrumentsParam(context).instruments.map(symbolInfo),
    }),
  },
  {
    method: 'GET',
    path: '/api/v3/depth',
    security: 'NONE',
    handle: (context) => {
      const instrument = instrumentParam(context);
      const depth = context.sim.exchange.depth(instrument.symbol, limitParam(context.params, 100, 5000));
      return {
        lastUpdateId: context.sim.exchange.updateId(),
        bids: depth.bids.map((level) => [amount(level.price), amount(level.quantity)]),
        asks: depth.asks.map((level) => [amount(level.price), amount(level.quantity)]),
      };
    },
  },
  {
    method: 'GET',
    path: '/api/v3/trades',
    security: 'NONE',
    handle: (context) => {
      const instrument = instrumentParam(context);
      return context.sim.exchange
        .recentTrades(instrument.symbol, limitParam(context.params, 500, 1000))
        .map(publicTrade);
    },
  },
  { method: 'GET', path: '/api/v3/aggTrades', security: 'NONE', handle: aggregateTrades },
  { method: 'GET', path: '/api/v3/klines', security: 'NONE', handle: klines },
  { method: 'GET', path: '/api/v3/uiKlines', security: 'NONE', handle: klines },
  {
    method: 'GET',
    path: '/api/v3/avgPrice',
    security: 'NONE',
    handle: (context) => {
      const instrument = instrumentParam(context);
      const now = context.sim.clock();
      const window = context.sim.marketData
        .candles(instrument.symbol)
        .aggregate(now - AVERAGE_PRICE_MINUTES * 60_000, now + 1);
      const price =
        window && window.volume.gt(0)
          ? window.quoteVolume.div(window.volume)
          : context.sim.exchange.lastPrice(instrument.symbol);
      return { mins: AVERAGE_PRICE_MINUTES, price: amount(price), closeTime: now };
    },
  },
  {
    method: 'GET',
    path: '/api/v3/ticker/24hr',
    security: 'NONE',
    handle: (context) => {
      context.params.accept('type');
      return perSymbol(context, (instrument) => dayTicker(context.sim, instrument));
    },
  },
  {
    method: 'GET',
    path: '/api/v3/ticker',
    security: 'NONE',
    handle: (context) => {
      context.params.accept('type', 'windowSize');
      return perSymbol(context, (instrument) => dayTicker(context.sim, instrument));
    },
  },
  {
    method: 'GET',
    path: '/api/v3/ticker/price',
    security: 'NONE',
    handle: (context) =>
      perSymbol(context, (instrument) => ({
        symbol: instrument.symbol,
        price: amount(context.sim.exchange.lastPrice(instrument.symbol)),
      })),
  },
  {
    method: 'GET',
    path: '/api/v3/ticker/bookTicker',
    security: 'NONE',
    handle: (context) => perSymbol(context, (instrument) => bookTicker(context.sim, instrument)),
  },
];

function throwError(error: Error): never {
  throw error;
}
