/**
 * The Temporal Schedule that runs reconciliationWorkflow every `reconciliation.every`, created (or
 * brought up to date) by each worker at start-up, plus the run at start-up itself: a trigger of
 * the same schedule, so that run too hands its balance checkpoints to the next. Several workers
 * starting together race harmlessly: one creates, the others update to the same spec, and
 * overlapping triggers are skipped while a run is in flight.
 */
import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type ScheduleHandle,
  ScheduleOverlapPolicy,
} from '@temporalio/client';
import { parseDuration } from '../domain/algos/duration';
import type { ReconciliationInput } from '../workflows/reconciliation-messages';
import {
  RECONCILIATION_SCHEDULE_ID,
  RECONCILIATION_WORKFLOW_ID,
  reconciliationScheduleId,
} from '../workflows/reconciliation-messages';

/** The longest one reconciliation run may take before the schedule moves on without it. */
const RUN_TIMEOUT_MS = 15 * 60_000;

export interface ReconciliationScheduleOptions {
  taskQueue: string;
  /** Interval text, e.g. "5m" (validated by the configuration). */
  every: string;
  scheduleId?: string;
  input?: ReconciliationInput;
}

export async function ensureReconciliationSchedule(
  client: Client,
  options: ReconciliationScheduleOptions,
): Promise<ScheduleHandle> {
  const scheduleId = options.scheduleId ?? reconciliationScheduleId(options.taskQueue);
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'reconciliationWorkflow',
    taskQueue: options.taskQueue,
    workflowId: scheduleId === RECONCILIATION_SCHEDULE_ID ? RECONCILIATION_WORKFLOW_ID : scheduleId,
    args: [options.input ?? {}],
    // A run no worker serves (its queue gone) must not hold the schedule: overlaps are skipped.
    workflowRunTimeout: RUN_TIMEOUT_MS,
  };
  const spec = { intervals: [{ every: parseDuration(options.every) }] };
  try {
    return await client.schedule.create({
      scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
      memo: { purpose: 'Ordo reconciliation: our view of each venue against the venue’s own' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    const handle = client.schedule.getHandle(scheduleId);
    await handle.update((previous) => ({ ...previous, spec, action }));
    if ((await handle.describe()).state.paused)
      await handle.unpause('reconciliation enabled in the configuration');
    return handle;
  }
}

/** Runs the schedule's action now (skipped if a run is in flight). */
export async function triggerReconciliation(handle: ScheduleHandle): Promise<void> {
  await handle.trigger(ScheduleOverlapPolicy.SKIP);
}

/** A worker configured without reconciliation pauses the schedule an earlier one created. */
export async function pauseReconciliationSchedule(
  client: Client,
  scheduleId = RECONCILIATION_SCHEDULE_ID,
): Promise<boolean> {
  try {
    await client.schedule.getHandle(scheduleId).pause('reconciliation disabled in the configuration');
    return true;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return false;
    throw err;
  }
}
