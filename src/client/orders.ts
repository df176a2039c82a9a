/**
 * The typed client library for orders: what the CLI (and later the HTTP API) use. Requests are
 * validated here first so a caller gets a typed error at once; the workflow validates again.
 */
import { randomUUID } from 'node:crypto';
import { type Client, type WorkflowHandle } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { validateAutoOrderRequest } from '../domain/algos/auto-request';
import { type OrderRequest, OrderRequestError, parseOrderRequest } from '../domain/order-request';
import type { OrderState } from '../domain/order-state';
import { type OrderStatus, isTerminal } from '../domain/status';
import {
  type AmendRequest,
  type CommandResult,
  abandonUpdate,
  amendUpdate,
  cancelUpdate,
  killSwitchSignal,
  retryUpdate,
  statusQuery,
} from '../workflows/messages';
import { SA } from '../workflows/search-attributes';
import { listWorkflows, startOnce, updateOrRefuse, visibilityQuery } from './workflows';
import type { orderWorkflow } from '../workflows/order-workflow';

export interface SubmitResult {
  orderId: string;
  /** The run of the order; the same run again when the order id already existed. */
  runId: string;
}

export interface OrderFilter {
  symbol?: string;
  side?: string;
  status?: OrderStatus;
  venue?: string;
  strategyId?: string;
  parentId?: string;
}

export interface OrderSummary {
  orderId: string;
  status?: string;
  symbol?: string;
  side?: string;
  venue?: string;
  strategyId?: string;
  startedAt: string;
  closedAt?: string;
}

export { CommandRefusedError } from './workflows';

const FILTER_KEYS: ReadonlyArray<[keyof OrderFilter, string]> = [
  ['symbol', 'Symbol'],
  ['side', 'Side'],
  ['status', 'OrderStatus'],
  ['venue', 'Venue'],
  ['strategyId', 'StrategyId'],
  ['parentId', 'ParentId'],
];

/** A visibility query for orders matching every given field. */
export function orderListQuery(filter: OrderFilter): string {
  return visibilityQuery(`WorkflowType = 'orderWorkflow'`, filter, FILTER_KEYS);
}

export class OrdoOrders {
  constructor(
    private readonly client: Client,
    private readonly taskQueue = 'execution',
  ) {}

  /** Starts an order; starting the same order id again returns the existing order. */
  async submit(input: unknown): Promise<SubmitResult> {
    const request = parseOrderRequest(input);
    const orderId = request.orderId ?? `ord-${randomUUID()}`;
    return this.startOnce('orderWorkflow', orderId, { ...request, orderId }, request);
  }

  /**
   * An order whose way of trading Ordo chooses (market, limit or a TWAP, see autoOrderWorkflow):
   * the workflow under this id continues as the orderWorkflow or twapWorkflow that trades it.
   */
  async submitAuto(input: unknown): Promise<SubmitResult> {
    const validation = validateAutoOrderRequest(input, new Date());
    if (!validation.ok) throw new OrderRequestError(validation.issues);
    const orderId = validation.request.order.orderId ?? `ord-${randomUUID()}`;
    return this.startOnce(
      'autoOrderWorkflow',
      orderId,
      { ...(input as object), orderId },
      validation.request.order,
    );
  }

  /** Starts the workflow under `orderId`; an id that already exists returns that run instead. */
  private async startOnce(
    workflowType: 'orderWorkflow' | 'autoOrderWorkflow',
    orderId: string,
    input: object,
    request: OrderRequest,
  ): Promise<SubmitResult> {
    const { runId } = await startOnce(this.client, {
      workflowType,
      workflowId: orderId,
      taskQueue: this.taskQueue,
      input,
      searchAttributes: searchAttributes(request),
    });
    return { orderId, runId };
  }

  /**
   * What an automatic order became: the workflow type now running under its id and why (the
   * memo the choice left). Waits up to `timeoutMs` for the choice to be made.
   */
  async autoChoiceOf(
    orderId: string,
    timeoutMs = 15_000,
  ): Promise<{ workflowType?: string; reason?: string; denied?: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const handle = this.client.workflow.getHandle(orderId);
      const description = await handle.describe();
      if (description.type !== 'autoOrderWorkflow') {
        const memo = (await description.memo) as { autoChoice?: string } | undefined;
        return {
          workflowType: description.type,
          ...(memo?.autoChoice === undefined ? {} : { reason: memo.autoChoice }),
        };
      }
      if (description.status.name === 'COMPLETED') {
        const outcome = (await handle.result()) as { reason?: string };
        return {
          workflowType: description.type,
          ...(outcome.reason === undefined ? {} : { denied: outcome.reason }),
        };
      }
      if (Date.now() > deadline) return { workflowType: description.type };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The current state; for a completed order, its final state from the workflow result. */
  async status(orderId: string): Promise<OrderState> {
    const handle = this.handle(orderId);
    const description = await handle.describe();
    if (description.status.name === 'COMPLETED') return (await handle.result()) as OrderState;
    // Running, or closed otherwise (failed, terminated): the query replays its state.
    return handle.query(statusQuery);
  }

  async cancel(orderId: string, reason?: string): Promise<CommandResult> {
    return this.update(orderId, () =>
      this.handle(orderId).executeUpdate(cancelUpdate, { args: [reason === undefined ? {} : { reason }] }),
    );
  }

  async amend(orderId: string, amend: AmendRequest): Promise<CommandResult> {
    return this.update(orderId, () => this.handle(orderId).executeUpdate(amendUpdate, { args: [amend] }));
  }

  /** Dead letter: carry on with a parked order (resend after a look-up, or follow it again). */
  async retry(orderId: string, reason?: string): Promise<CommandResult> {
    const args: [{ reason?: string }] = [reason === undefined ? {} : { reason }];
    return this.update(orderId, () => this.handle(orderId).executeUpdate(retryUpdate, { args }));
  }

  /** Dead letter: end a parked order, cancelling it at the venue if it might be live. */
  async abandon(orderId: string, reason?: string): Promise<CommandResult> {
    const args: [{ reason?: string }] = [reason === undefined ? {} : { reason }];
    return this.update(orderId, () => this.handle(orderId).executeUpdate(abandonUpdate, { args }));
  }

  async killSwitch(orderId: string, reason: string): Promise<void> {
    await this.handle(orderId).signal(killSwitchSignal, { reason });
  }

  async list(filter: OrderFilter = {}, limit = 100): Promise<OrderSummary[]> {
    const listed = await listWorkflows(this.client, orderListQuery(filter), limit);
    return listed.map(({ workflowId, algo: _algo, ...attributes }) => ({
      orderId: workflowId,
      ...attributes,
    }));
  }

  /** Polls the status until `done` says so or the order ends; returns the last state seen. */
  async waitFor(orderId: string, done: (s: OrderState) => boolean, timeoutMs = 30_000): Promise<OrderState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.status(orderId);
      if (done(state) || isTerminal(state.status) || Date.now() > deadline) return state;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private handle(orderId: string): WorkflowHandle<typeof orderWorkflow> {
    return this.client.workflow.getHandle<typeof orderWorkflow>(orderId);
  }

  private update(orderId: string, call: () => Promise<CommandResult>): Promise<CommandResult> {
    return updateOrRefuse(this.client, orderId, call, {
      code: 'ORDER_ENDED',
      what: 'order',
      finalStatus: async () => (await this.status(orderId)).status,
    });
  }
}

function searchAttributes(request: OrderRequest): TypedSearchAttributes {
  const pairs = [
    { key: SA.Symbol, value: request.symbol },
    { key: SA.Side, value: request.side },
    { key: SA.Venue, value: request.venue },
    { key: SA.OrderStatus, value: 'PENDING' },
    ...(request.strategyId === undefined ? [] : [{ key: SA.StrategyId, value: request.strategyId }]),
    ...(request.parentId === undefined ? [] : [{ key: SA.ParentId, value: request.parentId }]),
  ];
  return new TypedSearchAttributes(pairs);
}
