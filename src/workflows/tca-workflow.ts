/**
 * Short workflows that have a worker measure transaction costs. The venues are the workers', so
 * this is how a client measures against them.
 *   tcaWorkflow     one order's (or parent order's) TCA
 *   tcaDayWorkflow  one UTC day's orders: listed from visibility (bounded, see tca-day-activities),
 *                   measured in batches of DAY_BATCH orders, DAY_PARALLEL_BATCHES at a time, then
 *                   combined here with the pure summaries of src/domain/tca/day.ts
 */
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import {
  type DayOrderOutcome,
  type DayTcaInput,
  type DayTcaReport,
  type OrderTcaInput,
  type OrderTcaReport,
  type TcaActivities,
} from '../activities/tca-types';
import {
  DAY_ORDERS_DEFAULT_LIMIT,
  type DayOrderAnalysis,
  type DayOrderRefusal,
  parseTcaDay,
  summariseDay,
} from '../domain/tca/day';
import { TcaError } from '../domain/tca/types';

const { orderTca } = proxyActivities<TcaActivities>({
  // A long-lived order's interval may take the venue many trade pages to list.
  startToCloseTimeout: '2m',
  retry: { maximumAttempts: 3 },
});

const { listDayOrders, ordersTca } = proxyActivities<TcaActivities>({
  // A batch is DAY_BATCH orders one after the other; each heartbeats when done.
  startToCloseTimeout: '10m',
  heartbeatTimeout: '3m',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: ['INVALID_DATE', 'INVALID_LIMIT', 'TOO_MANY_ORDERS'] },
});

/** Orders per ordersTca call, and calls in flight at once: a few venue reads at a time, not hundreds. */
const DAY_BATCH = 10;
const DAY_PARALLEL_BATCHES = 3;

export async function tcaWorkflow(input: OrderTcaInput): Promise<OrderTcaReport> {
  return orderTca(input);
}

/** A pure TCA refusal fails the workflow, typed; thrown plainly it would retry the task for ever. */
function typed<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TcaError) throw ApplicationFailure.nonRetryable(err.message, err.code);
    throw err;
  }
}

export async function tcaDayWorkflow(input: DayTcaInput): Promise<DayTcaReport> {
  const day = typed(() => parseTcaDay(input.day));
  const orders = await listDayOrders(input);
  const batches = [];
  for (let i = 0; i < orders.length; i += DAY_BATCH) batches.push(orders.slice(i, i + DAY_BATCH));
  const outcomes: DayOrderOutcome[] = [];
  for (let i = 0; i < batches.length; i += DAY_PARALLEL_BATCHES) {
    const running = batches.slice(i, i + DAY_PARALLEL_BATCHES).map((batch) => ordersTca({ orders: batch }));
    for (const done of await Promise.all(running)) outcomes.push(...done);
  }
  const analysed: DayOrderAnalysis[] = [];
  const refused: DayOrderRefusal[] = [];
  for (const o of outcomes) {
    if ('analysis' in o) analysed.push(o.analysis);
    else refused.push(o.refusal);
  }
  return {
    ...typed(() => summariseDay(day, analysed, refused)),
    taskQueue: input.taskQueue,
    ...(input.strategyId === undefined ? {} : { strategyId: input.strategyId }),
    ...(input.venue === undefined ? {} : { venue: input.venue }),
    limit: input.limit ?? DAY_ORDERS_DEFAULT_LIMIT,
    measuredAt: new Date().toISOString(),
  };
}
