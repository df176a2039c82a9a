/**
 * A webhook receiver for tests: a local HTTP server that records every request (method, path,
 * headers, body) and answers as told: fail the next N requests with a status (500 by default),
 * answer a fixed status, or hold requests for a while (to provoke timeouts).
 *
 * `uniqueEvents()` is what a well-behaved receiver keeps: the first event per Idempotency-Key.
 */
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OrdoEvent } from '../../src/events/types';
import { type EventsConfig, eventsConfig } from '../../src/workers/config-events';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status the receiver answered (undefined: it never answered, e.g. the client gave up). */
  answered?: number;
}

export interface ReceiverBehaviour {
  /** Answer the next `failNext` requests with `failStatus`. */
  failNext?: number;
  failStatus?: number;
  /** Sent with failures (seconds), e.g. for 429. */
  retryAfter?: string;
  /** Answer every request with this status (after the failures), default 200. */
  status?: number;
  /** Hold each request this long before answering. */
  delayMs?: number;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  behave(behaviour: ReceiverBehaviour): void;
  /** The first event of each Idempotency-Key, among the requests answered 2xx, in arrival order. */
  uniqueEvents(): OrdoEvent[];
  /** Waits until `predicate` holds for the requests (polling), or fails after `timeoutMs`. */
  waitFor(predicate: (requests: readonly ReceivedRequest[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(behaviour: ReceiverBehaviour = {}): Promise<WebhookReceiver> {
  let current: Required<Pick<ReceiverBehaviour, 'failNext' | 'failStatus' | 'status' | 'delayMs'>> &
    Pick<ReceiverBehaviour, 'retryAfter'> = { failNext: 0, failStatus: 500, status: 200, delayMs: 0 };
  const behave = (b: ReceiverBehaviour) => {
    current = { ...current, ...b };
  };
  behave(behaviour);
  const requests: ReceivedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const record: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(record);
      const failing = current.failNext > 0;
      if (failing) current.failNext -= 1;
      const status = failing ? current.failStatus : current.status;
      const retryAfter = failing ? current.retryAfter : undefined;
      const answer = () => {
        timers.delete(timer);
        if (res.destroyed) return;
        record.answered = status;
        res.writeHead(status, {
          'content-type': 'application/json',
          ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
        });
        res.end(JSON.stringify({ ok: status < 300 }));
      };
      const timer = setTimeout(answer, current.delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/hooks/ordo`,
    requests,
    behave,
    uniqueEvents() {
      const seen = new Set<string>();
      const events: OrdoEvent[] = [];
      for (const r of requests) {
        const key = r.headers['idempotency-key'];
        if (typeof key !== 'string' || r.answered === undefined || r.answered >= 300 || seen.has(key))
          continue;
        seen.add(key);
        events.push(JSON.parse(r.body) as OrdoEvent);
      }
      return events;
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(requests)) {
        if (Date.now() > deadline) throw new Error(`webhook receiver: condition not met in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The `events` configuration block for one webhook to `url` (defaults filled in as the worker's). */
export function webhookEventsConfig(
  url: string,
  overrides: {
    headers?: Record<string, string>;
    timeoutMs?: number;
    maxAttempts?: number;
    backoffMs?: number;
  } = {},
): EventsConfig {
  return eventsConfig.parse({ webhooks: [{ url, backoffMs: 20, ...overrides }] });
}
