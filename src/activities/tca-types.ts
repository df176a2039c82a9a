/**
 * The TCA activity's interface (tcaWorkflow calls it): one order's or one parent order's
 * transaction cost analysis, with the market data it was measured against. Workflows import these
 * types only.
 */
import type { DayOrderAnalysis, DayOrderRefusal, DayTcaSummary } from '../domain/tca/day';
import type { TcaFill, TcaOrderResult } from '../domain/tca/types';

export interface OrderTcaInput {
  /** An order's or a parent order's workflow id. */
  orderId: string;
}

/** Where the price marking the unfilled rest came from. */
export type EndPriceSource = 'last-trade' | 'mid-now';

export interface OrderTcaReport extends TcaOrderResult {
  kind: 'order' | 'parent';
  /** The order's (or parent's) status when analysed. */
  status: string;
  /** The end of the measured interval: when the order ended, or now while it works. */
  endAt: string;
  /** How many public trades the venue listed over [requestedAt, endAt) (the market VWAP's sample). */
  marketTrades: number;
  endPriceSource?: EndPriceSource;
  /** The fills analysed (a parent's: its children's, pooled). */
  fills: TcaFill[];
  /** A parent's child orders that were analysed (their fills pooled). */
  children?: number;
}

/** One UTC day's orders on a task queue, optionally one strategy's or one venue's. */
export interface DayTcaInput {
  /** YYYY-MM-DD (UTC). */
  day: string;
  taskQueue: string;
  strategyId?: string;
  venue?: string;
  /** More orders than this listed: refused TOO_MANY_ORDERS (default DAY_ORDERS_DEFAULT_LIMIT). */
  limit?: number;
}

/** An order or parent order the day's listing found. */
export interface ListedDayOrder {
  orderId: string;
  kind: 'order' | 'parent';
  /** A parent's child order. */
  parentId?: string;
  /** Its OrderStatus search attribute when listed. */
  status?: string;
}

export type DayOrderOutcome = { analysis: DayOrderAnalysis } | { refusal: DayOrderRefusal };

export interface DayTcaReport extends DayTcaSummary {
  taskQueue: string;
  strategyId?: string;
  venue?: string;
  limit: number;
  /** When it was measured (workflow time): working orders' figures are as of then. */
  measuredAt: string;
}

/**
 * Refusals (final ApplicationFailures, typed): ORDER_NOT_FOUND (no such workflow, or not an
 * order), NO_ARRIVAL_PRICE (the order never learnt the venue's mid: denied before, or recorded
 * before arrival mids were kept), and the pure TCA's own codes (OVERFILLED, INVALID_TCA_INPUT …).
 */
export interface TcaActivities {
  orderTca(input: OrderTcaInput): Promise<OrderTcaReport>;
  /** The day's orders and parents from visibility; more than the limit: TOO_MANY_ORDERS (final). */
  listDayOrders(input: DayTcaInput): Promise<ListedDayOrder[]>;
  /** Each order measured, or its refusal (NO_ARRIVAL_PRICE …) kept beside the others. */
  ordersTca(input: { orders: ListedDayOrder[] }): Promise<DayOrderOutcome[]>;
}
