/**
 * The typed client of the execution monitor: its `monitor` query (metrics, active and recent
 * alerts) and the working orders of the task queue, as GET /monitor and `ordo monitor` show them;
 * and `configure`/`observe`, the signals workers send (each starts the monitor if it is not running).
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { MonitorLimits, Observation } from '../domain/monitor/types';
import {
  MONITOR_WORKFLOW_TYPE,
  type MonitorView,
  configureSignal,
  monitorQuery,
  monitorWorkflowId,
  observeSignal,
} from '../workflows/monitor-messages';
import type { executionMonitorWorkflow } from '../workflows/monitor-workflow';
import { type ListedAttributes, listWorkflows } from './workflows';

/** An order working now (its workflow is running), as visibility lists it. */
export type WorkingOrder = Omit<ListedAttributes, 'algo' | 'closedAt'> & { orderId: string };

export interface MonitorSnapshot {
  taskQueue: string;
  /** False: no monitor runs for this task queue (no worker with the monitor enabled started yet). */
  running: boolean;
  monitor?: MonitorView;
  working: {
    /** Every running order workflow of the task queue (visibility: a second or so behind). */
    count: number;
    /** The most recently started ones, up to the limit asked. */
    orders: WorkingOrder[];
  };
}

export class OrdoMonitor {
  constructor(
    private readonly client: Client,
    readonly taskQueue = 'execution',
    readonly workflowId = monitorWorkflowId(taskQueue),
  ) {}

  /** The monitor's view, or undefined when it is not running. */
  async view(): Promise<MonitorView | undefined> {
    try {
      return await this.client.workflow.getHandle(this.workflowId).query(monitorQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /** The monitor's view and the working orders (at most `limit` listed). */
  async snapshot(limit = 100): Promise<MonitorSnapshot> {
    const queue = `TaskQueue = '${this.taskQueue.replace(/'/g, "\\'")}'`;
    const query = `WorkflowType = 'orderWorkflow' AND ExecutionStatus = 'Running' AND ${queue}`;
    const [monitor, count, listed] = await Promise.all([
      this.view(),
      this.client.workflow.count(query),
      listWorkflows(this.client, query, limit),
    ]);
    const orders = listed.map(({ workflowId, algo: _algo, closedAt: _closed, ...attributes }) => ({
      orderId: workflowId,
      ...attributes,
    }));
    return {
      taskQueue: this.taskQueue,
      running: monitor !== undefined,
      ...(monitor === undefined ? {} : { monitor }),
      working: { count: count.count, orders },
    };
  }

  /** Sets the limits, starting the monitor with them if it is not running. */
  async configure(limits: MonitorLimits): Promise<void> {
    await this.signalWithStart(limits, configureSignal, { limits });
  }

  /** Hands the monitor a batch of observations (started with `limits` if it is not running). */
  async observe(observations: Observation[], limits: MonitorLimits): Promise<void> {
    await this.signalWithStart(limits, observeSignal, { observations });
  }

  private async signalWithStart<A>(
    limits: MonitorLimits,
    signal: SignalDefinition<[A]>,
    arg: A,
  ): Promise<void> {
    await this.client.workflow.signalWithStart<typeof executionMonitorWorkflow, [A]>(MONITOR_WORKFLOW_TYPE, {
      workflowId: this.workflowId,
      taskQueue: this.taskQueue,
      args: [{ limits }],
      signal,
      signalArgs: [arg],
    });
  }
}
