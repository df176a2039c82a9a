/**
 * Where an order's milliseconds go, read from its workflow history: the server stamps every event
 * (workflow task scheduled / started / completed, activity scheduled / started / completed), so
 * the gaps between consecutive events split "client call → venue ack" into the client's start
 * RPC, task dispatch, worker processing and each activity's run.
 */
import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { percentile } from './stats';

export interface Step {
  /** e.g. "WorkflowTaskCompleted → ActivityTaskScheduled(prepareOrder)". */
  label: string;
  ms: number;
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

function eventName(event: HistoryEvent, activityNames: Map<string, string>): string {
  const type = temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? String(event.eventType);
  const short = type
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)(\w)/g, (_m, _u, c: string) => c.toUpperCase());
  const scheduled = event.activityTaskScheduledEventAttributes;
  if (scheduled) {
    const name = scheduled.activityType?.name ?? '?';
    activityNames.set(String(event.eventId), name);
    return `${short}(${name})`;
  }
  const ref =
    event.activityTaskStartedEventAttributes?.scheduledEventId ??
    event.activityTaskCompletedEventAttributes?.scheduledEventId ??
    event.activityTaskFailedEventAttributes?.scheduledEventId;
  return ref === undefined || ref === null ? short : `${short}(${activityNames.get(String(ref)) ?? '?'})`;
}

/**
 * The steps of one workflow from the client's call (`t0`, epoch ms) to the first event `last`
 * accepts (included). The first step is "client call → WorkflowExecutionStarted".
 */
export async function historySteps(
  client: Client,
  workflowId: string,
  t0: number,
  last: (label: string) => boolean,
): Promise<Step[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const names = new Map<string, string>();
  const steps: Step[] = [];
  let previous = { label: 'client call', at: t0 };
  for (const event of history.events ?? []) {
    const label = eventName(event, names);
    const at = tsToMs(event.eventTime);
    steps.push({ label: `${previous.label} → ${label}`, ms: at - previous.at });
    previous = { label, at };
    if (last(label)) break;
  }
  return steps;
}

/**
 * Medians per step over many orders with the same history shape (steps matched by position and
 * label; orders whose shape differs from the first are left out and counted).
 */
export function printStepMedians(title: string, perOrder: Step[][]): void {
  const shape = perOrder[0]?.map((s) => s.label) ?? [];
  const same = perOrder.filter((steps) => steps.map((s) => s.label).join('|') === shape.join('|'));
  console.log(
    `${title} (medians over ${same.length} orders; ${perOrder.length - same.length} of another shape left out)`,
  );
  let total = 0;
  const rows = shape.map((label, i) => {
    const median = percentile(
      same.map((steps) => steps[i]?.ms ?? Number.NaN),
      50,
    );
    total += median;
    return { label, median, cumulative: total };
  });
  const width = Math.max(4, ...rows.map((r) => r.label.length));
  console.log(`| ${'step'.padEnd(width)} | median ms | cumulative ms |`);
  console.log(`|${'-'.repeat(width + 2)}|-----------|---------------|`);
  for (const r of rows)
    console.log(
      `| ${r.label.padEnd(width)} | ${r.median.toFixed(1).padStart(9)} | ${r.cumulative.toFixed(1).padStart(13)} |`,
    );
}
