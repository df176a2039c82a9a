/**
 * The typed client library for parent orders (TWAP, VWAP, POV, IS, iceberg, smart routing): what
 * the CLI (and later the HTTP API) use. Requests are validated here first so a caller gets a typed
 * error at once; the workflow validates again, with its own clock.
 */
import { randomBytes } from 'node:crypto';
import { type Client, type WorkflowHandle } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { type ParentRequest, validateParentRequest } from '../domain/algos/params';
import { ALGOS, type Algo } from '../domain/algos/types';
import { OrderRequestError, type RequestIssue } from '../domain/order-request';
import { killSwitchSignal } from '../workflows/messages';
import {
  type ParentAmendRequest,
  type ParentCommandResult,
  type ParentProgress,
  type ParentStatus,
  parentAmendUpdate,
  parentCancelUpdate,
  pauseUpdate,
  progressQuery,
  resumeUpdate,
} from '../workflows/parent-messages';
import { SA } from '../workflows/search-attributes';
import { listWorkflows, startOnce, updateOrRefuse, visibilityQuery } from './workflows';

/** The workflow type of each algorithm (each takes one argument: the raw request). */
export const ALGO_WORKFLOW_TYPES: Record<Algo, string> = {
  twap: 'twapWorkflow',
  vwap: 'vwapWorkflow',
  pov: 'povWorkflow',
  is: 'implementationShortfallWorkflow',
  iceberg: 'icebergWorkflow',
  route: 'smartRouteWorkflow',
};

/**
 * A parent-order request refused before anything started. An OrderRequestError (same issues, same
 * codes) so every caller that reports refused input handles both kinds of request alike.
 */
export class ParentRequestError extends OrderRequestError {
  constructor(issues: RequestIssue[]) {
    super(issues);
    this.name = 'ParentRequestError';
  }
}

/** Like validateParentRequest, but throws a ParentRequestError carrying every issue. */
export function parseParentRequest(
  algo: Algo,
  input: unknown,
  context: { now: Date; parentId?: string },
): ParentRequest {
  const result = validateParentRequest(algo, input, context);
  if (!result.ok) throw new ParentRequestError(result.issues);
  return result.request;
}

/** A fresh parent id: the algorithm's name and 8 hex digits (short enough to type). */
export function newParentId(algo: Algo): string {
  return `${algo}-${randomBytes(4).toString('hex')}`;
}

export interface StartResult {
  parentId: string;
  /** The run of the parent; the same run again when the parent id already existed. */
  runId: string;
}

export interface ParentFilter {
  algo?: Algo;
  status?: ParentStatus;
  symbol?: string;
  side?: string;
  venue?: string;
  strategyId?: string;
}

export interface ParentSummary {
  parentId: string;
  algo?: string;
  status?: string;
  symbol?: string;
  side?: string;
  venue?: string;
  strategyId?: string;
  startedAt: string;
  closedAt?: string;
}

const FILTER_KEYS: ReadonlyArray<[keyof ParentFilter, string]> = [
  ['algo', 'Algo'],
  ['status', 'OrderStatus'],
  ['symbol', 'Symbol'],
  ['side', 'Side'],
  ['venue', 'Venue'],
  ['strategyId', 'StrategyId'],
];

/**
 * A visibility query for parent orders matching every given field. Parents are selected by
 * workflow type rather than `Algo IS NOT NULL`: it works on every visibility store, and stays
 * right should child orders ever carry their parent's Algo too.
 */
export function parentListQuery(filter: ParentFilter): string {
  const types = ALGOS.map((algo) => `'${ALGO_WORKFLOW_TYPES[algo]}'`).join(', ');
  return visibilityQuery(`WorkflowType IN (${types})`, filter, FILTER_KEYS);
}

export class OrdoAlgos {
  constructor(
    private readonly client: Client,
    private readonly taskQueue = 'execution',
  ) {}

  /**
   * Starts a parent order; the same parent id again returns the existing parent. `input` is the raw
   * request (durations unresolved): the workflow resolves them against its own start time.
   */
  async start(algo: Algo, input: Record<string, unknown>, now = new Date()): Promise<StartResult> {
    const raw = input['parentId'] === undefined ? { ...input, parentId: newParentId(algo) } : input;
    const request = parseParentRequest(algo, raw, { now });
    // Always set: generated above, or given and validated as an id.
    const parentId = request.parentId ?? '';
    const { runId } = await startOnce(this.client, {
      workflowType: ALGO_WORKFLOW_TYPES[algo],
      workflowId: parentId,
      taskQueue: this.taskQueue,
      input: raw,
      searchAttributes: searchAttributes(request),
    });
    return { parentId, runId };
  }

  /** The current progress; for a completed parent, its final progress from the workflow result. */
  async progress(parentId: string): Promise<ParentProgress> {
    const handle = this.handle(parentId);
    const description = await handle.describe();
    if (description.status.name === 'COMPLETED') return (await handle.result()) as ParentProgress;
    // Running, or closed otherwise (failed, terminated): the query replays its state.
    return handle.query(progressQuery);
  }

  async pause(parentId: string, reason?: string): Promise<ParentCommandResult> {
    return this.update(parentId, () =>
      this.handle(parentId).executeUpdate(pauseUpdate, { args: [reasonOf(reason)] }),
    );
  }

  async resume(parentId: string, reason?: string): Promise<ParentCommandResult> {
    return this.update(parentId, () =>
      this.handle(parentId).executeUpdate(resumeUpdate, { args: [reasonOf(reason)] }),
    );
  }

  async cancel(parentId: string, reason?: string): Promise<ParentCommandResult> {
    return this.update(parentId, () =>
      this.handle(parentId).executeUpdate(parentCancelUpdate, { args: [reasonOf(reason)] }),
    );
  }

  async amend(parentId: string, amend: ParentAmendRequest): Promise<ParentCommandResult> {
    return this.update(parentId, () =>
      this.handle(parentId).executeUpdate(parentAmendUpdate, { args: [amend] }),
    );
  }

  /** The same kill switch as a single order's: the parent stops and cancels its working children. */
  async killSwitch(parentId: string, reason: string): Promise<void> {
    await this.handle(parentId).signal(killSwitchSignal, { reason });
  }

  async list(filter: ParentFilter = {}, limit = 100): Promise<ParentSummary[]> {
    const listed = await listWorkflows(this.client, parentListQuery(filter), limit);
    return listed.map(({ workflowId, ...attributes }) => ({ parentId: workflowId, ...attributes }));
  }

  /** Waits for the parent to end and returns its final progress (the workflow's result). */
  async waitFor(parentId: string): Promise<ParentProgress> {
    return (await this.handle(parentId).result()) as ParentProgress;
  }

  private handle(parentId: string): WorkflowHandle {
    return this.client.workflow.getHandle(parentId);
  }

  private update(parentId: string, call: () => Promise<ParentCommandResult>): Promise<ParentCommandResult> {
    return updateOrRefuse(this.client, parentId, call, {
      code: 'PARENT_ENDED',
      what: 'parent order',
      finalStatus: async () => (await this.progress(parentId)).status,
    });
  }
}

function reasonOf(reason: string | undefined): { reason?: string } {
  return reason === undefined ? {} : { reason };
}

/** Set at start so a parent is listable at once; the workflow keeps them current. */
function searchAttributes(request: ParentRequest): TypedSearchAttributes {
  const pairs = [
    { key: SA.Algo, value: request.algo },
    { key: SA.Symbol, value: request.symbol },
    { key: SA.Side, value: request.side },
    { key: SA.OrderStatus, value: 'PENDING' },
    // A smart route without --venue has no single venue: the workflow sets it if it has one.
    ...(request.venue === '' ? [] : [{ key: SA.Venue, value: request.venue }]),
    ...(request.strategyId === undefined ? [] : [{ key: SA.StrategyId, value: request.strategyId }]),
  ];
  return new TypedSearchAttributes(pairs);
}
