/**
 * autoOrderWorkflow: an order whose way of trading Ordo chooses (src/domain/algos/auto-choice.ts).
 * It reads the venue's rules and quote, decides, and continues as new — same workflow id — as the
 * orderWorkflow or twapWorkflow that trades it, so the id the caller holds follows the order.
 */
import { log, makeContinueAsNewFunc, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { chooseExecution } from '../domain/algos/auto-choice';
import { validateAutoOrderRequest } from '../domain/algos/auto-request';
import { formatDuration } from '../domain/algos/duration';
import type { RequestIssue } from '../domain/order-request';
import { marketCalls, prepareCall } from './parent/calls';
import { SA } from './search-attributes';

export interface AutoOrderOutcome {
  status: 'DENIED';
  reason: string;
  issues: RequestIssue[];
}

export async function autoOrderWorkflow(input: unknown): Promise<AutoOrderOutcome> {
  const orderId = workflowInfo().workflowId;
  const validation = validateAutoOrderRequest(input, new Date());
  if (!validation.ok) return denied(validation.issues);
  const { order, urgency, config } = validation.request;

  let rules;
  try {
    rules = (await prepareCall({ venue: order.venue, symbol: order.symbol })).rules;
  } catch (err) {
    return denied([{ code: failureType(err) ?? 'VENUE_ERROR', message: String(err) }]);
  }
  let quote = {};
  try {
    const q = await marketCalls.marketQuote({ venue: order.venue, symbol: order.symbol });
    quote = {
      ...(q.bid === undefined ? {} : { bid: q.bid }),
      ...(q.ask === undefined ? {} : { ask: q.ask }),
    };
  } catch (err) {
    log.warn('no quote for the automatic choice', { orderId, error: String(err) });
  }
  const choice = chooseExecution(
    {
      side: order.side,
      quantity: order.quantity,
      urgency,
      ...(order.limitPrice === undefined ? {} : { limitPrice: order.limitPrice }),
    },
    quote,
    config,
    rules.priceStep,
  );
  log.info('automatic choice', { orderId, choice: choice.kind, reason: choice.reason });
  const memo = { autoChoice: choice.reason };

  if (choice.kind === 'twap') {
    const twap = {
      symbol: order.symbol,
      side: order.side,
      quantity: order.quantity,
      venue: order.venue,
      parentId: orderId,
      duration: formatDuration(choice.durationMs),
      interval: formatDuration(choice.intervalMs),
      ...(order.limitPrice === undefined ? {} : { limitPrice: order.limitPrice }),
      ...(order.strategyId === undefined ? {} : { strategyId: order.strategyId }),
      ...(order.decisionId === undefined ? {} : { decisionId: order.decisionId }),
    };
    return makeContinueAsNewFunc<(input: unknown) => Promise<AutoOrderOutcome>>({
      workflowType: 'twapWorkflow',
      memo,
    })(twap);
  }
  const { limitPrice: _given, ...rest } = order;
  const chosen = {
    ...rest,
    orderId,
    type: choice.type,
    ...(choice.type === 'limit' ? { limitPrice: choice.limitPrice } : {}),
    timeInForce:
      choice.type === 'market' && !['GTC', 'IOC'].includes(order.timeInForce) ? 'IOC' : order.timeInForce,
  };
  return makeContinueAsNewFunc<(input: unknown) => Promise<AutoOrderOutcome>>({
    workflowType: 'orderWorkflow',
    memo,
  })(chosen);

  function denied(issues: RequestIssue[]): AutoOrderOutcome {
    upsertSearchAttributes([{ key: SA.OrderStatus, value: 'DENIED' }]);
    return { status: 'DENIED', reason: issues.map((i) => `${i.code}: ${i.message}`).join('; '), issues };
  }
}

function failureType(err: unknown): string | undefined {
  const cause = (err as { cause?: { type?: unknown } }).cause;
  return typeof cause?.type === 'string' ? cause.type : undefined;
}
