/**
 * Configuration block `events`: where business events go besides the pino log (which always gets
 * them). Header values are secrets as much as API keys are (e.g. `"Authorization": "Bearer
 * ${ORDO_WEBHOOK_TOKEN}"`): they are sent, never logged.
 */
import { z } from 'zod';

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http:// or https:// URL');

export const webhookConfig = z.strictObject({
  /** Receives each event as a JSON POST, with its eventId in the `Idempotency-Key` header. */
  url: httpUrl,
  /** Extra request headers (authentication, routing); never logged. */
  headers: z.record(z.string().min(1), z.string()).default({}),
  /** One request's time limit; a request that runs out is retried like a 5xx. */
  timeoutMs: z.number().int().positive().default(5_000),
  /** Requests per event before the delivery fails (then the activity's own retry takes over). */
  maxAttempts: z.number().int().min(1).max(20).default(4),
  /** Pause before the first resend; doubled each time, at most 10 s (or the receiver's Retry-After). */
  backoffMs: z.number().int().nonnegative().default(250),
});

export const eventsConfig = z
  .strictObject({
    webhooks: z.array(webhookConfig).default([]),
  })
  .prefault({});

export type WebhookConfig = z.output<typeof webhookConfig>;
export type EventsConfig = z.output<typeof eventsConfig>;
