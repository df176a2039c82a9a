/**
 * Replay: every recorded history (test/fixtures/histories, recorded by the workflow tests with
 * ORDO_RECORD_HISTORIES=1) replays against today's workflow code without nondeterminism. A change
 * that breaks running orders fails here, and must be versioned with patching.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { type ReplayWorkerOptions, Worker } from '@temporalio/worker';
import { HISTORIES_DIR } from '../support/histories';
import { workflowSource } from '../../src/workers/workflow-bundle';
import { installTestRuntime } from '../support/temporal-env';

jest.setTimeout(120_000);

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));

test('recorded histories exist for the main scenarios', () => {
  expect(files).toEqual(
    expect.arrayContaining([
      'market-fill.json',
      'market-fill-checks-together.json',
      'limit-amend-cancel.json',
      'gtd-expiry.json',
      'kill-switch.json',
      // Parent orders (test/temporal/parent-replay.test.ts): every run of a continued-as-new chain.
      'parent-twap.json',
      'parent-twap-child.json',
      'parent-iceberg.json',
      'parent-twap-cancelled.json',
      'parent-twap-can-run1.json',
      'parent-twap-can-run2.json',
      'parent-twap-can-run3.json',
      'parent-twap-can-run4.json',
      'parent-twap-paused-can-run1.json',
      'parent-twap-paused-can-run2.json',
    ]),
  );
});

test('every recorded history replays without nondeterminism', async () => {
  installTestRuntime();
  const options: ReplayWorkerOptions = { ...(await workflowSource()) };
  const histories = files.map((file) => {
    const { workflowId, history } = JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8')) as {
      workflowId: string;
      history: unknown;
    };
    return { workflowId, history: historyFromJSON(history) };
  });
  const results = [];
  for await (const result of Worker.runReplayHistories(options, histories)) results.push(result);
  expect(results).toHaveLength(files.length);
  for (const result of results)
    expect({ workflowId: result.workflowId, error: result.error }).toEqual({
      workflowId: result.workflowId,
      error: undefined,
    });
});
