import { Writable } from 'node:stream';
import { ApplicationFailure } from '@temporalio/common';
import pino from 'pino';
import { createEventActivities } from '../../src/activities/event-activities';
import { createLogSink } from '../../src/events/log-sink';
import type { EventSink, OrdoEvent } from '../../src/events/types';
import { WebhookDeliveryError, createWebhookSink, displayUrl } from '../../src/events/webhook-sink';
import { parseWorkerConfig } from '../../src/workers/config';
import type { WebhookConfig } from '../../src/workers/config-events';
import { type WebhookReceiver, startWebhookReceiver } from '../support/webhook-receiver';

function event(n: number): OrdoEvent {
  return {
    eventId: `ord-${n}:CANCELLED`,
    type: 'ORDER_CANCELLED',
    occurredAt: '2030-01-01T00:00:00.000Z',
    correlationId: `ord-${n}`,
    orderId: `ord-${n}`,
    symbol: 'BTC/USDT',
    venue: 'sim',
    data: { status: 'CANCELLED', quantity: '0.5' },
  };
}

const SECRET = 's3cret-token';

let receiver: WebhookReceiver;
beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  await receiver.close();
});

/** A sink on the receiver; pauses recorded, not slept (tests of the schedule need no real time). */
function sink(overrides: Partial<WebhookConfig> = {}) {
  const pauses: number[] = [];
  const config: WebhookConfig = {
    url: receiver.url,
    headers: { Authorization: `Bearer ${SECRET}` },
    timeoutMs: 2_000,
    maxAttempts: 4,
    backoffMs: 100,
    ...overrides,
  };
  return {
    pauses,
    sink: createWebhookSink(config, { sleep: async (ms) => void pauses.push(ms) }),
  };
}

async function failureOf(promise: Promise<unknown>): Promise<WebhookDeliveryError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof WebhookDeliveryError))
    throw new Error(`expected a WebhookDeliveryError, got ${String(err)}`);
  return err;
}

describe('webhook sink', () => {
  it('POSTs the event as JSON with its id as Idempotency-Key and the configured headers', async () => {
    await sink().sink.publish(event(1));
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/hooks/ordo');
    expect(request?.headers['idempotency-key']).toBe('ord-1:CANCELLED');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['authorization']).toBe(`Bearer ${SECRET}`);
    expect(JSON.parse(request?.body ?? '')).toEqual(event(1));
  });

  it('resends after 5xx with doubling pauses, the same key each time, until delivered', async () => {
    receiver.behave({ failNext: 2 });
    const { sink: webhook, pauses } = sink();
    await webhook.publish(event(1));
    expect(receiver.requests.map((r) => r.answered)).toEqual([500, 500, 200]);
    expect(new Set(receiver.requests.map((r) => r.headers['idempotency-key']))).toEqual(
      new Set(['ord-1:CANCELLED']),
    );
    expect(pauses).toEqual([100, 200]);
    expect(receiver.uniqueEvents()).toEqual([event(1)]);
  });

  it('gives up after maxAttempts, retryable, without the secrets in its message', async () => {
    receiver.behave({ status: 503 });
    const { sink: webhook } = sink({ maxAttempts: 3, url: `${receiver.url}?token=${SECRET}` });
    const err = await failureOf(webhook.publish(event(1)));
    expect(receiver.requests).toHaveLength(3);
    expect(err).toMatchObject({ code: 'WEBHOOK_UNAVAILABLE', retryable: true, status: 503 });
    expect(err.message).toContain('503');
    expect(err.message).not.toContain(SECRET);
    expect(webhook.name).not.toContain(SECRET);
  });

  it.each([400, 401, 404, 422])('does not resend after %i (final)', async (status) => {
    receiver.behave({ status });
    const err = await failureOf(sink().sink.publish(event(1)));
    expect(receiver.requests).toHaveLength(1);
    expect(err).toMatchObject({ code: 'WEBHOOK_REJECTED', retryable: false, status });
  });

  it('does not follow a redirect (the headers could carry credentials elsewhere)', async () => {
    receiver.behave({ status: 307 });
    const err = await failureOf(sink().sink.publish(event(1)));
    expect(receiver.requests).toHaveLength(1);
    expect(err.retryable).toBe(false);
  });

  it('resends after 429, pausing as long as Retry-After asks', async () => {
    receiver.behave({ failNext: 1, failStatus: 429, retryAfter: '3' });
    const { sink: webhook, pauses } = sink();
    await webhook.publish(event(1));
    expect(receiver.requests.map((r) => r.answered)).toEqual([429, 200]);
    expect(pauses).toEqual([3_000]);
  });

  it('a request that outlives timeoutMs is abandoned and resent', async () => {
    receiver.behave({ delayMs: 1_000 });
    const { sink: webhook } = sink({ timeoutMs: 100, maxAttempts: 2 });
    const err = await failureOf(webhook.publish(event(1)));
    expect(err).toMatchObject({ code: 'WEBHOOK_UNAVAILABLE', retryable: true });
    expect(err.message).toMatch(/Timeout|Abort/);
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests.every((r) => r.answered === undefined)).toBe(true);
  });

  it('a receiver that is not there is a retryable failure', async () => {
    const url = receiver.url;
    await receiver.close();
    const err = await failureOf(sink({ url, maxAttempts: 2 }).sink.publish(event(1)));
    expect(err).toMatchObject({ code: 'WEBHOOK_UNAVAILABLE', retryable: true });
    expect(err.message).toContain('ECONNREFUSED');
    receiver = await startWebhookReceiver(); // for afterEach
  });

  it('shows URLs without credentials, query or fragment', () => {
    expect(displayUrl('https://user:pw@hooks.example.com:8443/a/b?token=x#f')).toBe(
      'https://hooks.example.com:8443/a/b',
    );
  });
});

describe('log sink', () => {
  it('writes one JSON line per event', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    await createLogSink(pino({ level: 'info' }, stream)).publish(event(1));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ msg: 'event ORDER_CANCELLED', event: event(1) });
  });
});

describe('publishEvents activity', () => {
  /** A sink that records what it got, failing (transiently) on the events listed. */
  function recordingSink(failOn: ReadonlySet<string> = new Set()): EventSink & { got: string[] } {
    const got: string[] = [];
    return {
      name: 'recording',
      got,
      async publish(e) {
        if (failOn.has(e.eventId)) throw new Error('down');
        got.push(e.eventId);
      },
    };
  }

  it('hands every event to every sink, in order', async () => {
    const a = recordingSink();
    const { sink: webhook } = sink();
    await createEventActivities([a, webhook]).publishEvents({ events: [event(1), event(2), event(3)] });
    expect(a.got).toEqual(['ord-1:CANCELLED', 'ord-2:CANCELLED', 'ord-3:CANCELLED']);
    expect(receiver.uniqueEvents()).toEqual([event(1), event(2), event(3)]);
  });

  it('fails retryably when a sink is down; the retry delivers, and the receiver keeps one of each', async () => {
    receiver.behave({ status: 503 });
    const other = recordingSink();
    const { sink: webhook } = sink({ maxAttempts: 2 });
    const activities = createEventActivities([other, webhook]);
    const events = [event(1), event(2)];
    const failure = await activities.publishEvents({ events }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'EVENT_DELIVERY_FAILED', nonRetryable: false });
    // The down sink stopped at the first event (order kept); the other sink got both.
    expect(receiver.requests.map((r) => r.headers['idempotency-key'])).toEqual([
      'ord-1:CANCELLED',
      'ord-1:CANCELLED',
    ]);
    expect(other.got).toEqual(['ord-1:CANCELLED', 'ord-2:CANCELLED']);

    // Temporal's retry: the same input again. The receiver is back; the other sink sees the
    // events a second time (harmless: same ids), the receiver keeps one per key.
    receiver.behave({ status: 200 });
    await activities.publishEvents({ events });
    await activities.publishEvents({ events }); // even a third delivery changes nothing
    expect(receiver.uniqueEvents()).toEqual(events);
    expect(receiver.requests.length).toBeGreaterThan(events.length);
  });

  it('a refusal (4xx) is final: logged and left, the other events still go', async () => {
    receiver.behave({ failNext: 1, failStatus: 400 });
    const { sink: webhook } = sink();
    await createEventActivities([webhook]).publishEvents({ events: [event(1), event(2)] });
    expect(receiver.requests.map((r) => r.answered)).toEqual([400, 200]);
    expect(receiver.uniqueEvents()).toEqual([event(2)]);
  });

  it('a failing sink that throws something else is retried too', async () => {
    const flaky = recordingSink(new Set(['ord-2:CANCELLED']));
    const failure = await createEventActivities([flaky])
      .publishEvents({ events: [event(1), event(2), event(3)] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(failure).toMatchObject({ type: 'EVENT_DELIVERY_FAILED', nonRetryable: false });
    expect(flaky.got).toEqual(['ord-1:CANCELLED']);
  });
});

describe('events configuration', () => {
  const venues = { paper: { kind: 'paper', prices: {} } };

  it('defaults to no webhooks', () => {
    expect(parseWorkerConfig(JSON.stringify({ venues }), {}).events).toEqual({ webhooks: [] });
  });

  it('fills in webhook defaults and substitutes secrets from the environment', () => {
    const config = parseWorkerConfig(
      JSON.stringify({
        venues,
        events: {
          webhooks: [
            { url: 'https://hooks.example.com/ordo', headers: { Authorization: 'Bearer ${HOOK_TOKEN}' } },
          ],
        },
      }),
      { HOOK_TOKEN: 'abc' },
    );
    expect(config.events.webhooks).toEqual([
      {
        url: 'https://hooks.example.com/ordo',
        headers: { Authorization: 'Bearer abc' },
        timeoutMs: 5_000,
        maxAttempts: 4,
        backoffMs: 250,
      },
    ]);
  });

  it.each([
    [{ webhooks: [{ url: 'ftp://example.com' }] }, /events\.webhooks\.0\.url/],
    [{ webhooks: [{ url: 'https://x.example', timeoutMs: 0 }] }, /events\.webhooks\.0\.timeoutMs/],
    [{ webhooks: [{ url: 'https://x.example', extra: 1 }] }, /events\.webhooks\.0/],
  ])('refuses %j', (events, message) => {
    expect(() => parseWorkerConfig(JSON.stringify({ venues, events }), {})).toThrow(message);
  });
});
