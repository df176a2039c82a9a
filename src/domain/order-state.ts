/**
 * What Ordo knows about one order: its status with history, the venue order(s) it is made of,
 * and its fills. Pure functions that return new states, used by the order workflow. Fills are
 * deduplicated by venue trade id; status changes go through the one transition table.
 */
import { add, dec, sub, toDecimalString, weightedAverage } from './decimal';
import type { OrderRequest } from './order-request';
import { type OrderStatus, transition } from './status';

export interface Fill {
  tradeId: string;
  quantity: string;
  price: string;
  fee: string;
  feeCurrency: string;
  /** ISO-8601, from the venue. */
  timestamp: string;
  venueOrderId?: string;
}

export interface StatusChange {
  status: OrderStatus;
  at: string;
  reason?: string;
}

/** The answer of the `status` query (DESIGN.md §3). */
export interface OrderState {
  orderId: string;
  clientOrderId: string;
  venueOrderId?: string;
  status: OrderStatus;
  reason?: string;
  request: OrderRequest;
  filledQuantity: string;
  remainingQuantity: string;
  averagePrice?: string;
  fills: Fill[];
  history: StatusChange[];
  /** How many times the order was replaced at the venue; part of the client order id. */
  replaceSequence: number;
  /** The venue's mid when Ordo prepared the order (TCA's arrival price); absent when unknown. */
  arrivalMid?: string;
}

export function newOrderState(
  orderId: string,
  request: OrderRequest,
  clientOrderId: string,
  at: string,
): OrderState {
  return {
    orderId,
    clientOrderId,
    status: 'PENDING',
    request,
    filledQuantity: '0',
    remainingQuantity: request.quantity,
    fills: [],
    history: [{ status: 'PENDING', at }],
    replaceSequence: 0,
  };
}

/** Moves to `status` (validated by the transition table); staying put records nothing. */
export function withStatus(state: OrderState, status: OrderStatus, at: string, reason?: string): OrderState {
  if (status === state.status) return reason === undefined ? state : { ...state, reason };
  transition(state.status, status);
  const change: StatusChange = reason === undefined ? { status, at } : { status, at, reason };
  return { ...state, status, reason: reason ?? state.reason, history: [...state.history, change] };
}

/** A fill's identity. Trade ids are unique per venue order everywhere; not every venue promises more. */
export function fillKey(fill: Fill): string {
  return `${fill.venueOrderId ?? ''}:${fill.tradeId}`;
}

export function withFills(state: OrderState, incoming: readonly Fill[]): OrderState {
  const known = new Set(state.fills.map(fillKey));
  const fresh = incoming.filter((f) => {
    if (known.has(fillKey(f))) return false;
    known.add(fillKey(f));
    return true;
  });
  if (fresh.length === 0) return state;
  const fills = [...state.fills, ...fresh];
  const filledQuantity = fills.reduce((sum, f) => add(sum, f.quantity), '0');
  const averagePrice = weightedAverage(fills);
  return {
    ...state,
    fills,
    filledQuantity,
    // May go negative on an over-fill: shown as it is, never clamped.
    remainingQuantity: sub(state.request.quantity, filledQuantity),
    ...(averagePrice === undefined ? {} : { averagePrice }),
  };
}

/** Quantity with a new total: what is left to trade after what already filled. */
export function withQuantity(state: OrderState, quantity: string): OrderState {
  const request = { ...state.request, quantity: toDecimalString(quantity) };
  return { ...state, request, remainingQuantity: sub(quantity, state.filledQuantity) };
}

export function isFullyFilled(state: OrderState): boolean {
  return dec(state.filledQuantity).greaterThanOrEqualTo(state.request.quantity);
}

/** The status a working order has, given what filled so far. */
export function workingStatus(state: OrderState): OrderStatus {
  if (isFullyFilled(state)) return 'FILLED';
  return dec(state.filledQuantity).isZero() ? 'ACCEPTED' : 'PARTIALLY_FILLED';
}
