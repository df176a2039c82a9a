import type { FaultRenderer, VenueError } from '../faults/fault-renderer';
import { json, type ApiResponse } from '../http/http-types';
import { binanceErrors, type BinanceApiError } from './errors';

/**
 * Injected venue errors in Binance's words (codes, messages, HTTP statuses and Retry-After as
 * Binance sends them), so ccxt classifies them exactly as it would classify the real venue's.
 * The 502 page and the non-JSON 200 use the generic renderings (they come from proxies, not
 * from Binance's API).
 */
export const BINANCE_FAULTS: FaultRenderer = {
  venueError: (error) => binanceErrorResponse(binanceFaultError(error)),
};

export function binanceFaultError(error: VenueError): BinanceApiError {
  switch (error.kind) {
    case 'internalError':
      return binanceErrors.unknown();
    case 'disconnected':
      return binanceErrors.disconnected();
    case 'unexpectedResponse':
      return binanceErrors.unexpectedResponse();
    case 'backendTimeout':
      return binanceErrors.backendTimeout();
    case 'rateLimited':
      return binanceErrors.tooManyRequests(error.retryAfterSeconds);
    case 'orderRateLimited':
      return binanceErrors.tooManyOrders(error.retryAfterSeconds);
    case 'ipBanned':
      return binanceErrors.ipBanned(error.retryAfterSeconds, error.until);
    case 'shuttingDown':
      return binanceErrors.shuttingDown();
    case 'maintenance':
      return binanceErrors.maintenance(error.retryAfterSeconds);
  }
}

export function binanceErrorResponse(error: BinanceApiError): ApiResponse {
  return json(error.httpStatus, error.body(), error.headers);
}
