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
  /** Serialised as JSON (unless `rawBody` is set). */
  body: unknown;
  headers?: Record<string, string>;
  /**
   * Sent byte for byte instead of `body`, for answers that are not JSON: a proxy's HTML error
   * page, a garbled or truncated body. Set the Content-Type in `headers`.
   */
  rawBody?: string;
  /** Destroy the connection without answering, as a connection reset does (nothing is sent). */
  dropConnection?: boolean;
}

export type RequestHandler = (request: ApiRequest) => Promise<ApiResponse>;

export function json(status: number, body: unknown, headers?: Record<string, string>): ApiResponse {
  return headers === undefined ? { status, body } : { status, body, headers };
}
