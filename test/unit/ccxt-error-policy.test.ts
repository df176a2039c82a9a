import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ccxt from 'ccxt';
import { CCXT_ERROR_POLICY, classifyCcxtError } from '../../src/venues/ccxt-error-policy';
import { VENUE_CODE_RULES, mayRefine, retryAfterMs, venueAnswerIn } from '../../src/venues/ccxt-venue-codes';
import { VenueError, isVenueError, type VenueErrorAction } from '../../src/venues/errors';

type ErrorCtor = new (message: string) => Error;

/** The agreed policy, one row per ccxt 4.x error class, written out literally. */
const EXPECTED_ROWS: Array<[string, ErrorCtor, VenueErrorAction, string]> = [
  ['OrderNotFound', ccxt.OrderNotFound, 'not_found', 'ORDER_NOT_FOUND'],
  ['OrderNotCached', ccxt.OrderNotCached, 'reject', 'ORDER_NOT_CACHED'],
  ['DuplicateOrderId', ccxt.DuplicateOrderId, 'unknown_outcome', 'DUPLICATE_CLIENT_ORDER_ID'],
  ['OrderImmediatelyFillable', ccxt.OrderImmediatelyFillable, 'reject', 'POST_ONLY_WOULD_TAKE'],
  ['OrderNotFillable', ccxt.OrderNotFillable, 'reject', 'NOT_FILLABLE'],
  ['ContractUnavailable', ccxt.ContractUnavailable, 'reject', 'CONTRACT_UNAVAILABLE'],
  ['InvalidOrder', ccxt.InvalidOrder, 'reject', 'INVALID_ORDER'],
  ['InsufficientFunds', ccxt.InsufficientFunds, 'reject', 'INSUFFICIENT_FUNDS'],
  ['BadSymbol', ccxt.BadSymbol, 'reject', 'BAD_SYMBOL'],
  ['BadRequest', ccxt.BadRequest, 'reject', 'BAD_REQUEST'],
  ['AccountNotEnabled', ccxt.AccountNotEnabled, 'reject', 'ACCOUNT_NOT_ENABLED'],
  ['PermissionDenied', ccxt.PermissionDenied, 'reject', 'PERMISSION_DENIED'],
  ['AccountSuspended', ccxt.AccountSuspended, 'reject', 'ACCOUNT_SUSPENDED'],
  ['AuthenticationError', ccxt.AuthenticationError, 'reject', 'AUTHENTICATION_FAILED'],
  ['MarginModeAlreadySet', ccxt.MarginModeAlreadySet, 'reject', 'NO_CHANGE'],
  ['NoChange', ccxt.NoChange, 'reject', 'NO_CHANGE'],
  ['MarketClosed', ccxt.MarketClosed, 'reject', 'MARKET_CLOSED'],
  ['ManualInteractionNeeded', ccxt.ManualInteractionNeeded, 'reject', 'MANUAL_INTERACTION_NEEDED'],
  ['RestrictedLocation', ccxt.RestrictedLocation, 'reject', 'RESTRICTED_LOCATION'],
  ['OperationRejected', ccxt.OperationRejected, 'reject', 'OPERATION_REJECTED'],
  ['AddressPending', ccxt.AddressPending, 'reject', 'INVALID_ADDRESS'],
  ['InvalidAddress', ccxt.InvalidAddress, 'reject', 'INVALID_ADDRESS'],
  ['ArgumentsRequired', ccxt.ArgumentsRequired, 'reject', 'ARGUMENTS_REQUIRED'],
  ['NotSupported', ccxt.NotSupported, 'reject', 'NOT_SUPPORTED'],
  ['InvalidProxySettings', ccxt.InvalidProxySettings, 'reject', 'INVALID_PROXY_SETTINGS'],
  ['ExchangeClosedByUser', ccxt.ExchangeClosedByUser, 'unknown_outcome', 'VENUE_CLOSED'],
  ['ExchangeError', ccxt.ExchangeError, 'reject', 'VENUE_ERROR'],
  ['OnMaintenance', ccxt.OnMaintenance, 'retry', 'VENUE_MAINTENANCE'],
  ['DDoSProtection', ccxt.DDoSProtection, 'retry', 'RATE_LIMITED'],
  ['RateLimitExceeded', ccxt.RateLimitExceeded, 'retry', 'RATE_LIMITED'],
  ['ChecksumError', ccxt.ChecksumError, 'retry', 'ORDER_BOOK_CHECKSUM'],
  ['InvalidNonce', ccxt.InvalidNonce, 'resync_clock', 'CLOCK_SKEW'],
  ['ExchangeNotAvailable', ccxt.ExchangeNotAvailable, 'unknown_outcome', 'VENUE_UNAVAILABLE'],
  ['RequestTimeout', ccxt.RequestTimeout, 'unknown_outcome', 'VENUE_TIMEOUT'],
  ['NetworkError', ccxt.NetworkError, 'unknown_outcome', 'NETWORK_ERROR'],
  ['NullResponse', ccxt.NullResponse, 'unknown_outcome', 'BAD_RESPONSE'],
  ['BadResponse', ccxt.BadResponse, 'unknown_outcome', 'BAD_RESPONSE'],
  ['CancelPending', ccxt.CancelPending, 'unknown_outcome', 'CANCEL_PENDING'],
  ['OperationFailed', ccxt.OperationFailed, 'unknown_outcome', 'VENUE_UNKNOWN_ERROR'],
  ['UnsubscribeError', ccxt.UnsubscribeError, 'retry', 'UNSUBSCRIBE_FAILED'],
  ['BaseError', ccxt.BaseError, 'unknown_outcome', 'VENUE_UNKNOWN_ERROR'],
];

/** Every error class ccxt exports (its own export list, not ours). */
function ccxtErrorClasses(): string[] {
  return Object.entries(ccxt)
    .filter(
      ([, value]) =>
        typeof value === 'function' &&
        (value === ccxt.BaseError || (value as { prototype: unknown }).prototype instanceof ccxt.BaseError),
    )
    .map(([name]) => name)
    .sort();
}

describe('classifyCcxtError: one action per ccxt class', () => {
  it('the policy table is exactly the agreed one, in order', () => {
    expect(CCXT_ERROR_POLICY.map((r) => [r.errorClass, r.action, r.code])).toEqual(
      EXPECTED_ROWS.map(([, cls, action, code]) => [cls, action, code]),
    );
  });

  it('every error class ccxt exports has exactly one row of its own', () => {
    const rows = CCXT_ERROR_POLICY.map((r) => r.errorClass.name);
    expect([...rows].sort()).toEqual(ccxtErrorClasses());
    expect(new Set(rows).size).toBe(rows.length);
  });

  it('no row is shadowed by an earlier, more general one', () => {
    CCXT_ERROR_POLICY.forEach((later, j) => {
      for (const earlier of CCXT_ERROR_POLICY.slice(0, j)) {
        expect(later.errorClass.prototype instanceof earlier.errorClass).toBe(false);
      }
    });
  });

  it.each(EXPECTED_ROWS)('%s → %s %s', (name, Cls, action, code) => {
    const original = new Cls('something went wrong');
    const err = classifyCcxtError(original);
    expect(err).toBeInstanceOf(VenueError);
    expect(isVenueError(err)).toBe(true);
    expect(err.action).toBe(action);
    expect(err.code).toBe(code);
    expect(err.message).toBe('something went wrong');
    expect(err.origin).toBe(name);
    expect(err.retryAfterMs).toBeUndefined();
  });
});

describe('classifyCcxtError: venue codes refine the class (exchange id + code)', () => {
  const binance = (body: object) => `binance ${JSON.stringify(body)}`;
  const bybit = (retCode: number, retMsg = 'x') =>
    `bybit ${JSON.stringify({ retCode, retMsg, result: {}, retExtInfo: {}, time: 1 })}`;

  const cases: Array<[string, string, ErrorCtor, string, VenueErrorAction, string]> = [
    // What the simulator's faults and refusals become through ccxt 4.5.84 (test/sim/venue-errors-*).
    [
      'binance',
      'shutting down',
      ccxt.BadRequest,
      binance({ code: -1016, msg: 'This service is no longer available.' }),
      'retry',
      'VENUE_SHUTTING_DOWN',
    ],
    [
      'binance',
      'duplicate',
      ccxt.InvalidOrder,
      binance({ code: -2010, msg: 'Duplicate order sent.' }),
      'unknown_outcome',
      'DUPLICATE_CLIENT_ORDER_ID',
    ],
    [
      'binance',
      'IP ban (418)',
      ccxt.DDoSProtection,
      `binance 418 I'm a Teapot ${JSON.stringify({ code: -1003, msg: 'Way too much request weight used; IP banned until 1.' })}`,
      'retry',
      'IP_BANNED',
    ],
    [
      'binance',
      'NOTIONAL',
      ccxt.BadRequest,
      binance({ code: -1013, msg: 'Filter failure: NOTIONAL' }),
      'reject',
      'MIN_NOTIONAL',
    ],
    [
      'binance',
      'MIN_NOTIONAL',
      ccxt.InvalidOrder,
      binance({ code: -1013, msg: 'Filter failure: MIN_NOTIONAL' }),
      'reject',
      'MIN_NOTIONAL',
    ],
    [
      'binance',
      'LOT_SIZE',
      ccxt.InvalidOrder,
      `binance order amount should be evenly divisible by lot size ${JSON.stringify({ code: -1013, msg: 'Filter failure: LOT_SIZE' })}`,
      'reject',
      'QUANTITY_PRECISION',
    ],
    [
      'binance',
      'PRICE_FILTER',
      ccxt.InvalidOrder,
      binance({ code: -1013, msg: 'Filter failure: PRICE_FILTER' }),
      'reject',
      'PRICE_PRECISION',
    ],
    [
      'binance',
      'stop would trigger',
      ccxt.OrderImmediatelyFillable,
      'binance Stop price would trigger immediately.',
      'reject',
      'STOP_WOULD_TRIGGER',
    ],
    [
      'binance',
      'post-only (no rule: the class says it)',
      ccxt.OrderImmediatelyFillable,
      'binance Order would immediately match and take.',
      'reject',
      'POST_ONLY_WOULD_TAKE',
    ],
    [
      'binance',
      'insufficient (no rule)',
      ccxt.InsufficientFunds,
      'binance Account has insufficient balance for requested action.',
      'reject',
      'INSUFFICIENT_FUNDS',
    ],
    [
      'bybit',
      'internal error 10016',
      ccxt.ExchangeError,
      bybit(10016, 'Internal System Error.'),
      'unknown_outcome',
      'VENUE_UNKNOWN_ERROR',
    ],
    [
      'bybit',
      'internal error 170001',
      ccxt.ExchangeError,
      bybit(170001, 'Internal error.'),
      'unknown_outcome',
      'VENUE_UNKNOWN_ERROR',
    ],
    ['bybit', 'order rate limit 170005', ccxt.InvalidOrder, bybit(170005), 'retry', 'RATE_LIMITED'],
    [
      'bybit',
      'IP ban (403)',
      ccxt.RateLimitExceeded,
      'bybit POST http://h/v5/order/create 403 Forbidden access too frequent',
      'retry',
      'IP_BANNED',
    ],
    [
      'bybit',
      'duplicate orderLinkId 170141',
      ccxt.InvalidOrder,
      bybit(170141, 'Duplicate clientOrderId'),
      'unknown_outcome',
      'DUPLICATE_CLIENT_ORDER_ID',
    ],
    ['bybit', 'post-only 170218', ccxt.InvalidOrder, bybit(170218), 'reject', 'POST_ONLY_WOULD_TAKE'],
    ['bybit', 'min notional 170140', ccxt.InvalidOrder, bybit(170140), 'reject', 'MIN_NOTIONAL'],
    ['bybit', 'min qty 170136', ccxt.InvalidOrder, bybit(170136), 'reject', 'MIN_QUANTITY'],
    ['bybit', 'qty step 170137', ccxt.InvalidOrder, bybit(170137), 'reject', 'QUANTITY_PRECISION'],
    ['bybit', 'tick 170134', ccxt.InvalidOrder, bybit(170134), 'reject', 'PRICE_PRECISION'],
    ['bybit', 'unknown symbol 170121', ccxt.InvalidOrder, bybit(170121), 'reject', 'BAD_SYMBOL'],
    ['bybit', 'not supported 170227', ccxt.ExchangeError, bybit(170227), 'reject', 'UNSUPPORTED_ORDER_TYPE'],
    ['bybit', 'amend below filled 170313', ccxt.ExchangeError, bybit(170313), 'reject', 'AMEND_BELOW_FILLED'],
    [
      'bybit',
      'insufficient 170131 (no rule)',
      ccxt.InsufficientFunds,
      bybit(170131),
      'reject',
      'INSUFFICIENT_FUNDS',
    ],
    ['bybit', 'unknown code: the class decides', ccxt.ExchangeError, bybit(99999), 'reject', 'VENUE_ERROR'],
    // Rules belong to their exchange: Bybit's codes mean nothing from Binance, and vice versa.
    ['binance', 'a Bybit code at Binance', ccxt.ExchangeError, bybit(10016), 'reject', 'VENUE_ERROR'],
    [
      'bybit',
      'a Binance code at Bybit',
      ccxt.BadRequest,
      binance({ code: -1016, msg: 'x' }),
      'reject',
      'BAD_REQUEST',
    ],
    // Never less cautious: a timeout or network error quoting a refusal stays what it was.
    [
      'binance',
      'timeout quoting a filter',
      ccxt.RequestTimeout,
      'Filter failure: NOTIONAL',
      'unknown_outcome',
      'VENUE_TIMEOUT',
    ],
    [
      'bybit',
      'network error quoting 170218',
      ccxt.NetworkError,
      bybit(170218),
      'unknown_outcome',
      'NETWORK_ERROR',
    ],
    ['bybit', 'rate limit quoting a refusal', ccxt.RateLimitExceeded, bybit(170140), 'retry', 'RATE_LIMITED'],
    [
      'bybit',
      'not found quoting a duplicate',
      ccxt.OrderNotFound,
      bybit(170141),
      'unknown_outcome',
      'DUPLICATE_CLIENT_ORDER_ID',
    ],
    [
      'binance',
      'lower-case "notional" is not a filter name',
      ccxt.InvalidOrder,
      'binance notional too small',
      'reject',
      'INVALID_ORDER',
    ],
  ];

  it.each(cases)('%s: %s', (exchange, _name, Cls, message, action, code) => {
    const err = classifyCcxtError(new Cls(message), { exchange });
    expect([err.action, err.code]).toEqual([action, code]);
    expect(err.message).toBe(message);
    expect(err.origin).toBe(Cls.name);
  });

  it('without an exchange id only the class counts', () => {
    const err = classifyCcxtError(new ccxt.InvalidOrder(bybit(170141)));
    expect([err.action, err.code]).toEqual(['reject', 'INVALID_ORDER']);
  });

  it('every rule names a code or a message, and a SCREAMING_SNAKE reason', () => {
    for (const rule of VENUE_CODE_RULES) {
      expect(rule.code !== undefined || rule.message !== undefined).toBe(true);
      expect(rule.reason).toMatch(/^[A-Z][A-Z_]*$/);
    }
  });

  it('caution only rises: reject → retry → unknown outcome', () => {
    expect(mayRefine('reject', 'unknown_outcome')).toBe(true);
    expect(mayRefine('reject', 'retry')).toBe(true);
    expect(mayRefine('retry', 'unknown_outcome')).toBe(true);
    expect(mayRefine('retry', 'reject')).toBe(false);
    expect(mayRefine('unknown_outcome', 'retry')).toBe(false);
    expect(mayRefine('resync_clock', 'reject')).toBe(false);
  });

  it.each<[string, { code?: number; message?: string }]>([
    ['binance {"code":-1016,"msg":"gone"}', { code: -1016, message: 'gone' }],
    ['bybit {"retCode":170141,"retMsg":"dup","result":{}}', { code: 170141, message: 'dup' }],
    ['binance 429 Too Many Requests {"code":-1003,"msg":"slow down"}', { code: -1003, message: 'slow down' }],
    ['binance Account has insufficient balance for requested action.', {}],
    ['bybit {not json', {}],
    ['x {"code":"abc"}', {}],
  ])('reads the venue answer quoted in %s', (message, expected) => {
    expect(venueAnswerIn(message)).toEqual(expected);
  });
});

describe('classifyCcxtError: retryAfterMs from the answer that carried the error', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');

  it('Retry-After in seconds (any venue, any action)', () => {
    const err = classifyCcxtError(new ccxt.DDoSProtection('binance 429'), {
      exchange: 'binance',
      headers: { 'Retry-After': '3' },
      now,
    });
    expect([err.action, err.code, err.retryAfterMs]).toEqual(['retry', 'RATE_LIMITED', 3000]);
    const down = classifyCcxtError(new ccxt.ExchangeNotAvailable('bybit 503'), {
      exchange: 'bybit',
      headers: { 'retry-after': '60' },
      now,
    });
    expect([down.action, down.retryAfterMs]).toEqual(['unknown_outcome', 60_000]);
  });

  it('Retry-After as an HTTP date', () => {
    const headers = { 'Retry-After': new Date(now + 5_000).toUTCString() };
    expect(retryAfterMs({ exchange: 'x', reason: 'RATE_LIMITED', headers, now, timeDifferenceMs: 0 })).toBe(
      5000,
    );
  });

  it("Bybit's X-Bapi-Limit-Reset-Timestamp is venue time, and only counts for a rate limit", () => {
    const headers = { 'X-Bapi-Limit-Reset-Timestamp': String(now + 2_000) };
    const limited = classifyCcxtError(new ccxt.RateLimitExceeded('bybit {"retCode":10006}'), {
      exchange: 'bybit',
      headers,
      now,
    });
    expect(limited.retryAfterMs).toBe(2000);
    // Our clock 500 ms ahead of the venue's: the venue's "now" is 500 ms earlier, so wait longer.
    expect(
      retryAfterMs({ exchange: 'bybit', reason: 'RATE_LIMITED', headers, now, timeDifferenceMs: 500 }),
    ).toBe(2500);
    // Bybit sends its limit headers on every answer: they say nothing about an internal error.
    const internal = classifyCcxtError(new ccxt.ExchangeError('bybit {"retCode":10016}'), {
      exchange: 'bybit',
      headers,
      now,
    });
    expect([internal.action, internal.retryAfterMs]).toEqual(['unknown_outcome', undefined]);
    // ...and another venue's header of that name means nothing.
    expect(
      retryAfterMs({ exchange: 'binance', reason: 'RATE_LIMITED', headers, now, timeDifferenceMs: 0 }),
    ).toBe(undefined);
  });

  it.each([['0'], ['-5'], ['soon'], [String(3 * 24 * 3600)], ['']])(
    'ignores a Retry-After of %p (the normal backoff applies)',
    (value) => {
      expect(
        retryAfterMs({
          exchange: 'binance',
          reason: 'RATE_LIMITED',
          headers: { 'Retry-After': value },
          now,
          timeDifferenceMs: 0,
        }),
      ).toBeUndefined();
    },
  );

  it('a reset time already past is no wait', () => {
    const headers = { 'X-Bapi-Limit-Reset-Timestamp': String(now - 1) };
    expect(
      retryAfterMs({ exchange: 'bybit', reason: 'RATE_LIMITED', headers, now, timeDifferenceMs: 0 }),
    ).toBe(undefined);
  });
});

describe('classifyCcxtError: anything else', () => {
  it('a plain TypeError (ccxt.binance parsing a non-JSON 200) is unknown_outcome BAD_RESPONSE', () => {
    const err = classifyCcxtError(
      new TypeError("Cannot use 'in' operator to search for 'positionSide' in <html>"),
    );
    expect([err.action, err.code, err.origin]).toEqual(['unknown_outcome', 'BAD_RESPONSE', 'TypeError']);
  });

  it('a SyntaxError is unknown_outcome BAD_RESPONSE', () => {
    const err = classifyCcxtError(new SyntaxError('Unexpected token < in JSON'));
    expect([err.action, err.code, err.origin]).toEqual(['unknown_outcome', 'BAD_RESPONSE', 'SyntaxError']);
  });

  it('a thrown string keeps its text', () => {
    const err = classifyCcxtError('socket hang up');
    expect([err.action, err.code, err.message, err.origin]).toEqual([
      'unknown_outcome',
      'BAD_RESPONSE',
      'socket hang up',
      'string',
    ]);
  });

  it('a VenueError passes through unchanged', () => {
    const original = new VenueError('reject', 'UNKNOWN_VENUE', 'nope', 1000, 'Test');
    expect(classifyCcxtError(original, { exchange: 'bybit', headers: { 'Retry-After': '9' } })).toBe(
      original,
    );
  });
});

describe('docs/error-policy.md', () => {
  const doc = readFileSync(path.join(__dirname, '..', '..', 'docs', 'error-policy.md'), 'utf8');
  /** Table rows after a heading: cells of each `| ... |` line, header and separator skipped. */
  const table = (heading: string): string[][] => {
    const start = doc.indexOf(heading);
    expect(start).toBeGreaterThanOrEqual(0);
    const lines = doc.slice(start).split('\n').slice(1);
    const first = lines.findIndex((l) => l.startsWith('|'));
    const rows: string[][] = [];
    for (const line of lines.slice(first + 2)) {
      if (!line.startsWith('|')) break;
      rows.push(
        line
          .split('|')
          .slice(1, -1)
          .map((c) => c.trim().replace(/`/g, '')),
      );
    }
    return rows;
  };

  it('lists the class table exactly as the code has it, in order', () => {
    expect(table('## By ccxt class').map(([cls, action, code]) => [cls, action, code])).toEqual(
      CCXT_ERROR_POLICY.map((r) => [r.errorClass.name, r.action, r.code]),
    );
  });

  it('lists the venue-code rules exactly as the code has them, in order', () => {
    expect(
      table('## By venue code').map(([exchange, code, message, , action, reason]) => [
        exchange,
        code,
        message,
        action,
        reason,
      ]),
    ).toEqual(
      VENUE_CODE_RULES.map((r) => [
        r.exchange,
        r.code === undefined ? '' : String(r.code),
        r.message === undefined ? '' : r.message.source,
        r.action,
        r.reason,
      ]),
    );
  });
});
