/**
 * Watches the HTTP answers of one ccxt instance, for two things ccxt does not give per request:
 *
 * - The headers of the answer that carried an error (Retry-After, Bybit's limit reset time). ccxt
 *   keeps only `last_response_headers`, one slot per instance shared by every concurrent call, so
 *   right after a failure it may already hold another request's answer. Here each error is tied to
 *   its own answer.
 * - Garbled successes. A 200 whose body is not JSON is not an error to ccxt: ccxt.binance parses it
 *   into an empty balance or one bogus open order per character, ccxt.bybit into an order without
 *   an id and an empty order list. Where the venue always answers JSON, such an answer becomes a
 *   BadResponse (outcome unknown) before any parser sees it.
 *
 * ccxt has no hook for either, so the instance's handleRestResponse (which every REST answer goes
 * through, errors included) is wrapped; ccxt still handles each answer exactly as it would.
 */
import * as ccxt from 'ccxt';

export interface AnswerHeaders {
  status: number;
  headers: Readonly<Record<string, string>>;
}

const answers = new WeakMap<object, AnswerHeaders>();

/** The answer that carried this error, if the error came from one (not for a dropped connection). */
export function answerOf(err: unknown): AnswerHeaders | undefined {
  return typeof err === 'object' && err !== null ? answers.get(err) : undefined;
}

/** What handleRestResponse receives; ccxt types it `any`. */
interface RestResponse {
  status: number;
}

type HandleRestResponse = (
  response: RestResponse,
  url: string,
  method?: string,
  requestHeaders?: unknown,
  requestBody?: unknown,
) => unknown;

const watched = new WeakSet<ccxt.Exchange>();

export function watchAnswers(exchange: ccxt.Exchange, options: { jsonAnswers: boolean }): void {
  if (watched.has(exchange)) return;
  watched.add(exchange);
  const original = exchange.handleRestResponse.bind(exchange) as HandleRestResponse;
  const headersOf = (response: RestResponse): Record<string, string> =>
    exchange.getResponseHeaders(response) as Record<string, string>;

  const wrapped: HandleRestResponse = (response, url, method, requestHeaders, requestBody) =>
    Promise.resolve(original(response, url, method, requestHeaders, requestBody)).then(
      (result: unknown) => {
        // ccxt hands back the raw text when the body did not parse as a JSON value.
        const ok = response.status >= 200 && response.status < 300;
        if (options.jsonAnswers && ok && typeof result === 'string') {
          const error = new ccxt.BadResponse(
            `${exchange.id} ${method ?? 'GET'} ${url.split('?')[0] ?? url}: HTTP ${response.status} answer is not JSON: ${result.slice(0, 120)}`,
          );
          answers.set(error, { status: response.status, headers: headersOf(response) });
          throw error;
        }
        return result;
      },
      (error: unknown) => {
        if (typeof error === 'object' && error !== null) {
          answers.set(error, { status: response.status, headers: headersOf(response) });
        }
        throw error;
      },
    );
  exchange.handleRestResponse = wrapped;
}
