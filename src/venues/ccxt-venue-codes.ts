/**
 * What a venue's own error codes and headers add to ccxt's error class, as data: ccxt folds
 * answers that need different handling into one class (Bybit's internal error 10016 and a bad
 * request are both ExchangeError; a duplicate orderLinkId and a post-only refusal are both
 * InvalidOrder), and tells nothing about how long to wait. Each row below was observed through an
 * unmodified ccxt 4.5.84 against the simulator (test/sim/venue-errors-*.test.ts pins them).
 */
import type { VenueErrorAction } from './errors';

export interface VenueCodeRule {
  /** ccxt exchange id. */
  exchange: string;
  /** The venue's code in the error body (Binance `code`, Bybit `retCode`). */
  code?: number;
  /** The venue's message (or, without a JSON body, ccxt's message). */
  message?: RegExp;
  action: VenueErrorAction;
  reason: string;
  /** What ccxt makes of it, and why the row exists. */
  why: string;
}

const rule = (
  exchange: string,
  match: { code?: number; message?: RegExp },
  action: VenueErrorAction,
  reason: string,
  why: string,
): VenueCodeRule => ({ exchange, ...match, action, reason, why });

/** First match wins; a rule applies only if it keeps or raises caution (see mayRefine). */
export const VENUE_CODE_RULES: readonly VenueCodeRule[] = [
  // Binance: ccxt matches the exact message first, then the code, and 418/429 before either.
  rule('binance', { code: -1016 }, 'retry', 'VENUE_SHUTTING_DOWN', 'BadRequest; refused unprocessed'),
  rule(
    'binance',
    { code: -2010, message: /Duplicate order sent/i },
    'unknown_outcome',
    'DUPLICATE_CLIENT_ORDER_ID',
    'InvalidOrder; the venue has an order with this client id: look it up',
  ),
  rule('binance', { message: /IP banned/i }, 'retry', 'IP_BANNED', 'DDoSProtection (HTTP 418)'),
  rule('binance', { message: /NOTIONAL/ }, 'reject', 'MIN_NOTIONAL', 'BadRequest (-1013)'),
  rule('binance', { message: /LOT_SIZE/ }, 'reject', 'QUANTITY_PRECISION', 'InvalidOrder (-1013)'),
  rule('binance', { message: /PRICE_FILTER/ }, 'reject', 'PRICE_PRECISION', 'InvalidOrder (-1013)'),
  rule(
    'binance',
    { message: /would trigger immediately/i },
    'reject',
    'STOP_WOULD_TRIGGER',
    'OrderImmediatelyFillable, which is otherwise a post-only refusal',
  ),
  // Bybit v5: ccxt.bybit classifies by retCode; several transient codes land in reject classes.
  rule('bybit', { code: 10016 }, 'unknown_outcome', 'VENUE_UNKNOWN_ERROR', 'ExchangeError; internal error'),
  rule('bybit', { code: 170001 }, 'unknown_outcome', 'VENUE_UNKNOWN_ERROR', 'ExchangeError; internal error'),
  rule('bybit', { code: 170005 }, 'retry', 'RATE_LIMITED', 'InvalidOrder; too many new orders'),
  rule('bybit', { message: /access too frequent/i }, 'retry', 'IP_BANNED', 'RateLimitExceeded (HTTP 403)'),
  rule(
    'bybit',
    { code: 170141 },
    'unknown_outcome',
    'DUPLICATE_CLIENT_ORDER_ID',
    'InvalidOrder; the venue has an order with this orderLinkId: look it up',
  ),
  rule('bybit', { code: 170218 }, 'reject', 'POST_ONLY_WOULD_TAKE', 'InvalidOrder'),
  rule('bybit', { code: 170140 }, 'reject', 'MIN_NOTIONAL', 'InvalidOrder'),
  rule('bybit', { code: 170136 }, 'reject', 'MIN_QUANTITY', 'InvalidOrder'),
  rule('bybit', { code: 170135 }, 'reject', 'MAX_QUANTITY', 'InvalidOrder'),
  rule('bybit', { code: 170137 }, 'reject', 'QUANTITY_PRECISION', 'InvalidOrder'),
  rule('bybit', { code: 170134 }, 'reject', 'PRICE_PRECISION', 'InvalidOrder'),
  rule('bybit', { code: 170133 }, 'reject', 'MIN_PRICE', 'InvalidOrder'),
  rule('bybit', { code: 170132 }, 'reject', 'MAX_PRICE', 'InvalidOrder'),
  rule('bybit', { code: 170121 }, 'reject', 'BAD_SYMBOL', 'InvalidOrder; unknown symbol on order entry'),
  rule('bybit', { code: 170227 }, 'reject', 'UNSUPPORTED_ORDER_TYPE', 'ExchangeError; feature not supported'),
  rule('bybit', { code: 170313 }, 'reject', 'AMEND_BELOW_FILLED', 'ExchangeError; amend below filled'),
];

/**
 * How cautious an action is. A venue rule may keep or raise caution (a reject becomes a retry, a
 * retry an unknown outcome) but never lower it: a timeout whose text quotes a filter name stays a
 * timeout, and nothing that may have reached the venue turns into a final refusal.
 */
const CAUTION: Record<VenueErrorAction, number> = {
  reject: 0,
  not_found: 0,
  retry: 1,
  resync_clock: 1,
  unknown_outcome: 2,
};

export function mayRefine(from: VenueErrorAction, to: VenueErrorAction): boolean {
  return CAUTION[to] >= CAUTION[from];
}

/** The fields a venue's error body carries its code and message in (Binance, Bybit v5). */
const CODE_FIELDS = ['code', 'retCode'] as const;
const MESSAGE_FIELDS = ['msg', 'retMsg'] as const;

export interface VenueAnswerText {
  code?: number;
  message?: string;
}

/** ccxt quotes the venue's body at the end of its message ("binance {...}"): read it back. */
export function venueAnswerIn(message: string): VenueAnswerText {
  const start = message.indexOf('{');
  if (start < 0) return {};
  let body: unknown;
  try {
    body = JSON.parse(message.slice(start));
  } catch {
    return {};
  }
  if (typeof body !== 'object' || body === null) return {};
  const fields = body as Record<string, unknown>;
  const code = CODE_FIELDS.map((f) => Number(fields[f])).find((n) => Number.isInteger(n));
  const text = MESSAGE_FIELDS.map((f) => fields[f]).find((m) => typeof m === 'string');
  return {
    ...(code === undefined ? {} : { code }),
    ...(typeof text === 'string' ? { message: text } : {}),
  };
}

/** The rule for this error at this exchange, if any (caution is checked by the caller). */
export function venueCodeRule(exchange: string, message: string): VenueCodeRule | undefined {
  const answer = venueAnswerIn(message);
  return VENUE_CODE_RULES.find(
    (r) =>
      r.exchange === exchange &&
      (r.code === undefined || r.code === answer.code) &&
      (r.message === undefined || r.message.test(answer.message ?? message)),
  );
}

export interface RetryAfterHeader {
  /** ccxt exchange id, or '*' for every venue. */
  exchange: string;
  /** As ccxt capitalises it in last_response_headers (looked up case-insensitively). */
  header: string;
  /** `seconds`: RFC 9110 Retry-After (delay-seconds or an HTTP date); `epoch-ms`: venue time. */
  format: 'seconds' | 'epoch-ms';
  /** Only for these reason codes (Bybit sends its limit headers on every answer). */
  onlyFor?: readonly string[];
}

/** First present header wins. */
export const RETRY_AFTER_HEADERS: readonly RetryAfterHeader[] = [
  { exchange: '*', header: 'Retry-After', format: 'seconds' },
  {
    exchange: 'bybit',
    header: 'X-Bapi-Limit-Reset-Timestamp',
    format: 'epoch-ms',
    onlyFor: ['RATE_LIMITED'],
  },
];

/** A wait longer than this is not a wait but a broken header: fall back to the normal backoff. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60_000;

export interface RetryAfterContext {
  exchange: string;
  reason: string;
  headers: Readonly<Record<string, string>>;
  /** Our clock now (epoch ms). */
  now: number;
  /** ccxt's options.timeDifference: how far our clock runs ahead of the venue's. */
  timeDifferenceMs: number;
}

/** How long the venue asked us to wait, in ms; undefined when it did not (or asked nonsense). */
export function retryAfterMs(context: RetryAfterContext): number | undefined {
  const lowerCased = new Map(Object.entries(context.headers).map(([k, v]) => [k.toLowerCase(), v]));
  for (const h of RETRY_AFTER_HEADERS) {
    if (h.exchange !== '*' && h.exchange !== context.exchange) continue;
    if (h.onlyFor !== undefined && !h.onlyFor.includes(context.reason)) continue;
    const value = lowerCased.get(h.header.toLowerCase())?.trim();
    if (value === undefined || value === '') continue;
    const ms = waitOf(value, h.format, context);
    return ms === undefined || ms <= 0 || ms > MAX_RETRY_AFTER_MS ? undefined : Math.ceil(ms);
  }
  return undefined;
}

function waitOf(value: string, format: RetryAfterHeader['format'], context: RetryAfterContext) {
  if (format === 'epoch-ms') {
    const at = Number(value);
    return Number.isFinite(at) ? at - (context.now - context.timeDifferenceMs) : undefined;
  }
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  // An HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT"); Date.parse alone would take "-5" for a year.
  const date = /^[A-Za-z]{3}, /.test(value) ? Date.parse(value) : NaN;
  return Number.isNaN(date) ? undefined : date - context.now;
}
