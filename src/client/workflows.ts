/**
 * What the order and parent-order clients share: starting a workflow exactly once under an id
 * (the same id again answers with the existing run), and listing workflows with their search
 * attributes.
 */
import {
  type Client,
  WorkflowUpdateFailedError,
  type WorkflowExecutionInfo,
  WorkflowExecutionAlreadyStartedError,
} from '@temporalio/client';
import type { TypedSearchAttributes } from '@temporalio/common';
import { SA } from '../workflows/search-attributes';

export async function startOnce(
  client: Client,
  options: {
    workflowType: string;
    workflowId: string;
    taskQueue: string;
    input: unknown;
    searchAttributes: TypedSearchAttributes;
  },
): Promise<{ runId: string }> {
  try {
    const handle = await client.workflow.start(options.workflowType, {
      taskQueue: options.taskQueue,
      workflowId: options.workflowId,
      args: [options.input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: options.searchAttributes,
    });
    return { runId: handle.firstExecutionRunId };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const description = await client.workflow.getHandle(options.workflowId).describe();
    return { runId: description.runId };
  }
}

/** The search attributes every Ordo workflow keeps, as read from a listed workflow. */
export interface ListedAttributes {
  status?: string;
  algo?: string;
  symbol?: string;
  side?: string;
  venue?: string;
  strategyId?: string;
  startedAt: string;
  closedAt?: string;
}

/** Up to `limit` workflows matching `query`, each with its attributes (absent ones left out). */
export async function listWorkflows(
  client: Client,
  query: string,
  limit: number,
): Promise<(ListedAttributes & { workflowId: string })[]> {
  const out: (ListedAttributes & { workflowId: string })[] = [];
  for await (const wf of client.workflow.list({ query })) {
    out.push({ workflowId: wf.workflowId, ...attributesOf(wf) });
    if (out.length >= limit) break;
  }
  return out;
}

function attributesOf(wf: WorkflowExecutionInfo): ListedAttributes {
  const sa = wf.typedSearchAttributes;
  const fields = {
    status: sa.get(SA.OrderStatus),
    algo: sa.get(SA.Algo),
    symbol: sa.get(SA.Symbol),
    side: sa.get(SA.Side),
    venue: sa.get(SA.Venue),
    strategyId: sa.get(SA.StrategyId),
    closedAt: wf.closeTime?.toISOString(),
  };
  const listed: ListedAttributes = { startedAt: wf.startTime.toISOString() };
  for (const [key, value] of Object.entries(fields))
    if (value !== undefined) Object.assign(listed, { [key]: value });
  return listed;
}

/**
 * `base` AND one equality per given filter field, on the search attribute `keys` maps it to;
 * values are quoted so no value can change the query.
 */
export function visibilityQuery<F extends object>(
  base: string,
  filter: F,
  keys: ReadonlyArray<readonly [keyof F, string]>,
): string {
  const clauses = [base];
  for (const [field, attribute] of keys) {
    const value = filter[field];
    if (typeof value === 'string') clauses.push(`${attribute} = '${value.replace(/'/g, "\\'")}'`);
  }
  return clauses.join(' AND ');
}

/** Thrown when an update's validator refused the request (e.g. the order already ended). */
export class CommandRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandRefusedError';
  }
}

/**
 * Runs an update and turns its refusals into CommandRefusedError: the validator's own reason, or
 * `<ended>: … already <status>` when the workflow had already closed (`finalStatus` reads it).
 */
export async function updateOrRefuse<T>(
  client: Client,
  workflowId: string,
  call: () => Promise<T>,
  ended: { code: string; what: string; finalStatus: () => Promise<string> },
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError)
      throw new CommandRefusedError(err.cause?.message ?? err.message);
    const description = await client.workflow
      .getHandle(workflowId)
      .describe()
      .catch(() => undefined);
    if (description !== undefined && description.status.name !== 'RUNNING')
      throw new CommandRefusedError(`${ended.code}: ${ended.what} is already ${await ended.finalStatus()}`);
    throw err;
  }
}
