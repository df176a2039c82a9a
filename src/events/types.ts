/**
 * Ordo's business events: what happened to orders, positions, reconciliation and the trading
 * state, published to pluggable sinks (the pino log always, HTTP webhooks by configuration).
 *
 * Pure declarations (no imports, no I/O): workflows build events with src/domain/events.ts and
 * hand them to the publishEvents activity.
 *
 * Exactly once per fact: each event's id is the identity of the fact it reports (an order's
 * status, a venue trade, a trading-state change), never a random id or a clock reading. A workflow
 * derives the same events on replay, a retried delivery carries the same id, and receivers
 * deduplicate by it (webhooks send it as the `Idempotency-Key` header).
 */

export const EVENT_TYPES = [
  'ORDER_PLACED',
  'ORDER_FILLED',
  'ORDER_CANCELLED',
  'ORDER_REJECTED',
  'ORDER_EXPIRED',
  'POSITION_OPENED',
  'POSITION_CLOSED',
  'RECONCILIATION_MISMATCH',
  'TRADING_STATE_CHANGED',
  // The execution monitor's alerts, raised and cleared (src/domain/monitor/alert-event.ts).
  'EXECUTION_ALERT',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** A JSON value: events travel through workflow histories and HTTP bodies as JSON. */
export type EventValue = string | number | boolean | null | EventValue[] | { [key: string]: EventValue };

export interface OrdoEvent {
  /** The fact's identity, e.g. `ord-1:FILLED:12345:678`; receivers deduplicate by it. */
  eventId: string;
  type: EventType;
  /** ISO-8601: when the fact happened (workflow time or the venue's trade time), not when sent. */
  occurredAt: string;
  /** Ties related events together: the order id, or the parent order's id for its slices' facts. */
  correlationId: string;
  orderId?: string;
  parentId?: string;
  strategyId?: string;
  symbol?: string;
  venue?: string;
  /** What the event type says (quantities and prices as decimal strings). */
  data: { [key: string]: EventValue };
}

/** Somewhere events go. publish resolves once the sink has the event, and rejects otherwise. */
export interface EventSink {
  /** For logs: which sink this is (never a secret: no credentials, no query string). */
  readonly name: string;
  publish(event: OrdoEvent): Promise<void>;
}
