/**
 * Reconciliation from a client: run it now (a trigger of the worker's schedule, or a one-off run
 * when there is no schedule) and read a run's findings.
 */
import { type Client, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { reconciliationWorkflow } from '../workflows/reconciliation-workflow';
import {
  type ReconciliationInput,
  type ReconciliationReport,
  findingsQuery,
  reconciliationScheduleId,
} from '../workflows/reconciliation-messages';

/** How long a trigger may take to show up as a run of the schedule. */
const TRIGGER_SHOWS_UP_MS = 15_000;

export class OrdoReconciliation {
  private readonly scheduleId: string;

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    scheduleId?: string,
  ) {
    this.scheduleId = scheduleId ?? reconciliationScheduleId(taskQueue);
  }

  /** Starts a run now and returns its workflow id. */
  async runNow(input: ReconciliationInput = {}): Promise<string> {
    const handle = this.client.schedule.getHandle(this.scheduleId);
    let known: Set<string>;
    try {
      known = new Set((await handle.describe()).info.recentActions.map((a) => a.action.workflow.workflowId));
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
      const workflowId = `reconciliation-${new Date().toISOString()}`;
      await this.client.workflow.start<typeof reconciliationWorkflow>('reconciliationWorkflow', {
        taskQueue: this.taskQueue,
        workflowId,
        args: [input],
      });
      return workflowId;
    }
    // A run in flight is joined rather than doubled (the schedule skips overlaps).
    const running = (await handle.describe()).info.runningActions[0];
    if (running !== undefined) return running.workflow.workflowId;
    await handle.trigger(ScheduleOverlapPolicy.SKIP);
    const deadline = Date.now() + TRIGGER_SHOWS_UP_MS;
    while (Date.now() < deadline) {
      const info = (await handle.describe()).info;
      const fresh = [
        ...info.runningActions.map((a) => a.workflow),
        ...info.recentActions.map((a) => a.action.workflow),
      ]
        .map((w) => w.workflowId)
        .find((id) => !known.has(id));
      if (fresh !== undefined) return fresh;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`schedule ${this.scheduleId} did not start a run within ${TRIGGER_SHOWS_UP_MS / 1000} s`);
  }

  async result(workflowId: string): Promise<ReconciliationReport> {
    return (await this.client.workflow.getHandle(workflowId).result()) as ReconciliationReport;
  }

  /** The findings so far of a run (running or closed). */
  async findings(workflowId: string): Promise<ReconciliationReport> {
    return this.client.workflow.getHandle(workflowId).query(findingsQuery);
  }

  /** The most recently started run's id, if any. */
  async latest(): Promise<string | undefined> {
    const query = `WorkflowType = 'reconciliationWorkflow' AND TaskQueue = '${this.taskQueue.replace(/'/g, "\\'")}'`;
    for await (const wf of this.client.workflow.list({ query, pageSize: 1 })) return wf.workflowId;
    return undefined;
  }
}

export function formatReconciliation(report: ReconciliationReport): string {
  const lines = [`reconciliation ${report.reconciliationId} (started ${report.startedAt})`];
  for (const v of report.venues) {
    const c = v.counts;
    const seen =
      c === undefined
        ? ''
        : ` — ${c.ordoWorking} working in Ordo, ${c.venueOpen} open at the venue, ${c.venueTrades} trades`;
    lines.push(
      `${v.venue}: ${v.outcomes.length === 0 ? 'in agreement' : `${v.outcomes.length} finding(s)`}${seen}, ${v.durationMs} ms`,
    );
    for (const { finding, action, detail } of v.outcomes) {
      const what =
        finding.kind === 'BALANCE_MISMATCH'
          ? `${finding.asset} moved ${finding.actualChange}, trades say ${finding.expectedChange} (drift ${finding.drift})`
          : finding.kind === 'VENUE_UNREACHABLE'
            ? finding.error
            : finding.kind === 'UNKNOWN_ORDER'
              ? `${finding.symbol} ${finding.order.side} ${finding.order.quantity} (venue order ${finding.order.venueOrderId})`
              : finding.kind === 'ORDER_ENDED_AT_VENUE'
                ? `${finding.orderId} is ${finding.ordoStatus} in Ordo; not open at the venue`
                : `${finding.symbol} trade ${finding.fill.tradeId} ${finding.fill.quantity} @ ${finding.fill.price}${finding.kind === 'MISSED_FILL' ? ` of ${finding.orderId}` : ''}`;
      lines.push(
        `  ${finding.kind.padEnd(21)} ${what} → ${action}${detail === undefined ? '' : ` (${detail})`}`,
      );
    }
  }
  return lines.join('\n');
}
