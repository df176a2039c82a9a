/**
 * Bench-only prototype workflows (never registered by Ordo's worker): the order hot path as Ordo
 * runs it today — prepareOrder, riskCheck, tradingState, submitOrder one after the other, one
 * workflow task round trip each — next to the same four activities with the three pre-trade ones
 * scheduled together in one workflow task (eager dispatch takes up to 3 at once). The difference
 * between the two is what that restructuring of orderWorkflow would save; see
 * bench/hot-path-prototype.ts.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { OrderActivities, RiskActivities, TradingActivities } from '../../src/activities/types';
import { deriveClientOrderId } from '../../src/domain/client-order-id';
import type { OrderRequest } from '../../src/domain/order-request';

const calls = proxyActivities<OrderActivities & RiskActivities & TradingActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

function submit(order: OrderRequest) {
  return calls.submitOrder({
    venue: order.venue,
    order: {
      clientOrderId: deriveClientOrderId(workflowInfo().workflowId),
      symbol: order.symbol,
      side: order.side,
      type: order.type,
      quantity: order.quantity,
      timeInForce: 'IOC',
    },
  });
}

export async function hotPathSequential(order: OrderRequest): Promise<string> {
  await calls.prepareOrder({ venue: order.venue, symbol: order.symbol });
  await calls.riskCheck({ order, orderId: workflowInfo().workflowId, record: true });
  await calls.tradingState();
  return (await submit(order)).order.state;
}

export async function hotPathParallel(order: OrderRequest): Promise<string> {
  await Promise.all([
    calls.prepareOrder({ venue: order.venue, symbol: order.symbol }),
    calls.riskCheck({ order, orderId: workflowInfo().workflowId, record: true }),
    calls.tradingState(),
  ]);
  return (await submit(order)).order.state;
}
