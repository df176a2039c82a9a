/**
 * The execution monitor's event sink: every worker has one, next to the configured sinks. It
 * turns order events into observations (src/domain/monitor/observations.ts) and hands them to the
 * monitor in batches, so an order's event delivery never waits on the monitor: publish only
 * buffers, a timer flushes every `flushEveryMs` (and close() flushes what is left at shutdown).
 *
 * Best effort, by design: a batch the monitor could not take is kept and sent again with the next
 * one (up to `maxBuffer` observations, the oldest dropped and counted past that); what a crashed
 * worker had buffered is lost — the monitor sees a sample, never an order twice (ids dedupe).
 */
import { observationOf } from '../domain/monitor/observations';
import type { Observation } from '../domain/monitor/types';
import type { EventSink, OrdoEvent } from './types';

export interface MonitorSinkOptions {
  /** Delivers one batch to the monitor (the worker: signal-with-start of the monitor workflow). */
  send: (observations: Observation[]) => Promise<void>;
  flushEveryMs: number;
  /** Observations per signal at most (keeps each signal's payload small). */
  maxBatch?: number;
  /** Observations held at most while the monitor cannot take them. */
  maxBuffer?: number;
  /** Told when a batch could not be sent (it is kept), or observations had to be dropped. */
  onError?: (err: unknown, context: { buffered: number; dropped: number }) => void;
}

export interface MonitorSink extends EventSink {
  /** Sends what is buffered now (one batch after another until empty or a send fails). */
  flush(): Promise<void>;
  /** Stops the timer and flushes what is left. */
  close(): Promise<void>;
  /** Buffered, and dropped since start (for tests and logs). */
  stats(): { buffered: number; dropped: number; sent: number };
}

export function createMonitorSink(options: MonitorSinkOptions): MonitorSink {
  const maxBatch = options.maxBatch ?? 500;
  const maxBuffer = options.maxBuffer ?? 10_000;
  let buffer: Observation[] = [];
  let dropped = 0;
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;
  let closed = false;

  const schedule = () => {
    if (timer !== undefined || closed || buffer.length === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush().then(schedule);
    }, options.flushEveryMs);
    timer.unref(); // never holds a process open
  };

  /** Drops the oldest past maxBuffer; returns how many. */
  const trim = (): number => {
    const excess = Math.max(0, buffer.length - maxBuffer);
    if (excess > 0) {
      buffer = buffer.slice(excess);
      dropped += excess;
    }
    return excess;
  };

  const drainOnce = async (): Promise<void> => {
    while (buffer.length > 0) {
      // Taken out while in flight: observations published meanwhile queue behind it.
      const batch = buffer.slice(0, maxBatch);
      buffer = buffer.slice(batch.length);
      try {
        await options.send(batch);
        sent += batch.length;
      } catch (err) {
        buffer = [...batch, ...buffer]; // kept, in order: sent again with the next flush
        trim();
        options.onError?.(err, { buffered: buffer.length, dropped });
        return;
      }
    }
  };

  // One flush at a time: concurrent sends could overtake each other and resend the same batch.
  const flush = (): Promise<void> => {
    flushing ??= drainOnce().finally(() => {
      flushing = undefined;
    });
    return flushing;
  };

  return {
    name: 'monitor',
    async publish(event: OrdoEvent): Promise<void> {
      const observation = observationOf(event);
      if (observation === undefined) return;
      buffer.push(observation);
      const excess = trim();
      if (excess > 0)
        options.onError?.(new Error(`monitor buffer full: ${excess} oldest observations dropped`), {
          buffered: buffer.length,
          dropped,
        });
      schedule();
    },
    flush,
    async close(): Promise<void> {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await flush();
    },
    stats: () => ({ buffered: buffer.length, dropped, sent }),
  };
}
