import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Account, AccountBook } from '../engine/accounts';
import type { ApiRequest } from '../http/http-types';
import { binanceErrors } from './errors';
import type { BinanceParams } from './params';

/** Binance's default and maximum receive windows, in milliseconds. */
export const DEFAULT_RECV_WINDOW_MS = 5000;
export const MAX_RECV_WINDOW_MS = 60_000;
/** A request may be stamped at most this far in the server's future. */
const MAX_CLOCK_LEAD_MS = 1000;

/**
 * Authenticates a SIGNED request as Binance does: the X-MBX-APIKEY header names the account,
 * `signature` is the hex HMAC-SHA256 (keyed by the secret) of the query string concatenated with
 * the body, both exactly as sent minus the signature itself, and the timestamp must be fresh:
 * rejected if `timestamp >= serverTime + 1000` or `serverTime - timestamp > recvWindow`.
 */
export function authenticateSigned(
  request: ApiRequest,
  params: BinanceParams,
  accounts: AccountBook,
  serverTime: number,
): Account {
  const apiKey = headerValue(request.headers['x-mbx-apikey']);
  if (apiKey === undefined) throw binanceErrors.apiKeyFormat();
  const account = accounts.findByApiKey(apiKey);
  if (!account?.credentials) throw binanceErrors.invalidApiKey();
  const signature = params.requireString('signature');
  const timestamp = params.requireInteger('timestamp');
  const recvWindow = params.integer('recvWindow') ?? DEFAULT_RECV_WINDOW_MS;
  if (recvWindow > MAX_RECV_WINDOW_MS) throw binanceErrors.recvWindowTooLarge();
  verifySignature(signedPayload(request.rawQuery, request.rawBody), signature, account.credentials.secret);
  checkTimestamp(timestamp, recvWindow, serverTime);
  return account;
}

/** -1022 unless `signature` is the HMAC of `payload` under `secret` (shared with the WebSocket API). */
export function verifySignature(payload: string, signature: string, secret: string): void {
  if (!sameSignature(signature, sign(payload, secret))) throw binanceErrors.badSignature();
}

/** -1021 unless the request is fresh by Binance's rule (shared with the WebSocket API). */
export function checkTimestamp(timestamp: number, recvWindow: number, serverTime: number): void {
  if (timestamp >= serverTime + MAX_CLOCK_LEAD_MS) throw binanceErrors.timestampAhead();
  if (serverTime - timestamp > recvWindow) throw binanceErrors.timestampOutsideWindow();
}

/** The string Binance signs: query then body, each without its `signature` parameter. */
export function signedPayload(rawQuery: string, rawBody: string): string {
  return withoutSignature(rawQuery) + withoutSignature(rawBody);
}

export function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

function withoutSignature(encoded: string): string {
  if (encoded === '') return '';
  return encoded
    .split('&')
    .filter((pair) => !pair.startsWith('signature='))
    .join('&');
}

function sameSignature(received: string, expected: string): boolean {
  const a = Buffer.from(received.toLowerCase());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}
