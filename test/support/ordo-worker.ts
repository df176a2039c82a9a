/**
 * Test helpers for workflow tests: an in-process Ordo worker on its own task queue, wired to the
 * run's Temporal dev server and exchange simulator (both started by global-setup.ts), and a client.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createMarketActivities } from '../../src/activities/market-activities';
import { createOrderActivities } from '../../src/activities/order-activities';
import { OrdoOrders } from '../../src/client/orders';
import { createVenueRegistry } from '../../src/venues/factory';
import type { VenueRegistry } from '../../src/venues/registry';
import { type WorkerConfig, parseWorkerConfig } from '../../src/workers/config';
import { workflowSource } from '../../src/workers/workflow-bundle';
import { installTestRuntime } from './temporal-env';

export function temporalAddress(): string {
  const address = process.env['TEMPORAL_TEST_ADDRESS'];
  if (!address) throw new Error('TEMPORAL_TEST_ADDRESS is not set: run through the jest `temporal` project');
  return address;
}

export function simulatorUrl(): string {
  const url = process.env['SIM_TEST_URL'];
  if (!url) throw new Error('SIM_TEST_URL is not set: run through the jest `temporal` project');
  return url;
}

/** The worker configuration tests use: venue `sim` on the run's simulator. */
export function testWorkerConfig(overrides: Record<string, unknown> = {}): WorkerConfig {
  const config = {
    venues: {
      sim: {
        kind: 'ccxt',
        exchange: 'binance',
        simulatorUrl: simulatorUrl(),
        apiKey: 'sim-key',
        secret: 'sim-secret',
        pollIntervalMs: 100,
        timeoutMs: 3000,
        rateLimitMs: 1,
        recvWindowDeadline: true,
        ...overrides,
      },
    },
  };
  return parseWorkerConfig(JSON.stringify(config));
}

export interface TestOrdo {
  client: Client;
  orders: OrdoOrders;
  taskQueue: string;
  shutdown(): Promise<void>;
}

/** Starts a worker (own task queue) and a client; `shutdown` stops both. */
export async function startTestOrdo(config: WorkerConfig = testWorkerConfig()): Promise<TestOrdo> {
  return startTestOrdoOn(createVenueRegistry(config));
}

/** The same, on venues the test built itself (so it can reach into one, or script one). */
export async function startTestOrdoOn(registry: VenueRegistry): Promise<TestOrdo> {
  installTestRuntime();
  const taskQueue = `test-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress() });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    ...(await workflowSource()),
    activities: { ...createOrderActivities(registry), ...createMarketActivities(registry) },
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporalAddress() });
  const client = new Client({ connection, namespace: 'default' });
  return {
    client,
    orders: new OrdoOrders(client, taskQueue),
    taskQueue,
    async shutdown() {
      worker.shutdown();
      await running;
      await registry.close();
      await nativeConnection.close();
      await connection.close();
    },
  };
}

export function uniqueOrderId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
