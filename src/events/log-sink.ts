/**
 * The sink every worker has: each event as one pino JSON line (`msg: "event ORDER_FILLED"`), so
 * the log is a complete record even when no webhook is configured or a receiver is down.
 */
import type { Logger } from 'pino';
import type { EventSink, OrdoEvent } from './types';

export function createLogSink(logger: Logger): EventSink {
  const events = logger.child({ component: 'events' });
  return {
    name: 'log',
    async publish(event: OrdoEvent): Promise<void> {
      events.info({ event }, `event ${event.type}`);
    },
  };
}
