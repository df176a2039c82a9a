import * as ccxt from 'ccxt';
import { CCXT_ERROR_POLICY, classifyCcxtError } from '../../src/venues/ccxt-error-policy';
import { VenueError, isVenueError, type VenueErrorAction } from '../../src/venues/errors';

type ErrorCtor = new (message: string) => Error;

/** The agreed policy, one row per ccxt class, written out literally. */
const EXPECTED_ROWS: Array<[string, ErrorCtor, VenueErrorAction, string]> = [
  ['OrderNotFound', ccxt.OrderNotFound, 'not_found', 'ORDER_NOT_FOUND'],
  ['DuplicateOrderId', ccxt.DuplicateOrderId, 'unknown_outcome', 'DUPLICATE_CLIENT_ORDER_ID'],
  ['OrderImmediatelyFillable', ccxt.OrderImmediatelyFillable, 'reject', 'POST_ONLY_WOULD_TAKE'],
  ['OrderNotFillable', ccxt.OrderNotFillable, 'reject', 'NOT_FILLABLE'],
  ['InsufficientFunds', ccxt.InsufficientFunds, 'reject', 'INSUFFICIENT_FUNDS'],
  ['InvalidOrder', ccxt.InvalidOrder, 'reject', 'INVALID_ORDER'],
  ['BadSymbol', ccxt.BadSymbol, 'reject', 'BAD_SYMBOL'],
  ['BadRequest', ccxt.BadRequest, 'reject', 'BAD_REQUEST'],
  ['AuthenticationError', ccxt.AuthenticationError, 'reject', 'AUTHENTICATION_FAILED'],
  ['MarketClosed', ccxt.MarketClosed, 'reject', 'MARKET_CLOSED'],
  ['OperationRejected', ccxt.OperationRejected, 'reject', 'OPERATION_REJECTED'],
  ['NotSupported', ccxt.NotSupported, 'reject', 'NOT_SUPPORTED'],
  ['ExchangeError', ccxt.ExchangeError, 'reject', 'VENUE_ERROR'],
  ['RequestTimeout', ccxt.RequestTimeout, 'unknown_outcome', 'VENUE_TIMEOUT'],
  ['ChecksumError', ccxt.ChecksumError, 'retry', 'ORDER_BOOK_CHECKSUM'],
  ['InvalidNonce', ccxt.InvalidNonce, 'resync_clock', 'CLOCK_SKEW'],
  ['RateLimitExceeded', ccxt.RateLimitExceeded, 'retry', 'RATE_LIMITED'],
  ['DDoSProtection', ccxt.DDoSProtection, 'retry', 'RATE_LIMITED'],
  ['OnMaintenance', ccxt.OnMaintenance, 'retry', 'VENUE_MAINTENANCE'],
  ['ExchangeNotAvailable', ccxt.ExchangeNotAvailable, 'unknown_outcome', 'VENUE_UNAVAILABLE'],
  ['NetworkError', ccxt.NetworkError, 'unknown_outcome', 'NETWORK_ERROR'],
  ['BadResponse', ccxt.BadResponse, 'unknown_outcome', 'BAD_RESPONSE'],
  ['OperationFailed', ccxt.OperationFailed, 'unknown_outcome', 'VENUE_UNKNOWN_ERROR'],
];

/** ccxt classes without a row of their own: they take their nearest ancestor's row. */
const SUBCLASSES: Array<[string, ErrorCtor, VenueErrorAction, string]> = [
  ['NullResponse', ccxt.NullResponse, 'unknown_outcome', 'BAD_RESPONSE'],
  ['PermissionDenied', ccxt.PermissionDenied, 'reject', 'AUTHENTICATION_FAILED'],
  ['AccountSuspended', ccxt.AccountSuspended, 'reject', 'AUTHENTICATION_FAILED'],
  ['AccountNotEnabled', ccxt.AccountNotEnabled, 'reject', 'AUTHENTICATION_FAILED'],
  ['ContractUnavailable', ccxt.ContractUnavailable, 'reject', 'INVALID_ORDER'],
  ['OrderNotCached', ccxt.OrderNotCached, 'reject', 'INVALID_ORDER'],
  ['ArgumentsRequired', ccxt.ArgumentsRequired, 'reject', 'VENUE_ERROR'],
  ['InvalidAddress', ccxt.InvalidAddress, 'reject', 'VENUE_ERROR'],
  ['NoChange', ccxt.NoChange, 'reject', 'OPERATION_REJECTED'],
  ['CancelPending', ccxt.CancelPending, 'unknown_outcome', 'VENUE_UNKNOWN_ERROR'],
];

describe('classifyCcxtError: one action per ccxt class', () => {
  it('the policy table is exactly the agreed one, in order', () => {
    expect(CCXT_ERROR_POLICY.map((r) => [r.errorClass, r.action, r.code])).toEqual(
      EXPECTED_ROWS.map(([, cls, action, code]) => [cls, action, code]),
    );
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

  it.each(SUBCLASSES)('subclass %s → %s %s', (name, Cls, action, code) => {
    const err = classifyCcxtError(new Cls('x'));
    expect([err.action, err.code, err.origin]).toEqual([action, code, name]);
  });
});

describe('classifyCcxtError: message refinements (Binance texts)', () => {
  const cases: Array<[string, ErrorCtor, string, VenueErrorAction, string]> = [
    [
      'duplicate order (InvalidOrder)',
      ccxt.InvalidOrder,
      'binance {"code":-2010,"msg":"Duplicate order sent."}',
      'unknown_outcome',
      'DUPLICATE_CLIENT_ORDER_ID',
    ],
    [
      'duplicate order (InsufficientFunds)',
      ccxt.InsufficientFunds,
      'binance {"code":-2010,"msg":"Duplicate order sent."}',
      'unknown_outcome',
      'DUPLICATE_CLIENT_ORDER_ID',
    ],
    [
      'duplicate order (ExchangeError)',
      ccxt.ExchangeError,
      'binance {"code":-2010,"msg":"Duplicate order sent."}',
      'unknown_outcome',
      'DUPLICATE_CLIENT_ORDER_ID',
    ],
    [
      'duplicate order (NetworkError)',
      ccxt.NetworkError,
      'binance {"code":-2010,"msg":"Duplicate order sent."}',
      'unknown_outcome',
      'DUPLICATE_CLIENT_ORDER_ID',
    ],
    [
      'NOTIONAL filter',
      ccxt.InvalidOrder,
      'binance {"code":-1013,"msg":"Filter failure: NOTIONAL"}',
      'reject',
      'MIN_NOTIONAL',
    ],
    [
      'MIN_NOTIONAL filter',
      ccxt.InvalidOrder,
      'binance {"code":-1013,"msg":"Filter failure: MIN_NOTIONAL"}',
      'reject',
      'MIN_NOTIONAL',
    ],
    [
      'LOT_SIZE filter',
      ccxt.InvalidOrder,
      'binance {"code":-1013,"msg":"Filter failure: LOT_SIZE"}',
      'reject',
      'QUANTITY_PRECISION',
    ],
    [
      'PRICE_FILTER filter',
      ccxt.InvalidOrder,
      'binance {"code":-1013,"msg":"Filter failure: PRICE_FILTER"}',
      'reject',
      'PRICE_PRECISION',
    ],
    [
      'LOT_SIZE filter as a plain ExchangeError',
      ccxt.ExchangeError,
      'binance {"code":-1013,"msg":"Filter failure: LOT_SIZE"}',
      'reject',
      'QUANTITY_PRECISION',
    ],
    [
      'insufficient balance',
      ccxt.InsufficientFunds,
      'binance {"code":-2010,"msg":"Account has insufficient balance for requested action."}',
      'reject',
      'INSUFFICIENT_FUNDS',
    ],
    [
      'insufficient balance as an ExchangeError',
      ccxt.ExchangeError,
      'binance {"code":-2010,"msg":"Account has insufficient balance for requested action."}',
      'reject',
      'INSUFFICIENT_FUNDS',
    ],
    [
      'post-only would take',
      ccxt.InvalidOrder,
      'binance {"code":-2010,"msg":"Order would immediately match and take."}',
      'reject',
      'POST_ONLY_WOULD_TAKE',
    ],
    [
      'stop would trigger',
      ccxt.InvalidOrder,
      'binance {"code":-2010,"msg":"Stop price would trigger immediately."}',
      'reject',
      'STOP_WOULD_TRIGGER',
    ],
    // No refinement outside reject / unknown_outcome classes, and never from unknown_outcome to reject.
    [
      'timeout mentioning a filter',
      ccxt.RequestTimeout,
      'Filter failure: NOTIONAL',
      'unknown_outcome',
      'VENUE_TIMEOUT',
    ],
    [
      'network error mentioning a balance',
      ccxt.NetworkError,
      'insufficient balance',
      'unknown_outcome',
      'NETWORK_ERROR',
    ],
    [
      'rate limit mentioning a duplicate',
      ccxt.RateLimitExceeded,
      'Duplicate order sent.',
      'retry',
      'RATE_LIMITED',
    ],
    [
      'not found mentioning a duplicate',
      ccxt.OrderNotFound,
      'Duplicate order sent.',
      'not_found',
      'ORDER_NOT_FOUND',
    ],
    ['nonce mentioning LOT_SIZE', ccxt.InvalidNonce, 'LOT_SIZE', 'resync_clock', 'CLOCK_SKEW'],
    // Filter names are matched case-sensitively, as Binance writes them.
    ['lower-case "notional"', ccxt.InvalidOrder, 'notional too small', 'reject', 'INVALID_ORDER'],
  ];

  it.each(cases)('%s', (_name, Cls, message, action, code) => {
    const err = classifyCcxtError(new Cls(message));
    expect(err.action).toBe(action);
    expect(err.code).toBe(code);
    expect(err.message).toBe(message);
    expect(err.origin).toBe(Cls.name);
  });
});

describe('classifyCcxtError: anything else', () => {
  it('a plain TypeError is unknown_outcome BAD_RESPONSE', () => {
    const err = classifyCcxtError(new TypeError("Cannot read properties of undefined (reading 'orderId')"));
    expect(err.action).toBe('unknown_outcome');
    expect(err.code).toBe('BAD_RESPONSE');
    expect(err.origin).toBe('TypeError');
    expect(err.message).toContain('orderId');
  });

  it('a SyntaxError (non-JSON body) is unknown_outcome BAD_RESPONSE', () => {
    const err = classifyCcxtError(new SyntaxError('Unexpected token < in JSON'));
    expect([err.action, err.code, err.origin]).toEqual(['unknown_outcome', 'BAD_RESPONSE', 'SyntaxError']);
  });

  it("ccxt's BaseError itself has no row: unknown_outcome BAD_RESPONSE", () => {
    const err = classifyCcxtError(new ccxt.BaseError('x'));
    expect([err.action, err.code]).toEqual(['unknown_outcome', 'BAD_RESPONSE']);
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
    expect(classifyCcxtError(original)).toBe(original);
  });
});
