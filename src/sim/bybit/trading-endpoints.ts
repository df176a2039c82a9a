import { isOpen } from '../engine/order-status';
import { amendOrder } from './amend';
import type { BybitEndpoint, PrivateContext } from './endpoint';
import { bybitErrors } from './errors';
import { checkOrderSize } from './order-checks';
import { orderChains, type BybitOrder } from './order-chains';
import { findOrder, listOrders, orderLinkIdUsed } from './order-lookup';
import { optionalOrderRef, requiredOrderRef } from './order-ref';
import { parseCreateOrder } from './order-request';
import { executed, orderRecord, orderStatus } from './order-view';
import { paginate } from './pagination';
import { engineCall, instrumentParam, optionalInstrument, requireSpot } from './request-helpers';
import { timeWindow } from './time-window';

/** Bybit keeps this many recent closed orders per account for /v5/order/realtime. */
const RECENT_CLOSED_ORDERS = 500;

function createOrder(context: PrivateContext): Record<string, string> {
  const { sim, params, account, logRecord } = context;
  const chains = orderChains(sim.exchange);
  const parsed = parseCreateOrder(params, sim, account.id, () => chains.generateOrderLinkId(sim.clock()));
  const { instrument, request } = parsed;
  const sizeFailure = checkOrderSize(instrument, parsed.size, sim.exchange.lastPrice(instrument.symbol));
  if (sizeFailure) throw sizeFailure;
  // Bybit wants orderLinkIds unique, not only among open orders as the engine (Binance) does.
  if (!parsed.generatedLinkId && orderLinkIdUsed(sim, account.id, request.clientOrderId)) {
    throw bybitErrors.duplicateOrderLinkId();
  }
  const { order } = engineCall(() => sim.exchange.placeOrder(request));
  chains.placed(order, logRecord);
  if (logRecord) logRecord.order = order;
  return { orderId: String(order.orderId), orderLinkId: order.clientOrderId };
}

function cancelOrder(context: PrivateContext): Record<string, string> {
  const { sim, params, account } = context;
  requireSpot(params);
  const instrument = instrumentParam(sim, params);
  const order = findOrder(sim, account.id, requiredOrderRef(params), instrument.symbol);
  if (!order || !isOpen(order.current)) throw bybitErrors.orderNotFound();
  cancelWorkingLeg(context, order);
  return { orderId: String(order.head.orderId), orderLinkId: order.head.clientOrderId };
}

/** POST /v5/order/cancel-all: every open order of the account (on `symbol`, when given). */
function cancelAll(context: PrivateContext): Record<string, unknown> {
  const { sim, params, account } = context;
  requireSpot(params);
  const instrument = optionalInstrument(sim, params);
  const open = listOrders(sim, account.id, instrument?.symbol).filter((order) => isOpen(order.current));
  for (const order of open) cancelWorkingLeg(context, order);
  return {
    list: open.map((order) => ({
      orderId: String(order.head.orderId),
      orderLinkId: order.head.clientOrderId,
    })),
    success: '1',
  };
}

function cancelWorkingLeg(context: PrivateContext, order: BybitOrder): void {
  const { sim, account } = context;
  const leg = order.current;
  engineCall(() => sim.exchange.cancelOrder(account.id, leg.symbol, { orderId: leg.orderId }));
}

/**
 * GET /v5/order/realtime: open orders; or, with openOnly=1, the recent closed ones; or, by
 * orderId/orderLinkId, that order whether open or among the recent closed ones (what ccxt's
 * fetchOrder reads for a unified account).
 */
function realtimeOrders(context: PrivateContext): Record<string, unknown> {
  const { sim, params, account } = context;
  requireSpot(params);
  const instrument = optionalInstrument(sim, params);
  const ref = optionalOrderRef(params);
  const openOnly = params.boundedInteger('openOnly', 0, 0, 2);
  const all = listOrders(sim, account.id, instrument?.symbol);
  const recentClosed = all
    .filter((order) => !isOpen(order.current))
    .sort((a, b) => b.current.updateTime - a.current.updateTime)
    .slice(0, RECENT_CLOSED_ORDERS);
  let orders: BybitOrder[];
  if (ref !== undefined) {
    const order = findOrder(sim, account.id, ref, instrument?.symbol);
    const visible =
      order !== undefined &&
      (isOpen(order.current) || recentClosed.some((closed) => closed.head === order.head));
    orders = visible ? [order] : [];
  } else {
    orders = openOnly === 0 ? all.filter((order) => isOpen(order.current)) : recentClosed;
  }
  const page = paginate(orders, params, 20, 50);
  return {
    category: 'spot',
    list: page.items.map((order) => orderRecord(sim, order)),
    nextPageCursor: page.nextPageCursor,
  };
}

/** GET /v5/order/history: the account's orders created in the time window (default: last 7 days). */
function orderHistory(context: PrivateContext): Record<string, unknown> {
  const { sim, params, account, serverTime } = context;
  requireSpot(params);
  const instrument = optionalInstrument(sim, params);
  const ref = optionalOrderRef(params);
  const status = params.string('orderStatus');
  const window = timeWindow(params, serverTime);
  const candidates =
    ref === undefined
      ? listOrders(sim, account.id, instrument?.symbol)
      : [findOrder(sim, account.id, ref, instrument?.symbol)].filter((order) => order !== undefined);
  const orders = candidates.filter(
    (order) =>
      window.contains(order.head.time) &&
      (status === undefined || orderStatus(order, executed(sim, order).qty) === status),
  );
  const page = paginate(orders, params, 20, 50);
  return {
    category: 'spot',
    list: page.items.map((order) => orderRecord(sim, order)),
    nextPageCursor: page.nextPageCursor,
  };
}

export const TRADING_ENDPOINTS: readonly BybitEndpoint[] = [
  { method: 'POST', path: '/v5/order/create', auth: 'private', placesOrder: true, handle: createOrder },
  { method: 'POST', path: '/v5/order/amend', auth: 'private', handle: amendOrder },
  { method: 'POST', path: '/v5/order/cancel', auth: 'private', handle: cancelOrder },
  { method: 'POST', path: '/v5/order/cancel-all', auth: 'private', handle: cancelAll },
  { method: 'GET', path: '/v5/order/realtime', auth: 'private', handle: realtimeOrders },
  { method: 'GET', path: '/v5/order/history', auth: 'private', handle: orderHistory },
];
