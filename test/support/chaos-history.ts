/**
 * What a workflow's history says about who did the work and how often it was tried: for each
 * activity, its type, the attempt that finished it and the identity of the worker that ran that
 * attempt (`<pid>@<host>` by default); for each workflow task, the worker that ran it.
 *
 * Temporal writes ActivityTaskStarted only when an activity finishes, with the final attempt's
 * number and identity, and the failure of the attempt before as `lastFailure`: so a retry after a
 * worker was killed shows as attempt > 1 whose lastFailure is a timeout.
 */
import { hostname } from 'node:os';
import type { Client } from '@temporalio/client';

export interface ActivityRun {
  activityType: string;
  attempt: number;
  identity: string;
  /** The previous attempt's failure, e.g. "activity StartToClose timeout". */
  lastFailure?: string;
  lastFailureIsTimeout: boolean;
}

export interface HistorySummary {
  workflowId: string;
  activities: ActivityRun[];
  workflowTaskIdentities: string[];
}

/** Protobuf Long (or number) → number; event ids stay far below 2^53. */
function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(String(value));
}

export async function summarizeHistory(client: Client, workflowId: string): Promise<HistorySummary> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const scheduledTypes = new Map<number, string>();
  const activities: ActivityRun[] = [];
  const workflowTaskIdentities: string[] = [];
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) scheduledTypes.set(toNumber(event.eventId), scheduled.activityType?.name ?? '?');
    const started = event.activityTaskStartedEventAttributes;
    if (started) {
      const failure = started.lastFailure ?? undefined;
      activities.push({
        activityType: scheduledTypes.get(toNumber(started.scheduledEventId)) ?? '?',
        attempt: started.attempt ?? 1,
        identity: started.identity ?? '',
        ...(failure?.message ? { lastFailure: failure.message } : {}),
        lastFailureIsTimeout: failure?.timeoutFailureInfo != null,
      });
    }
    const workflowTask = event.workflowTaskStartedEventAttributes;
    if (workflowTask) workflowTaskIdentities.push(workflowTask.identity ?? '');
  }
  return { workflowId, activities, workflowTaskIdentities };
}

/** Runs `fn` over `items` with at most `limit` at a time; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}

export interface InFlightActivity {
  workflowId: string;
  activityType: string;
  attempt: number;
}

/** PendingActivityState.STARTED in temporal.api.enums.v1 (a worker is running it now). */
const PENDING_ACTIVITY_STARTED = 2;

/** Activities of these workflows that the worker with `identity` is running right now. */
export async function activitiesRunningOn(
  client: Client,
  workflowIds: readonly string[],
  identity: string,
): Promise<InFlightActivity[]> {
  const found = await mapLimit(workflowIds, 8, async (workflowId) => {
    const description = await client.workflow
      .getHandle(workflowId)
      .describe()
      .catch(() => undefined);
    return (description?.raw.pendingActivities ?? [])
      .filter((a) => a.state === PENDING_ACTIVITY_STARTED && a.lastWorkerIdentity === identity)
      .map((a) => ({ workflowId, activityType: a.activityType?.name ?? '?', attempt: a.attempt ?? 1 }));
  });
  return found.flat();
}

/** What an unfinished workflow is doing: each pending activity, its attempt and last failure. */
export async function pendingActivitiesOf(client: Client, workflowId: string): Promise<string[]> {
  const description = await client.workflow.getHandle(workflowId).describe();
  return (description.raw.pendingActivities ?? []).map((a) => {
    const failure = a.lastFailure?.message ? `, last failure: ${a.lastFailure.message.slice(0, 300)}` : '';
    return `${a.activityType?.name ?? '?'} attempt ${a.attempt ?? 1} (state ${a.state ?? '?'})${failure}`;
  });
}

/** The identity a worker process has in histories: the SDK's default `<pid>@<host>` (not overridden by src/workers/main.ts). */
export function workerIdentity(pid: number | undefined): string {
  return `${pid}@${hostname()}`;
}
