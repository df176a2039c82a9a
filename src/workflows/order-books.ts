/**
 * What an order tells the rest of the desk, from inside orderWorkflow: the pre-trade checks that
 * need data (risk limits, the trading state), and the books it keeps once it trades (its fills in
 * the trades ledger, its business events to the sinks). Deterministic: decisions are pure
 * functions; every effect is an activity.
 */
import { failureMessage } from './failure-message';
import { log, patched, proxyActivities } from '@temporalio/workflow';
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
 * Marks runs that ask the risk check and the trading state at once (two activities scheduled in
 * one workflow task: one round trip to the worker less on every order's way to the venue). Runs
 * recorded before it replay the one-after-the-other order.
 */
export const CHECKS_TOGETHER_PATCH = 'order-checks-together';

/**
 * Pre-trade risk and the trading state. Fails closed: a check that cannot be made refuses the
 * order with RISK_CHECK_FAILED / TRADING_STATE_UNKNOWN. `count` is false when the order is
 * refused anyway, so it does not count in the day's stats. The trading state does not depend on
 * the risk check's answer (only the decision does, through the position), so both are asked at
 * once; as before, an order the trading state then refuses has been counted by the risk check.
 */
export async function preTradeChecks(
  orderId: string,
  order: OrderRequest,
  count: boolean,
): Promise<RequestIssue[]> {
  const askRisk = () => checks.riskCheck({ order, orderId, record: count });
  let risk: PromiseSettledResult<Awaited<ReturnType<typeof askRisk>>>;
  let trading: PromiseSettledResult<Awaited<ReturnType<typeof checks.tradingState>>>;
  if (patched(CHECKS_TOGETHER_PATCH)) {
    [risk, trading] = await Promise.allSettled([askRisk(), checks.tradingState()]);
  } else {
    risk = await settle(askRisk());
    trading = await settle(checks.tradingState());
  }
  const issues: RequestIssue[] = [];
  let position: string | undefined;
  if (risk.status === 'fulfilled') {
    issues.push(...risk.value.issues);
    position = risk.value.context.position;
  } else {
    issues.push({
      code: 'RISK_CHECK_FAILED',
      message: `the risk check could not be made: ${failureMessage(risk.reason)}`,
    });
  }
  try {
    if (trading.status === 'rejected') throw trading.reason;
    const state = trading.value;
    const exempt = state.exempt?.includes(orderId) ?? false;
    // Reduce-only needs the position, which the risk check reads only when a limit needs it:
    // without it, tradingCheck reads it (the venue's balance by default) and applies the rule.
    const refusal = exempt
      ? undefined
      : state.state === 'REDUCING' && position === undefined
        ? ((await checks.tradingCheck({
            venue: order.venue,
            symbol: order.symbol,
            side: order.side,
            quantity: order.quantity,
          })) ?? undefined)
        : orderAllowed(state, order, position);
    if (refusal !== undefined) issues.push(refusal);
  } catch (err) {
    issues.push({
      code: 'TRADING_STATE_UNKNOWN',
      message: `the trading state could not be read: ${failureMessage(err)}`,
    });
  }
  return issues;
}

function settle<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return promise.then(
    (value) => ({ status: 'fulfilled', value }),
    (reason: unknown) => ({ status: 'rejected', reason }),
  );
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
