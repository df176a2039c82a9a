import type { Rejection } from '../engine/rejections';

/**
 * A Binance REST error: `{code, msg}` with the HTTP status Binance uses for it. Codes and
 * messages are Binance's own, because ccxt maps errors to classes by exact message first and by
 * code second (see the report table in test/sim/errors.test.ts).
 */
export class BinanceApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: number,
    readonly msg: string,
    readonly headers: Record<string, string> = {},
    /** Extra payload some endpoints add (cancelReplace reports both halves in `data`). */
    readonly data?: unknown,
  ) {
    super(`${code} ${msg}`);
    this.name = 'BinanceApiError';
  }

  body(): Record<string, unknown> {
    return this.data === undefined
      ? { code: this.code, msg: this.msg }
      : { code: this.code, msg: this.msg, data: this.data };
  }
}

const badRequest = (code: number, msg: string): BinanceApiError => new BinanceApiError(400, code, msg);

export const binanceErrors = {
  unknown: () => new BinanceApiError(500, -1000, 'An unknown error occurred while processing the request.'),
  tooManyRequests: (retryAfterSeconds: number) =>
    new BinanceApiError(
      429,
      -1003,
      'Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.',
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  disconnected: () =>
    new BinanceApiError(503, -1001, 'Internal error; unable to process your request. Please try again.'),
  // Binance documents -1006/-1007 as 5XX ("execution status unknown") without naming the status.
  unexpectedResponse: () =>
    new BinanceApiError(
      500,
      -1006,
      'An unexpected response was received from the message bus. Execution status unknown.',
    ),
  backendTimeout: () =>
    new BinanceApiError(
      503,
      -1007,
      'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
    ),
  tooManyOrders: (retryAfterSeconds: number) =>
    new BinanceApiError(429, -1015, 'Too many new orders; current limit is 100 orders per 10 SECOND.', {
      'Retry-After': String(retryAfterSeconds),
    }),
  ipBanned: (retryAfterSeconds: number, until: number) =>
    new BinanceApiError(
      418,
      -1003,
      `Way too much request weight used; IP banned until ${until}. Please use WebSocket Streams for live updates to avoid bans.`,
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  shuttingDown: () => new BinanceApiError(503, -1016, 'This service is no longer available.'),
  /** Binance's wording during system maintenance (code 1, as its sapi system status uses). */
  maintenance: (retryAfterSeconds: number) =>
    new BinanceApiError(503, 1, 'System is under maintenance.', { 'Retry-After': String(retryAfterSeconds) }),
  unsupportedOperation: () => new BinanceApiError(404, -1020, 'This operation is not supported.'),
  timestampAhead: () =>
    badRequest(-1021, "Timestamp for this request was 1000ms ahead of the server's time."),
  timestampOutsideWindow: () => badRequest(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  badSignature: () => badRequest(-1022, 'Signature for this request is not valid.'),
  illegalCharacters: (name: string, legalRange: string) =>
    badRequest(-1100, `Illegal characters found in parameter '${name}'; legal range is '${legalRange}'.`),
  mandatoryParameter: (name: string) =>
    badRequest(-1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`),
  eitherParameter: (first: string, second: string) =>
    badRequest(-1102, `Param '${first}' or '${second}' must be sent, but both were empty/null!`),
  unreadParameters: (read: number, sent: number) =>
    badRequest(
      -1104,
      `Not all sent parameters were read; read '${read}' parameter(s) but was sent '${sent}'.`,
    ),
  parameterNotRequired: (name: string) => badRequest(-1106, `Parameter '${name}' sent when not required.`),
  tooMuchPrecision: (name: string) => badRequest(-1111, `Parameter '${name}' has too much precision.`),
  invalidTimeInForce: () => badRequest(-1115, 'Invalid timeInForce.'),
  invalidOrderType: () => badRequest(-1116, 'Invalid orderType.'),
  invalidSide: () => badRequest(-1117, 'Invalid side.'),
  invalidInterval: () => badRequest(-1120, 'Invalid interval.'),
  invalidSymbol: () => badRequest(-1121, 'Invalid symbol.'),
  timeWindowTooLong: () => badRequest(-1127, 'More than 1 hours between startTime and endTime.'),
  invalidParameterValue: (name: string) =>
    badRequest(-1130, `Data sent for parameter '${name}' is not valid.`),
  recvWindowTooLarge: () => badRequest(-1131, 'recvWindow must be less than 60000'),
  apiKeyFormat: () => new BinanceApiError(401, -2014, 'API-key format invalid.'),
  invalidApiKey: () => new BinanceApiError(401, -2015, 'Invalid API-key, IP, or permissions for action.'),
  newOrderRejected: (msg: string) => badRequest(-2010, msg),
  cancelRejected: () => badRequest(-2011, 'Unknown order sent.'),
  noSuchOrder: () => badRequest(-2013, 'Order does not exist.'),
};

/** The engine's venue-neutral refusals in Binance's words. */
export function fromRejection(rejection: Rejection): BinanceApiError {
  switch (rejection.kind) {
    case 'FILTER_FAILURE':
      return badRequest(-1013, `Filter failure: ${rejection.filter}`);
    case 'INVALID_PRICE':
      return badRequest(-1013, 'Invalid price.');
    case 'INVALID_QUANTITY':
      return badRequest(-1013, 'Invalid quantity.');
    case 'INSUFFICIENT_BALANCE':
      return binanceErrors.newOrderRejected('Account has insufficient balance for requested action.');
    case 'WOULD_TAKE':
      return binanceErrors.newOrderRejected('Order would immediately match and take.');
    case 'DUPLICATE_CLIENT_ORDER_ID':
      return binanceErrors.newOrderRejected('Duplicate order sent.');
    case 'STOP_WOULD_TRIGGER':
      return binanceErrors.newOrderRejected('Stop price would trigger immediately.');
    case 'UNKNOWN_SYMBOL':
      return binanceErrors.invalidSymbol();
    case 'UNKNOWN_ORDER':
      return binanceErrors.cancelRejected();
  }
}
