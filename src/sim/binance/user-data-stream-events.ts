/**
 * The Binance spot user-data stream's event payloads (`executionReport`, `outboundAccountPosition`,
 * `balanceUpdate`), built from the engine's state. Field values are the ones the REST answers print
 * for the same order or trade (format.ts), so a client can mix pushed and polled data freely.
 */
import type { Account } from '../engine/accounts';
import { ZERO, type Decimal } from '../engine/decimal';
import type { OrderEvent } from '../engine/exchange';
import { isOpen } from '../engine/order-status';
import { isConditionalType, type Order } from '../engine/types';
import { amount } from './format';
import { generatedClientOrderId } from './order-request';

export type UserDataEvent = Record<string, unknown>;

/** `orderListId` of an order outside any OCO/OTO list. */
const NOT_IN_LIST = -1;
/** `t` of an execution that is not a trade. */
const NO_TRADE = -1;

/**
 * Binance's execution type for an engine event. An order expired by self-trade prevention is
 * reported as TRADE_PREVENTION (status EXPIRED_IN_MATCH); a stop that triggers is reported as a
 * second NEW, now working (Binance has no separate "triggered" execution type).
 */
function executionType(event: OrderEvent): string {
  switch (event.execution) {
    case 'TRIGGERED':
      return 'NEW';
    case 'EXPIRED':
      return event.order.status === 'EXPIRED_IN_MATCH' ? 'TRADE_PREVENTION' : 'EXPIRED';
    default:
      return event.execution;
  }
}

/**
 * One `executionReport`, a snapshot of the order at the moment of the event. `l`/`L`/`n`/`N`/`t`/`Y`
 * describe this event's trade (zeros, null and -1 otherwise); `z`/`Z` are cumulative. On a cancel,
 * as on Binance, `C` is the order's own client id and `c` the id of the cancel request.
 */
export function executionReport(event: OrderEvent, eventTime: number, executionId: number): UserDataEvent {
  const { order, fill } = event;
  const x = executionType(event);
  const canceled = x === 'CANCELED';
  const report: UserDataEvent = {
    e: 'executionReport',
    E: eventTime,
    s: order.symbol,
    c: canceled ? generatedClientOrderId() : order.clientOrderId,
    S: order.side,
    o: order.type,
    f: order.timeInForce ?? 'GTC',
    q: amount(order.origQty),
    p: amount(order.price ?? ZERO),
    P: amount(order.stopPrice ?? ZERO),
    F: amount(ZERO),
    g: NOT_IN_LIST,
    C: canceled ? order.clientOrderId : '',
    x,
    X: order.status,
    r: 'NONE',
    i: order.orderId,
    l: amount(fill?.qty ?? ZERO),
    z: amount(order.executedQty),
    L: amount(fill?.price ?? ZERO),
    n: fill ? amount(fill.commission) : '0',
    N: fill ? fill.commissionAsset : null,
    T: fill ? fill.time : transactionTime(event, eventTime),
    t: fill ? fill.tradeId : NO_TRADE,
    I: executionId,
    w: onBook(event),
    m: fill?.isMaker ?? false,
    M: fill !== undefined,
    O: order.time,
    Z: amount(order.cumulativeQuoteQty),
    Y: amount(fill?.quoteQty ?? ZERO),
    Q: amount(order.origQuoteOrderQty),
    V: order.selfTradePreventionMode,
  };
  if (order.workingTime >= 0) report.W = order.workingTime;
  return report;
}

/**
 * The engine announces NEW before it starts working the order (matching may follow in the same
 * operation), so the working time is only known once the operation is over: fill it in then.
 */
export function completeWorkingTime(report: UserDataEvent, order: Order): void {
  if (report.x === 'NEW' && report.W === undefined && order.workingTime >= 0) {
    report.W = order.workingTime;
  }
}

/** When the venue did what the event reports: acceptance, the trigger, or the status change. */
function transactionTime(event: OrderEvent, eventTime: number): number {
  if (event.execution === 'NEW') return event.order.time;
  if (event.execution === 'TRIGGERED') return eventTime;
  return event.order.updateTime;
}

/** `w`: a new non-conditional order goes to work at once; later, whether it is still open and working. */
function onBook(event: OrderEvent): boolean {
  const { order } = event;
  if (event.execution === 'NEW') return !isConditionalType(order.type);
  if (event.execution === 'TRIGGERED') return true;
  return order.isWorking && isOpen(order);
}

/** `outboundAccountPosition`: the current free/locked amounts of the assets an event may have changed. */
export function outboundAccountPosition(
  account: Account,
  assets: Iterable<string>,
  eventTime: number,
): UserDataEvent {
  return {
    e: 'outboundAccountPosition',
    E: eventTime,
    u: account.updateTime,
    B: [...assets].map((asset) => {
      const balance = account.balance(asset);
      return { a: asset, f: amount(balance.free), l: amount(balance.locked) };
    }),
  };
}

/** `balanceUpdate`: a deposit (positive delta) or withdrawal (negative) no order caused. */
export function balanceUpdate(asset: string, delta: Decimal, eventTime: number): UserDataEvent {
  return { e: 'balanceUpdate', E: eventTime, a: asset, d: amount(delta), T: eventTime };
}
