/**
 * publishEvents: hands events to every sink. Each sink gets the events in the order given (a
 * receiver reads ORDER_PLACED before that order's ORDER_FILLED); sinks are served side by side.
 *
 * Exactly once per fact: the workflow derives each fact's event once, deterministically
 * (src/domain/events.ts); this activity may deliver it more than once (Temporal retries it after
 * a failure or a worker crash, and a sink that got it before the failure gets it again), and the
 * receiver keeps one per eventId (webhooks: the Idempotency-Key header).
 *
 * A sink that is unavailable (network, timeout, 5xx, 429 after its own resends) fails the
 * activity retryably, so Temporal delivers again later. A sink that refuses an event for good
 * (a 4xx) would refuse every retry too: the refusal is logged as an error and the event left
 * there (the log sink still has it), so a misconfigured receiver never stalls an order.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { EventSink } from '../events/types';
import { WebhookDeliveryError } from '../events/webhook-sink';
import type { EventActivities, PublishEventsInput } from './types';
import { activityContext } from './venue-calls';

/** A failure of one sink that retrying cannot cure. */
function isFinal(err: unknown): boolean {
  return err instanceof WebhookDeliveryError && !err.retryable;
}

function messageOf(err: unknown): string {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(err);
}

export function createEventActivities(sinks: readonly EventSink[]): EventActivities {
  return {
    async publishEvents({ events }: PublishEventsInput): Promise<void> {
      const unavailable: string[] = [];
      await Promise.all(
        sinks.map(async (sink) => {
          for (const event of events) {
            try {
              await sink.publish(event);
              activityContext()?.heartbeat();
            } catch (err) {
              if (!isFinal(err)) {
                // Later events wait for this one: a receiver must not see them out of order.
                unavailable.push(`${sink.name}: ${messageOf(err)}`);
                return;
              }
              activityContext()?.log.error('event refused by sink; not retried', {
                sink: sink.name,
                eventId: event.eventId,
                eventType: event.type,
                error: messageOf(err),
              });
            }
          }
        }),
      );
      if (unavailable.length > 0) {
        throw ApplicationFailure.create({
          type: 'EVENT_DELIVERY_FAILED',
          message: `events not delivered (retried later): ${unavailable.join('; ')}`,
          nonRetryable: false,
        });
      }
    },
  };
}
