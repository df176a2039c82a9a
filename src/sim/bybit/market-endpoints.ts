import { ZERO } from '../engine/decimal';
import type { Instrument } from '../engine/instrument';
import type { DepthLevel } from '../engine/order-book';
import { parseInterval } from '../marketdata/intervals';
import type { Simulation } from '../simulation';
import type { BybitEndpoint, PublicContext } from './endpoint';
import { amount } from './envelope';
import { bybitErrors } from './errors';
import { instrumentInfo } from './instruments';
import { category, fail, instrumentParam } from './request-helpers';

/** Bybit's kline intervals → the engine's interval names. */
const INTERVALS: Readonly<Record<string, string>> = {
  '1': '1m',
  '3': '3m',
  '5': '5m',
  '15': '15m',
  '30': '30m',
  '60': '1h',
  '120': '2h',
  '240': '4h',
  '360': '6h',
  '720': '12h',
  D: '1d',
  W: '1w',
  M: '1M',
};

/** price24hPcnt is a fraction ("0.0123" = +1.23%). */
const PERCENT_DECIMALS = 4;

/** The `symbol` of a market-data request: only spot is listed, anything else is unsupported. */
function marketInstrument(context: PublicContext): Instrument {
  const { sim, params } = context;
  if (category(params) !== 'spot') throw bybitErrors.notSupportedSymbols();
  return instrumentParam(sim, params, bybitErrors.notSupportedSymbols);
}

/** Instruments a list endpoint covers: the one asked for, or every spot one. */
function listedInstruments(context: PublicContext): Instrument[] {
  const { sim, params } = context;
  if (category(params) !== 'spot') return [];
  return params.has('symbol') ? [marketInstrument(context)] : sim.exchange.instruments();
}

function serverTime(context: PublicContext): Record<string, string> {
  const now = context.serverTime;
  return { timeSecond: String(Math.floor(now / 1000)), timeNano: `${now}000000` };
}

/** Other categories answer an empty list: the simulator lists no derivatives. */
function instrumentsInfo(context: PublicContext): Record<string, unknown> {
  const { params } = context;
  const baseCoin = params.string('baseCoin');
  const status = params.string('status');
  const list = listedInstruments(context)
    .filter(
      (i) => (baseCoin === undefined || i.baseAsset === baseCoin) && (status ?? 'Trading') === 'Trading',
    )
    .map(instrumentInfo);
  return { category: category(params), list, nextPageCursor: '' };
}

function orderBook(context: PublicContext): Record<string, unknown> {
  const { sim, params, serverTime: now } = context;
  const instrument = marketInstrument(context);
  const depth = sim.exchange.depth(instrument.symbol, params.boundedInteger('limit', 1, 1, 200));
  const level = (entry: DepthLevel): string[] => [amount(entry.price), amount(entry.quantity)];
  return {
    s: instrument.symbol,
    b: depth.bids.map(level),
    a: depth.asks.map(level),
    ts: now,
    u: sim.exchange.updateId(),
    seq: sim.exchange.updateId(),
    cts: sim.exchange.lastTrade(instrument.symbol)?.time ?? now,
  };
}

function ticker(sim: Simulation, instrument: Instrument): Record<string, string> {
  const symbol = instrument.symbol;
  const stats = sim.marketData.dayStats(symbol);
  const last = sim.exchange.lastPrice(symbol);
  const open = stats?.open ?? last;
  const book = sim.exchange.depth(symbol, 1);
  const change = open.isZero() ? ZERO : last.minus(open).div(open).toDecimalPlaces(PERCENT_DECIMALS);
  return {
    symbol,
    bid1Price: amount(book.bids[0]?.price ?? ZERO),
    bid1Size: amount(book.bids[0]?.quantity ?? ZERO),
    ask1Price: amount(book.asks[0]?.price ?? ZERO),
    ask1Size: amount(book.asks[0]?.quantity ?? ZERO),
    lastPrice: amount(last),
    prevPrice24h: amount(open),
    price24hPcnt: amount(change),
    highPrice24h: amount(stats?.high ?? last),
    lowPrice24h: amount(stats?.low ?? last),
    turnover24h: amount(stats?.quoteVolume ?? ZERO),
    volume24h: amount(stats?.volume ?? ZERO),
    usdIndexPrice: instrument.quoteAsset === 'USDT' ? amount(last) : '',
  };
}

function tickers(context: PublicContext): Record<string, unknown> {
  const list = listedInstruments(context).map((instrument) => ticker(context.sim, instrument));
  return { category: category(context.params), list };
}

/**
 * GET /v5/market/kline: rows [startTime, open, high, low, close, volume, turnover], newest first.
 * With `start`, the candles from start on (up to `limit`); otherwise the latest up to `end`.
 */
function klines(context: PublicContext): Record<string, unknown> {
  const { sim, params } = context;
  const instrument = marketInstrument(context);
  const name = INTERVALS[params.requireString('interval', () => bybitErrors.params('interval invalid'))];
  const interval =
    (name === undefined ? undefined : parseInterval(name)) ?? fail(bybitErrors.params('interval invalid'));
  const candles = sim.marketData.candles(instrument.symbol).query(
    interval,
    {
      startTime: params.integer('start'),
      endTime: params.integer('end'),
      limit: params.boundedInteger('limit', 200, 1, 1000),
    },
    sim.clock(),
  );
  const list = candles
    .map((candle) => [
      String(candle.openTime),
      amount(candle.open),
      amount(candle.high),
      amount(candle.low),
      amount(candle.close),
      amount(candle.volume),
      amount(candle.quoteVolume),
    ])
    .reverse();
  return { category: 'spot', symbol: instrument.symbol, list };
}

/** GET /v5/market/recent-trade: `side` is the taker's; newest first. */
function recentTrades(context: PublicContext): Record<string, unknown> {
  const { sim, params } = context;
  const instrument = marketInstrument(context);
  const trades = sim.exchange.recentTrades(instrument.symbol, params.boundedInteger('limit', 60, 1, 60));
  const list = trades
    .map((trade) => ({
      execId: String(trade.id),
      symbol: instrument.symbol,
      price: amount(trade.price),
      size: amount(trade.qty),
      side: trade.isBuyerMaker ? 'Sell' : 'Buy',
      time: String(trade.time),
      isBlockTrade: false,
      isRPITrade: false,
      seq: String(trade.id),
    }))
    .reverse();
  return { category: 'spot', list };
}

export const MARKET_ENDPOINTS: readonly BybitEndpoint[] = [
  { method: 'GET', path: '/v5/market/time', auth: 'public', handle: serverTime },
  { method: 'GET', path: '/v5/market/instruments-info', auth: 'public', handle: instrumentsInfo },
  { method: 'GET', path: '/v5/market/orderbook', auth: 'public', handle: orderBook },
  { method: 'GET', path: '/v5/market/tickers', auth: 'public', handle: tickers },
  { method: 'GET', path: '/v5/market/kline', auth: 'public', handle: klines },
  { method: 'GET', path: '/v5/market/recent-trade', auth: 'public', handle: recentTrades },
];
