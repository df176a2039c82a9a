/**
 * The order state machine: one transition table, used by the order workflow, every venue
 * adapter and the simulator. An invalid transition is an error, never a silent overwrite.
 */
export const ORDER_STATUSES = [
  'PENDING',
  'DENIED',
  'SUBMITTED',
  'ACCEPTED',
  'PARTIALLY_FILLED',
  'PENDING_CANCEL',
  'PENDING_REPLACE',
  'DEAD_LETTER',
  'FILLED',
  'CANCELLED',
  'REJECTED',
  'EXPIRED',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'DENIED',
  'FILLED',
  'CANCELLED',
  'REJECTED',
  'EXPIRED',
]);

/** Statuses in which the order may be live at the venue (and so must be followed). */
export const WORKING_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'SUBMITTED',
  'ACCEPTED',
  'PARTIALLY_FILLED',
  'PENDING_CANCEL',
  'PENDING_REPLACE',
]);

/**
 * from → the statuses it may move to. PARTIALLY_FILLED → PARTIALLY_FILLED is the one
 * self-transition (another partial fill). Terminal statuses have no way out.
 */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  // Accepted by Ordo, not yet sent. Cancel before sending ends CANCELLED without a venue call.
  PENDING: ['DENIED', 'SUBMITTED', 'CANCELLED', 'DEAD_LETTER'],
  // Sent, no ack yet: the venue can answer with any outcome (IOC/FOK end at once).
  SUBMITTED: [
    'ACCEPTED',
    'PARTIALLY_FILLED',
    'FILLED',
    'CANCELLED',
    'EXPIRED',
    'REJECTED',
    'PENDING_CANCEL',
    'DEAD_LETTER',
  ],
  ACCEPTED: [
    'PARTIALLY_FILLED',
    'FILLED',
    'PENDING_CANCEL',
    'PENDING_REPLACE',
    'CANCELLED',
    'EXPIRED',
    'REJECTED',
    'DEAD_LETTER',
  ],
  PARTIALLY_FILLED: [
    'PARTIALLY_FILLED',
    'FILLED',
    'PENDING_CANCEL',
    'PENDING_REPLACE',
    'CANCELLED',
    'EXPIRED',
    'DEAD_LETTER',
  ],
  // A cancel can lose the race against a fill, or be refused (order still working).
  PENDING_CANCEL: ['CANCELLED', 'FILLED', 'EXPIRED', 'ACCEPTED', 'PARTIALLY_FILLED', 'DEAD_LETTER'],
  // A replace ends with the new order working, the old one filled first, nothing left, or the
  // venue ending either order itself (expired by self-trade prevention, replacement rejected).
  PENDING_REPLACE: [
    'ACCEPTED',
    'PARTIALLY_FILLED',
    'FILLED',
    'CANCELLED',
    'EXPIRED',
    'REJECTED',
    'DEAD_LETTER',
  ],
  // Parked for an operator: retry resumes following/sending, abandon ends it.
  DEAD_LETTER: [
    'SUBMITTED',
    'ACCEPTED',
    'PARTIALLY_FILLED',
    'PENDING_CANCEL',
    'FILLED',
    'CANCELLED',
    'EXPIRED',
    'REJECTED',
  ],
  DENIED: [],
  FILLED: [],
  CANCELLED: [],
  REJECTED: [],
  EXPIRED: [],
};

export class InvalidTransitionError extends Error {
  readonly code = 'INVALID_TRANSITION';
  constructor(
    readonly from: OrderStatus,
    readonly to: OrderStatus,
  ) {
    super(`order status cannot move from ${from} to ${to}`);
    this.name = 'InvalidTransitionError';
  }
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Returns `to` if the move is allowed, throws InvalidTransitionError otherwise. */
export function transition(from: OrderStatus, to: OrderStatus): OrderStatus {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
  return to;
}

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}
