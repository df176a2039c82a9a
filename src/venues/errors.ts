/**
 * Typed venue errors. Every failure a venue call can raise becomes a VenueError with one action,
 * so activities and workflows decide from the action, never from an exchange's message text.
 */

/**
 * - retry:           the request was refused or never arrived; send it again after a pause
 * - unknown_outcome: it may have reached the venue; look the order up by client order id first
 * - resync_clock:    our timestamp was refused; resynchronise the clock, then retry
 * - not_found:       the venue does not know the order
 * - reject:          final; the order (or request) is refused with a reason code
 */
export type VenueErrorAction = 'retry' | 'unknown_outcome' | 'resync_clock' | 'not_found' | 'reject';

export class VenueError extends Error {
  constructor(
    readonly action: VenueErrorAction,
    /** SCREAMING_SNAKE reason code, e.g. INSUFFICIENT_FUNDS. */
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
    /** The class name of the original error (e.g. ccxt's), for logs and the error policy table. */
    readonly origin?: string,
  ) {
    super(safeMessage(message));
    this.name = 'VenueError';
  }
}

/** Longest venue message kept: reasons travel into workflow state, histories and logs. */
const MAX_MESSAGE_LENGTH = 300;

/**
 * A venue message fit to keep: ccxt quotes the signed request URL (signature, timestamp) and
 * whole HTML error pages in its messages. Signatures are redacted, markup dropped, length capped.
 */
export function safeMessage(message: string): string {
  const text = message
    .replace(
      /(signature|sign|apiKey|api_key|X-MBX-APIKEY|X-BAPI-API-KEY|X-BAPI-SIGN)=([^&\s"']+)/gi,
      '$1=[redacted]',
    )
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length <= MAX_MESSAGE_LENGTH ? text : `${text.slice(0, MAX_MESSAGE_LENGTH)}…`;
}

export function isVenueError(err: unknown): err is VenueError {
  return err instanceof VenueError;
}
