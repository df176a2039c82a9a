/**
 * Transaction cost analysis of one order or parent order, for the CLI (and later the API): a
 * worker measures it (tcaWorkflow: the venues are the workers'), refusals come back typed.
 */
import { randomUUID } from 'node:crypto';
import {
  ActivityFailure,
  ApplicationFailure,
  type Client,
  WorkflowFailedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { OrderTcaReport } from '../activities/tca-types';
import { OrderRequestError } from '../domain/order-request';
import type { tcaWorkflow } from '../workflows/tca-workflow';

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

export class OrdoTca {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

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
