/**
 * An Ordo worker on a private Java time-skipping test server, for parent schedules hours long that
 * must run in seconds. Workflow time skips (whenever the test awaits a result through env.client);
 * the venues' clocks do not: children trade on a real simulator at its real time.
 *
 * The test server knows no custom search attribute until told: a workflow started with, or
 * upserting, an unknown one is refused ("search attribute Symbol is not defined"). It implements
 * the operator service's AddSearchAttributes (not ListSearchAttributes), which is what the Java
 * SDK's TestWorkflowEnvironment.registerSearchAttribute calls too; so each attribute of
 * temporal/search-attributes.txt is registered that way before the worker starts.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { openLedger } from '../../src/ledger/open-ledger';
import { createVenueRegistry } from '../../src/venues/factory';
import { createWorkerActivities } from '../../src/workers/activities';
import type { WorkerConfig } from '../../src/workers/config';
import { workflowSource } from '../../src/workers/workflow-bundle';
import { testEventSinks, testWorkerConfig } from './ordo-worker';
import { type SearchAttributeTypeName, searchAttributes } from './temporal-binaries';
import { createTimeSkippingEnv } from './temporal-env';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

const INDEXED_TYPES: Record<SearchAttributeTypeName, temporal.api.enums.v1.IndexedValueType> = {
  Text: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Int: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Double: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  Bool: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KeywordList: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** Registers every Ordo search attribute on a (fresh) time-skipping test server. */
export async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const wanted = Object.fromEntries(searchAttributes().map((s) => [s.name, INDEXED_TYPES[s.type]]));
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: wanted,
  });
}

export interface TimeSkippingOrdo {
  env: TestWorkflowEnvironment;
  /** env.client: awaiting a workflow's result() through it lets the server skip time. */
  client: Client;
  taskQueue: string;
  shutdown(): Promise<void>;
}

/** A fresh time-skipping server with Ordo's search attributes, and an Ordo worker on `config`'s venues. */
export async function startTimeSkippingOrdo(
  config: WorkerConfig = testWorkerConfig(),
): Promise<TimeSkippingOrdo> {
  const env = await createTimeSkippingEnv();
  const registry = createVenueRegistry(config);
  const ledger = await openLedger('sqlite::memory:');
  try {
    await registerSearchAttributes(env);
    const taskQueue = `time-skipping-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      ...(await workflowSource()),
      activities: createWorkerActivities({
        registry,
        ledger,
        eventSinks: testEventSinks(config),
        client: env.client,
        taskQueue,
        namespace: env.namespace ?? 'default',
        tradingControlId: `trading-control-${taskQueue}`,
      }),
    });
    const running = worker.run();
    return {
      env,
      client: env.client,
      taskQueue,
      async shutdown() {
        worker.shutdown();
        await running;
        await registry.close();
        await ledger.close();
        await env.teardown();
      },
    };
  } catch (err) {
    await registry.close().catch(() => undefined);
    await ledger.close().catch(() => undefined);
    await env.teardown().catch(() => undefined);
    throw err;
  }
}
