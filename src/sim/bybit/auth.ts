import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Account, AccountBook } from '../engine/accounts';
import type { ApiRequest } from '../http/http-types';
import { bybitErrors } from './errors';

/** Bybit's default receive window, used when X-BAPI-RECV-WINDOW is not sent. */
const DEFAULT_RECV_WINDOW_MS = 5000;
/** A request may be stamped at most this far in the server's future. */
const MAX_CLOCK_LEAD_MS = 1000;

/**
 * Authenticates a private v5 request as Bybit does. The headers carry everything:
 * X-BAPI-API-KEY names the account, X-BAPI-TIMESTAMP must satisfy
 * `server - recvWindow <= timestamp < server + 1000`, and X-BAPI-SIGN is the hex HMAC-SHA256
 * (keyed by the secret) of `timestamp + apiKey + recvWindow + payload`, where the payload is the
 * query string of a GET and the JSON body of a POST, byte for byte as sent.
 *
 * One account store serves every dialect: a key pair works the same through Bybit and Binance.
 */
export function authenticate(request: ApiRequest, accounts: AccountBook, serverTime: number): Account {
  const apiKey = header(request.headers, 'x-bapi-api-key');
  const account = apiKey === undefined ? undefined : accounts.findByApiKey(apiKey);
  if (apiKey === undefined || !account?.credentials) throw bybitErrors.invalidApiKey();

  const rawRecvWindow = header(request.headers, 'x-bapi-recv-window');
  const recvWindow = rawRecvWindow === undefined ? DEFAULT_RECV_WINDOW_MS : Number(rawRecvWindow);
  if (!Number.isSafeInteger(recvWindow) || recvWindow <= 0) throw bybitErrors.params('recv_window invalid');
  const rawTimestamp = header(request.headers, 'x-bapi-timestamp') ?? '';
  const timestamp = Number(rawTimestamp);
  const fresh =
    /^\d+$/.test(rawTimestamp) &&
    timestamp >= serverTime - recvWindow &&
    timestamp < serverTime + MAX_CLOCK_LEAD_MS;
  if (!fresh) throw bybitErrors.timestamp(rawTimestamp, serverTime, String(recvWindow));

  const payload = request.method === 'GET' ? request.rawQuery : request.rawBody;
  const originString = rawTimestamp + apiKey + (rawRecvWindow ?? '') + payload;
  const signature = header(request.headers, 'x-bapi-sign') ?? '';
  if (!sameSignature(signature, sign(originString, account.credentials.secret))) {
    throw bybitErrors.badSignature(originString);
  }
  return account;
}

export function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

function sameSignature(received: string, expected: string): boolean {
  const a = Buffer.from(received.toLowerCase());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}
