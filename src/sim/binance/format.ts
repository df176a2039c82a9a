import type { Account } from '../engine/accounts';
import { ZERO, type Decimal } from '../engine/decimal';
import type { Instrument } from '../engine/instrument';
import { isConditionalType, type Fill, type Order, type PublicTrade } from '../engine/types';
import type { Candle } from '../marketdata/candles';

/** Binance prints every price and amount with eight decimal places. */
export function amount(value: Decimal): string {
  return value.toFixed(8);
}

/** Binance answers `orderListId: -1` for orders that are not part of an OCO/OTO list. */
const NOT_IN_LIST = -1;

export type NewOrderResponseType = 'ACK' | 'RESULT' | 'FULL';

function orderCore(order: Order): Record<string, unknown> {
  return {
    price: amount(order.price ?? ZERO),
    origQty: amount(order.origQty),
    executedQty: amount(order.executedQty),
    origQuoteOrderQty: amount(order.origQuoteOrderQty),
    cummulativeQuoteQty: amount(order.cumulativeQuoteQty),
    status: order.status,
    timeInForce: order.timeInForce ?? 'GTC',
    type: order.type,
    side: order.side,
  };
}

function stopPriceField(order: Order): Record<string, unknown> {
  return isConditionalType(order.type) ? { stopPrice: amount(order.stopPrice ?? ZERO) } : {};
}

/** GET /api/v3/order, openOrders, allOrders. */
export function queriedOrder(order: Order): Record<string, unknown> {
  return {
    symbol: order.symbol,
    orderId: order.orderId,
    orderListId: NOT_IN_LIST,
    clientOrderId: order.clientOrderId,
    ...orderCore(order),
    stopPrice: amount(order.stopPrice ?? ZERO),
    icebergQty: amount(ZERO),
    time: order.time,
    updateTime: order.updateTime,
    isWorking: order.isWorking,
    workingTime: order.workingTime,
    selfTradePreventionMode: order.selfTradePreventionMode,
  };
}

/** POST /api/v3/order in the requested response type (ACK, RESULT, or FULL with fills). */
export function placedOrder(
  order: Order,
  fills: Fill[],
  responseType: NewOrderResponseType,
): Record<string, unknown> {
  const ack = {
    symbol: order.symbol,
    orderId: order.orderId,
    orderListId: NOT_IN_LIST,
    clientOrderId: order.clientOrderId,
    transactTime: order.time,
  };
  if (responseType === 'ACK') return ack;
  const result = {
    ...ack,
    ...orderCore(order),
    ...stopPriceField(order),
    workingTime: order.workingTime,
    selfTradePreventionMode: order.selfTradePreventionMode,
  };
  if (responseType === 'RESULT') return result;
  return {
    ...result,
    fills: fills.map((fill) => ({
      price: amount(fill.price),
      qty: amount(fill.qty),
      commission: amount(fill.commission),
      commissionAsset: fill.commissionAsset,
      tradeId: fill.tradeId,
    })),
  };
}

/**
 * DELETE /api/v3/order. As on Binance, `clientOrderId` is the id of the *cancel request*
 * (newClientOrderId, or a generated one) and the order's own id is `origClientOrderId`.
 */
export function canceledOrder(
  order: Order,
  cancelClientOrderId: string,
  at: number,
): Record<string, unknown> {
  return {
    symbol: order.symbol,
    origClientOrderId: order.clientOrderId,
    orderId: order.orderId,
    orderListId: NOT_IN_LIST,
    clientOrderId: cancelClientOrderId,
    transactTime: at,
    ...orderCore(order),
    ...stopPriceField(order),
    selfTradePreventionMode: order.selfTradePreventionMode,
  };
}

/** GET /api/v3/myTrades. */
export function accountTrade(fill: Fill): Record<string, unknown> {
  return {
    symbol: fill.symbol,
    id: fill.tradeId,
    orderId: fill.orderId,
    orderListId: NOT_IN_LIST,
    price: amount(fill.price),
    qty: amount(fill.qty),
    quoteQty: amount(fill.quoteQty),
    commission: amount(fill.commission),
    commissionAsset: fill.commissionAsset,
    time: fill.time,
    isBuyer: fill.side === 'BUY',
    isMaker: fill.isMaker,
    isBestMatch: true,
  };
}

/** GET /api/v3/account. Commission rates in basis points and as fractions, as Binance prints both. */
export function accountInformation(account: Account, omitZeroBalances: boolean): Record<string, unknown> {
  const balances = [...account.balances.entries()]
    .filter(([, balance]) => !omitZeroBalances || !balance.free.plus(balance.locked).isZero())
    .map(([asset, balance]) => ({ asset, free: amount(balance.free), locked: amount(balance.locked) }));
  return {
    makerCommission: account.makerFeeRate.mul(10_000).toNumber(),
    takerCommission: account.takerFeeRate.mul(10_000).toNumber(),
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: {
      maker: amount(account.makerFeeRate),
      taker: amount(account.takerFeeRate),
      buyer: amount(ZERO),
      seller: amount(ZERO),
    },
    canTrade: true,
    canWithdraw: false,
    canDeposit: false,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: account.updateTime,
    accountType: 'SPOT',
    balances,
    permissions: ['SPOT'],
    uid: 0,
  };
}

/** GET /api/v3/trades. */
export function publicTrade(trade: PublicTrade): Record<string, unknown> {
  return {
    id: trade.id,
    price: amount(trade.price),
    qty: amount(trade.qty),
    quoteQty: amount(trade.quoteQty),
    time: trade.time,
    isBuyerMaker: trade.isBuyerMaker,
    isBestMatch: true,
  };
}

/** GET /api/v3/aggTrades: each simulated trade is its own aggregate. */
export function aggregateTrade(trade: PublicTrade): Record<string, unknown> {
  return {
    a: trade.id,
    p: amount(trade.price),
    q: amount(trade.qty),
    f: trade.id,
    l: trade.id,
    T: trade.time,
    m: trade.isBuyerMaker,
    M: true,
  };
}

/** GET /api/v3/klines row: [open time, o, h, l, c, volume, close time, quote volume, trades, taker buy base, taker buy quote, ignore]. */
export function klineRow(candle: Candle, closeTime: number): unknown[] {
  return [
    candle.openTime,
    amount(candle.open),
    amount(candle.high),
    amount(candle.low),
    amount(candle.close),
    amount(candle.volume),
    closeTime,
    amount(candle.quoteVolume),
    candle.trades,
    amount(candle.takerBuyBaseVolume),
    amount(candle.takerBuyQuoteVolume),
    '0',
  ];
}

/** One symbol of GET /api/v3/exchangeInfo, with the filters the engine enforces. */
export function symbolInfo(instrument: Instrument): Record<string, unknown> {
  return {
    symbol: instrument.symbol,
    status: 'TRADING',
    baseAsset: instrument.baseAsset,
    baseAssetPrecision: instrument.baseAssetPrecision,
    quoteAsset: instrument.quoteAsset,
    quotePrecision: instrument.quoteAssetPrecision,
    quoteAssetPrecision: instrument.quoteAssetPrecision,
    baseCommissionPrecision: instrument.baseAssetPrecision,
    quoteCommissionPrecision: instrument.quoteAssetPrecision,
    orderTypes: [
      'LIMIT',
      'LIMIT_MAKER',
      'MARKET',
      'STOP_LOSS',
      'STOP_LOSS_LIMIT',
      'TAKE_PROFIT',
      'TAKE_PROFIT_LIMIT',
    ],
    icebergAllowed: false,
    ocoAllowed: false,
    otoAllowed: false,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: false,
    cancelReplaceAllowed: true,
    amendAllowed: false,
    pegInstructionsAllowed: false,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      {
        filterType: 'PRICE_FILTER',
        minPrice: amount(instrument.minPrice),
        maxPrice: amount(instrument.maxPrice),
        tickSize: amount(instrument.tickSize),
      },
      {
        filterType: 'LOT_SIZE',
        minQty: amount(instrument.minQty),
        maxQty: amount(instrument.maxQty),
        stepSize: amount(instrument.stepSize),
      },
      {
        filterType: 'MARKET_LOT_SIZE',
        minQty: amount(instrument.marketMinQty),
        maxQty: amount(instrument.marketMaxQty),
        stepSize: amount(instrument.marketStepSize),
      },
      {
        filterType: 'NOTIONAL',
        minNotional: amount(instrument.minNotional),
        applyMinToMarket: instrument.applyMinToMarket,
        maxNotional: amount(instrument.maxNotional),
        applyMaxToMarket: instrument.applyMaxToMarket,
        avgPriceMins: 5,
      },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}
