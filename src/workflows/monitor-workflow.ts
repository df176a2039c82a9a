/**
 * executionMonitorWorkflow: the real-time execution monitor of one task queue. Workers feed it
 * observations of their orders' events (signal `observe`, from the monitor event sink); it keeps
 * them in a rolling window, computes per-scope metrics (rejection rate, latency, shortfall),
 * raises and clears alerts against the configured limits (src/domain/monitor), publishes each
 * raise and clear as an EXECUTION_ALERT event, and answers the `monitor` query (GET /monitor,
 * `ordo monitor`).
 *
 * Evaluated after every batch, and when the oldest observation leaves the window (a window slides
 * without new data too, so a quiet venue's alert clears), but at most every tick: a busy window
 * does not turn every expiring observation into a timer.
 *
 * Lives for ever: continue-as-new on history length, carrying the window, the alerts, the
 * transition counter and the undelivered events. Started idempotently by each worker (signal with
 * start), so it exists wherever orders run.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { EventActivities } from '../activities/types';
import { executionAlertEvent } from '../domain/monitor/alert-event';
import { evaluateAlerts } from '../domain/monitor/alerts';
import { limitsProblems, parseLimits } from '../domain/monitor/limits';
import { windowMetrics } from '../domain/monitor/metrics';
import { wellFormedObservations } from '../domain/monitor/observations';
import type { ActiveAlert, AlertTransition, MonitorLimits, ScopeMetrics } from '../domain/monitor/types';
import {
  type ObservationWindow,
  addObservations,
  emptyWindow,
  nextExpiry,
  slideWindow,
} from '../domain/monitor/window';
import {
  type ConfigureRequest,
  type MonitorView,
  type ObserveRequest,
  configureSignal,
  monitorQuery,
  observeSignal,
} from './monitor-messages';

/** Continue-as-new past this many events. */
const HISTORY_EVENTS_LIMIT = 2_000;
/** Raises and clears kept for the query. */
const RECENT_ALERTS = 50;

/**
 * Like the trading control's: retried until delivered (a monitor has no end to reach, and an
 * undelivered alert is carried over continue-as-new).
 */
const eventCalls = proxyActivities<EventActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/** What a new run carries on with. */
export interface CarriedMonitor {
  window: ObservationWindow;
  active: Record<string, ActiveAlert>;
  recent: AlertTransition[];
  sequence: number;
  duplicates: number;
  malformed: number;
  unpublished: AlertTransition[];
  startedAt: string;
}

export interface MonitorInput {
  limits: MonitorLimits;
  carried?: CarriedMonitor;
  /** Tests only: continue-as-new sooner. */
  historyEventsLimit?: number;
}

/** The shortest pause between two evaluations a sliding window causes: 1/100 of it, 250 ms to 5 s. */
export function evaluationTickMs(windowMs: number): number {
  return Math.min(5_000, Math.max(250, Math.round(windowMs / 100)));
}

export async function executionMonitorWorkflow(input: MonitorInput): Promise<void> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const carried = input.carried;
  const historyLimit = input.historyEventsLimit ?? HISTORY_EVENTS_LIMIT;
  // A start with bad limits is a bug in the sender: fail loudly at the first task.
  let limits = parseLimits(input.limits);
  let window = carried?.window ?? emptyWindow();
  let active: Record<string, ActiveAlert> = carried?.active ?? {};
  let recent: AlertTransition[] = carried?.recent ?? [];
  let sequence = carried?.sequence ?? 0;
  let duplicates = carried?.duplicates ?? 0;
  let malformed = carried?.malformed ?? 0;
  let unpublished: AlertTransition[] = carried?.unpublished ?? [];
  const startedAt = carried?.startedAt ?? iso(Date.now());
  let metrics: ScopeMetrics[] = [];
  let evaluatedAt = Date.now();
  let dirty = true; // evaluate once at start: a carried window may have slid meanwhile

  const evaluate = () => {
    const now = Date.now(); // workflow time
    window = slideWindow(window, now, limits.windowMs);
    metrics = windowMetrics(window.observations);
    const result = evaluateAlerts(metrics, active, limits, iso(now), sequence);
    active = result.active;
    sequence = result.sequence;
    evaluatedAt = now;
    for (const t of result.transitions) {
      const fields = { key: t.key, value: t.value, limit: t.limit, samples: t.samples, sequence: t.sequence };
      if (t.state === 'RAISED') log.warn(`execution alert raised: ${t.message}`, fields);
      else log.info(`execution alert cleared: ${t.message}`, fields);
    }
    if (result.transitions.length > 0) {
      unpublished = [...unpublished, ...result.transitions];
      recent = [...recent, ...result.transitions].slice(-RECENT_ALERTS);
    }
  };

  setHandler(observeSignal, (req: ObserveRequest) => {
    const parsed = wellFormedObservations((req as Partial<ObserveRequest> | undefined)?.observations);
    malformed += parsed.malformed;
    const added = addObservations(window, parsed.observations, Date.now(), limits);
    window = added.window;
    duplicates += added.duplicates;
    if (added.added > 0) dirty = true;
  });
  setHandler(configureSignal, (req: ConfigureRequest) => {
    const problems = limitsProblems((req as Partial<ConfigureRequest> | undefined)?.limits);
    if (problems.length > 0) {
      log.error('monitor limits refused', { problems });
      return;
    }
    limits = parseLimits(req.limits);
    dirty = true;
  });
  setHandler(monitorQuery, (): MonitorView => ({
    workflowId: workflowInfo().workflowId,
    asOf: iso(evaluatedAt),
    startedAt,
    limits,
    metrics,
    activeAlerts: Object.values(active).sort((a, b) => a.raisedSequence - b.raisedSequence),
    recentAlerts: recent,
    window: {
      observations: window.observations.length,
      ...(window.observations[0] === undefined ? {} : { oldestAt: iso(window.observations[0].at) }),
      overflowed: window.overflowed,
      stale: window.stale,
      duplicates,
      malformed,
    },
    undeliveredAlerts: unpublished.length,
  }));

  // Delivers the transitions in order, a batch per activity; never throws (the monitor must not
  // fail for an event). A batch stays in `unpublished` until delivered, so a continue-as-new
  // meanwhile carries it over and the next run delivers it again (same ids: receivers dedupe).
  const publishAlerts = async (): Promise<void> => {
    for (;;) {
      await condition(() => unpublished.length > 0);
      const batch = unpublished;
      const monitor = { workflowId: workflowInfo().workflowId, epoch: workflowInfo().firstExecutionRunId };
      try {
        await eventCalls.publishEvents({ events: batch.map((t) => executionAlertEvent(t, monitor)) });
      } catch (err) {
        log.error('execution alert events not delivered', {
          sequences: batch.map((t) => t.sequence),
          error: err instanceof Error ? err.message : String(err),
        });
      }
      unpublished = unpublished.slice(batch.length);
    }
  };
  void publishAlerts();

  const historyFull = () =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > historyLimit;

  // One timer for the window's next slide, kept while new batches come in (the oldest observation,
  // and so the wake-up time, usually stays the same): no timer started and cancelled per batch.
  // A timer superseded by an earlier wake-up just fires unheeded.
  let wakeAt: number | undefined;
  const wakeBy = (target: number) => {
    if (wakeAt !== undefined && wakeAt <= target) return;
    wakeAt = target;
    void sleep(Math.max(1, target - Date.now())).then(() => {
      if (wakeAt !== target) return;
      wakeAt = undefined;
      dirty = true; // the window slid
    });
  };

  for (;;) {
    if (dirty) {
      dirty = false;
      evaluate();
    }
    if (historyFull()) break;
    const expiry = nextExpiry(window, limits.windowMs);
    if (expiry !== undefined) wakeBy(Math.max(expiry + 1, evaluatedAt + evaluationTickMs(limits.windowMs)));
    await condition(() => dirty || historyFull());
  }

  await condition(allHandlersFinished);
  const next: CarriedMonitor = {
    window: slideWindow(window, Date.now(), limits.windowMs),
    active,
    recent,
    sequence,
    duplicates,
    malformed,
    unpublished,
    startedAt,
  };
  await continueAsNew<typeof executionMonitorWorkflow>({
    limits,
    carried: next,
    ...(input.historyEventsLimit === undefined ? {} : { historyEventsLimit: input.historyEventsLimit }),
  });
}
