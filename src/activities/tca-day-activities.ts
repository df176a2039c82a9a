/**
 * The activities of one day's TCA (tcaDayWorkflow): list the day's orders and parent orders from
 * Temporal visibility, then measure them a batch at a time with the per-order analysis (so the
 * market data is the worker's venues', exactly as `ordo tca ORDER_ID`). Reads only: retries are free.
 *
 * Bounds: the listing stops at `limit` + 1 and then refuses TOO_MANY_ORDERS (final), naming the
 * filters that narrow it, so a day of thousands of orders costs one visibility page walk, not
 * thousands of venue reads nobody asked for.
 */
import { type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { type OrderStatus, isTerminal } from '../domain/status';
import { DAY_ORDERS_MAX_LIMIT, type DayOrderAnalysis, dayLimit, parseTcaDay } from '../domain/tca/day';
import { TcaError } from '../domain/tca/types';
import { type ParentStatus, isParentTerminal } from '../workflows/parent-messages';
import { SA } from '../workflows/search-attributes';
import {
  type DayOrderOutcome,
  type DayTcaInput,
  type ListedDayOrder,
  type OrderTcaInput,
  type OrderTcaReport,
  type TcaActivities,
} from './tca-types';
import { PARENT_WORKFLOW_TYPES } from './trading-activities';
import { activityContext } from './venue-calls';
import { visibilityString } from './visibility';

const quoted = (text: string): string => `'${visibilityString(text)}'`;

/** The visibility query of a day's orders and parents on a task queue (StartTime in [from, to)). */
export function dayOrdersQuery(input: DayTcaInput): string {
  const { from, to } = parseTcaDay(input.day);
  const types = ['orderWorkflow', ...PARENT_WORKFLOW_TYPES].map(quoted).join(', ');
  return [
    `WorkflowType IN (${types})`,
    `TaskQueue = ${quoted(input.taskQueue)}`,
    `StartTime >= ${quoted(from)}`,
    `StartTime < ${quoted(to)}`,
    ...(input.strategyId === undefined ? [] : [`StrategyId = ${quoted(input.strategyId)}`]),
    ...(input.venue === undefined ? [] : [`Venue = ${quoted(input.venue)}`]),
  ].join(' AND ');
}

function refuse(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** Report fields beyond the pure result (the fills, the market sample) stay out of the day's payloads. */
function resultOf(report: OrderTcaReport): DayOrderAnalysis['result'] {
  const { kind, status, endAt, marketTrades, endPriceSource, fills, children, ...result } = report;
  void [kind, status, endAt, marketTrades, endPriceSource, fills, children];
  return result;
}

export function createTcaDayActivities(
  client: Client,
  analyse: (input: OrderTcaInput) => Promise<OrderTcaReport>,
): Pick<TcaActivities, 'listDayOrders' | 'ordersTca'> {
  return {
    async listDayOrders(input: DayTcaInput): Promise<ListedDayOrder[]> {
      let query: string;
      let limit: number;
      try {
        query = dayOrdersQuery(input);
        limit = dayLimit(input.limit);
      } catch (err) {
        if (err instanceof TcaError) throw refuse(err.code, err.message);
        throw err;
      }
      // A continued-as-new order is listed once per run: the first run's id stands for it.
      const seen = new Map<string, ListedDayOrder>();
      for await (const wf of client.workflow.list({ query })) {
        if (seen.has(wf.workflowId)) continue;
        if (seen.size >= limit)
          throw refuse(
            'TOO_MANY_ORDERS',
            `more than ${limit} orders on ${input.day}: narrow it with a strategy or a venue, or raise the limit (at most ${DAY_ORDERS_MAX_LIMIT})`,
          );
        activityContext()?.heartbeat();
        const parentId = wf.typedSearchAttributes.get(SA.ParentId);
        const status = wf.typedSearchAttributes.get(SA.OrderStatus);
        seen.set(wf.workflowId, {
          orderId: wf.workflowId,
          kind: wf.type === 'orderWorkflow' ? 'order' : 'parent',
          ...(parentId === undefined || parentId === '' ? {} : { parentId }),
          ...(status === undefined ? {} : { status }),
        });
      }
      return [...seen.values()];
    },

    async ordersTca({ orders }): Promise<DayOrderOutcome[]> {
      const outcomes: DayOrderOutcome[] = [];
      for (const order of orders) {
        const listed = {
          orderId: order.orderId,
          kind: order.kind,
          ...(order.parentId === undefined ? {} : { parentId: order.parentId }),
        };
        try {
          const report = await analyse({ orderId: order.orderId });
          outcomes.push({
            analysis: {
              ...listed,
              kind: report.kind,
              status: report.status,
              ended: isEnded(report),
              result: resultOf(report),
            },
          });
        } catch (err) {
          // A refusal (typed, final) belongs in the day's report; anything else retries the batch.
          if (!(err instanceof ApplicationFailure && err.nonRetryable && err.type)) throw err;
          outcomes.push({
            refusal: {
              ...listed,
              ...(order.status === undefined ? {} : { status: order.status }),
              code: err.type,
              message: err.message,
            },
          });
        }
        activityContext()?.heartbeat();
      }
      return outcomes;
    },
  };
}

/** Ended: a terminal status of an order, or of a parent. */
function isEnded(report: OrderTcaReport): boolean {
  return report.kind === 'parent'
    ? isParentTerminal(report.status as ParentStatus)
    : isTerminal(report.status as OrderStatus);
}
