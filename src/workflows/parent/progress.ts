/**
 * A parent order's progress (the `progress` query) and the pure bookkeeping on it: slices as
 * they are planned, sent and reported on, and the totals derived from them. Deterministic.
 */
import { add, cmp, dec, sub, toDecimalString, weightedAverage } from '../../domain/decimal';
import type { ParentRequest } from '../../domain/algos/params';
import type { Algo, PlannedSlice } from '../../domain/algos/types';
import type { ChildReport, ParentProgress, ParentStatus, SliceProgress } from '../parent-messages';

/** The note on a slice the parent itself cancelled (pause, cancel, amend, kill switch). */
export const STOPPED_BY_PARENT = 'stopped by the parent';

const ORDER_ENDED = new Set(['FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED', 'DENIED', 'FAILED']);
/** Statuses a child order holds only while nothing is filled. */
const BEFORE_FILLS = new Set(['PENDING', 'SUBMITTED', 'ACCEPTED']);

export function newProgress(parentId: string, algo: Algo, quantity: string, at: string): ParentProgress {
  return {
    parentId,
    algo,
    status: 'PENDING',
    quantity,
    filledQuantity: '0',
    remainingQuantity: quantity,
    slices: [],
    behindSchedule: false,
    scheduledQuantity: '0',
    notes: [],
    history: [{ status: 'PENDING', at }],
  };
}

/** Totals from the slices: what filled, at what average, what remains. */
export function withTotals(progress: ParentProgress): ParentProgress {
  const filled = progress.slices.reduce((sum, s) => add(sum, s.filledQuantity), '0');
  const averagePrice = weightedAverage(
    progress.slices
      .filter((s) => s.averagePrice !== undefined && dec(s.filledQuantity).greaterThan(0))
      .map((s) => ({ quantity: s.filledQuantity, price: s.averagePrice as string })),
  );
  const remaining = sub(progress.quantity, filled);
  const next: ParentProgress = {
    ...progress,
    filledQuantity: filled,
    remainingQuantity: cmp(remaining, '0') < 0 ? '0' : remaining,
  };
  if (averagePrice === undefined) delete next.averagePrice;
  else next.averagePrice = averagePrice;
  return next;
}

export function withStatus(progress: ParentProgress, status: ParentStatus, at: string, reason?: string) {
  if (progress.status === status && reason === undefined) return progress;
  const next: ParentProgress = {
    ...progress,
    status,
    history: [...progress.history, { status, at, ...(reason === undefined ? {} : { reason }) }],
  };
  if (reason === undefined) delete next.reason;
  else next.reason = reason;
  return next;
}

/** Adds planned slices (status SCHEDULED); returns the progress and the new slices' indexes. */
export function withScheduled(progress: ParentProgress, planned: readonly PlannedSlice[]) {
  const start = progress.slices.length;
  const added: SliceProgress[] = planned.map((p, i) => ({
    index: start + i,
    scheduledAt: p.at,
    targetQuantity: p.quantity,
    filledQuantity: '0',
    status: 'SCHEDULED',
  }));
  return {
    progress: { ...progress, slices: [...progress.slices, ...added] },
    indexes: added.map((s) => s.index),
  };
}

/** Drops the slices still SCHEDULED at the end (a re-plan replaces them). */
export function withoutScheduledTail(progress: ParentProgress): ParentProgress {
  let end = progress.slices.length;
  while (end > 0 && progress.slices[end - 1]?.status === 'SCHEDULED') end--;
  return { ...progress, slices: progress.slices.slice(0, end) };
}

export function withSlice(
  progress: ParentProgress,
  index: number,
  patch: Partial<SliceProgress>,
): ParentProgress {
  const slices = progress.slices.map((s) => (s.index === index ? { ...s, ...patch } : s));
  return withTotals({ ...progress, slices });
}

/**
 * A child's own report. Ignored once the slice has a final status (the child's result is the
 * last word), and never lets the filled quantity go backwards (signals may arrive out of order).
 */
export function withChildReport(progress: ParentProgress, report: ChildReport) {
  const slice = progress.slices.find((s) => s.childId === report.childId);
  if (slice === undefined || ORDER_ENDED.has(slice.status)) return progress;
  if (cmp(report.filledQuantity, slice.filledQuantity) < 0) return progress;
  // A child reports new fills, then its status move (PARTIALLY_FILLED …): two signals of one
  // workflow task, which may arrive in either order. The first one (fills under a nothing-filled
  // status) arriving second must not undo the move.
  if (
    cmp(report.filledQuantity, slice.filledQuantity) === 0 &&
    cmp(report.filledQuantity, '0') > 0 &&
    BEFORE_FILLS.has(report.status)
  )
    return progress;
  return withSlice(progress, slice.index, {
    status: report.status,
    filledQuantity: report.filledQuantity,
    ...(report.averagePrice === undefined ? {} : { averagePrice: report.averagePrice }),
  });
}

export function withNote(progress: ParentProgress, note: string): ParentProgress {
  return { ...progress, notes: [...progress.notes, note] };
}

export function withRequest(progress: ParentProgress, request: ParentRequest): ParentProgress {
  return withTotals({ ...progress, request, quantity: request.quantity });
}

/** Behind schedule: less filled than the schedule wanted by now. */
export function withSchedule(progress: ParentProgress, scheduled: string): ParentProgress {
  const capped = cmp(scheduled, progress.quantity) > 0 ? progress.quantity : toDecimalString(scheduled);
  return {
    ...progress,
    scheduledQuantity: capped,
    behindSchedule: cmp(progress.filledQuantity, capped) < 0,
  };
}
