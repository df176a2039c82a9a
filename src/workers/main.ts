/**
 * The Ordo worker: builds venues and activities from configuration, registers the workflows on
 * task queue `execution` and runs until SIGINT/SIGTERM, then drains in-flight tasks and closes
 * every venue connection.
 */
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createMarketActivities } from '../activities/market-activities';
import { createOrderActivities } from '../activities/order-activities';
import { createVenueRegistry } from '../venues/factory';
import { environment, loadWorkerConfig } from './config';
import { createLogger, temporalLogger } from './logger';
import { workflowSource } from './workflow-bundle';

async function main(): Promise<void> {
  const env = environment();
  const logger = createLogger('ordo-worker');
  Runtime.install({ logger: temporalLogger(logger) });

  const config = loadWorkerConfig(env.configFile);
  const registry = createVenueRegistry(config);
  const connection = await NativeConnection.connect({ address: env.temporalAddress });
  try {
    const worker = await Worker.create({
      connection,
      namespace: env.namespace,
      taskQueue: env.taskQueue,
      ...(await workflowSource()),
      activities: { ...createOrderActivities(registry), ...createMarketActivities(registry) },
      shutdownGraceTime: '10s',
    });
    logger.info(
      {
        temporal: env.temporalAddress,
        namespace: env.namespace,
        taskQueue: env.taskQueue,
        venues: registry.names(),
      },
      'worker started',
    );
    await worker.run(); // returns after SIGINT/SIGTERM, once in-flight tasks are done
  } finally {
    await registry.close();
    await connection.close();
    logger.info('worker stopped');
  }
}

main().catch((err: unknown) => {
  createLogger('ordo-worker').fatal({ err }, 'worker failed');
  process.exit(1);
});
