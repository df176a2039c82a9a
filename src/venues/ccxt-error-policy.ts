/**
 * The error policy: every ccxt 4.x error class maps to exactly one action (the table below, also
 * docs/error-policy.md; a unit test keeps the two equal). The table runs from the most specific
 * class to the most general and the first `instanceof` match wins. Then the venue's own code may
 * refine the row (ccxt-venue-codes.ts: data keyed by exchange id and code), and the answer's
 * Retry-After (or the venue's equivalent) becomes retryAfterMs.
 *
 * Actions, from the activities' point of view: `retry` — refused before acting, send again after
 * a pause; `unknown_outcome` — it may have been acted on: look the order up by client order id
 * and resend (same id) only if absent; `resync_clock` — the adapter has already resynchronised
 * its clock, retry; `not_found`; `reject` — final, the order ends REJECTED with the code.
 */
import * as ccxt from 'ccxt';
import { mayRefine, retryAfterMs, venueCodeRule } from './ccxt-venue-codes';
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
  // ExchangeError → InvalidOrder and its subclasses: the venue answered and refused.
  row(ccxt.OrderNotFound, 'not_found', 'ORDER_NOT_FOUND'),
  // ccxt's local order cache, not the venue: never read it as "the venue does not have it".
  row(ccxt.OrderNotCached, 'reject', 'ORDER_NOT_CACHED'),
  // The venue already has an order with this client id: look it up, never resend.
  row(ccxt.DuplicateOrderId, 'unknown_outcome', 'DUPLICATE_CLIENT_ORDER_ID'),
  row(ccxt.OrderImmediatelyFillable, 'reject', 'POST_ONLY_WOULD_TAKE'),
  row(ccxt.OrderNotFillable, 'reject', 'NOT_FILLABLE'),
  row(ccxt.ContractUnavailable, 'reject', 'CONTRACT_UNAVAILABLE'),
  row(ccxt.InvalidOrder, 'reject', 'INVALID_ORDER'),
  row(ccxt.InsufficientFunds, 'reject', 'INSUFFICIENT_FUNDS'),
  row(ccxt.BadSymbol, 'reject', 'BAD_SYMBOL'),
  row(ccxt.BadRequest, 'reject', 'BAD_REQUEST'),
  row(ccxt.AccountNotEnabled, 'reject', 'ACCOUNT_NOT_ENABLED'),
  row(ccxt.PermissionDenied, 'reject', 'PERMISSION_DENIED'),
  row(ccxt.AccountSuspended, 'reject', 'ACCOUNT_SUSPENDED'),
  row(ccxt.AuthenticationError, 'reject', 'AUTHENTICATION_FAILED'),
  row(ccxt.MarginModeAlreadySet, 'reject', 'NO_CHANGE'),
  row(ccxt.NoChange, 'reject', 'NO_CHANGE'),
  row(ccxt.MarketClosed, 'reject', 'MARKET_CLOSED'),
  row(ccxt.ManualInteractionNeeded, 'reject', 'MANUAL_INTERACTION_NEEDED'),
  row(ccxt.RestrictedLocation, 'reject', 'RESTRICTED_LOCATION'),
  row(ccxt.OperationRejected, 'reject', 'OPERATION_REJECTED'),
  row(ccxt.AddressPending, 'reject', 'INVALID_ADDRESS'),
  row(ccxt.InvalidAddress, 'reject', 'INVALID_ADDRESS'),
  row(ccxt.ArgumentsRequired, 'reject', 'ARGUMENTS_REQUIRED'),
  row(ccxt.NotSupported, 'reject', 'NOT_SUPPORTED'),
  row(ccxt.InvalidProxySettings, 'reject', 'INVALID_PROXY_SETTINGS'),
  // The instance was closed (worker shutdown) while a request was in flight.
  row(ccxt.ExchangeClosedByUser, 'unknown_outcome', 'VENUE_CLOSED'),
  // Any other venue refusal. Transient codes ccxt puts here are refined per venue.
  row(ccxt.ExchangeError, 'reject', 'VENUE_ERROR'),
  // OperationFailed → NetworkError: refused before acting (throttled, maintenance)...
  row(ccxt.OnMaintenance, 'retry', 'VENUE_MAINTENANCE'),
  row(ccxt.DDoSProtection, 'retry', 'RATE_LIMITED'),
  row(ccxt.RateLimitExceeded, 'retry', 'RATE_LIMITED'),
  // An order-book checksum mismatch is a subclass of InvalidNonce in ccxt, but not a clock problem.
  row(ccxt.ChecksumError, 'retry', 'ORDER_BOOK_CHECKSUM'),
  row(ccxt.InvalidNonce, 'resync_clock', 'CLOCK_SKEW'),
  // ...or the request may have been acted on: 5xx pages, timeouts, dropped connections.
  row(ccxt.ExchangeNotAvailable, 'unknown_outcome', 'VENUE_UNAVAILABLE'),
  row(ccxt.RequestTimeout, 'unknown_outcome', 'VENUE_TIMEOUT'),
  row(ccxt.NetworkError, 'unknown_outcome', 'NETWORK_ERROR'),
  row(ccxt.NullResponse, 'unknown_outcome', 'BAD_RESPONSE'),
  row(ccxt.BadResponse, 'unknown_outcome', 'BAD_RESPONSE'),
  row(ccxt.CancelPending, 'unknown_outcome', 'CANCEL_PENDING'),
  row(ccxt.OperationFailed, 'unknown_outcome', 'VENUE_UNKNOWN_ERROR'),
  // Websocket unsubscribe only; no REST call raises it.
  row(ccxt.UnsubscribeError, 'retry', 'UNSUBSCRIBE_FAILED'),
  row(ccxt.BaseError, 'unknown_outcome', 'VENUE_UNKNOWN_ERROR'),
];

/**
 * Anything that is not a ccxt error: a 200 whose body is not JSON surfaces from ccxt.binance as a
 * plain TypeError (the adapter's answer guard catches most of these first). The request may have
 * been processed, so the outcome is unknown.
 */
export const NOT_A_CCXT_ERROR = { action: 'unknown_outcome', code: 'BAD_RESPONSE' } as const;

export interface ErrorContext {
  /** ccxt exchange id: selects the venue-code rules and Retry-After headers. */
  exchange?: string;
  /** Headers of the HTTP answer that carried this error, when one arrived. */
  headers?: Readonly<Record<string, string>>;
  /** ccxt's options.timeDifference (our clock minus the venue's), for venue timestamps. */
  timeDifferenceMs?: number;
  now?: number;
}

/** Turns anything a ccxt call threw into a VenueError with one action. */
export function classifyCcxtError(err: unknown, context: ErrorContext = {}): VenueError {
  if (err instanceof VenueError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const origin = err instanceof Error ? err.constructor.name : typeof err;
  const matched = CCXT_ERROR_POLICY.find((r) => err instanceof r.errorClass) ?? NOT_A_CCXT_ERROR;
  const venueRule = context.exchange === undefined ? undefined : venueCodeRule(context.exchange, message);
  const { action, code } =
    venueRule !== undefined && mayRefine(matched.action, venueRule.action)
      ? { action: venueRule.action, code: venueRule.reason }
      : matched;
  const wait =
    context.headers === undefined || context.exchange === undefined
      ? undefined
      : retryAfterMs({
          exchange: context.exchange,
          reason: code,
          headers: context.headers,
          now: context.now ?? Date.now(),
          timeDifferenceMs: context.timeDifferenceMs ?? 0,
        });
  return new VenueError(action, code, message, wait, origin);
}
