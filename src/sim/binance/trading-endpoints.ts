import { checkFilters } from '../engine/filters';
import type { Order } from '../engine/types';
import { handleCancelReplace } from './cancel-replace';
import type { BinanceEndpoint, EndpointContext } from './endpoint';
import { binanceErrors, fromRejection } from './errors';
import { accountInformation, accountTrade, canceledOrder, placedOrder, queriedOrder } from './format';
import { generatedClientOrderId, parseNewOrder } from './order-request';
import type { BinanceParams } from './params';
import { engineCall, orderRefParam, symbolParam } from './request-helpers';

const CANCEL_RESTRICTIONS = ['ONLY_NEW', 'ONLY_PARTIALLY_FILLED'] as const;

function cancelOne(context: EndpointContext): Record<string, unknown> {
  const { params, sim, account } = context;
  const symbol = symbolParam(context);
  const ref = orderRefParam(params);
  const cancelClientOrderId = params.clientOrderId('newClientOrderId') ?? generatedClientOrderId();
  const restriction = params.oneOf('cancelRestrictions', CANCEL_RESTRICTIONS, () =>
    binanceErrors.invalidParameterValue('cancelRestrictions'),
  );
  params.assertAllRead();
  if (restriction !== undefined) {
    const order = sim.exchange.findOrder(account.id, symbol, ref);
    const wanted = restriction === 'ONLY_NEW' ? 'NEW' : 'PARTIALLY_FILLED';
    if (order && order.status !== wanted) {
      throw binanceErrors.newOrderRejected('Order was not canceled due to cancel restrictions.');
    }
  }
  const order = engineCall(() => sim.exchange.cancelOrder(account.id, symbol, ref));
  return canceledOrder(order, cancelClientOrderId, sim.clock());
}

function placeOrder(context: EndpointContext): Record<string, unknown> {
  const { params, sim, account } = context;
  const { request, responseType } = parseNewOrder(params, sim.exchange, account.id);
  params.assertAllRead();
  const { order, fills } = engineCall(() => sim.exchange.placeOrder(request));
  if (context.logRecord) context.logRecord.order = order;
  return placedOrder(order, fills, responseType);
}

/** POST /api/v3/order/test: every check of a real placement, nothing placed. */
function testOrder(context: EndpointContext): Record<string, unknown> {
  const { params, sim, account } = context;
  const { request } = parseNewOrder(params, sim.exchange, account.id);
  params.accept('computeCommissionRates');
  params.assertAllRead();
  const instrument = engineCall(() => sim.exchange.instrumentOrReject(request.symbol));
  const failure = checkFilters(instrument, request, sim.exchange.lastPrice(request.symbol));
  if (failure) throw fromRejection(failure);
  return {};
}

function timeWindow(params: BinanceParams): { startTime?: number; endTime?: number } {
  return { startTime: params.integer('startTime'), endTime: params.integer('endTime') };
}

function allOrders(context: EndpointContext): unknown[] {
  const { params, sim, account } = context;
  const symbol = symbolParam(context);
  const fromOrderId = params.integer('orderId');
  const { startTime, endTime } = timeWindow(params);
  const limit = Math.min(params.boundedInteger('limit', 500, 1, Number.MAX_SAFE_INTEGER), 1000);
  params.assertAllRead();
  const orders = sim.exchange
    .orderHistory(account.id, symbol)
    .filter(
      (order: Order) =>
        (fromOrderId === undefined || order.orderId >= fromOrderId) &&
        (startTime === undefined || order.time >= startTime) &&
        (endTime === undefined || order.time <= endTime),
    );
  // From a given id: the first `limit` from there; otherwise the most recent `limit`.
  const page =
    fromOrderId !== undefined || startTime !== undefined
      ? orders.slice(0, limit)
      : orders.slice(Math.max(0, orders.length - limit));
  return page.map(queriedOrder);
}

function myTrades(context: EndpointContext): unknown[] {
  const { params, sim, account } = context;
  const symbol = symbolParam(context);
  const orderId = params.integer('orderId');
  const fromId = params.integer('fromId');
  const { startTime, endTime } = timeWindow(params);
  const limit = Math.min(params.boundedInteger('limit', 500, 1, Number.MAX_SAFE_INTEGER), 1000);
  params.assertAllRead();
  return sim.exchange
    .fills(account.id, { symbol, orderId, fromId, startTime, endTime, limit })
    .map(accountTrade);
}

export const TRADING_ENDPOINTS: readonly BinanceEndpoint[] = [
  { method: 'POST', path: '/api/v3/order', security: 'SIGNED', placesOrder: true, handle: placeOrder },
  { method: 'POST', path: '/api/v3/order/test', security: 'SIGNED', handle: testOrder },
  {
    method: 'POST',
    path: '/api/v3/order/cancelReplace',
    security: 'SIGNED',
    placesOrder: true,
    handle: handleCancelReplace,
  },
  {
    method: 'GET',
    path: '/api/v3/order',
    security: 'SIGNED',
    handle: (context) => {
      const symbol = symbolParam(context);
      const ref = orderRefParam(context.params);
      context.params.assertAllRead();
      const order = context.sim.exchange.findOrder(context.account.id, symbol, ref);
      if (!order) throw binanceErrors.noSuchOrder();
      return queriedOrder(order);
    },
  },
  { method: 'DELETE', path: '/api/v3/order', security: 'SIGNED', handle: cancelOne },
  {
    method: 'GET',
    path: '/api/v3/openOrders',
    security: 'SIGNED',
    handle: (context) => {
      const symbol = context.params.has('symbol') ? symbolParam(context) : undefined;
      context.params.assertAllRead();
      return context.sim.exchange.openOrders(context.account.id, symbol).map(queriedOrder);
    },
  },
  {
    method: 'DELETE',
    path: '/api/v3/openOrders',
    security: 'SIGNED',
    handle: (context) => {
      const symbol = symbolParam(context);
      context.params.assertAllRead();
      const { sim, account } = context;
      const canceled = engineCall(() => sim.exchange.cancelOpenOrders(account.id, symbol));
      return canceled.map((order) => canceledOrder(order, generatedClientOrderId(), sim.clock()));
    },
  },
  { method: 'GET', path: '/api/v3/allOrders', security: 'SIGNED', handle: allOrders },
  { method: 'GET', path: '/api/v3/myTrades', security: 'SIGNED', handle: myTrades },
  {
    method: 'GET',
    path: '/api/v3/account',
    security: 'SIGNED',
    handle: (context) => {
      const omitZeroBalances = context.params.boolean('omitZeroBalances') ?? false;
      context.params.assertAllRead();
      return accountInformation(context.account, omitZeroBalances);
    },
  },
];
