/**
 * Smoke test of the Temporal test setup: the run's dev server (global-setup.ts) is up with every
 * search attribute of DESIGN.md registered and usable in visibility queries, and the Java
 * time-skipping test server from .tools/bin runs and skips time.
 */
import { Connection } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { searchAttributes } from '../support/temporal-binaries';
import {
  connectToTestServer,
  createTimeSkippingEnv,
  testServerAddress,
  uniqueTaskQueue,
} from '../support/temporal-env';
import type { echoWithSearchAttribute, sleepOneDay } from '../support/workflows/smoke';

const workflowsPath = require.resolve('../support/workflows/smoke');

/** DESIGN.md section 3, spelled out here so the list file cannot silently lose one. */
const DESIGN_SEARCH_ATTRIBUTES = ['Symbol', 'Side', 'OrderStatus', 'Venue', 'StrategyId', 'ParentId', 'Algo'];

jest.setTimeout(60_000);

describe('Temporal dev server of the test run', () => {
  test('temporal/search-attributes.txt lists every DESIGN.md search attribute as Keyword', () => {
    const listed = Object.fromEntries(searchAttributes().map((s) => [s.name, s.type]));
    for (const name of DESIGN_SEARCH_ATTRIBUTES) expect(listed[name]).toBe('Keyword');
  });

  test('has every DESIGN.md search attribute registered as Keyword', async () => {
    const { address, namespace } = testServerAddress();
    const connection = await Connection.connect({ address });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      const keyword = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
      for (const name of DESIGN_SEARCH_ATTRIBUTES) {
        expect({ name, type: customAttributes?.[name] }).toEqual({ name, type: keyword });
      }
    } finally {
      await connection.close();
    }
  });

  describe('runs a workflow end to end', () => {
    let env: TestWorkflowEnvironment;
    beforeAll(async () => {
      env = await connectToTestServer();
    });
    afterAll(async () => {
      await env?.teardown();
    });

    test('and finds it by search attributes', async () => {
      const taskQueue = uniqueTaskQueue('smoke');
      const worker = await Worker.create({
        connection: env.nativeConnection,
        namespace: env.namespace,
        taskQueue,
        workflowsPath,
        activities: { echo: async (text: string) => `echo: ${text}` },
      });
      const workflowId = `smoke-${taskQueue}`;
      const symbol = defineSearchAttributeKey('Symbol', SearchAttributeType.KEYWORD);
      const result = await worker.runUntil(
        env.client.workflow.execute<typeof echoWithSearchAttribute>('echoWithSearchAttribute', {
          taskQueue,
          workflowId,
          args: ['hello'],
          typedSearchAttributes: [{ key: symbol, value: 'BTC/USDT' }],
        }),
      );
      expect(result).toBe('echo: hello');

      // Visibility is eventually consistent: poll (bounded) until the query sees the workflow.
      const query = `WorkflowId = "${workflowId}" AND Symbol = "BTC/USDT" AND OrderStatus = "FILLED"`;
      let count = 0;
      for (let i = 0; i < 100 && count === 0; i++) {
        ({ count } = await env.client.workflow.count(query));
        if (count === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(count).toBe(1);
    });
  });
});

describe('Java time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test('completes a workflow that sleeps one day', async () => {
    const taskQueue = uniqueTaskQueue('time-skipping');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath,
      activities: { echo: async (text: string) => text },
    });
    const { before, after } = await worker.runUntil(
      env.client.workflow.execute<typeof sleepOneDay>('sleepOneDay', {
        taskQueue,
        workflowId: `sleep-${taskQueue}`,
      }),
    );
    expect(after - before).toBeGreaterThanOrEqual(24 * 60 * 60 * 1000);
  });
});
