/**
 * Test helpers for workflow tests: an in-process Ordo worker on its own task queue, wired to the
 * run's Temporal dev server and exchange simulator (both started by global-setup.ts), and a client.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { openLedger } from '../../src/ledger/open-ledger';
import type { Ledger } from '../../src/ledger/types';
import type { ReconciliationConfig } from '../../src/activities/reconciliation-types';
import { createEventSinks } from '../../src/events/sinks';
import type { EventSink } from '../../src/events/types';
import { createLogger } from '../../src/workers/logger';
import { OrdoOrders } from '../../src/client/orders';
import { createVenueRegistry } from '../../src/venues/factory';
import type { VenueRegistry } from '../../src/venues/registry';
import { createWorkerActivities } from '../../src/workers/activities';
import { type WorkerConfig, parseWorkerConfig } from '../../src/workers/config';
import { PushedFills } from '../../src/workers/pushed-fills';
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
  /** The worker's trades ledger (recordFills writes here). */
  ledger: Ledger;
  /** This worker's own trading control workflow id (so a test's halt stops only its own orders). */
  tradingControlId: string;
  /** The worker's order streams, when started (options.streams). */
  pushedFills?: PushedFills;
  shutdown(): Promise<void>;
}

/** Starts a worker (own task queue) and a client; `shutdown` stops both. */
export async function startTestOrdo(
  config: WorkerConfig = testWorkerConfig(),
  options: TestOrdoOptions = {},
): Promise<TestOrdo> {
  return startTestOrdoOn(createVenueRegistry(config), testEventSinks(config), undefined, options);
}

/**
 * The event sinks of a test worker: the configuration's webhooks, and the log sink at
 * ORDO_TEST_LOG_LEVEL (default silent, so test output stays readable).
 */
export function testEventSinks(config?: WorkerConfig): EventSink[] {
  const logger = createLogger('ordo-test', process.env['ORDO_TEST_LOG_LEVEL'] ?? 'silent');
  return createEventSinks(config?.events ?? { webhooks: [] }, logger);
}

export interface TestOrdoOptions {
  /** Reconciliation settings (default: the configuration defaults). */
  reconciliation?: ReconciliationConfig;
  /** Take over a task queue (a "restarted" worker: same queue, same trading control id). */
  taskQueue?: string;
  /**
   * Start the order streams (pushed fills) of these venues, as the worker does. Off by default:
   * tests that watch an order being found out by polling or reconciliation stay as they are.
   */
  streams?: WorkerConfig;
}

/**
 * The same, on venues the test built itself (so it can reach into one, or script one). The ledger
 * defaults to a private in-memory one, closed on shutdown; one passed in is left open (a test can
 * hand it to the next worker).
 */
export async function startTestOrdoOn(
  registry: VenueRegistry,
  eventSinks: EventSink[] = testEventSinks(),
  givenLedger?: Ledger,
  options: TestOrdoOptions = {},
): Promise<TestOrdo> {
  installTestRuntime();
  const ledger = givenLedger ?? (await openLedger('sqlite::memory:'));
  const taskQueue = options.taskQueue ?? `test-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress() });
  const tradingControlId = `trading-control-${taskQueue}`;
  const pushedFills =
    options.streams === undefined
      ? undefined
      : new PushedFills({
          venues: options.streams.venues,
          client: new Client({ connection: nativeConnection, namespace: 'default' }),
          logger: createLogger('ordo-test', process.env['ORDO_TEST_LOG_LEVEL'] ?? 'silent'),
        });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    ...(await workflowSource()),
    activities: createWorkerActivities({
      registry,
      ledger,
      eventSinks,
      client: new Client({ connection: nativeConnection, namespace: 'default' }),
      taskQueue,
      namespace: 'default',
      tradingControlId,
      ...(options.reconciliation === undefined ? {} : { reconciliation: options.reconciliation }),
      ...(pushedFills === undefined ? {} : { pushes: pushedFills.pushes }),
    }),
    // Every working order holds an activity slot (its follow activity): the SDK's default of 100
    // would cap a worker at ~100 working orders and starve everything else (the kill switch too).
    maxConcurrentActivityTaskExecutions: 1_000,
  });
  const running = worker.run();
  pushedFills?.start();
  const connection = await Connection.connect({ address: temporalAddress() });
  const client = new Client({ connection, namespace: 'default' });
  return {
    client,
    orders: new OrdoOrders(client, taskQueue),
    taskQueue,
    ledger,
    tradingControlId,
    ...(pushedFills === undefined ? {} : { pushedFills }),
    async shutdown() {
      worker.shutdown();
      await running;
      await pushedFills?.stop();
      await registry.close();
      if (givenLedger === undefined) await ledger.close();
      await nativeConnection.close();
      await connection.close();
    },
  };
}

export function uniqueOrderId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
