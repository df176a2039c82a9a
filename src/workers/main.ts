/**
 * The Ordo worker: builds venues and activities from configuration, registers the workflows on
 * task queue `execution` and runs until SIGINT/SIGTERM, then drains in-flight tasks and closes
 * every venue connection.
 */
import { Client } from '@temporalio/client';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { describeCredentials, temporalCredentials } from '../client/temporal-connection';
import { liveGatesFrom } from '../domain/live-gates';
import { createEventSinks } from '../events/sinks';
import { openLedger } from '../ledger/open-ledger';
import { createVenueRegistry } from '../venues/factory';
import { createWorkerActivities } from './activities';
import { environment, loadWorkerConfig } from './config';
import { createLogger, temporalLogger } from './logger';
import { reconciliationSettings, venueAccountKeys } from './config-reconciliation';
import {
  ensureReconciliationSchedule,
  pauseReconciliationSchedule,
  triggerReconciliation,
} from './reconciliation-schedule';
import { ORDO_HISTOGRAM_BUCKETS, exportBreakerStates } from './ordo-metrics';
import { createWorkerMonitor } from './monitor-wiring';
import { PushedFills } from './pushed-fills';
import { logVenueTradingModes } from './venue-modes';
import { workflowSource } from './workflow-bundle';
import { workerTuning } from './worker-tuning';

async function main(): Promise<void> {
  const env = environment();
  const logger = createLogger('ordo-worker');
  // Temporal's runtime metrics and Ordo's own (ordo_*) on one Prometheus endpoint, when asked for.
  const metricsAddress = process.env['ORDO_METRICS_ADDRESS'];
  Runtime.install({
    logger: temporalLogger(logger),
    ...(metricsAddress === undefined || metricsAddress === ''
      ? {}
      : {
          telemetryOptions: {
            metrics: {
              prometheus: { bindAddress: metricsAddress, histogramBucketOverrides: ORDO_HISTOGRAM_BUCKETS },
            },
          },
        }),
  });

  const config = loadWorkerConfig(env.configFile);
  const gates = liveGatesFrom(process.env);
  const registry = createVenueRegistry(config, gates);
  exportBreakerStates(registry, Runtime.instance().metricMeter);
  logVenueTradingModes(logger, config, gates);
  const ledger = await openLedger(); // ORDO_LEDGER_URL, else SQLite under ORDO_DATA_DIR
  const credentials = temporalCredentials();
  const connection = await NativeConnection.connect({ address: env.temporalAddress, ...credentials });
  const client = new Client({ connection, namespace: env.namespace });
  // Order streams per venue (ccxt pro watchOrders): pushed updates signal the order workflows.
  const pushedFills = new PushedFills({
    venues: config.venues,
    client,
    logger,
    meter: Runtime.instance().metricMeter,
  });
  const monitor = config.monitor.enabled
    ? createWorkerMonitor(client, env.taskQueue, config.monitor, logger)
    : undefined;
  try {
    const worker = await Worker.create({
      connection,
      namespace: env.namespace,
      taskQueue: env.taskQueue,
      ...(await workflowSource()),
      activities: createWorkerActivities({
        registry,
        ledger,
        // The monitor's sink too: every order event this worker delivers is observed.
        eventSinks: [...createEventSinks(config.events, logger), ...(monitor ? [monitor.sink] : [])],
        risk: config.risk,
        client,
        taskQueue: env.taskQueue,
        namespace: env.namespace,
        reconciliation: reconciliationSettings(
          config.reconciliation,
          registry.names(),
          venueAccountKeys(config.venues),
        ),
        pushes: pushedFills.pushes,
      }),
      // Every working order holds an activity slot (its follow activity): sized in worker-tuning.ts.
      ...workerTuning(),
      shutdownGraceTime: '10s',
    });
    logger.info(
      {
        temporal: env.temporalAddress,
        temporalSecurity: describeCredentials(credentials),
        namespace: env.namespace,
        taskQueue: env.taskQueue,
        venues: registry.names(),
        ledger: ledger.description,
        metrics:
          metricsAddress === undefined || metricsAddress === '' ? 'off' : `http://${metricsAddress}/metrics`,
      },
      'worker started',
    );
    const running = worker.run(); // returns after SIGINT/SIGTERM, once in-flight tasks are done
    pushedFills.start();
    if (config.reconciliation.enabled) {
      // After the worker polls, so the start-up run finds a worker to run it.
      try {
        const schedule = await ensureReconciliationSchedule(client, {
          taskQueue: env.taskQueue,
          every: config.reconciliation.every,
        });
        if (config.reconciliation.atStartup) await triggerReconciliation(schedule);
        logger.info(
          {
            schedule: schedule.scheduleId,
            every: config.reconciliation.every,
            atStartup: config.reconciliation.atStartup,
          },
          'reconciliation scheduled',
        );
      } catch (err) {
        logger.error({ err }, 'reconciliation schedule could not be set up; trading goes on');
      }
    } else {
      await pauseReconciliationSchedule(client, env.taskQueue).then(
        (paused) => paused && logger.warn('reconciliation disabled: schedule paused'),
        (err: unknown) => logger.error({ err }, 'reconciliation schedule could not be paused'),
      );
    }
    // Sends this worker's limits, starting the monitor if none runs; trading goes on without it.
    await monitor?.start().catch((err: unknown) => logger.error({ err }, 'execution monitor not started'));
    await running;
  } finally {
    await pushedFills.stop();
    await monitor?.close(); // the last observations, while the connection is still open
    await registry.close();
    await ledger.close();
    await connection.close();
    logger.info('worker stopped');
  }
}

main().catch((err: unknown) => {
  createLogger('ordo-worker').fatal({ err }, 'worker failed');
  process.exit(1);
});
