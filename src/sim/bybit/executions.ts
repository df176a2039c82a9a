import type { Account } from '../engine/accounts';
import { ZERO } from '../engine/decimal';
import type { Fill } from '../engine/types';
import type { Simulation } from '../simulation';
import type { BybitEndpoint, PrivateContext } from './endpoint';
import { amount } from './envelope';
import { orderChains, type BybitOrder } from './order-chains';
import { findOrder } from './order-lookup';
import { optionalOrderRef } from './order-ref';
import { orderQty, orderTypeOf, sideOf } from './order-view';
import { paginate } from './pagination';
import { optionalInstrument, requireSpot } from './request-helpers';
import { timeWindow } from './time-window';

/**
 * One execution as GET /v5/execution/list shows it (spot: no `createType`, which ccxt would take
 * for a contract). `execId` is the engine's trade id, shared with the Binance dialect and the
 * counterparty; an amended order's executions all carry the order's (first) orderId.
 */
function executionRecord(account: Account, fill: Fill, order: BybitOrder): Record<string, unknown> {
  const rate = fill.isMaker ? account.makerFeeRate : account.takerFeeRate;
  return {
    symbol: fill.symbol,
    orderId: String(order.head.orderId),
    orderLinkId: order.head.clientOrderId,
    side: sideOf(fill),
    orderPrice: amount(order.current.price ?? ZERO),
    orderQty: amount(orderQty(order)),
    orderType: orderTypeOf(order.head),
    stopOrderType: '',
    execFee: amount(fill.commission),
    feeCurrency: fill.commissionAsset,
    execId: String(fill.tradeId),
    execPrice: amount(fill.price),
    execQty: amount(fill.qty),
    execType: 'Trade',
    execValue: amount(fill.quoteQty),
    execTime: String(fill.time),
    isMaker: fill.isMaker,
    feeRate: amount(rate),
    tradeIv: '',
    markIv: '',
    markPrice: '',
    indexPrice: '',
    underlyingPrice: '',
    blockTradeId: '',
    closedSize: '',
    seq: fill.tradeId,
    extraFees: '',
  };
}

/** The Bybit order an execution belongs to (amended legs fold into their order). */
function orderOf(sim: Simulation, fill: Fill): BybitOrder | undefined {
  const order = sim.exchange.findOrder(fill.accountId, fill.symbol, { orderId: fill.orderId });
  return order === undefined ? undefined : orderChains(sim.exchange).resolve(order);
}

/** GET /v5/execution/list: the account's trades in the time window (default: last 7 days), newest first. */
function executionList(context: PrivateContext): Record<string, unknown> {
  const { sim, params, account, serverTime } = context;
  requireSpot(params);
  const instrument = optionalInstrument(sim, params);
  const ref = optionalOrderRef(params);
  const window = timeWindow(params, serverTime);
  const execType = params.string('execType');
  const wanted = ref === undefined ? undefined : findOrder(sim, account.id, ref, instrument?.symbol);
  const symbols = instrument ? [instrument.symbol] : sim.exchange.instruments().map((i) => i.symbol);
  const rows = symbols
    .flatMap((symbol) => sim.exchange.fills(account.id, { symbol }))
    .filter((fill) => window.contains(fill.time) && (execType === undefined || execType === 'Trade'))
    .map((fill) => ({ fill, order: orderOf(sim, fill) }))
    .filter(
      (row): row is { fill: Fill; order: BybitOrder } =>
        row.order !== undefined && (ref === undefined || row.order.head === wanted?.head),
    )
    .sort((a, b) => b.fill.time - a.fill.time || b.fill.tradeId - a.fill.tradeId);
  const page = paginate(rows, params, 50, 100);
  return {
    category: 'spot',
    list: page.items.map((row) => executionRecord(account, row.fill, row.order)),
    nextPageCursor: page.nextPageCursor,
  };
}

export const EXECUTION_ENDPOINTS: readonly BybitEndpoint[] = [
  { method: 'GET', path: '/v5/execution/list', auth: 'private', handle: executionList },
];
