import { transition, type OrderStatus } from '../../domain/status';
import type { Order, VenueOrderStatus } from './types';

/** Each venue status seen as a status of the project's one order state machine. */
export const DOMAIN_STATUS_OF: Readonly<Record<VenueOrderStatus, OrderStatus>> = {
  NEW: 'ACCEPTED',
  PARTIALLY_FILLED: 'PARTIALLY_FILLED',
  FILLED: 'FILLED',
  CANCELED: 'CANCELLED',
  EXPIRED: 'EXPIRED',
  EXPIRED_IN_MATCH: 'EXPIRED',
  REJECTED: 'REJECTED',
};

/** A freshly built order is SUBMITTED: sent by the client, no answer yet. */
export const INITIAL_DOMAIN_STATUS: OrderStatus = 'SUBMITTED';

const OPEN_STATUSES: ReadonlySet<VenueOrderStatus> = new Set(['NEW', 'PARTIALLY_FILLED']);

/**
 * The only way an order's status changes. The move is checked by the domain state machine, so an
 * engine bug (say, filling a cancelled order) throws instead of silently rewriting history.
 */
export function moveOrderStatus(order: Order, next: VenueOrderStatus, at: number): void {
  order.domainStatus = transition(order.domainStatus, DOMAIN_STATUS_OF[next]);
  order.status = next;
  order.updateTime = at;
}

export function isOpen(order: Order): boolean {
  return order.status !== undefined && OPEN_STATUSES.has(order.status);
}
