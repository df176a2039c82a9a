/**
 * reconciliationWorkflow's input, report and query. One run reconciles every configured venue; a
 * Temporal Schedule starts runs (`ordo-reconciliation`) and hands each its predecessor's result,
 * whose balance checkpoints the next run compares with.
 */
import { defineQuery } from '@temporalio/workflow';
import type { BalanceCheckpoint, Finding, UnknownOrderPolicy } from '../domain/reconciliation';

export const RECONCILIATION_SCHEDULE_ID = 'ordo-reconciliation';
/** Ordo's default task queue (DESIGN.md §3). */
const DEFAULT_TASK_QUEUE = 'execution';

/**
 * The schedule of the Ordo deployment on a task queue: `ordo-reconciliation` on the default queue,
 * suffixed with the queue otherwise, so deployments sharing a namespace do not take over one
 * schedule (and tests each get their own).
 */
export function reconciliationScheduleId(taskQueue: string): string {
  return taskQueue === DEFAULT_TASK_QUEUE
    ? RECONCILIATION_SCHEDULE_ID
    : `${RECONCILIATION_SCHEDULE_ID}-${taskQueue}`;
}
/** Workflow id prefix of the schedule's runs (the server appends the start time). */
export const RECONCILIATION_WORKFLOW_ID = 'reconciliation';

export interface ReconciliationInput {
  /** Only these venues (default: the configured ones). */
  venues?: string[];
  /** Balances to compare with, per venue (default: the previous scheduled run's). */
  checkpoints?: Record<string, BalanceCheckpoint>;
  /** Overrides the configured policy for orders Ordo does not know. */
  unknownOrders?: UnknownOrderPolicy;
}

export type FindingAction =
  | 'RECORDED'
  | 'RECORDED_AND_TOLD'
  | 'TOLD'
  | 'CANCELLED'
  | 'ADOPTED'
  | 'REPORTED'
  | 'ALREADY_ENDED'
  | 'ACTION_FAILED';

export interface FindingOutcome {
  finding: Finding;
  action: FindingAction;
  detail?: string;
}

export interface VenueReconciliation {
  venue: string;
  observedAt?: string;
  /** Workflow time from the first read to the last action. */
  durationMs: number;
  /** Reads of the venue (2 when a racy finding needed a second look). */
  looks: number;
  outcomes: FindingOutcome[];
  counts?: { ordoWorking: number; venueOpen: number; venueTrades: number; symbols: number };
  /** Findings beyond the per-kind cap, by kind (acted on by a later run). */
  omitted?: Record<string, number>;
  /** Working orders whose status could not be read: unknown venue orders were only reported. */
  unreadableOrders?: number;
}

export interface ReconciliationReport {
  reconciliationId: string;
  startedAt: string;
  finishedAt?: string;
  venues: VenueReconciliation[];
  /** Per venue: the balances the next run compares with. */
  checkpoints: Record<string, BalanceCheckpoint>;
}

export const findingsQuery = defineQuery<ReconciliationReport>('findings');
