/**
 * The worker's event sinks from configuration: the pino log always, then one sink per configured
 * webhook, in configuration order.
 */
import type { Logger } from 'pino';
import type { EventsConfig } from '../workers/config-events';
import { createLogSink } from './log-sink';
import type { EventSink } from './types';
import { createWebhookSink } from './webhook-sink';

export function createEventSinks(config: EventsConfig, logger: Logger): EventSink[] {
  return [createLogSink(logger), ...config.webhooks.map((webhook) => createWebhookSink(webhook))];
}
