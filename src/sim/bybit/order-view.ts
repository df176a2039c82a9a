import { ZERO, type Decimal } from '../engine/decimal';
import { isOpen } from '../engine/order-status';
import {
  isConditionalType,
  isMarketLikeType,
  type Fill,
  type Order,
  type SelfTradePreventionMode,
} from '../engine/types';
import type { Simulation } from '../simulation';
import { amount } from './envelope';
import type { BybitOrder } from './order-chains';

/** Decimal places of an average price (Bybit rounds averages; eight is finer than any tick here). */
const AVERAGE_PRICE_DECIMALS = 8;

export const SMP_TYPES: Readonly<Record<string, SelfTradePreventionMode>> = {
  None: 'NONE',
  CancelMaker: 'EXPIRE_MAKER',
  CancelTaker: 'EXPIRE_TAKER',
  CancelBoth: 'EXPIRE_BOTH',
};

const SMP_TYPE_OF: Readonly<Record<SelfTradePreventionMode, string>> = {
  NONE: 'None',
  EXPIRE_MAKER: 'CancelMaker',
  EXPIRE_TAKER: 'CancelTaker',
  EXPIRE_BOTH: 'CancelBoth',
};

/** Totals over an order's legs: what Bybit reports as cumExec* for the order. */
export interface Executed {
  qty: Decimal;
  value: Decimal;
  fee: Decimal;
  feeAsset?: string;
}

export function executed(sim: Simulation, order: BybitOrder): Executed {
  let qty = ZERO;
  let value = ZERO;
  let fee = ZERO;
  let feeAsset: string | undefined;
  for (const leg of order.legs) {
    qty = qty.plus(leg.executedQty);
    value = value.plus(leg.cumulativeQuoteQty);
  }
  for (const fill of legFills(sim, order)) {
    fee = fee.plus(fill.commission);
    feeAsset = fill.commissionAsset;
  }
  return feeAsset === undefined ? { qty, value, fee } : { qty, value, fee, feeAsset };
}

/** Every execution of the order, over all its legs, oldest first. */
export function legFills(sim: Simulation, order: BybitOrder): Fill[] {
  const { accountId, symbol } = order.head;
  return order.legs.flatMap((leg) => sim.exchange.fills(accountId, { symbol, orderId: leg.orderId }));
}

/** Quote-sized market orders: Bybit's `qty` is then the quote amount (marketUnit=quoteCoin). */
export function isQuoteSized(order: BybitOrder): boolean {
  return order.head.origQuoteOrderQty.gt(0);
}

/** The order's `qty` as Bybit reports it. */
export function orderQty(order: BybitOrder): Decimal {
  if (isQuoteSized(order)) return order.head.origQuoteOrderQty;
  return order.qty ?? order.head.origQty;
}

/**
 * Bybit's status for the order. Spot says PartiallyFilledCanceled when a cancelled or expired
 * order had traded (ccxt reads that as 'closed', not 'canceled': compare filled with amount). An
 * amended order whose new leg has not traded yet still counts its earlier fills.
 */
export function orderStatus(order: BybitOrder, executedQty: Decimal): string {
  const traded = executedQty.gt(0);
  switch (order.current.status) {
    case 'NEW':
      if (isConditionalType(order.current.type) && !order.current.isWorking) return 'Untriggered';
      return traded ? 'PartiallyFilled' : 'New';
    case 'PARTIALLY_FILLED':
      return 'PartiallyFilled';
    case 'FILLED':
      return 'Filled';
    case 'CANCELED':
    case 'EXPIRED':
    case 'EXPIRED_IN_MATCH':
      return traded ? 'PartiallyFilledCanceled' : 'Cancelled';
    case 'REJECTED':
    case undefined:
      return 'Rejected';
  }
}

/** Why an order ended, in Bybit's cancelType / rejectReason enums. */
function endReason(order: Order, traded: boolean): { cancelType: string; rejectReason: string } {
  switch (order.status) {
    case 'CANCELED':
      return { cancelType: 'CancelByUser', rejectReason: 'EC_PerCancelRequest' };
    case 'EXPIRED_IN_MATCH':
      return { cancelType: 'CancelBySmp', rejectReason: 'EC_BySelfMatch' };
    case 'EXPIRED':
      if (order.timeInForce === 'FOK')
        return { cancelType: 'UNKNOWN', rejectReason: 'EC_CancelForNoFullFill' };
      if (traded && isMarketLikeType(order.type)) {
        return { cancelType: 'UNKNOWN', rejectReason: 'EC_NoEnoughQtyToFill' };
      }
      return { cancelType: 'UNKNOWN', rejectReason: 'EC_NoImmediateQtyToFill' };
    default:
      return { cancelType: 'UNKNOWN', rejectReason: 'EC_NoError' };
  }
}

export function timeInForceOf(order: Order): string {
  if (order.type === 'LIMIT_MAKER') return 'PostOnly';
  if (isMarketLikeType(order.type)) return 'IOC';
  return order.timeInForce ?? 'GTC';
}

export function orderTypeOf(order: Order): string {
  return isMarketLikeType(order.type) ? 'Market' : 'Limit';
}

export function sideOf(order: { side: 'BUY' | 'SELL' }): string {
  return order.side === 'BUY' ? 'Buy' : 'Sell';
}

/** One order as GET /v5/order/realtime and /v5/order/history list it (spot, unified account). */
export function orderRecord(sim: Simulation, order: BybitOrder): Record<string, unknown> {
  const { head, current } = order;
  const done = executed(sim, order);
  const qty = orderQty(order);
  const open = isOpen(current);
  const leaves = open && !isQuoteSized(order) ? qty.minus(done.qty) : ZERO;
  const price = current.price;
  const market = isMarketLikeType(head.type);
  return {
    orderId: String(head.orderId),
    orderLinkId: head.clientOrderId,
    blockTradeId: '',
    symbol: head.symbol,
    price: amount(price ?? ZERO),
    qty: amount(qty),
    side: sideOf(head),
    isLeverage: '0',
    positionIdx: 0,
    orderStatus: orderStatus(order, done.qty),
    ...endReason(current, done.qty.gt(0)),
    avgPrice: done.qty.gt(0) ? amount(done.value.div(done.qty).toDecimalPlaces(AVERAGE_PRICE_DECIMALS)) : '',
    leavesQty: amount(leaves),
    leavesValue: amount(price === undefined ? ZERO : leaves.mul(price)),
    cumExecQty: amount(done.qty),
    cumExecValue: amount(done.value),
    cumExecFee: amount(done.fee),
    ...(done.feeAsset === undefined ? {} : { cumFeeDetail: { [done.feeAsset]: amount(done.fee) } }),
    timeInForce: timeInForceOf(current),
    orderType: orderTypeOf(head),
    marketUnit: market ? (isQuoteSized(order) ? 'quoteCoin' : 'baseCoin') : '',
    stopOrderType: isConditionalType(head.type) ? 'Stop' : '',
    orderIv: '',
    triggerPrice: amount(head.stopPrice ?? ZERO),
    takeProfit: '0',
    stopLoss: '0',
    tpTriggerBy: '',
    slTriggerBy: '',
    triggerDirection: 0,
    triggerBy: '',
    lastPriceOnCreated: '',
    reduceOnly: false,
    closeOnTrigger: false,
    placeType: '',
    smpType: SMP_TYPE_OF[head.selfTradePreventionMode],
    smpGroup: 0,
    smpOrderId: '',
    createdTime: String(head.time),
    updatedTime: String(current.updateTime),
  };
}
