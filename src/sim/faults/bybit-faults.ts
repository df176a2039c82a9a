import { BybitApiError } from '../bybit/errors';
import { errorResponse } from '../bybit/envelope';
import type { ApiResponse } from '../http/http-types';
import type { FaultRenderer, VenueError } from './fault-renderer';

/**
 * Injected venue errors in Bybit v5's words. Bybit answers most errors with HTTP 200 and a
 * `retCode` in its envelope; ccxt.bybit classifies by that body alone (broad message matches,
 * then the exact retCode), so codes and messages are Bybit's own. Where no JSON is sent (IP ban,
 * maintenance), ccxt falls back to the HTTP status. Lives here rather than in src/sim/bybit/
 * only because the dialect was being written by someone else when the faults were added.
 *
 * ccxt 4.5.84 classes (test/sim/faults-bybit.test.ts): several differ from Binance's — a Bybit
 * internal error is a plain ExchangeError, an order-count limit is InvalidOrder.
 */
export const BYBIT_FAULTS: FaultRenderer = {
  venueError: (error, serverTime) => bybitFaultResponse(error, serverTime),
  // Bybit refuses with HTTP 200 and a non-zero retCode: only retCode 0 is an accepted request.
  succeeded: (answer) =>
    answer.status === 200 && (answer.body as { retCode?: unknown } | null)?.retCode === 0,
};

function bybitFaultResponse(error: VenueError, serverTime: number): ApiResponse {
  switch (error.kind) {
    case 'internalError':
      return envelope(10016, 'Internal System Error.', serverTime);
    case 'disconnected':
      return envelope(10016, 'System error. Please try again later.', serverTime);
    case 'unexpectedResponse':
      return envelope(170001, 'Internal error.', serverTime);
    case 'backendTimeout':
      return envelope(170007, 'Timeout waiting for response from backend server.', serverTime);
    case 'rateLimited':
      // Bybit's per-UID limit: HTTP 200, retCode 10006, and its limit headers instead of Retry-After.
      return envelope(
        10006,
        'Too many visits!',
        serverTime,
        limitHeaders(serverTime, error.retryAfterSeconds),
      );
    case 'orderRateLimited':
      return envelope(170005, 'Too many new orders; current limit is 20 orders per 1 SECOND.', serverTime);
    case 'ipBanned':
      // Bybit's IP limit: HTTP 403 "access too frequent", no JSON; the ban lasts minutes.
      return plain(403, 'access too frequent', { 'Retry-After': String(error.retryAfterSeconds) });
    case 'shuttingDown':
    case 'maintenance':
      // Not documented by Bybit as a v5 retCode: the gateway's 503 is what clients meet.
      return plain(503, 'Service Unavailable', { 'Retry-After': String(retryAfter(error)) });
  }
}

function retryAfter(error: VenueError): number {
  return 'retryAfterSeconds' in error ? error.retryAfterSeconds : 1;
}

function envelope(
  retCode: number,
  retMsg: string,
  serverTime: number,
  headers: Record<string, string> = {},
): ApiResponse {
  return errorResponse(new BybitApiError(retCode, retMsg, 200, headers), serverTime);
}

function limitHeaders(serverTime: number, retryAfterSeconds: number): Record<string, string> {
  return {
    'X-Bapi-Limit': '20',
    'X-Bapi-Limit-Status': '0',
    'X-Bapi-Limit-Reset-Timestamp': String(serverTime + retryAfterSeconds * 1000),
  };
}

function plain(status: number, text: string, headers: Record<string, string>): ApiResponse {
  return { status, body: text, rawBody: text, headers: { 'Content-Type': 'text/plain', ...headers } };
}
