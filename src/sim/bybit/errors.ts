import type { FilterName, Rejection } from '../engine/rejections';

/**
 * A Bybit v5 error: `{retCode, retMsg}` inside the usual envelope, with the HTTP status Bybit
 * uses — 200 for nearly everything (the retCode carries the error), 401 when the key or the
 * signature is refused, 404 for an unknown route. ccxt.bybit picks its error class from the body
 * alone (a few broad message matches first, then the exact retCode), so codes and messages are
 * Bybit's own; test/sim/bybit-errors.test.ts pins what ccxt 4.5.84 makes of each.
 */
export class BybitApiError extends Error {
  constructor(
    readonly retCode: number,
    readonly retMsg: string,
    readonly httpStatus = 200,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${retCode} ${retMsg}`);
    this.name = 'BybitApiError';
  }
}

const error = (retCode: number, retMsg: string): BybitApiError => new BybitApiError(retCode, retMsg);

/** Bybit's errors, by what went wrong. Messages follow Bybit's docs or answers seen in the wild. */
export const bybitErrors = {
  params: (detail: string) => error(10001, `params error: ${detail}`),
  illegalCategory: () => error(10001, 'Illegal category'),
  /** Market-data endpoints answer an unlisted symbol this way (ccxt: BadSymbol, by message). */
  notSupportedSymbols: () => error(10001, 'Not supported symbols'),
  timestamp: (requestTime: string, serverTime: number, recvWindow: string) =>
    error(
      10002,
      'invalid request, please check your server timestamp or recv_window param. ' +
        `req_timestamp[${requestTime}],server_timestamp[${serverTime}],recv_window[${recvWindow}]`,
    ),
  invalidApiKey: () => new BybitApiError(10003, 'API key is invalid.', 401),
  badSignature: (originString: string) =>
    new BybitApiError(10004, `error sign! origin_string[${originString}]`, 401),
  internal: () => error(10016, 'Internal System Error.'),
  routeNotFound: () => new BybitApiError(10017, 'Route not found.', 404),
  parameterEmpty: (name: string) => error(170105, `Parameter '${name}' was empty.`),
  invalidTimeInForce: () => error(170115, 'Invalid timeInForce.'),
  invalidOrderType: () => error(170116, 'Invalid orderType.'),
  invalidSide: () => error(170117, 'Invalid side.'),
  invalidSymbol: () => error(170121, 'Invalid symbol.'),
  orderAmountTooLarge: () => error(170124, 'Order amount too large.'),
  insufficientBalance: () => error(170131, 'Insufficient balance.'),
  priceTooHigh: () => error(170132, 'Order price too high.'),
  priceTooLow: () => error(170133, 'Order price lower than the minimum.'),
  priceDecimals: () => error(170134, 'Order price decimal too long.'),
  quantityTooLarge: () => error(170135, 'Order quantity too large.'),
  quantityTooLow: () => error(170136, 'Order quantity lower than the minimum.'),
  quantityDecimals: () => error(170137, 'Order volume decimal too long'),
  valueTooLow: () => error(170140, 'Order value exceeded lower limit.'),
  duplicateOrderLinkId: () => error(170141, 'Duplicate clientOrderId'),
  marketAmountDecimals: () => error(170148, 'Market order amount decimal too long'),
  orderNotFound: () => error(170213, 'Order does not exist.'),
  postOnlyWouldTake: () => error(170218, 'The LIMIT-MAKER order is rejected due to invalid price.'),
  notSupported: () => error(170227, 'This feature is not supported.'),
  amendBelowFilled: () =>
    error(170313, 'The modified contract quantity cannot be less than to the filled quantity'),
  amendUnchanged: () =>
    error(10001, 'The order remains unchanged as the parameters entered match the existing ones.'),
};

/** The engine's venue-neutral refusals in Bybit's words. */
export function fromRejection(rejection: Rejection): BybitApiError {
  switch (rejection.kind) {
    case 'FILTER_FAILURE':
      return filterError(rejection.filter);
    case 'INVALID_PRICE':
      return bybitErrors.priceTooLow();
    case 'INVALID_QUANTITY':
      return bybitErrors.quantityTooLow();
    case 'INSUFFICIENT_BALANCE':
      return bybitErrors.insufficientBalance();
    case 'WOULD_TAKE':
      return bybitErrors.postOnlyWouldTake();
    case 'DUPLICATE_CLIENT_ORDER_ID':
      return bybitErrors.duplicateOrderLinkId();
    case 'STOP_WOULD_TRIGGER':
      return bybitErrors.notSupported();
    case 'UNKNOWN_SYMBOL':
      return bybitErrors.invalidSymbol();
    case 'UNKNOWN_ORDER':
      return bybitErrors.orderNotFound();
  }
}

/**
 * The dialect checks the filters itself first (order-checks.ts) to answer the precise code; these
 * are the closest codes should the engine still find a failure.
 */
function filterError(filter: FilterName): BybitApiError {
  switch (filter) {
    case 'PRICE_FILTER':
      return bybitErrors.priceDecimals();
    case 'LOT_SIZE':
      return bybitErrors.quantityDecimals();
    case 'MARKET_LOT_SIZE':
      return bybitErrors.quantityTooLarge();
    case 'NOTIONAL':
      return bybitErrors.valueTooLow();
  }
}
