/**
 * The typed client of the order planner: runs rebalanceWorkflow (which plans in the worker, where
 * the venue credentials are) and returns its plan and what it started; optionally waits for the
 * started orders to end. The targets file is validated here first, so bad input is refused before
 * anything is sent to Temporal.
 */
import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { OrderRequestError } from '../domain/order-request';
import { MAX_REBALANCE_ID_LENGTH, validateRebalanceRequest } from '../domain/rebalance-request';
import type { PositionSourceName, StartedOrder } from '../activities/rebalance-types';
import type { RebalanceInput, RebalanceResult, rebalanceWorkflow } from '../workflows/rebalance-workflow';

export interface RebalanceOptions {
  /** The rebalance id (the workflow id; order ids derive from it): flag, else the file's, else a timestamp. */
  id?: string;
  from?: PositionSourceName;
  planOnly?: boolean;
}

/** How a started order ended (its workflow's result, following what it continued as). */
export interface OrderOutcome {
  orderId: string;
  status: string;
  filledQuantity?: string;
  averagePrice?: string;
  reason?: string;
}

const ID_PATTERN = /^[A-Za-z0-9._:/@-]+$/;

/** `rebalance-20300102T030405.678Z`: a UTC timestamp, to the millisecond. */
export function defaultRebalanceId(now: Date): string {
  return `rebalance-${now.toISOString().replace(/[-:]/g, '')}`;
}

/** The targets file's JSON; unreadable or malformed → a typed refusal (nothing started). */
export function readTargetsFile(path: string, read = (p: string) => readFileSync(p, 'utf8')): unknown {
  let text: string;
  try {
    text = read(path);
  } catch (err) {
    throw new OrderRequestError([
      { code: 'TARGETS_FILE_UNREADABLE', field: 'targets', message: `cannot read ${path}: ${String(err)}` },
    ]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new OrderRequestError([
      { code: 'INVALID_JSON', field: 'targets', message: `${path} is not JSON: ${(err as Error).message}` },
    ]);
  }
}

/** Refuses a bad targets file with every issue (OrderRequestError), before anything is sent. */
export function checkTargets(targets: unknown): void {
  const validation = validateRebalanceRequest(targets);
  if (!validation.ok) throw new OrderRequestError(validation.issues);
}

export class OrdoRebalance {
  constructor(
    private readonly client: Client,
    private readonly taskQueue = 'execution',
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Plans (and unless planOnly, starts) the rebalance. The same id again re-plans under the same
   * order ids: what the first run started is counted as position or working, never sent twice.
   */
  async run(targets: unknown, options: RebalanceOptions = {}): Promise<RebalanceResult> {
    const validation = validateRebalanceRequest(targets);
    if (!validation.ok) throw new OrderRequestError(validation.issues);
    const rebalanceId = options.id ?? validation.request.id ?? defaultRebalanceId(this.now());
    if (!ID_PATTERN.test(rebalanceId) || rebalanceId.length > MAX_REBALANCE_ID_LENGTH)
      throw new OrderRequestError([
        {
          code: 'INVALID_REBALANCE_ID',
          field: 'id',
          message: `the rebalance id must be 1-${MAX_REBALANCE_ID_LENGTH} characters of [A-Za-z0-9._:/@-]`,
        },
      ]);
    const input: RebalanceInput = {
      request: targets,
      from: options.from ?? 'ledger',
      planOnly: options.planOnly === true,
    };
    return this.client.workflow.execute<typeof rebalanceWorkflow>('rebalanceWorkflow', {
      workflowId: rebalanceId,
      taskQueue: this.taskQueue,
      args: [input],
      // A re-run of a finished rebalance id plans again (its order ids keep it idempotent); one
      // still running is joined rather than run twice at once.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  }

  /** Waits for each started order to end (through what an automatic order continued as). */
  async waitForOrders(started: readonly StartedOrder[]): Promise<OrderOutcome[]> {
    return Promise.all(
      started.map(async ({ orderId }) => {
        const result = (await this.client.workflow.getHandle(orderId).result()) as {
          status?: unknown;
          filledQuantity?: unknown;
          averagePrice?: unknown;
          reason?: unknown;
        };
        const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
        const outcome: OrderOutcome = { orderId, status: text(result.status) ?? 'UNKNOWN' };
        for (const key of ['filledQuantity', 'averagePrice', 'reason'] as const) {
          const value = text(result[key]);
          if (value !== undefined) outcome[key] = value;
        }
        return outcome;
      }),
    );
  }
}
