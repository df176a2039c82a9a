/** Venue health as the workers see it (circuit breakers and recent error rates). */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { VenueReport } from '../activities/types';
import type { venueStatusWorkflow } from '../workflows/venue-status-workflow';

export async function venueReports(client: Client, taskQueue: string): Promise<VenueReport[]> {
  return client.workflow.execute<typeof venueStatusWorkflow>('venueStatusWorkflow', {
    taskQueue,
    workflowId: `venue-status-${randomUUID()}`,
    workflowExecutionTimeout: '30s',
  });
}

export function formatVenueReports(reports: VenueReport[]): string {
  if (reports.length === 0) return 'no venues';
  return reports
    .map((r) => {
      const rate = `${(r.errorRate * 100).toFixed(0)}% errors (${r.failuresInWindow}/${r.callsInWindow} calls)`;
      const probe = r.mode === 'closed' ? '' : `, probe in ${Math.ceil(r.msUntilProbe / 1000)} s`;
      const last = r.lastError === undefined ? '' : `\n    last error: ${r.lastError}`;
      return `${r.venue.padEnd(12)} breaker ${r.mode}${probe}, ${rate}  [worker ${r.worker}]${last}`;
    })
    .join('\n');
}
