/**
 * The events of a fact, derived purely from what Ordo already knows (order states, position
 * changes, reconciliation findings, trading-state changes). Deterministic: the same facts give
 * the same events with the same ids, so a workflow derives them identically on replay and a
 * receiver deduplicates any redelivery by `eventId`.
 *
 * For orders the simplest correct use is a diff: keep the state last published, and after each
 * step publish `orderEventsBetween(published, state)` then remember `state` as published. Nothing
 * is missed (every difference is reported) and nothing repeats (a fact reported once is in
 * `published` from then on).
 */
import type { EventValue, OrdoEvent } from '../events/types';
import { add, cmp, dec, isZero, mul, toDecimalString } from './decimal';
import { type Fill, type OrderState, fillKey } from './order-state';
import type { OrderStatus } from './status';

/** The order's fields every order event carries; the correlation id groups a parent's slices. */
function orderEnvelope(state: OrderState): Omit<OrdoEvent, 'eventId' | 'type' | 'occurredAt' | 'data'> {
  const { request } = state;
  return {
    correlationId: request.parentId ?? state.orderId,
    orderId: state.orderId,
    ...(request.parentId === undefined ? {} : { parentId: request.parentId }),
    ...(request.strategyId === undefined ? {} : { strategyId: request.strategyId }),
    symbol: request.symbol,
    venue: request.venue,
  };
}

/** The order's size and progress, as every order event reports them. */
function orderProgress(state: OrderState): { [key: string]: EventValue } {
  return {
    side: state.request.side,
    orderType: state.request.type,
    quantity: state.request.quantity,
    filledQuantity: state.filledQuantity,
    remainingQuantity: state.remainingQuantity,
    ...(state.averagePrice === undefined ? {} : { averagePrice: state.averagePrice }),
    clientOrderId: state.clientOrderId,
    ...(state.venueOrderId === undefined ? {} : { venueOrderId: state.venueOrderId }),
  };
}

/** When the order last changed status (workflow time: deterministic). */
function lastChangeAt(state: OrderState, status?: OrderStatus): string {
  const changes = status === undefined ? state.history : state.history.filter((h) => h.status === status);
  const last = changes[changes.length - 1] ?? state.history[state.history.length - 1];
  if (last === undefined) throw new Error(`order ${state.orderId} has no status history`);
  return last.at;
}

/** Terminal statuses that are events of their own, and the event each one is. */
const STATUS_EVENTS: Partial<Record<OrderStatus, OrdoEvent['type']>> = {
  CANCELLED: 'ORDER_CANCELLED',
  EXPIRED: 'ORDER_EXPIRED',
  REJECTED: 'ORDER_REJECTED',
  // Refused by Ordo before sending (risk, market rules, trading state): a rejection too, with
  // `data.status` DENIED and the reason codes, so one subscription sees every refused order.
  DENIED: 'ORDER_REJECTED',
};

/**
 * The events of a status change from `previous` to `state`:
 * - ORDER_PLACED once, when the venue first acknowledged the order (it got a venue order id and
 *   was not rejected). A replacement (amend) is the same order: no second ORDER_PLACED.
 * - ORDER_CANCELLED / ORDER_EXPIRED / ORDER_REJECTED when it ends so (DENIED counts as rejected).
 * FILLED is not a status event: each fill is an ORDER_FILLED event (eventsForFills), the last
 * one with `complete: true`.
 */
export function eventsForStatusChange(state: OrderState, previous: OrderState): OrdoEvent[] {
  const events: OrdoEvent[] = [];
  const envelope = orderEnvelope(state);
  if (
    previous.venueOrderId === undefined &&
    state.venueOrderId !== undefined &&
    state.status !== 'REJECTED'
  ) {
    const occurredAt = lastChangeAt(state);
    events.push({
      eventId: `${state.orderId}:PLACED`,
      type: 'ORDER_PLACED',
      occurredAt,
      ...envelope,
      data: { status: state.status, ...orderProgress(state), ...ackLatency(state, occurredAt) },
    });
  }
  const type = STATUS_EVENTS[state.status];
  if (type !== undefined && previous.status !== state.status) {
    events.push({
      eventId: `${state.orderId}:${state.status}`,
      type,
      occurredAt: lastChangeAt(state, state.status),
      ...envelope,
      data: {
        status: state.status,
        ...(state.reason === undefined ? {} : { reason: state.reason }),
        ...orderProgress(state),
      },
    });
  }
  return events;
}

/**
 * When Ordo received the order and how long until the venue acknowledged it (workflow times), for
 * the execution monitor's latency; absent for a state without history.
 */
function ackLatency(state: OrderState, ackedAt: string): { [key: string]: EventValue } {
  const receivedAt = state.history[0]?.at;
  if (receivedAt === undefined) return {};
  return { receivedAt, latencyMs: Math.max(0, Date.parse(ackedAt) - Date.parse(receivedAt)) };
}

/**
 * One ORDER_FILLED per fill in `newFills` (each must be in `state.fills`), with the order's
 * cumulative filled quantity up to and including that fill, so partial fills read in order.
 */
export function eventsForFills(state: OrderState, newFills: readonly Fill[]): OrdoEvent[] {
  const cumulative = new Map<string, string>();
  /** Quote spent up to and including each fill (the running average price's numerator). */
  const spent = new Map<string, string>();
  let total = '0';
  let notional = '0';
  for (const fill of state.fills) {
    total = add(total, fill.quantity);
    notional = add(notional, mul(fill.quantity, fill.price));
    cumulative.set(fillKey(fill), total);
    spent.set(fillKey(fill), notional);
  }
  const envelope = orderEnvelope(state);
  return newFills.map((fill) => {
    const filledSoFar = cumulative.get(fillKey(fill));
    if (filledSoFar === undefined)
      throw new Error(`fill ${fillKey(fill)} is not one of order ${state.orderId}'s fills`);
    const complete = cmp(filledSoFar, state.request.quantity) >= 0;
    // The completing fill carries the order's average price and arrival mid (its shortfall).
    const averagePrice = complete ? averageOf(spent.get(fillKey(fill)), filledSoFar) : undefined;
    const outcome =
      averagePrice !== undefined
        ? { averagePrice, ...(state.arrivalMid === undefined ? {} : { arrivalMid: state.arrivalMid }) }
        : {};
    return {
      eventId: `${state.orderId}:FILLED:${fillKey(fill)}`,
      type: 'ORDER_FILLED' as const,
      occurredAt: fill.timestamp,
      ...envelope,
      data: {
        tradeId: fill.tradeId,
        ...(fill.venueOrderId === undefined ? {} : { venueOrderId: fill.venueOrderId }),
        side: state.request.side,
        fillQuantity: fill.quantity,
        fillPrice: fill.price,
        fee: fill.fee,
        feeCurrency: fill.feeCurrency,
        quantity: state.request.quantity,
        filledQuantity: filledSoFar,
        complete,
        clientOrderId: state.clientOrderId,
        ...outcome,
      },
    };
  });
}

/** Quote spent over quantity filled, as weightedAverage rounds it (20 significant digits). */
function averageOf(spent: string | undefined, filled: string): string | undefined {
  if (spent === undefined || isZero(filled)) return undefined;
  return toDecimalString(dec(spent).dividedBy(filled).toSignificantDigits(20));
}

/** Every event between two states of one order: the placement, new fills, then how it ended. */
export function orderEventsBetween(previous: OrderState, state: OrderState): OrdoEvent[] {
  const seen = new Set(previous.fills.map(fillKey));
  const newFills = state.fills.filter((f) => !seen.has(fillKey(f)));
  const statusEvents = eventsForStatusChange(state, previous);
  const placed = statusEvents.filter((e) => e.type === 'ORDER_PLACED');
  const ended = statusEvents.filter((e) => e.type !== 'ORDER_PLACED');
  return [...placed, ...eventsForFills(state, newFills), ...ended];
}

// ---- positions -------------------------------------------------------------------------------

/** A position (per venue, symbol and strategy) before and after one trade of the ledger. */
export interface PositionChange {
  venue: string;
  symbol: string;
  strategyId?: string;
  /** Signed net quantity (long > 0, short < 0), decimal strings. */
  before: string;
  after: string;
  /** The trade that changed it, and its order: the fact's identity. */
  orderId: string;
  tradeId: string;
  parentId?: string;
  /** ISO-8601: the trade's time. */
  at: string;
  /** Average cost of the position after the trade (when it is open). */
  averagePrice?: string;
  /** PnL realised by this trade, quote currency. */
  realizedPnl?: string;
}

/**
 * POSITION_OPENED when a flat position becomes non-zero, POSITION_CLOSED when it returns to flat;
 * a trade that flips it from long to short (or back) closes one position and opens the other.
 */
export function positionEvents(change: PositionChange): OrdoEvent[] {
  const wasFlat = isZero(change.before);
  const isFlat = isZero(change.after);
  const flipped = !wasFlat && !isFlat && cmp(change.before, 0) !== cmp(change.after, 0);
  const position = `${change.venue}/${change.symbol}/${change.strategyId ?? ''}`;
  const envelope = {
    correlationId: change.parentId ?? change.orderId,
    orderId: change.orderId,
    ...(change.parentId === undefined ? {} : { parentId: change.parentId }),
    ...(change.strategyId === undefined ? {} : { strategyId: change.strategyId }),
    symbol: change.symbol,
    venue: change.venue,
  };
  const sideOf = (quantity: string) => (cmp(quantity, 0) > 0 ? 'long' : 'short');
  const events: OrdoEvent[] = [];
  if ((!wasFlat && isFlat) || flipped) {
    events.push({
      eventId: `${position}:CLOSED:${change.orderId}:${change.tradeId}`,
      type: 'POSITION_CLOSED',
      occurredAt: change.at,
      ...envelope,
      data: {
        side: sideOf(change.before),
        closedQuantity: change.before,
        tradeId: change.tradeId,
        ...(change.realizedPnl === undefined ? {} : { realizedPnl: change.realizedPnl }),
      },
    });
  }
  if ((wasFlat && !isFlat) || flipped) {
    events.push({
      eventId: `${position}:OPENED:${change.orderId}:${change.tradeId}`,
      type: 'POSITION_OPENED',
      occurredAt: change.at,
      ...envelope,
      data: {
        side: sideOf(change.after),
        quantity: change.after,
        tradeId: change.tradeId,
        ...(change.averagePrice === undefined ? {} : { averagePrice: change.averagePrice }),
      },
    });
  }
  return events;
}

// ---- reconciliation and trading state ----------------------------------------------------------

export interface ReconciliationFinding {
  /** The reconciliation run that found it (e.g. its workflow id and run): part of the identity. */
  reconciliationId: string;
  /** The finding's identity within the run, e.g. `MISSED_FILL:sim:BTC/USDT:12345`. */
  key: string;
  /** SCREAMING_SNAKE kind, e.g. MISSED_FILL, UNKNOWN_ORDER, ORDER_ENDED_AT_VENUE, BALANCE_MISMATCH. */
  kind: string;
  /** ISO-8601: when the run found it. */
  at: string;
  venue: string;
  orderId?: string;
  symbol?: string;
  details: { [key: string]: EventValue };
}

export function reconciliationMismatchEvent(finding: ReconciliationFinding): OrdoEvent {
  return {
    eventId: `reconciliation:${finding.reconciliationId}:${finding.key}`,
    type: 'RECONCILIATION_MISMATCH',
    occurredAt: finding.at,
    correlationId: finding.orderId ?? finding.reconciliationId,
    ...(finding.orderId === undefined ? {} : { orderId: finding.orderId }),
    ...(finding.symbol === undefined ? {} : { symbol: finding.symbol }),
    venue: finding.venue,
    data: { kind: finding.kind, reconciliationId: finding.reconciliationId, ...finding.details },
  };
}

export interface TradingStateChange {
  /** Position of this change in the trading state's history (kept across continue-as-new). */
  sequence: number;
  from: string;
  to: string;
  reason: string;
  /** ISO-8601 (workflow time). */
  at: string;
}

/** Which trading control made the change: its workflow id, and the first run of its chain. */
export interface TradingControlIdentity {
  workflowId: string;
  /**
   * The chain's first run id (stable across continue-as-new). A control workflow terminated and
   * started again numbers its changes from 1 again: this keeps those ids apart.
   */
  epoch?: string;
}

/** The singleton's default workflow id (DESIGN.md §3). */
const TRADING_CONTROL_ID = 'trading-control';

/** Correlated by the control workflow's id: every trading-state change belongs to it. */
export function tradingStateChangedEvent(
  change: TradingStateChange,
  control: TradingControlIdentity = { workflowId: TRADING_CONTROL_ID },
): OrdoEvent {
  const epoch = control.epoch === undefined ? '' : `${control.epoch}:`;
  return {
    eventId: `${control.workflowId}:${epoch}${change.sequence}`,
    type: 'TRADING_STATE_CHANGED',
    occurredAt: change.at,
    correlationId: control.workflowId,
    data: { sequence: change.sequence, from: change.from, to: change.to, reason: change.reason },
  };
}
