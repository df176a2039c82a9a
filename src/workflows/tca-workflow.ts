/**
 * tcaWorkflow: a short workflow that has a worker analyse one order's (or parent order's)
 * transaction costs. The venues are the workers', so this is how a client measures against them.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { OrderTcaInput, OrderTcaReport, TcaActivities } from '../activities/tca-types';

const { orderTca } = proxyActivities<TcaActivities>({
  // A long-lived order's interval may take the venue many trade pages to list.
  startToCloseTimeout: '2m',
  retry: { maximumAttempts: 3 },
});

export async function tcaWorkflow(input: OrderTcaInput): Promise<OrderTcaReport> {
  return orderTca(input);
}
