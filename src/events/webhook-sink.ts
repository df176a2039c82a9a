/**
 * HTTP webhook sink: POSTs each event as JSON with `Idempotency-Key: <eventId>`, so a receiver
 * that sees the same key twice (a retried delivery, a retried activity) keeps one.
 *
 * Resent with backoff after a network error, a timeout, a 5xx or a 429 (the receiver's
 * Retry-After honoured up to a cap); any other answer below 200 or from 300 up is final: the
 * receiver refused this request and will refuse it again. Redirects are not followed (the
 * configured headers could carry credentials to another host): configure the final URL.
 *
 * Configured headers are secrets: they are sent, never logged or put in error messages; the URL
 * appears in messages without credentials, query or fragment.
 */
import type { WebhookConfig } from '../workers/config-events';
import type { EventSink, OrdoEvent } from './types';

/** Why a delivery failed: `retryable` says whether sending again later can help. */
export class WebhookDeliveryError extends Error {
  constructor(
    readonly code: 'WEBHOOK_REJECTED' | 'WEBHOOK_UNAVAILABLE',
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** The receiver's Retry-After, when it gave one in seconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'WebhookDeliveryError';
  }
}

export interface WebhookSinkOptions {
  /** Injected by tests (to count calls); default: the global fetch. */
  fetch?: typeof fetch;
  /** Injected by tests; default: setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

/** Longest pause between two requests, whatever the backoff or Retry-After says. */
const MAX_PAUSE_MS = 10_000;

/** The URL fit for logs: scheme, host and path only (no user:password@, no ?token=). */
export function displayUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

export function createWebhookSink(config: WebhookConfig, options: WebhookSinkOptions = {}): EventSink {
  const send = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const where = displayUrl(config.url);

  async function attempt(event: OrdoEvent, body: string): Promise<void> {
    let response: Response;
    try {
      response = await send(config.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(config.timeoutMs),
        headers: {
          ...config.headers,
          'Content-Type': 'application/json',
          'Idempotency-Key': event.eventId,
        },
        body,
      });
    } catch (err) {
      // Only the error's name and code (e.g. TypeError (ECONNREFUSED), TimeoutError): enough to
      // act on, and never the request (its headers are secrets).
      const why = describeNetworkError(err);
      throw new WebhookDeliveryError('WEBHOOK_UNAVAILABLE', `webhook ${where}: ${why}`, true);
    }
    await response.body?.cancel().catch(() => undefined); // the answer's body is not needed
    if (response.ok) return;
    const status = response.status;
    const retryable = status === 429 || status >= 500;
    throw new WebhookDeliveryError(
      retryable ? 'WEBHOOK_UNAVAILABLE' : 'WEBHOOK_REJECTED',
      `webhook ${where} answered ${status} to event ${event.eventId}`,
      retryable,
      status,
      retryable ? retryAfter(response.headers.get('retry-after')) : undefined,
    );
  }

  return {
    name: `webhook ${where}`,
    async publish(event: OrdoEvent): Promise<void> {
      const body = JSON.stringify(event);
      let pause = config.backoffMs;
      for (let n = 1; ; n++) {
        try {
          await attempt(event, body);
          return;
        } catch (err) {
          if (!(err instanceof WebhookDeliveryError) || !err.retryable || n >= config.maxAttempts) throw err;
          await sleep(Math.min(MAX_PAUSE_MS, err.retryAfterMs ?? pause));
          pause *= 2;
        }
      }
    },
  };
}

/** Retry-After in seconds (the HTTP-date form is ignored: the backoff applies). */
function retryAfter(header: string | null): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim()) * 1000;
}

/**
 * Duck-typed, not `instanceof Error`: fetch's errors come from Node's own realm, which is not
 * the caller's under jest.
 */
function describeNetworkError(err: unknown): string {
  if (typeof err !== 'object' || err === null) return 'network error';
  const { name, cause } = err as { name?: unknown; cause?: { code?: unknown } };
  const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
  return `${typeof name === 'string' ? name : 'network error'}${code}`;
}
