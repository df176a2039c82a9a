/**
 * rebalanceWorkflow: the order planner (`ordo rebalance`). It runs in the worker because the data
 * it needs (positions, balances, the venue's rules) sits behind the worker's venue credentials.
 * The workflow id is the rebalance id; every order id derives from it, so running the same id
 * again never starts an order twice.
 *
 * Steps: validate the targets file, gather the facts (one activity), plan with the pure planner
 * (src/domain/rebalance.ts), and unless plan-only, start the orders (one activity). Any issue —
 * in the file, an unknown symbol, a short target on a spot venue — and nothing is started: a
 * book half rebalanced is worse than one not touched.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { RequestIssue } from '../domain/order-request';
import { type PlannedOrder, type TargetPlan, planRebalance } from '../domain/rebalance';
import { validateRebalanceRequest } from '../domain/rebalance-request';
import type {
  PositionSourceName,
  RebalanceActivities,
  StartedOrder,
  WorkingOrder,
} from '../activities/rebalance-types';

export interface RebalanceInput {
  /** The targets file as given; validated here (again: the CLI checked it before starting). */
  request: unknown;
  /** Default 'ledger'. */
  from?: PositionSourceName;
  /** Plan and report, start nothing. */
  planOnly?: boolean;
}

export type RebalanceStatus = 'REFUSED' | 'NOTHING_TO_DO' | 'PLANNED' | 'STARTED';

export interface RebalanceResult {
  rebalanceId: string;
  /** REFUSED: issues, nothing started; PLANNED: plan-only; STARTED: the orders were started. */
  status: RebalanceStatus;
  from: PositionSourceName;
  planOnly: boolean;
  decisionId?: string;
  /** Per target: the facts the plan used, its orders and skips (empty when the file was refused). */
  targets: (TargetPlan & { workingOrders?: WorkingOrder[] })[];
  orders: PlannedOrder[];
  issues: RequestIssue[];
  started: StartedOrder[];
}

const gatherCalls = proxyActivities<RebalanceActivities>({
  startToCloseTimeout: '5m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 5 },
});
const startCalls = proxyActivities<RebalanceActivities>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 10 },
});

export async function rebalanceWorkflow(input: RebalanceInput): Promise<RebalanceResult> {
  const rebalanceId = workflowInfo().workflowId;
  const from = input.from ?? 'ledger';
  const planOnly = input.planOnly === true;
  const result: RebalanceResult = {
    rebalanceId,
    status: 'REFUSED',
    from,
    planOnly,
    targets: [],
    orders: [],
    issues: [],
    started: [],
  };
  if (from !== 'ledger' && from !== 'venue') {
    result.issues.push({
      code: 'INVALID_SOURCE',
      field: 'from',
      message: 'from must be "ledger" or "venue"',
    });
    return result;
  }
  const validation = validateRebalanceRequest(input.request);
  if (!validation.ok) return { ...result, issues: validation.issues };
  const request = validation.request;
  result.decisionId = request.decisionId ?? rebalanceId;

  let gathered;
  try {
    gathered = await gatherCalls.gatherRebalanceFacts({ targets: request.targets, from });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const cause = err.cause instanceof ApplicationFailure ? err.cause : undefined;
    result.issues.push({
      code: cause?.type ?? 'GATHER_FAILED',
      message: `could not gather positions and market data: ${cause?.message ?? err.message}`,
    });
    return result;
  }
  const plan = planRebalance(gathered, { rebalanceId, urgency: request.urgency, config: request.config });
  result.targets = plan.targets.map((t, i) => {
    const facts = gathered[i];
    return facts !== undefined && 'workingOrders' in facts ? { ...t, workingOrders: facts.workingOrders } : t;
  });
  result.orders = plan.orders;
  result.issues = plan.issues;
  if (plan.issues.length > 0) return result;
  if (plan.orders.length === 0) return { ...result, status: 'NOTHING_TO_DO' };
  if (planOnly) return { ...result, status: 'PLANNED' };

  const decisionId = result.decisionId;
  result.started = await startCalls.startRebalanceOrders({
    orders: plan.orders.map((o) => ({
      orderId: o.orderId,
      venue: o.venue,
      symbol: o.symbol,
      side: o.side,
      quantity: o.quantity,
      reduceOnly: o.reduceOnly,
      kind: o.kind,
      ...(o.strategyId === undefined ? {} : { strategyId: o.strategyId }),
      decisionId,
      urgency: request.urgency,
      twapNotionalThreshold: request.config.twapNotionalThreshold,
    })),
  });
  return { ...result, status: 'STARTED' };
}
