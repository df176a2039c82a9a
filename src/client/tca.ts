/**
 * Transaction cost analysis for the CLI and the API: of one order or parent order, or of one UTC
 * day's orders. A worker measures (tcaWorkflow, tcaDayWorkflow: the venues are the workers'),
 * refusals come back typed.
 */
import { randomUUID } from 'node:crypto';
import {
  ActivityFailure,
  ApplicationFailure,
  type Client,
  WorkflowFailedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { DayTcaReport, OrderTcaReport } from '../activities/tca-types';
import { OrderRequestError } from '../domain/order-request';
import { dayLimit, parseTcaDay } from '../domain/tca/day';
import { TcaError } from '../domain/tca/types';
import type { tcaDayWorkflow, tcaWorkflow } from '../workflows/tca-workflow';

/** One day's TCA: the UTC day, and optionally one strategy's or one venue's orders only. */
export interface DayTcaRequest {
  /** YYYY-MM-DD (UTC). */
  date: string;
  strategyId?: string;
  venue?: string;
  /** At most this many orders (default 500, at most 2000); more: TOO_MANY_ORDERS. */
  limit?: number;
}

/**
 * A typed refusal (ORDER_NOT_FOUND, NO_ARRIVAL_PRICE, OVERFILLED …). An OrderRequestError, so
 * the CLI prints `CODE: message` and exits 2 like any refused input.
 */
export class TcaRefusedError extends OrderRequestError {
  constructor(code: string, message: string) {
    super([{ code, message }]);
    this.name = 'TcaRefusedError';
  }
}

/** The ApplicationFailure an activity refused with, however deep the workflow wrapped it. */
function refusalOf(err: unknown): ApplicationFailure | undefined {
  let cause: unknown = err;
  while (cause instanceof WorkflowFailedError || cause instanceof ActivityFailure) cause = cause.cause;
  return cause instanceof ApplicationFailure && cause.nonRetryable && cause.type ? cause : undefined;
}

/** A day or a limit refused by the pure checks, as the CLI's and the API's typed refusal. */
function checked<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TcaError) throw new TcaRefusedError(err.code, err.message);
    throw err;
  }
}

export class OrdoTca {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** Refused before any workflow: INVALID_DATE, INVALID_LIMIT, or an empty filter. */
  async day(request: DayTcaRequest): Promise<DayTcaReport> {
    const { day } = checked(() => parseTcaDay(request.date));
    const limit = checked(() => dayLimit(request.limit));
    for (const [name, value] of [
      ['strategy', request.strategyId],
      ['venue', request.venue],
    ] as const)
      if (value !== undefined && value.trim() === '')
        throw new TcaRefusedError(`INVALID_${name.toUpperCase()}`, `${name} must not be empty`);
    try {
      return await this.client.workflow.execute<typeof tcaDayWorkflow>('tcaDayWorkflow', {
        taskQueue: this.taskQueue,
        workflowId: `tca-day-${day}-${randomUUID().slice(0, 8)}`,
        args: [
          {
            day,
            taskQueue: this.taskQueue,
            limit,
            ...(request.strategyId === undefined ? {} : { strategyId: request.strategyId }),
            ...(request.venue === undefined ? {} : { venue: request.venue }),
          },
        ],
        workflowExecutionTimeout: '30m',
      });
    } catch (err) {
      const refusal = refusalOf(err);
      if (refusal?.type) throw new TcaRefusedError(refusal.type, refusal.message);
      throw err;
    }
  }

  async order(orderId: string): Promise<OrderTcaReport> {
    // Refused here first: an unknown id should not cost a workflow.
    await this.client.workflow
      .getHandle(orderId)
      .describe()
      .catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError)
          throw new TcaRefusedError('ORDER_NOT_FOUND', `no order ${orderId}`);
        throw err;
      });
    try {
      return await this.client.workflow.execute<typeof tcaWorkflow>('tcaWorkflow', {
        taskQueue: this.taskQueue,
        workflowId: `tca-${orderId}-${randomUUID().slice(0, 8)}`,
        args: [{ orderId }],
        workflowExecutionTimeout: '5m',
      });
    } catch (err) {
      const refusal = refusalOf(err);
      if (refusal?.type) throw new TcaRefusedError(refusal.type, refusal.message);
      throw err;
    }
  }
}
