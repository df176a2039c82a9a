import type { Decimal } from '../engine/decimal';
import { json, type ApiResponse } from '../http/http-types';
import type { BybitApiError } from './errors';

/**
 * Every v5 answer, success or failure, is the same envelope: `{retCode, retMsg, result,
 * retExtInfo, time}` with `time` the server's clock in milliseconds. ccxt.bybit looks only at
 * `retCode` to decide whether a call failed.
 */
export function successResponse(result: unknown, serverTime: number): ApiResponse {
  return json(200, { retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time: serverTime });
}

export function errorResponse(error: BybitApiError, serverTime: number): ApiResponse {
  return json(
    error.httpStatus,
    { retCode: error.retCode, retMsg: error.retMsg, result: {}, retExtInfo: {}, time: serverTime },
    error.headers,
  );
}

/** Bybit prints amounts as plain decimal strings without trailing zeros ("0.5", "60000.01"). */
export function amount(value: Decimal): string {
  return value.toString();
}
