/**
 * reconciliationWorkflow: Ordo's view of each venue against the venue's own, and what to do about
 * each difference. The comparison is pure (src/domain/reconciliation.ts) and runs inside the
 * activity that reads both views (the views can be large; the findings are small). Racy findings
 * (a fill about to be recorded, an order whose workflow is not listed yet) are believed only when
 * a second look, `settleMs` later, finds them again.
 *
 * Per finding: a missed fill is recorded in the ledger (idempotent) and its order workflow told; an
 * order the venue finished is told to its workflow; an unknown venue order is reported, cancelled
 * or adopted per configuration; a balance drift is reported. Every finding is logged and published
 * as RECONCILIATION_MISMATCH, and the report is the result and the `findings` query.
 */
import { failureMessage } from './failure-message';
import { log, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type {
  ReconciliationActivities,
  ReconciliationConfig,
  VenueObservation,
} from '../activities/reconciliation-types';
import type { EventActivities, LedgerActivities, OrderActivities } from '../activities/types';
import { reconciliationMismatchEvent } from '../domain/events';
import {
  type BalanceCheckpoint,
  type Finding,
  type UnknownOrderPolicy,
  actionFor,
  confirmed,
  needsSecondLook,
} from '../domain/reconciliation';
import type { EventValue } from '../events/types';
import {
  type FindingOutcome,
  type ReconciliationInput,
  type ReconciliationReport,
  type VenueReconciliation,
  findingsQuery,
} from './reconciliation-messages';

const reads = proxyActivities<ReconciliationActivities>({
  startToCloseTimeout: '2m',
  heartbeatTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 3 },
});

const actions = proxyActivities<
  ReconciliationActivities & LedgerActivities & OrderActivities & EventActivities
>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 5 },
});

export async function reconciliationWorkflow(input: ReconciliationInput = {}): Promise<ReconciliationReport> {
  const { workflowId } = workflowInfo();
  const previous = workflowInfo().lastResult as Partial<ReconciliationReport> | undefined;
  const report: ReconciliationReport = {
    reconciliationId: workflowId,
    startedAt: new Date().toISOString(),
    venues: [],
    checkpoints: { ...(previous?.checkpoints ?? {}), ...(input.checkpoints ?? {}) },
  };
  setHandler(findingsQuery, () => report);

  const config = await reads.reconciliationConfig();
  const settings: ReconciliationConfig = {
    ...config,
    ...(input.unknownOrders === undefined ? {} : { unknownOrders: input.unknownOrders }),
  };
  // A venue reached under another's account is reconciled as that account, once.
  const primaryOf = (venue: string) =>
    Object.entries(settings.sharedAccounts).find(([, names]) => names.includes(venue))?.[0] ?? venue;
  const venues = [...new Set((input.venues ?? settings.venues).map(primaryOf))];
  const results = await Promise.all(
    venues.map((venue) => reconcileVenue(venue, settings, report.checkpoints[venue])),
  );
  for (const { result, checkpoint } of results) {
    report.venues.push(result);
    if (checkpoint !== undefined) report.checkpoints[result.venue] = checkpoint;
  }
  await publish(report);
  report.finishedAt = new Date().toISOString();
  return report;
}

async function reconcileVenue(
  venue: string,
  settings: ReconciliationConfig,
  checkpoint: BalanceCheckpoint | undefined,
): Promise<{ result: VenueReconciliation; checkpoint?: BalanceCheckpoint }> {
  const started = Date.now();
  const observe = () =>
    reads.observeVenue({ venue, settings, ...(checkpoint === undefined ? {} : { checkpoint }) });
  let looks = 0;
  let observation: VenueObservation;
  let findings: Finding[];
  try {
    observation = await observe();
    looks++;
    findings = observation.findings;
    if (needsSecondLook(findings)) {
      await sleep(settings.settleMs);
      observation = await observe();
      looks++;
      findings = confirmed(findings, observation.findings);
    }
  } catch (err) {
    const error = failureMessage(err);
    const finding: Finding = { kind: 'VENUE_UNREACHABLE', key: `VENUE_UNREACHABLE:${venue}`, venue, error };
    log.error('reconciliation could not read the venue', { venue, error });
    return {
      result: { venue, durationMs: Date.now() - started, looks, outcomes: [{ finding, action: 'REPORTED' }] },
      ...(checkpoint === undefined ? {} : { checkpoint }),
    };
  }
  // With part of Ordo's view unreadable, a venue order may be one of ours: report, never act on it.
  const policy = observation.unreadableOrders > 0 ? 'report' : settings.unknownOrders;
  const told = new Set<string>(); // one look-up per order and run is enough
  const outcomes: FindingOutcome[] = [];
  for (const finding of findings) outcomes.push(await act(finding, policy, told));
  for (const o of outcomes)
    log.warn('reconciliation mismatch', {
      venue,
      kind: o.finding.kind,
      key: o.finding.key,
      action: o.action,
    });
  return {
    result: {
      venue,
      observedAt: observation.observedAt,
      durationMs: Date.now() - started,
      looks,
      outcomes,
      counts: observation.counts,
      ...(Object.keys(observation.omitted).length === 0 ? {} : { omitted: observation.omitted }),
      ...(observation.unreadableOrders === 0 ? {} : { unreadableOrders: observation.unreadableOrders }),
    },
    ...(observation.checkpoint === undefined ? {} : { checkpoint: observation.checkpoint }),
  };
}

/** Does what the finding calls for; a failed action is reported, not fatal to the run. */
async function act(finding: Finding, policy: UnknownOrderPolicy, told: Set<string>): Promise<FindingOutcome> {
  const planned = actionFor(finding, policy);
  const reason = `RECONCILIATION: ${finding.kind}`;
  const tell = async (orderId: string): Promise<boolean> => {
    if (told.has(orderId)) return true;
    const reached = await actions.tellOrderWorkflow({ orderId, reason });
    if (reached) told.add(orderId);
    return reached;
  };
  try {
    switch (planned.kind) {
      case 'RECORD_FILL': {
        if (finding.kind !== 'MISSED_FILL') break;
        await actions.recordFills({ order: finding.owner, fills: [finding.fill] });
        if (!planned.tell) return { finding, action: 'RECORDED' };
        return { finding, action: (await tell(finding.orderId)) ? 'RECORDED_AND_TOLD' : 'RECORDED' };
      }
      case 'TELL_ORDER': {
        if (finding.kind !== 'ORDER_ENDED_AT_VENUE') break;
        return { finding, action: (await tell(finding.orderId)) ? 'TOLD' : 'ALREADY_ENDED' };
      }
      case 'CANCEL_AT_VENUE': {
        if (finding.kind !== 'UNKNOWN_ORDER') break;
        const after = await actions.cancelOrder({
          venue: finding.venue,
          ref: { symbol: finding.symbol, venueOrderId: finding.order.venueOrderId },
        });
        return { finding, action: 'CANCELLED', detail: `venue state ${after.order.state}` };
      }
      case 'ADOPT': {
        if (finding.kind !== 'UNKNOWN_ORDER') break;
        const adopted = await actions.adoptVenueOrder({ venue: finding.venue, order: finding.order, reason });
        return { finding, action: 'ADOPTED', detail: adopted.orderId };
      }
      case 'REPORT':
        break;
    }
    return { finding, action: 'REPORTED' };
  } catch (err) {
    return { finding, action: 'ACTION_FAILED', detail: failureMessage(err) };
  }
}

/** One RECONCILIATION_MISMATCH per finding; a sink that is down does not fail the run. */
async function publish(report: ReconciliationReport): Promise<void> {
  const events = report.venues.flatMap((v) =>
    v.outcomes.map(({ finding, action, detail }) =>
      reconciliationMismatchEvent({
        reconciliationId: report.reconciliationId,
        key: finding.key,
        kind: finding.kind,
        at: v.observedAt ?? report.startedAt,
        venue: finding.venue,
        ...('orderId' in finding ? { orderId: finding.orderId } : {}),
        ...('symbol' in finding ? { symbol: finding.symbol } : {}),
        details: { ...eventValue(finding), action, ...(detail === undefined ? {} : { detail }) },
      }),
    ),
  );
  if (events.length === 0) return;
  try {
    await actions.publishEvents({ events });
  } catch (err) {
    log.error('reconciliation events not delivered to every sink', {
      events: events.length,
      error: failureMessage(err),
    });
  }
}

/** A finding is plain JSON (strings, booleans, nested objects): as an event's data. */
function eventValue(finding: Finding): { [key: string]: EventValue } {
  return JSON.parse(JSON.stringify(finding)) as { [key: string]: EventValue };
}
