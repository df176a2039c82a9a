/**
 * venueStatusWorkflow: a short workflow that asks a worker how it sees each venue (circuit
 * breaker, recent error rate). Breakers live in worker processes; this is how a client reads one.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { OrderActivities, VenueReport } from '../activities/types';

const { describeVenues } = proxyActivities<OrderActivities>({
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 3 },
});

export async function venueStatusWorkflow(): Promise<VenueReport[]> {
  return describeVenues();
}
