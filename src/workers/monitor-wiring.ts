/**
 * A worker's part in the execution monitor: the monitor event sink (added next to the configured
 * sinks, so every order event this worker delivers is observed) and, at start-up, the monitor's
 * limits from this worker's configuration (which starts the monitor workflow if none runs).
 */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { OrdoMonitor } from '../client/monitor';
import { type MonitorSink, createMonitorSink } from '../events/monitor-sink';
import { parseDuration } from '../domain/algos/duration';
import { type MonitorConfig, monitorLimits } from './config-monitor';

export interface WorkerMonitor {
  sink: MonitorSink;
  monitor: OrdoMonitor;
  /** Sends this worker's limits (starting the monitor when needed). */
  start(): Promise<void>;
  /** Flushes the sink's last observations; call before the client's connection closes. */
  close(): Promise<void>;
}

export function createWorkerMonitor(
  client: Client,
  taskQueue: string,
  config: MonitorConfig,
  logger: Logger,
  workflowId?: string,
): WorkerMonitor {
  const limits = monitorLimits(config);
  const monitor = new OrdoMonitor(client, taskQueue, workflowId);
  const log = logger.child({ component: 'monitor' });
  let failing = false;
  const sink = createMonitorSink({
    flushEveryMs: parseDuration(config.flushEvery),
    send: async (observations) => {
      await monitor.observe(observations, limits);
      if (failing) log.info({ workflowId: monitor.workflowId }, 'monitor reachable again');
      failing = false;
    },
    // Logged once per outage (and on every drop): a down Temporal must not flood the log.
    onError: (err, context) => {
      const dropping =
        context.dropped > 0 && err instanceof Error && err.message.startsWith('monitor buffer');
      if (failing && !dropping) return;
      failing = true;
      log.warn(
        { err, ...context, workflowId: monitor.workflowId },
        'observations not delivered to the monitor yet',
      );
    },
  });
  return {
    sink,
    monitor,
    start: () => monitor.configure(limits),
    close: () => sink.close(),
  };
}
