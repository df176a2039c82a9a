/**
 * tradingControlWorkflow: the singleton (id `trading-control`) that holds the desk's trading
 * state — ACTIVE, REDUCING or HALTED (src/domain/trading-state.ts) — and runs the kill switch.
 * Started on demand by the first signal (signalWithStart); a namespace without it trades ACTIVE.
 *
 * State changes are applied in the signal handlers, so the `state` query (which the submit gate
 * reads) shows a halt the moment it is in history. The kill switch (halt with cancelAll) then runs
 * here, durably — a worker crash mid-kill resumes it:
 *   round 1  cancel every open order at every venue, then (when that is done, or after at most
 *            SIGNAL_HEAD_START_MS) signal `killSwitch` to every running order and parent workflow
 *            of Ordo's task queue (visibility query): orders end CANCELLED, parents pause;
 *   settle   KILL_SETTLE_MS, for visibility to show workflows started just before the halt;
 *   round 2  the same again: an order whose submit passed the gate a moment before the halt is
 *            visible now, and its workflow cancels the order as soon as its send returns. Skipped
 *            if trading was resumed in the meantime (it would cancel the operator's new orders).
 *   flatten  (if asked) market orders closing each position, exempt from the halt by order id.
 *
 * Each state change is published once as TRADING_STATE_CHANGED (runs marked
 * `trading-state-events`), numbered across continue-as-new. A separate loop delivers them after
 * the change is applied: the halt and the kill never wait on a webhook.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setDefaultSignalHandler,
  setHandler,
  sleep,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { EventActivities, TradingActivities, VenueCancelAllResult } from '../activities/types';
import { type TradingStateChange as StateChangeFact, tradingStateChangedEvent } from '../domain/events';
import {
  type TradingCommandKind,
  type TradingControl,
  applyTradingCommand,
  initialTradingControl,
  normaliseReason,
} from '../domain/trading-state';
import {
  type HaltRequest,
  type KillReport,
  type TradingControlView,
  type TradingReasonRequest,
  haltSignal,
  reduceOnlySignal,
  resumeSignal,
  tradingStateQuery,
} from './trading-messages';

/** Between the two sweep rounds: visibility lag (well under a second on SQL and Elasticsearch) plus the gate's cache. */
export const KILL_SETTLE_MS = 2_000;
/** The longest the venue cancel-all runs alone before the signals go out too. */
const SIGNAL_HEAD_START_MS = 1_000;
/** Sweep rounds of one kill. */
const KILL_ROUNDS = 2;
/** Venues cancelled at once (each activity bounds its own per-order parallelism). */
const VENUE_PARALLELISM = 8;
/** Continue-as-new past this many events (a control workflow lives for ever; its history must not). */
const HISTORY_EVENTS_LIMIT = 2_000;

const sweepCalls = proxyActivities<TradingActivities>({
  startToCloseTimeout: '3m',
  heartbeatTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 5 },
});
const quickCalls = proxyActivities<TradingActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 5 },
});
/**
 * Retried until delivered, unlike an order's events (which give up after 2 minutes so the order
 * can end): this workflow has no end to reach, a delivery in flight holds nothing else up, and an
 * undelivered change is carried over continue-as-new. A sink that refuses an event for good is
 * logged by the activity, which then succeeds.
 */
const eventCalls = proxyActivities<EventActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/** Marks runs that publish TRADING_STATE_CHANGED events (earlier histories published none). */
export const STATE_EVENTS_PATCH = 'trading-state-events';

interface PendingKill {
  killId: string;
  requestIds: string[];
  reason: string;
  requestedAt: string;
  flatten: boolean;
}

/** What a new run carries on with. */
export interface CarriedTradingControl {
  control: TradingControl;
  lastKill?: KillReport;
  pendingKill?: PendingKill;
  exempt?: string[];
  /** State changes so far in this workflow's chain: the next change's event is numbered after it. */
  changeSequence?: number;
  /** Changes whose TRADING_STATE_CHANGED was not confirmed delivered yet (redelivered: same ids). */
  unpublishedChanges?: StateChangeFact[];
}

export interface TradingControlInput {
  carried?: CarriedTradingControl;
  /** Tests only: continue-as-new sooner. */
  historyEventsLimit?: number;
}

export async function tradingControlWorkflow(input: TradingControlInput = {}): Promise<void> {
  const now = () => new Date().toISOString(); // workflow time
  const carried = input.carried;
  const historyLimit = input.historyEventsLimit ?? HISTORY_EVENTS_LIMIT;
  let control: TradingControl = carried?.control ?? initialTradingControl(now());
  let lastKill: KillReport | undefined = carried?.lastKill;
  let pending: PendingKill | undefined = carried?.pendingKill;
  let exempt: string[] = carried?.exempt ?? [];
  // A chain started before the counter existed: its changes so far are the history's (at most
  // HISTORY_LIMIT of them are kept, so an old long chain numbers from there).
  let sequence = carried?.changeSequence ?? control.history.filter((h) => h.unchanged !== true).length;
  let unpublished: StateChangeFact[] = carried?.unpublishedChanges ?? [];

  const apply = (kind: TradingCommandKind, reason: unknown) => {
    const from = control.state;
    const result = applyTradingCommand(control, { kind, reason: normaliseReason(reason), at: now() });
    control = result.control;
    log.info('trading state', { state: control.state, command: kind, changed: result.changed, reason });
    if (!result.changed) return;
    sequence += 1;
    if (patched(STATE_EVENTS_PATCH)) {
      unpublished = [
        ...unpublished,
        {
          sequence,
          from,
          to: control.state,
          reason: control.reason ?? normaliseReason(reason),
          at: control.since,
        },
      ];
    }
  };

  // Delivers the changes in order, each batch in one activity; a change applied meanwhile waits
  // for the next batch. Never throws: the workflow must not fail for an event.
  const publishChanges = async (): Promise<void> => {
    for (;;) {
      await condition(() => unpublished.length > 0);
      const batch = unpublished;
      try {
        const control = { workflowId: workflowInfo().workflowId, epoch: workflowInfo().firstExecutionRunId };
        await eventCalls.publishEvents({ events: batch.map((c) => tradingStateChangedEvent(c, control)) });
      } catch (err) {
        log.error('trading state events not delivered', {
          sequences: batch.map((c) => c.sequence),
          error: messageOf(err),
        });
      }
      unpublished = unpublished.slice(batch.length);
    }
  };
  void publishChanges();

  setHandler(tradingStateQuery, (): TradingControlView => ({
    ...control,
    ...(lastKill === undefined ? {} : { lastKill }),
    ...(exempt.length === 0 ? {} : { exempt }),
  }));
  const halt = (req: Partial<HaltRequest>) => {
    apply('halt', req.reason);
    if (req.cancelAll === true) {
      // A second kill while one runs is coalesced: one more full sweep after the current one.
      pending = {
        killId: `kill-${uuid4().slice(0, 8)}`,
        requestIds: [
          ...(pending?.requestIds ?? []),
          ...(typeof req.requestId === 'string' ? [req.requestId] : []),
        ],
        reason: normaliseReason(req.reason),
        requestedAt: now(),
        flatten: req.flatten === true,
      };
    }
  };
  // One handler for the three commands, not one each: signals that reach a run before its
  // handlers exist (a new run's first task, e.g. right after continue-as-new) are buffered, and
  // the SDK hands buffered signals to separate handlers name by name — a resume sent after a halt
  // would then be applied last. A default handler takes them in the order they arrived.
  setDefaultSignalHandler((name: string, ...args: unknown[]) => {
    const arg = args[0];
    const req = (typeof arg === 'object' && arg !== null ? arg : {}) as Partial<
      HaltRequest & TradingReasonRequest
    >;
    if (name === haltSignal.name) halt(req);
    else if (name === reduceOnlySignal.name) apply('reduceOnly', req.reason);
    else if (name === resumeSignal.name) apply('resume', req.reason);
    else log.warn('unknown signal ignored', { name });
  });

  const historyFull = () =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > historyLimit;

  for (;;) {
    await condition(() => pending !== undefined || historyFull());
    if (pending !== undefined) {
      const kill = pending;
      pending = undefined;
      await runKill(kill);
      continue;
    }
    await condition(allHandlersFinished);
    const next: CarriedTradingControl = {
      control,
      ...(lastKill === undefined ? {} : { lastKill }),
      ...(exempt.length === 0 ? {} : { exempt }),
      changeSequence: sequence,
      ...(unpublished.length === 0 ? {} : { unpublishedChanges: unpublished }),
    };
    await continueAsNew<typeof tradingControlWorkflow>({
      carried: next,
      ...(input.historyEventsLimit === undefined ? {} : { historyEventsLimit: input.historyEventsLimit }),
    });
  }

  async function runKill(kill: PendingKill): Promise<void> {
    exempt = [];
    let report: KillReport = {
      killId: kill.killId,
      requestIds: kill.requestIds,
      requestedAt: kill.requestedAt,
      reason: kill.reason,
      ordersSignalled: 0,
      parentsPaused: 0,
      alreadyClosed: 0,
      venuesCancelled: [],
      rounds: 0,
      errors: [],
      done: false,
      ...(kill.flatten ? { flatten: { status: 'REQUESTED', orders: [] } } : {}),
    };
    // Every step reassigns the report, so the query shows the kill's progress as it goes.
    const update = (change: Partial<KillReport>) => {
      report = { ...report, ...change };
      lastKill = report;
    };
    update({});
    log.warn('kill switch', { killId: kill.killId, reason: kill.reason });

    let venues: string[] | undefined;
    // Workflows signalled in an earlier round (list mode names them): counted once.
    const signalled = new Set<string>();
    for (let round = 1; round <= KILL_ROUNDS; round++) {
      if (round > 1) {
        await sleep(KILL_SETTLE_MS);
        if (control.state !== 'HALTED') {
          update({
            notes: [...(report.notes ?? []), `round ${round} skipped: trading is ${control.state} again`],
          });
          break;
        }
      }
      venues ??= await quickCalls.tradingVenues().catch((err: unknown) => {
        update({ errors: [...report.errors, `venues: ${messageOf(err)}`] });
        return undefined;
      });
      // The venues' cancel-all goes first: it empties the books fastest (bench/kill-switch.ts),
      // and every signalled order would otherwise race it with a cancel of its own. The signals
      // follow when it is done, or after SIGNAL_HEAD_START_MS if a venue is slow to answer.
      let cancelled = false;
      const cancelling = cancelRound(venues ?? []).then(() => {
        cancelled = true;
      });
      await condition(() => cancelled, SIGNAL_HEAD_START_MS); // its timer goes when the cancels are done
      await Promise.all([signalRound(), cancelling]);
      update({ rounds: round });
    }

    if (kill.flatten) {
      if (control.state !== 'HALTED') {
        update({ flatten: { status: 'FAILED', orders: [], error: `trading is ${control.state} again` } });
      } else {
        try {
          const plan = await quickCalls.planFlatten({ killId: kill.killId });
          // Exempt before they start: their submit gate reads this workflow's state.
          exempt = plan.orders.map((o) => o.orderId);
          if (plan.orders.length > 0)
            await quickCalls.startFlatten({ killId: kill.killId, orders: plan.orders });
          update({ flatten: plan });
        } catch (err) {
          update({ flatten: { status: 'FAILED', orders: [], error: messageOf(err) } });
        }
      }
    }
    update({ done: true, doneAt: now() });
    log.warn('kill switch done', { killId: kill.killId, rounds: report.rounds, errors: report.errors });

    async function signalRound(): Promise<void> {
      try {
        const swept = await sweepCalls.signalWorkingOrders({ reason: kill.reason });
        const fresh = (ids: string[] | undefined, count: number) => {
          if (ids === undefined) return count;
          const unseen = ids.filter((id) => !signalled.has(id));
          for (const id of unseen) signalled.add(id);
          return unseen.length;
        };
        update({
          ordersSignalled: report.ordersSignalled + fresh(swept.orderIds, swept.orders),
          parentsPaused: (report.parentsPaused ?? 0) + fresh(swept.parentIds, swept.parents),
          alreadyClosed: (report.alreadyClosed ?? 0) + swept.alreadyClosed,
        });
      } catch (err) {
        update({ errors: [...report.errors, `signal sweep: ${messageOf(err)}`] });
      }
    }

    async function cancelRound(names: string[]): Promise<void> {
      for (let i = 0; i < names.length; i += VENUE_PARALLELISM) {
        await Promise.all(
          names.slice(i, i + VENUE_PARALLELISM).map(async (venue) => {
            let result: VenueCancelAllResult;
            try {
              result = await sweepCalls.cancelAllAtVenue({ venue });
            } catch (err) {
              result = { venue, cancelled: 0, remaining: 0, alreadyGone: 0, error: messageOf(err) };
            }
            update({ venuesCancelled: merged(report.venuesCancelled, result) });
          }),
        );
      }
    }
  }
}

/** One venue's results summed over rounds; `remaining` and `error` are the latest round's. */
function merged(list: VenueCancelAllResult[], result: VenueCancelAllResult): VenueCancelAllResult[] {
  const before = list.find((r) => r.venue === result.venue);
  const sum: VenueCancelAllResult = {
    venue: result.venue,
    cancelled: (before?.cancelled ?? 0) + result.cancelled,
    alreadyGone: (before?.alreadyGone ?? 0) + result.alreadyGone,
    remaining: result.remaining,
    ...(result.error === undefined ? {} : { error: result.error }),
  };
  return before === undefined ? [...list, sum] : list.map((r) => (r === before ? sum : r));
}

function messageOf(err: unknown): string {
  const cause = (err as { cause?: unknown })?.cause;
  if (cause instanceof Error) return cause.message;
  return err instanceof Error ? err.message : String(err);
}
