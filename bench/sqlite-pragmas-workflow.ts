/** Workflow of bench/sqlite-pragmas.ts: one activity round trip, nothing else. */
import { proxyActivities } from '@temporalio/workflow';

export interface BenchActivities {
  noop(i: number): Promise<number>;
}

const { noop } = proxyActivities<BenchActivities>({ startToCloseTimeout: '30 seconds' });

export async function benchWorkflow(i: number): Promise<number> {
  return await noop(i);
}
