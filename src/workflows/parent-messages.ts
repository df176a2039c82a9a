/**
 * Messages of every parent-order workflow (twapWorkflow … smartRouteWorkflow): shared by the
 * workflows and their clients. The kill switch is the same `killSwitch` signal as orderWorkflow's.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Algo } from '../domain/algos/types';
import type { ParentRequest } from '../domain/algos/params';

export const PARENT_STATUSES = [
  'PENDING',
  'WORKING',
  'PAUSED',
  'COMPLETED',
  'CANCELLED',
  'EXPIRED',
  'DENIED',
] as const;
export type ParentStatus = (typeof PARENT_STATUSES)[number];

export function isParentTerminal(status: ParentStatus): boolean {
  return status === 'COMPLETED' || status === 'CANCELLED' || status === 'EXPIRED' || status === 'DENIED';
}

/** A slice as the parent sees it: planned (no child yet), working, done or skipped. */
export interface SliceProgress {
  index: number;
  /** ISO-8601: when it was (or is) due to start. */
  scheduledAt: string;
  targetQuantity: string;
  filledQuantity: string;
  /** `<parentId>-<n>` once a child order was started for it. */
  childId?: string;
  /** SCHEDULED, SKIPPED, or the child order's status (ACCEPTED, FILLED, EXPIRED …). */
  status: string;
  averagePrice?: string;
  venue?: string;
  note?: string;
}

export interface ParentProgress {
  parentId: string;
  algo: Algo;
  status: ParentStatus;
  reason?: string;
  quantity: string;
  filledQuantity: string;
  remainingQuantity: string;
  averagePrice?: string;
  /** Mid price when the schedule started (the benchmark of implementation shortfall). */
  arrivalPrice?: string;
  slices: SliceProgress[];
  /** Filled is below what the schedule wanted done by now. */
  behindSchedule: boolean;
  /** What the schedule wanted filled by now. */
  scheduledQuantity: string;
  /** The request as normalised (undefined when it was refused before normalising). */
  request?: ParentRequest;
  /** What the planner had to do (merged or skipped slices, estimated parameters …). */
  notes: string[];
  history: { status: ParentStatus; at: string; reason?: string }[];
}

export interface ParentCommandResult {
  accepted: boolean;
  reason?: string;
  status: ParentStatus;
}

export interface ParentAmendRequest {
  quantity?: string | number;
  /** ISO-8601. */
  endAt?: string;
  limitPrice?: string | number;
}

export interface ParentReasonRequest {
  reason?: string;
}

/** What a child order tells its parent as it goes (so progress is live, not only at the end). */
export interface ChildReport {
  childId: string;
  status: string;
  filledQuantity: string;
  averagePrice?: string;
}

export const progressQuery = defineQuery<ParentProgress>('progress');
export const pauseUpdate = defineUpdate<ParentCommandResult, [ParentReasonRequest]>('pause');
export const resumeUpdate = defineUpdate<ParentCommandResult, [ParentReasonRequest]>('resume');
export const parentCancelUpdate = defineUpdate<ParentCommandResult, [ParentReasonRequest]>('cancel');
export const parentAmendUpdate = defineUpdate<ParentCommandResult, [ParentAmendRequest]>('amend');
/** Child → parent: a status or fill change of one child order. */
export const childReportSignal = defineSignal<[ChildReport]>('childReport');
/** Parent → child: cancel yourself (a parent's pause, cancel or amend); not a kill switch. */
export const parentCancelSignal = defineSignal<[{ reason: string }]>('parentCancel');
