/**
 * The desk-wide trading state and what it lets through. Pure: tradingControlWorkflow holds one
 * TradingControl and applies operator commands to it; the submit activity's gate and the order
 * workflows ask `orderAllowed` before anything is sent.
 *
 *   ACTIVE    every order may be sent
 *   REDUCING  only orders that shrink the position of their symbol (opposite side, no larger)
 *   HALTED    nothing is sent
 *
 * Every command is recorded, none is refused: an operator's halt must never be lost for a bad
 * reason text, so a missing reason becomes "UNSPECIFIED". A command for the state already held
 * (resume while ACTIVE, a second halt) changes nothing — neither the state, nor its reason, nor
 * `since` — but is kept in the history marked `unchanged`, so the audit trail shows every word an
 * operator said. The history keeps the last HISTORY_LIMIT entries.
 */
import { dec, isDecimalText } from './decimal';
import type { RequestIssue, Side } from './order-request';

export const TRADING_STATES = ['ACTIVE', 'REDUCING', 'HALTED'] as const;
export type TradingState = (typeof TRADING_STATES)[number];

export const TRADING_COMMANDS = ['halt', 'reduceOnly', 'resume'] as const;
export type TradingCommandKind = (typeof TRADING_COMMANDS)[number];

/** Entries kept in the history (the oldest are dropped first). */
export const HISTORY_LIMIT = 200;
/** Reasons are for people; longer ones are cut so a history cannot grow without bound. */
export const MAX_REASON_LENGTH = 500;
export const UNSPECIFIED_REASON = 'UNSPECIFIED';

export interface TradingStateChange {
  state: TradingState;
  /** ISO-8601. */
  at: string;
  reason: string;
  /** The command asked for the state already held: recorded, nothing changed. */
  unchanged?: true;
}

export interface TradingControl {
  state: TradingState;
  /** Why the current state was entered (absent for the initial ACTIVE). */
  reason?: string;
  /** ISO-8601: when the current state was entered. */
  since: string;
  history: TradingStateChange[];
}

export interface TradingCommand {
  kind: TradingCommandKind;
  reason?: string;
  /** ISO-8601 (workflow time). */
  at: string;
}

const TARGET: Record<TradingCommandKind, TradingState> = {
  halt: 'HALTED',
  reduceOnly: 'REDUCING',
  resume: 'ACTIVE',
};

export function targetState(kind: TradingCommandKind): TradingState {
  return TARGET[kind];
}

export function isTradingState(value: unknown): value is TradingState {
  return typeof value === 'string' && (TRADING_STATES as readonly string[]).includes(value);
}

/** Trading starts ACTIVE: a desk that never halted has no control workflow at all. */
export function initialTradingControl(at: string): TradingControl {
  return { state: 'ACTIVE', since: at, history: [] };
}

/** The reason as recorded: trimmed, never empty, at most MAX_REASON_LENGTH characters. */
export function normaliseReason(reason: unknown): string {
  const text = typeof reason === 'string' ? reason.trim() : '';
  if (text === '') return UNSPECIFIED_REASON;
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text;
}

/** Applies one command; `changed` says whether the state moved. */
export function applyTradingCommand(
  control: TradingControl,
  command: TradingCommand,
): { control: TradingControl; changed: boolean } {
  const state = TARGET[command.kind];
  const reason = normaliseReason(command.reason);
  const changed = state !== control.state;
  const entry: TradingStateChange = {
    state,
    at: command.at,
    reason,
    ...(changed ? {} : { unchanged: true }),
  };
  const history = [...control.history, entry].slice(-HISTORY_LIMIT);
  if (!changed) return { control: { ...control, history }, changed };
  return { control: { state, reason, since: command.at, history }, changed };
}

/** What `orderAllowed` needs of an order. */
export interface TradingOrder {
  side: Side;
  /** Decimal string > 0. */
  quantity: string;
}

/**
 * Whether the trading state lets this order be sent: undefined if it may, else the refusal.
 * `position` is the signed position in the order's symbol (base asset; negative = short) as a
 * decimal string; only REDUCING looks at it, and an unknown position refuses there (a reduce-only
 * desk must not guess that an order reduces).
 */
export function orderAllowed(
  trading: TradingState | { state: TradingState; reason?: string },
  order: TradingOrder,
  position?: string,
): RequestIssue | undefined {
  const { state, reason } = typeof trading === 'string' ? { state: trading, reason: undefined } : trading;
  const why = reason === undefined ? '' : ` (${reason})`;
  if (state === 'ACTIVE') return undefined;
  if (state === 'HALTED') return { code: 'TRADING_HALTED', message: `trading is halted${why}` };
  const refuse = (detail: string): RequestIssue => ({
    code: 'TRADING_REDUCING',
    message: `trading is reduce-only${why}: ${detail}`,
  });
  if (position === undefined || !isDecimalText(position)) {
    return refuse(
      `the position is unknown (${position ?? 'none given'}), so the order cannot be shown to reduce it`,
    );
  }
  if (!isDecimalText(order.quantity) || !dec(order.quantity).greaterThan(0)) {
    return refuse(`quantity ${order.quantity} is not a positive decimal`);
  }
  const held = dec(position);
  if (held.isZero()) return refuse('there is no position to reduce');
  const reducingSide: Side = held.greaterThan(0) ? 'sell' : 'buy';
  if (order.side !== reducingSide) {
    return refuse(`a ${order.side} adds to the position ${position}; only a ${reducingSide} reduces it`);
  }
  if (dec(order.quantity).greaterThan(held.abs())) {
    return refuse(`${order.side} ${order.quantity} is more than the position ${position} (it would flip it)`);
  }
  return undefined;
}
