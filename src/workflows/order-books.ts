/**
 * What an order tells the rest of the desk, from inside orderWorkflow: the pre-trade checks that
 * need data (risk limits, the trading state), and the books it keeps once it trades (its fills in
 * the trades ledger, its business events to the sinks). Deterministic: decisions are pure
 * functions; every effect is an activity.
 */
import { failureMessage } from './failure-message';
import { log, proxyActivities } from '@temporalio/workflow';
import type {
  EventActivities,
  LedgerActivities,
  RiskActivities,
  TradingActivities,
} from '../activities/types';
import { orderEventsBetween } from '../domain/events';
import type { OrderRequest, RequestIssue } from '../domain/order-request';
import { type OrderState, fillKey } from '../domain/order-state';
import { orderAllowed } from '../domain/trading-state';

/** Marks runs that check risk and the trading state, record fills and publish events. */
export const BOOKS_PATCH = 'order-risk-ledger-events';

const checks = proxyActivities<RiskActivities & TradingActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 5 },
});

// Books are kept behind the trading: a ledger or a webhook that is down must not hold an order
// up. What could not be recorded is retried at the order's next step (idempotent by trade id).
const books = proxyActivities<LedgerActivities & EventActivities>({
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '2m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '15s' },
});

/**
 * Pre-trade risk and the trading state. Fails closed: a check that cannot be made refuses the
 * order with RISK_CHECK_FAILED / TRADING_STATE_UNKNOWN. `count` is false when the order is
 * refused anyway, so it does not count in the day's stats.
 */
export async function preTradeChecks(
  orderId: string,
  order: OrderRequest,
  count: boolean,
): Promise<RequestIssue[]> {
  let position: string | undefined;
  const issues: RequestIssue[] = [];
  try {
    const risk = await checks.riskCheck({ order, orderId, record: count });
    issues.push(...risk.issues);
    position = risk.context.position;
  } catch (err) {
    issues.push({
      code: 'RISK_CHECK_FAILED',
      message: `the risk check could not be made: ${failureMessage(err)}`,
    });
  }
  try {
    const trading = await checks.tradingState();
    const exempt = trading.exempt?.includes(orderId) ?? false;
    // Reduce-only needs the position, which the risk check reads only when a limit needs it:
    // without it, tradingCheck reads it (the venue's balance by default) and applies the rule.
    const refusal = exempt
      ? undefined
      : trading.state === 'REDUCING' && position === undefined
        ? ((await checks.tradingCheck({
            venue: order.venue,
            symbol: order.symbol,
            side: order.side,
            quantity: order.quantity,
          })) ?? undefined)
        : orderAllowed(trading, order, position);
    if (refusal !== undefined) issues.push(refusal);
  } catch (err) {
    issues.push({
      code: 'TRADING_STATE_UNKNOWN',
      message: `the trading state could not be read: ${failureMessage(err)}`,
    });
  }
  return issues;
}

/** The ledger and the events of one order: what was already recorded and published. */
export class OrderBooks {
  private published: OrderState;
  private recorded: Set<string>;

  constructor(
    private readonly orderId: string,
    from: OrderState,
  ) {
    this.published = from;
    this.recorded = new Set(from.fills.map(fillKey));
  }

  /** Records new fills and publishes what happened since the last call; never throws. */
  async keep(state: OrderState): Promise<void> {
    const unrecorded = state.fills.filter((f) => !this.recorded.has(fillKey(f)));
    if (unrecorded.length > 0) {
      try {
        await books.recordFills({ order: orderRef(this.orderId, state), fills: unrecorded });
        for (const f of unrecorded) this.recorded.add(fillKey(f));
      } catch (err) {
        log.error('fills not recorded in the ledger yet; retried at the next step', {
          orderId: this.orderId,
          fills: unrecorded.length,
          error: failureMessage(err),
        });
      }
    }
    const events = orderEventsBetween(this.published, state);
    if (events.length === 0) return;
    try {
      await books.publishEvents({ events });
    } catch (err) {
      log.error('events not delivered to every sink', {
        orderId: this.orderId,
        events: events.length,
        error: failureMessage(err),
      });
    }
    // Published or given up: each fact is offered once (the log sink always has it).
    this.published = state;
  }
}

function orderRef(orderId: string, state: OrderState) {
  const r = state.request;
  return {
    orderId,
    clientOrderId: state.clientOrderId,
    symbol: r.symbol,
    side: r.side,
    venue: r.venue,
    ...(r.strategyId === undefined ? {} : { strategyId: r.strategyId }),
    ...(r.decisionId === undefined ? {} : { decisionId: r.decisionId }),
    ...(r.parentId === undefined ? {} : { parentId: r.parentId }),
  };
}
