/**
 * GET /stats: how many orders and parent orders this deployment (its task queue) has in each
 * status, from Temporal visibility counts (eventually consistent: a second or so behind).
 */
import type { Client } from '@temporalio/client';
import { ALGO_WORKFLOW_TYPES } from '../client/algos';
import { visibilityQuery } from '../client/workflows';
import { ALGOS } from '../domain/algos/types';
import { ORDER_STATUSES } from '../domain/status';
import { PARENT_STATUSES } from '../workflows/parent-messages';

export interface StatusCounts {
  total: number;
  byStatus: Record<string, number>;
}

export interface Stats {
  taskQueue: string;
  orders: StatusCounts;
  parents: StatusCounts;
}

async function countByStatus(
  client: Client,
  base: string,
  statuses: readonly string[],
): Promise<StatusCounts> {
  const counts = await Promise.all(
    statuses.map(async (status) => {
      const query = visibilityQuery(base, { status }, [['status', 'OrderStatus']]);
      return [status, (await client.workflow.count(query)).count] as const;
    }),
  );
  const byStatus = Object.fromEntries(counts.filter(([, n]) => n > 0));
  return { total: counts.reduce((sum, [, n]) => sum + n, 0), byStatus };
}

export async function collectStats(client: Client, taskQueue: string): Promise<Stats> {
  const queue = `TaskQueue = '${taskQueue.replace(/'/g, "\\'")}'`;
  const parentTypes = ALGOS.map((algo) => `'${ALGO_WORKFLOW_TYPES[algo]}'`).join(', ');
  const [orders, parents] = await Promise.all([
    countByStatus(client, `WorkflowType = 'orderWorkflow' AND ${queue}`, ORDER_STATUSES),
    countByStatus(client, `WorkflowType IN (${parentTypes}) AND ${queue}`, PARENT_STATUSES),
  ]);
  return { taskQueue, orders, parents };
}
