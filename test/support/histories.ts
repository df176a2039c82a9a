/**
 * Recorded workflow histories for the replay test. A workflow test calls `recordHistory` at the
 * end of a scenario: with ORDO_RECORD_HISTORIES=1 the history is saved under
 * test/fixtures/histories/<scenario>.json (commit it); the replay test replays every saved file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const HISTORIES_DIR = path.join(__dirname, '..', 'fixtures', 'histories');

export async function recordHistory(client: Client, workflowId: string, scenario: string): Promise<void> {
  if (process.env['ORDO_RECORD_HISTORIES'] !== '1') return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  mkdirSync(HISTORIES_DIR, { recursive: true });
  // The same JSON form as `temporal workflow show --output json`, so either can be replayed.
  const json = JSON.parse(historyToJSON(history)) as unknown;
  writeFileSync(
    path.join(HISTORIES_DIR, `${scenario}.json`),
    JSON.stringify({ workflowId, history: json }, null, 1),
  );
}
