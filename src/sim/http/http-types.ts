import type { IncomingHttpHeaders } from 'node:http';

/** One HTTP request, read completely, as every dialect and the admin API see it. */
export interface ApiRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The query string exactly as received (without '?'): signatures are computed over it. */
  rawQuery: string;
  /** The body exactly as received. */
  rawBody: string;
  headers: IncomingHttpHeaders;
  remoteAddress: string | undefined;
  /** Aborted when the server shuts down, so held or delayed answers end at once. */
  signal: AbortSignal;
}

export interface ApiResponse {
  status: number;
  /** Serialised as JSON. */
  body: unknown;
  headers?: Record<string, string>;
}

export type RequestHandler = (request: ApiRequest) => Promise<ApiResponse>;

export function json(status: number, body: unknown, headers?: Record<string, string>): ApiResponse {
  return headers === undefined ? { status, body } : { status, body, headers };
}
