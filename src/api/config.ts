/**
 * Where the HTTP API listens and which bearer token it asks for, from the environment:
 *   ORDO_API_HOST   (default 127.0.0.1)   ORDO_API_PORT (default 8080)   ORDO_API_TOKEN
 * Without a token the API only serves loopback: anyone who can reach a wider address could
 * otherwise trade, so that combination is refused before listening (ApiConfigError).
 */
import { isIP } from 'node:net';

export interface ApiConfig {
  host: string;
  port: number;
  /** The bearer token every request must carry; undefined: no auth (loopback only). */
  token?: string;
}

export type ApiConfigErrorCode = 'API_TOKEN_REQUIRED' | 'INVALID_API_PORT';

export class ApiConfigError extends Error {
  override readonly name = 'ApiConfigError';
  constructor(
    readonly code: ApiConfigErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export const DEFAULT_API_HOST = '127.0.0.1';
export const DEFAULT_API_PORT = 8080;

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

export function apiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const host = env['ORDO_API_HOST'] || DEFAULT_API_HOST;
  const portText = env['ORDO_API_PORT'] || String(DEFAULT_API_PORT);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ApiConfigError('INVALID_API_PORT', `ORDO_API_PORT must be 0-65535, got "${portText}"`);
  const token =
    env['ORDO_API_TOKEN'] === undefined || env['ORDO_API_TOKEN'] === '' ? undefined : env['ORDO_API_TOKEN'];
  if (token === undefined && !isLoopback(host))
    throw new ApiConfigError(
      'API_TOKEN_REQUIRED',
      `ORDO_API_HOST=${host} is not a loopback address: set ORDO_API_TOKEN (a bearer token) to serve it`,
    );
  return { host, port, ...(token === undefined ? {} : { token }) };
}
