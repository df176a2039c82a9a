/**
 * The error policy: every ccxt error class maps to exactly one action. The table is ordered from
 * the most specific class to the most general; the first `instanceof` match wins. Reason codes
 * are refined from the message only where ccxt folds several venue answers into one class.
 */
import * as ccxt from 'ccxt';
import { VenueError, type VenueErrorAction } from './errors';

// ccxt's error classes share no common constructor type we can name; each is a class of BaseError.
type ErrorClass = new (...args: never[]) => Error;

export interface PolicyRow {
  errorClass: ErrorClass;
  action: VenueErrorAction;
  code: string;
}

const row = (errorClass: ErrorClass, action: VenueErrorAction, code: string): PolicyRow => ({
  errorClass,
  action,
  code,
});

export const CCXT_ERROR_POLICY: readonly PolicyRow[] = [
  row(ccxt.OrderNotFound, 'not_found', 'ORDER_NOT_FOUND'),
  // The venue already has an order with this client id: look it up, never resend.
  row(ccxt.DuplicateOrderId, 'unknown_outcome', 'DUPLICATE_CLIENT_ORDER_ID'),
  row(ccxt.OrderImmediatelyFillable, 'reject', 'POST_ONLY_WOULD_TAKE'),
  row(ccxt.OrderNotFillable, 'reject', 'NOT_FILLABLE'),
  row(ccxt.InsufficientFunds, 'reject', 'INSUFFICIENT_FUNDS'),
  row(ccxt.InvalidOrder, 'reject', 'INVALID_ORDER'),
  row(ccxt.BadSymbol, 'reject', 'BAD_SYMBOL'),
  row(ccxt.BadRequest, 'reject', 'BAD_REQUEST'),
  row(ccxt.AuthenticationError, 'reject', 'AUTHENTICATION_FAILED'),
  row(ccxt.MarketClosed, 'reject', 'MARKET_CLOSED'),
  row(ccxt.OperationRejected, 'reject', 'OPERATION_REJECTED'),
  row(ccxt.NotSupported, 'reject', 'NOT_SUPPORTED'),
  row(ccxt.ExchangeError, 'reject', 'VENUE_ERROR'),
  // A timeout after sending: the order may exist. Look up by client order id before resending.
  row(ccxt.RequestTimeout, 'unknown_outcome', 'VENUE_TIMEOUT'),
  // An order-book checksum mismatch is a subclass of InvalidNonce in ccxt, but not a clock problem.
  row(ccxt.ChecksumError, 'retry', 'ORDER_BOOK_CHECKSUM'),
  row(ccxt.InvalidNonce, 'resync_clock', 'CLOCK_SKEW'),
  // Throttled or down for maintenance: the venue refused before acting. Safe to resend.
  row(ccxt.RateLimitExceeded, 'retry', 'RATE_LIMITED'),
  row(ccxt.DDoSProtection, 'retry', 'RATE_LIMITED'),
  row(ccxt.OnMaintenance, 'retry', 'VENUE_MAINTENANCE'),
  // 5xx, dropped connections, garbled answers: the request may have been processed.
  row(ccxt.ExchangeNotAvailable, 'unknown_outcome', 'VENUE_UNAVAILABLE'),
  row(ccxt.NetworkError, 'unknown_outcome', 'NETWORK_ERROR'),
  row(ccxt.BadResponse, 'unknown_outcome', 'BAD_RESPONSE'),
  row(ccxt.OperationFailed, 'unknown_outcome', 'VENUE_UNKNOWN_ERROR'),
];

/** Finer reason codes for messages ccxt maps to a broad class (Binance filter failures). */
const MESSAGE_REASONS: ReadonlyArray<[RegExp, VenueErrorAction, string]> = [
  [/duplicate order/i, 'unknown_outcome', 'DUPLICATE_CLIENT_ORDER_ID'],
  [/insufficient balance/i, 'reject', 'INSUFFICIENT_FUNDS'],
  [/would immediately match/i, 'reject', 'POST_ONLY_WOULD_TAKE'],
  [/NOTIONAL/, 'reject', 'MIN_NOTIONAL'],
  [/LOT_SIZE/, 'reject', 'QUANTITY_PRECISION'],
  [/PRICE_FILTER/, 'reject', 'PRICE_PRECISION'],
  [/would trigger immediately/i, 'reject', 'STOP_WOULD_TRIGGER'],
];

/** Turns anything a ccxt call threw into a VenueError with one action. */
export function classifyCcxtError(err: unknown): VenueError {
  if (err instanceof VenueError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const origin = err instanceof Error ? err.constructor.name : typeof err;
  const matched = CCXT_ERROR_POLICY.find((r) => err instanceof r.errorClass);
  if (matched === undefined) {
    // Not a ccxt error: a 200 with a non-JSON body surfaces as a TypeError/SyntaxError. The
    // request may have been processed, so the outcome is unknown.
    return new VenueError('unknown_outcome', 'BAD_RESPONSE', message, undefined, origin);
  }
  if (matched.action === 'reject' || matched.action === 'unknown_outcome') {
    const refined = MESSAGE_REASONS.find(([pattern]) => pattern.test(message));
    if (refined !== undefined && (matched.action === 'reject' || refined[1] === 'unknown_outcome')) {
      return new VenueError(refined[1], refined[2], message, undefined, origin);
    }
  }
  return new VenueError(matched.action, matched.code, message, undefined, origin);
}
