import type { ApiResponse } from '../http/http-types';

/**
 * A venue-level error the fault injector decided on, before any dialect has worded it. Each kind
 * names what went wrong at the venue, so every dialect can say it its own way:
 *
 * | kind                 | what happened                                         | Binance rendering            |
 * | -------------------- | ----------------------------------------------------- | ---------------------------- |
 * | `internalError`      | unknown error while processing; outcome unknown       | 500 `-1000`                  |
 * | `disconnected`       | backend unreachable, "please try again"               | 503 `-1001`                  |
 * | `unexpectedResponse` | backend answered garbage; execution status unknown    | 500 `-1006`                  |
 * | `backendTimeout`     | backend did not answer in time; status unknown        | 503 `-1007`                  |
 * | `rateLimited`        | request-weight limit hit; wait `retryAfterSeconds`    | 429 `-1003` + `Retry-After`  |
 * | `orderRateLimited`   | order-count limit hit; wait `retryAfterSeconds`       | 429 `-1015` + `Retry-After`  |
 * | `ipBanned`           | kept going after 429s: banned until `until`           | 418 `-1003` + `Retry-After`  |
 * | `shuttingDown`       | the service is going away                             | 503 `-1016`                  |
 * | `maintenance`        | scheduled maintenance until `until`                   | 503 `{code: 1}` maintenance  |
 *
 * `until` is epoch milliseconds on the venue's (possibly skewed) clock.
 */
export type VenueError =
  | { kind: 'internalError' }
  | { kind: 'disconnected' }
  | { kind: 'unexpectedResponse' }
  | { kind: 'backendTimeout' }
  | { kind: 'rateLimited'; retryAfterSeconds: number }
  | { kind: 'orderRateLimited'; retryAfterSeconds: number }
  | { kind: 'ipBanned'; retryAfterSeconds: number; until: number }
  | { kind: 'shuttingDown' }
  | { kind: 'maintenance'; until: number; retryAfterSeconds: number };

/** Answers that are not the venue's own words: they look the same whichever dialect is spoken. */
export type TransportError = { kind: 'badGateway' } | { kind: 'nonJsonBody' };

export type InjectedError = VenueError | TransportError;

/**
 * How one dialect (Binance, Bybit…) words the injected faults. The fault injector decides *what*
 * goes wrong — which request, which kind of error, whether the request is processed first — and
 * hands the dialect a VenueError; the dialect returns the exact answer its venue would send:
 * HTTP status, body in the venue's error format, and headers such as `Retry-After`.
 *
 * Implement `venueError` with an exhaustive `switch (error.kind)`, so a kind added later fails to
 * compile until every dialect words it. Keep the wording real: clients (ccxt) pick their error
 * class from the venue's exact codes and messages, so a made-up body tests nothing. Where the
 * real venue's HTTP status for a kind is unknown, pick the closest and say so in a comment.
 *
 * Connection resets, held answers and the two transport errors need no dialect code: the
 * injector's plumbing (answerWithFaults) handles them, using `badGateway`/`nonJsonBody` only if
 * a dialect wants to override the generic pages below.
 *
 * Use it from a dialect's request handler through answerWithFaults (answer-with-faults.ts), and
 * take the venue's clock from FaultInjector.serverTime(now), so clock skew reaches the dialect's
 * timestamp checks and its "server time" endpoint.
 */
export interface FaultRenderer {
  /** `serverTime`: the venue's clock now (skew included), for envelopes that carry a timestamp. */
  venueError(error: VenueError, serverTime: number): ApiResponse;
  /** Default: a generic proxy 502 HTML page (badGatewayPage). */
  badGateway?(): ApiResponse;
  /**
   * Default: nonJsonPage(answer). `answer` is the real answer when the request was processed
   * first (phase 'after'), so the page can be that answer cut short.
   */
  nonJsonBody?(answer: ApiResponse | undefined): ApiResponse;
  /**
   * Whether a processed request's answer is a success, which faults of phase 'after' (and
   * timeout-after-accept) replace. Default: HTTP 2xx. A dialect that reports errors inside a 200
   * (Bybit's retCode) must say so, or a rejected order would be "accepted then lost".
   */
  succeeded?(answer: ApiResponse): boolean;
}

/** What a reverse proxy (nginx, a CDN) sends when the venue behind it does not answer. */
export function badGatewayPage(): ApiResponse {
  const html =
    '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
    '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
  return htmlResponse(502, html);
}

/**
 * A 200 whose body is not JSON. After processing, it is the real answer cut in half (a truncated
 * transfer); before processing, a proxy's interstitial page (a WAF check, a captive portal).
 */
export function nonJsonPage(answer: ApiResponse | undefined): ApiResponse {
  if (answer !== undefined) {
    const full = answer.rawBody ?? JSON.stringify(answer.body);
    const truncated = full.slice(0, Math.ceil(full.length / 2));
    return { status: 200, body: truncated, rawBody: truncated, headers: { ...answer.headers } };
  }
  const html =
    '<!DOCTYPE html><html><head><title>Just a moment...</title></head>' +
    '<body>Checking your connection before the API answers.</body></html>';
  return htmlResponse(200, html);
}

/** A dropped connection: nothing is sent (see writeApiResponse). */
export function droppedConnection(): ApiResponse {
  return { status: 0, body: null, dropConnection: true };
}

function htmlResponse(status: number, html: string): ApiResponse {
  // `body` repeats the text for writers that only know JSON bodies.
  return { status, body: html, rawBody: html, headers: { 'Content-Type': 'text/html' } };
}
