/**
 * orderWorkflow: one order's whole life, deterministic. Decisions come from pure src/domain
 * functions; every venue call is an activity. The main loop is the only code that changes the
 * order; update and signal handlers queue commands for it and wait for its answer.
 *
 * Nothing here may fail the workflow while the order might be live at the venue: a venue call
 * that fails for good, or a status move the state machine refuses, parks the order in
 * DEAD_LETTER with its state kept, instead of failing or wedging the workflow.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { OrderActivities, OrderSnapshot, PreparedOrder } from '../activities/types';
import { deriveClientOrderId } from '../domain/client-order-id';
import { CLIENT_ORDER_ID_RULES, type ClientOrderIdRuleName } from '../domain/client-order-id-rules';
import { add as addDecimal } from '../domain/decimal';
import { type MarketRules, checkMarketRules } from '../domain/market-rules';
import { type OrderRequest, type RequestIssue, validateOrderRequest } from '../domain/order-request';
import {
  type Fill,
  type OrderState,
  isFullyFilled,
  newOrderState,
  withFills,
  withQuantity,
  withStatus,
  workingStatus,
} from '../domain/order-state';
import { checkPreTradeRisk } from '../domain/risk';
import { type OrderStatus, canTransition, isTerminal } from '../domain/status';
import {
  type AmendRequest,
  type CancelRequest,
  type CommandResult,
  type OperatorRequest,
  abandonUpdate,
  amendUpdate,
  cancelUpdate,
  killSwitchSignal,
  reconcileSignal,
  retryUpdate,
  statusQuery,
} from './messages';
import { type AmendCommand, validateAmend, validateCancel, validateOperatorCommand } from './order-commands';
import { BOOKS_PATCH, OrderBooks, preTradeChecks } from './order-books';
import { countDeadLetter, recordStatusMetrics } from './order-metrics';
import { childReportSignal, parentCancelSignal } from './parent-messages';
import { SA } from './search-attributes';

/** How long one follow activity waits for a change before reporting back. */
const FOLLOW_WINDOW_MS = 60_000;
/** Continue-as-new past this many events even if the server does not suggest it yet. */
const HISTORY_EVENTS_LIMIT = 8_000;
/** A venue that keeps refusing to cancel is retried this often, then the order is parked. */
const CANCEL_ATTEMPTS = 5;
/** Search-attribute values longer than this are not indexed (Keyword limit is far above). */
const MAX_ATTRIBUTE_LENGTH = 256;
/** Marks runs that wait for their reports to the parent to be delivered before closing. */
const REPORTS_DELIVERED_PATCH = 'child-reports-delivered-before-close';
/** Marks runs that look their order up when reconciliation signals `reconcile`. */
const RECONCILE_PATCH = 'order-reconcile-signal';

const venueCalls = proxyActivities<OrderActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

const submitCall = proxyActivities<OrderActivities>({
  // Short enough that after a worker crash the retry (which looks the order up first) comes soon.
  // Each attempt refuses to send past its own deadline, so a late attempt never sends twice.
  startToCloseTimeout: '15s',
  scheduleToCloseTimeout: '10m',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
}).submitOrder;

const followCall = proxyActivities<OrderActivities>({
  startToCloseTimeout: FOLLOW_WINDOW_MS + 30_000,
  heartbeatTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
}).followOrder;

/** What a new run (after continue-as-new) needs to carry on. */
export interface CarriedOrder {
  state: OrderState;
  venueOrderId: string;
  /** Filled on venue orders replaced earlier (the current one's fills come on top). */
  filledBefore: string;
  clientOrderIdRules: ClientOrderIdRuleName;
  rules: MarketRules;
  expireAt?: string;
}

type Resolve = (r: CommandResult) => void;
type Command =
  | { kind: 'cancel'; reason: string; kill?: boolean; resolve: Resolve }
  | { kind: 'amend'; amend: AmendCommand; resolve: Resolve }
  | { kind: 'retry' | 'abandon'; reason: string; resolve: Resolve }
  | { kind: 'refresh'; reason: string; resolve: Resolve };
/** What an operator (or the kill switch) decides for a parked order. */
type Decision = { kind: 'retry' | 'abandon'; reason: string; resolve: Resolve };

type VenueState = OrderSnapshot['order']['state'];

export async function orderWorkflow(input: unknown, carried?: CarriedOrder): Promise<OrderState> {
  const orderId = workflowInfo().workflowId;
  const now = () => new Date().toISOString(); // workflow time: deterministic in the sandbox
  const commands: Command[] = [];

  const firstValidation =
    carried === undefined ? validateOrderRequest(input, { now: new Date() }) : undefined;
  const initialRequest: OrderRequest =
    carried?.state.request ?? (firstValidation?.ok ? firstValidation.request : rawEcho(input));
  let state: OrderState = carried?.state ?? newOrderState(orderId, initialRequest, orderId, now());
  /** The market's rules, once known: amend validation checks lot and tick with them. */
  let marketRules: MarketRules | undefined = carried?.rules;

  /**
   * Moves the order's status. A move the state machine refuses is a bug or a venue doing
   * something unforeseen: the order is parked in DEAD_LETTER (always allowed from a working
   * status) with the refused move as reason, rather than failing every workflow task.
   */
  const setStatus = (status: OrderStatus, reason?: string) => {
    const before = state.status;
    if (status !== before && !canTransition(before, status)) {
      log.error('refused status move; parking the order', { orderId, from: before, to: status, reason });
      return park(`INVALID_TRANSITION ${before}->${status}${reason ? ` (${reason})` : ''}`);
    }
    state = withStatus(state, status, now(), reason);
    if (state.status !== before) {
      upsertSearchAttributes([{ key: SA.OrderStatus, value: state.status }]);
      log.info('order status', { orderId, status: state.status, reason });
      recordStatusMetrics(state);
    }
    reportToParent();
  };

  /**
   * A slice of a parent order tells its parent each status or fill change, so the parent's
   * progress is live. Orders without a parent never signal (their histories are unchanged).
   */
  let reported = { status: '', filledQuantity: '' };
  const reportsInFlight = new Set<Promise<void>>();
  const reportToParent = () => {
    const parent = workflowInfo().parent;
    if (parent === undefined) return;
    if (reported.status === state.status && reported.filledQuantity === state.filledQuantity) return;
    reported = { status: state.status, filledQuantity: state.filledQuantity };
    const report = {
      childId: orderId,
      status: state.status,
      filledQuantity: state.filledQuantity,
      ...(state.averagePrice === undefined ? {} : { averagePrice: state.averagePrice }),
    };
    // Not awaited: the order goes on. A parent that already closed cannot take it, and need not.
    const sent = getExternalWorkflowHandle(parent.workflowId, parent.runId)
      .signal(childReportSignal, report)
      .catch(() => undefined);
    reportsInFlight.add(sent);
    void sent.then(() => reportsInFlight.delete(sent));
  };

  /**
   * Waits for the reports still in flight before the run closes: the server drops a signal whose
   * sender closed in the same workflow task (so the final report never reached the parent), and
   * the Java time-skipping test server then keeps its clock locked for good. Patched, so runs
   * recorded before closed at once on replay.
   */
  const reportsDelivered = async (): Promise<void> => {
    if (reportsInFlight.size > 0 && patched(REPORTS_DELIVERED_PATCH)) await Promise.all([...reportsInFlight]);
  };

  setHandler(statusQuery, () => state);
  setHandler(
    cancelUpdate,
    (req: CancelRequest) =>
      new Promise<CommandResult>((resolve) =>
        commands.push({ kind: 'cancel', reason: req?.reason ?? 'CANCEL_REQUESTED', resolve }),
      ),
    { validator: (_req: CancelRequest) => validateCancel(state) },
  );
  setHandler(
    amendUpdate,
    (req: AmendRequest) =>
      new Promise<CommandResult>((resolve) =>
        commands.push({ kind: 'amend', amend: validateAmend(state, req, marketRules), resolve }),
      ),
    { validator: (req: AmendRequest) => void validateAmend(state, req, marketRules) },
  );
  setHandler(killSwitchSignal, ({ reason }) => {
    if (!isTerminal(state.status))
      commands.push({
        kind: 'cancel',
        reason: `KILL_SWITCH: ${reason}`,
        kill: true,
        resolve: () => undefined,
      });
  });
  // Reconciliation saw the venue say something else (a fill, an end): look the order up now.
  // Patched: a history in which an older worker ignored the signal must replay without the look-up.
  setHandler(reconcileSignal, ({ reason }) => {
    if (isTerminal(state.status) || !patched(RECONCILE_PATCH)) return;
    commands.push({ kind: 'refresh', reason, resolve: () => undefined });
  });
  // A parent's pause, cancel or amend: like a kill switch, it also ends a parked order (the
  // parent decided this slice is over), but says why in its own words.
  setHandler(parentCancelSignal, ({ reason }) => {
    if (!isTerminal(state.status))
      commands.push({ kind: 'cancel', reason: `PARENT: ${reason}`, kill: true, resolve: () => undefined });
  });
  for (const [update, kind] of [
    [retryUpdate, 'retry'],
    [abandonUpdate, 'abandon'],
  ] as const) {
    setHandler(
      update,
      (req: OperatorRequest) =>
        new Promise<CommandResult>((resolve) =>
          commands.push({ kind, reason: req?.reason ?? `OPERATOR_${kind.toUpperCase()}`, resolve }),
        ),
      { validator: (_req: OperatorRequest) => validateOperatorCommand(state) },
    );
  }

  upsertSearchAttributes(searchAttributesOf(state.request, state.status));
  // Risk, trading state, ledger and events; runs recorded before them replay without.
  const books = patched(BOOKS_PATCH) ? new OrderBooks(orderId, state) : undefined;

  if (carried !== undefined) return follow(carried);
  if (firstValidation !== undefined && !firstValidation.ok) return deny(firstValidation.issues);
  const prepared = await prepare(initialRequest);
  if ('issues' in prepared) return deny(prepared.issues);
  marketRules = prepared.rules;
  // Kept for TCA (the arrival price); state only, so no command changes and no patch is needed.
  if (prepared.referencePrice !== undefined) state = { ...state, arrivalMid: prepared.referencePrice };
  const issues = [
    ...checkMarketRules(initialRequest, prepared.rules, prepared.referencePrice),
    ...checkPreTradeRisk(initialRequest),
  ];
  if (books !== undefined)
    issues.push(...(await preTradeChecks(orderId, initialRequest, issues.length === 0)));
  if (issues.length > 0) return deny(issues);
  const idRules = prepared.clientOrderIdRules;
  state = { ...state, clientOrderId: deriveClientOrderId(orderId, 0, CLIENT_ORDER_ID_RULES[idRules]) };
  const expireAt = initialRequest.timeInForce === 'DAY' ? prepared.dayCloseAt : initialRequest.expireAt;
  const live = await send(idRules, prepared.rules, expireAt);
  return live === undefined ? finish() : follow(live);

  // ---- steps -------------------------------------------------------------------------------

  async function deny(refusals: RequestIssue[]): Promise<OrderState> {
    state = { ...state, reason: undefined };
    setStatus('DENIED', refusals.map((i) => i.code).join(','));
    state = { ...state, reason: refusals.map((i) => `${i.code}: ${i.message}`).join('; ') };
    answerAll({ accepted: false, reason: 'ORDER_DENIED', status: state.status });
    await books?.keep(state);
    await reportsDelivered();
    return state;
  }

  async function prepare(req: OrderRequest): Promise<PreparedOrder | { issues: RequestIssue[] }> {
    try {
      return await venueCalls.prepareOrder({ venue: req.venue, symbol: req.symbol });
    } catch (err) {
      const failure = applicationFailureOf(err);
      if (failure === undefined) throw err;
      return { issues: [{ code: failure.type ?? 'VENUE_ERROR', message: failure.message }] };
    }
  }

  /** Sends the order; returns what to follow, or undefined when it ended (refused, cancelled). */
  async function send(
    idRules: ClientOrderIdRuleName,
    rules: MarketRules,
    expiry: string | undefined,
  ): Promise<CarriedOrder | undefined> {
    const cancel = takeCancel();
    if (cancel !== undefined) {
      setStatus('CANCELLED', cancel.reason);
      cancel.resolve({ accepted: true, status: state.status });
      return undefined;
    }
    setStatus('SUBMITTED');
    const req = state.request;
    let snapshot: OrderSnapshot | undefined;
    for (let resend = false; snapshot === undefined; resend = true) {
      try {
        snapshot = await submitCall({
          venue: req.venue,
          lookUpFirst: resend,
          order: {
            clientOrderId: state.clientOrderId,
            symbol: req.symbol,
            side: req.side,
            type: req.type,
            quantity: req.quantity,
            ...(req.limitPrice === undefined ? {} : { limitPrice: req.limitPrice }),
            ...(req.stopPrice === undefined ? {} : { stopPrice: req.stopPrice }),
            timeInForce: venueTimeInForce(req),
            ...(req.postOnly ? { postOnly: true } : {}),
          },
        });
      } catch (err) {
        const failure = applicationFailureOf(err);
        if (failure?.nonRetryable && failure.type !== 'RETRIES_EXHAUSTED') {
          setStatus('REJECTED', failure.type ?? 'VENUE_REJECTED');
          state = { ...state, reason: `${failure.type}: ${failure.message}` };
          return undefined;
        }
        // Retries spent with the outcome unknown: park it, nothing is lost.
        park(`SUBMIT_UNRESOLVED: ${errorMessage(err)}`);
        const decision = await operatorDecision();
        if (decision.kind === 'abandon') {
          snapshot = await abandonUnsent(decision);
          if (snapshot === undefined) return undefined;
        } else {
          setStatus('SUBMITTED', decision.reason);
          decision.resolve({ accepted: true, status: state.status });
        }
      }
    }
    state = { ...state, venueOrderId: snapshot.order.venueOrderId };
    if (state.status !== 'DEAD_LETTER') applySnapshot(snapshot);
    return {
      state,
      venueOrderId: snapshot.order.venueOrderId,
      filledBefore: '0',
      clientOrderIdRules: idRules,
      rules,
      ...(expiry === undefined ? {} : { expireAt: expiry }),
    };
  }

  /** Follows a live order until it ends, serving commands, expiry and continue-as-new. */
  async function follow(live: CarriedOrder): Promise<OrderState> {
    let { venueOrderId, filledBefore } = live;
    const { clientOrderIdRules, expireAt: expiry } = live;
    let venueState: VenueState = 'open';

    while (!isTerminal(state.status)) {
      await books?.keep(state);
      if (state.status === 'DEAD_LETTER') {
        const decision = await operatorDecision();
        if (decision.kind === 'retry') {
          // Back to following: the next poll brings the venue's current word.
          setStatus(isFullyFilled(state) ? 'PARTIALLY_FILLED' : workingStatus(state), decision.reason);
          decision.resolve({ accepted: true, status: state.status });
        } else {
          const cancelled = await cancelAtVenue(venueOrderId, 'CANCELLED', `ABANDONED: ${decision.reason}`);
          decision.resolve({
            accepted: cancelled,
            status: state.status,
            ...(cancelled ? {} : { reason: `ORDER_${state.status}` }),
          });
        }
        continue;
      }
      const command = commands.shift();
      if (command !== undefined) {
        ({ venueOrderId, filledBefore } = await serve(
          command,
          venueOrderId,
          filledBefore,
          clientOrderIdRules,
        ));
        continue;
      }
      if (expiry !== undefined && Date.now() >= Date.parse(expiry)) {
        await cancelAtVenue(venueOrderId, 'EXPIRED', 'TIME_IN_FORCE_EXPIRED');
        continue;
      }
      if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > HISTORY_EVENTS_LIMIT) {
        await reportsDelivered();
        await condition(allHandlersFinished);
        if (commands.length === 0) {
          const next: CarriedOrder = {
            state,
            venueOrderId,
            filledBefore,
            clientOrderIdRules,
            rules: live.rules,
            ...(expiry === undefined ? {} : { expireAt: expiry }),
          };
          await continueAsNew<typeof orderWorkflow>(state.request, next);
        }
        continue;
      }
      const untilExpiry = expiry === undefined ? undefined : Math.max(1, Date.parse(expiry) - Date.now());
      const snapshot = await followUntilInterrupted(venueOrderId, venueState, untilExpiry);
      if (snapshot !== undefined) {
        venueState = snapshot.order.state;
        applySnapshot(snapshot);
      }
    }
    return finish();
  }

  /** One follow activity, abandoned early when a command arrives or the order expires. */
  async function followUntilInterrupted(
    venueOrderId: string,
    venueState: VenueState,
    untilExpiryMs: number | undefined,
  ): Promise<OrderSnapshot | undefined> {
    const followScope = new CancellationScope();
    const following = followScope.run(() =>
      followCall({
        venue: state.request.venue,
        ref: { symbol: state.request.symbol, venueOrderId, clientOrderId: state.clientOrderId },
        known: { state: venueState, filledQuantity: legFilled(venueOrderId) },
        maxWaitMs: Math.min(FOLLOW_WINDOW_MS, untilExpiryMs ?? FOLLOW_WINDOW_MS),
      }),
    );
    // Cancelled when the follow wins, so no timer or condition outlives this round.
    const interruptScope = new CancellationScope();
    const interrupted = interruptScope.run(() =>
      untilExpiryMs === undefined
        ? condition(() => commands.length > 0)
        : condition(() => commands.length > 0, untilExpiryMs).then(() => undefined),
    );
    const winner = await Promise.race([
      following.then(
        (snapshot) => ({ snapshot }),
        (err: unknown) => ({ err }),
      ),
      interrupted.then(
        () => undefined,
        () => undefined,
      ),
    ]);
    if (winner !== undefined) {
      interruptScope.cancel();
      await interrupted.catch(() => undefined);
      if ('err' in winner) return venueFailed(winner.err);
      return winner.snapshot;
    }
    followScope.cancel();
    try {
      return await following;
    } catch (err) {
      return isCancellation(err) ? undefined : venueFailed(err);
    }
  }

  /** A venue call failed for good (retries are unlimited, so: non-retryable). Park the order. */
  function venueFailed(err: unknown): undefined {
    if (!(err instanceof ActivityFailure)) throw err;
    park(`VENUE_CALL_FAILED: ${errorMessage(err)}`);
    return undefined;
  }

  function legFilled(venueOrderId: string): string {
    return state.fills
      .filter((f) => f.venueOrderId === venueOrderId)
      .reduce((sum, f) => addDecimal(sum, f.quantity), '0');
  }

  function recordFills(fills: readonly Fill[], venueOrderId: string) {
    state = withFills(
      state,
      fills.map((f) => ({ ...f, venueOrderId: f.venueOrderId ?? venueOrderId })),
    );
    reportToParent();
  }

  /** Applies a venue snapshot of the current venue order: its fills and what its state means. */
  function applySnapshot(snapshot: OrderSnapshot) {
    recordFills(snapshot.fills, snapshot.order.venueOrderId);
    switch (snapshot.order.state) {
      case 'open':
        // The venue still works it: never FILLED while live there, whatever our fills add up to.
        return setStatus(isFullyFilled(state) ? 'PARTIALLY_FILLED' : workingStatus(state));
      case 'closed': // FILLED once our fills add up; until then it stays working and is followed
        return setStatus(workingStatus(state));
      case 'canceled':
        return setStatus('CANCELLED', state.status === 'PENDING_CANCEL' ? undefined : 'CANCELLED_BY_VENUE');
      case 'expired': // IOC/FOK remainder, or the venue expired it (e.g. self-trade prevention)
        return setStatus(
          'EXPIRED',
          isImmediate(state.request) ? 'TIME_IN_FORCE_EXPIRED' : 'EXPIRED_BY_VENUE',
        );
      case 'rejected':
        // Rejected after part of it traded: the fills stand, the rest ended.
        return setStatus(isNothingFilled() ? 'REJECTED' : 'EXPIRED', 'VENUE_REJECTED');
    }
  }

  function isNothingFilled(): boolean {
    return state.fills.length === 0;
  }

  async function serve(
    command: Command,
    venueOrderId: string,
    filledBefore: string,
    idRules: ClientOrderIdRuleName,
  ): Promise<{ venueOrderId: string; filledBefore: string }> {
    if (isTerminal(state.status) || state.status === 'DEAD_LETTER') {
      command.resolve({ accepted: false, reason: `ORDER_${state.status}`, status: state.status });
      return { venueOrderId, filledBefore };
    }
    if (command.kind === 'cancel') {
      const accepted = await cancelAtVenue(venueOrderId, 'CANCELLED', command.reason);
      command.resolve(
        accepted
          ? { accepted: true, status: state.status }
          : { accepted: false, reason: `ORDER_${state.status}`, status: state.status },
      );
      return { venueOrderId, filledBefore };
    }
    if (command.kind === 'refresh') {
      await refresh(command.reason, venueOrderId);
      command.resolve({ accepted: true, status: state.status });
      return { venueOrderId, filledBefore };
    }
    if (command.kind !== 'amend') {
      command.resolve({ accepted: false, reason: 'ORDER_NOT_PARKED', status: state.status });
      return { venueOrderId, filledBefore };
    }
    return amendAtVenue(command, venueOrderId, filledBefore, idRules);
  }

  /** Looks the live venue order up now and applies what the venue says (fills, its end). */
  async function refresh(reason: string, venueOrderId: string): Promise<void> {
    log.info('looking the order up again', { orderId, reason });
    try {
      const found = await venueCalls.lookUpOrder({
        venue: state.request.venue,
        ref: { symbol: state.request.symbol, venueOrderId },
      });
      if (found !== null) applySnapshot(found);
    } catch (err) {
      venueFailed(err);
    }
  }

  /**
   * Cancels the live venue order; true if it ended as `outcome` (not filled first). A venue that
   * refuses the cancel is asked again with a pause; after CANCEL_ATTEMPTS the order is parked.
   */
  async function cancelAtVenue(
    venueOrderId: string,
    outcome: 'CANCELLED' | 'EXPIRED',
    reason: string,
  ): Promise<boolean> {
    for (let attempt = 1; attempt <= CANCEL_ATTEMPTS; attempt++) {
      setStatus('PENDING_CANCEL', reason);
      let snapshot: OrderSnapshot;
      try {
        snapshot = await venueCalls.cancelOrder({
          venue: state.request.venue,
          ref: { symbol: state.request.symbol, venueOrderId },
        });
      } catch (err) {
        venueFailed(err);
        return false;
      }
      recordFills(snapshot.fills, venueOrderId);
      if (snapshot.order.state === 'closed') {
        applySnapshot(snapshot);
        return false;
      }
      if (snapshot.order.state !== 'open') {
        setStatus(outcome, reason);
        return true;
      }
      setStatus(isFullyFilled(state) ? 'PARTIALLY_FILLED' : workingStatus(state)); // refused: still working
      await sleep(attempt * 1000);
    }
    park(`CANCEL_REFUSED: the venue refused ${CANCEL_ATTEMPTS} cancels (${reason})`);
    return false;
  }

  async function amendAtVenue(
    command: Extract<Command, { kind: 'amend' }>,
    venueOrderId: string,
    filledBefore: string,
    idRules: ClientOrderIdRuleName,
  ): Promise<{ venueOrderId: string; filledBefore: string }> {
    const amend = command.amend;
    const sequence = state.replaceSequence + 1;
    const newClientOrderId = deriveClientOrderId(orderId, sequence, CLIENT_ORDER_ID_RULES[idRules]);
    const current = state.request;
    const quantity = amend.quantity ?? current.quantity;
    const limitPrice = amend.limitPrice ?? current.limitPrice;
    const stopPrice = amend.stopPrice ?? current.stopPrice;
    setStatus('PENDING_REPLACE');
    let result;
    try {
      result = await venueCalls.amendOrder({
        venue: current.venue,
        totalQuantity: quantity,
        filledBefore,
        replace: { symbol: current.symbol, venueOrderId },
        replacement: {
          clientOrderId: newClientOrderId,
          symbol: current.symbol,
          side: current.side,
          type: current.type,
          ...(limitPrice === undefined ? {} : { limitPrice }),
          ...(stopPrice === undefined ? {} : { stopPrice }),
          timeInForce: venueTimeInForce(current),
          ...(current.postOnly ? { postOnly: true } : {}),
        },
      });
    } catch (err) {
      venueFailed(err);
      command.resolve({ accepted: false, reason: 'ORDER_PARKED', status: state.status });
      return { venueOrderId, filledBefore };
    }
    if (!result.replaced) {
      recordFills(result.current.fills, venueOrderId);
      const ended = result.current.order.state;
      if (ended === 'open') setStatus(isFullyFilled(state) ? 'PARTIALLY_FILLED' : workingStatus(state));
      else if (ended === 'canceled') setStatus('CANCELLED', `REPLACE_FAILED_AFTER_CANCEL: ${result.reason}`);
      else applySnapshot(result.current);
      command.resolve({ accepted: false, reason: result.reason, status: state.status });
      return { venueOrderId, filledBefore };
    }
    // The old venue order is done: its fills are final and count as "filled before".
    recordFills(result.previous.fills, venueOrderId);
    const nextFilledBefore = addDecimal(filledBefore, result.previous.order.filledQuantity);
    state = withQuantity(state, quantity);
    state = {
      ...state,
      request: {
        ...state.request,
        ...(limitPrice === undefined ? {} : { limitPrice }),
        ...(stopPrice === undefined ? {} : { stopPrice }),
      },
      clientOrderId: newClientOrderId,
      venueOrderId: result.replacement.order.venueOrderId,
      replaceSequence: sequence,
    };
    applySnapshot(result.replacement);
    command.resolve({ accepted: true, status: state.status });
    return { venueOrderId: result.replacement.order.venueOrderId, filledBefore: nextFilledBefore };
  }

  function takeCancel(): Extract<Command, { kind: 'cancel' }> | undefined {
    const index = commands.findIndex((c) => c.kind === 'cancel');
    if (index < 0) return undefined;
    const [cancel] = commands.splice(index, 1);
    return cancel as Extract<Command, { kind: 'cancel' }>;
  }

  /** Parks the order: state kept, every waiting command answered. */
  function park(reason: string) {
    if (isTerminal(state.status)) {
      log.error('cannot park an order that already ended', { orderId, status: state.status, reason });
      return;
    }
    if (state.status !== 'DEAD_LETTER') {
      state = withStatus(state, 'DEAD_LETTER', now(), reason);
      upsertSearchAttributes([{ key: SA.OrderStatus, value: 'DEAD_LETTER' }]);
      log.warn('order parked in dead letter', { orderId, reason });
      countDeadLetter(state.request.venue);
      reportToParent();
    }
    answerAll({ accepted: false, reason: 'ORDER_PARKED', status: state.status });
  }

  /**
   * Waits, parked, for an operator's retry or abandon (a kill switch counts as abandon). The
   * order may be live at the venue, so it never ends here on its own.
   */
  async function operatorDecision(): Promise<Decision> {
    const isDecision = (c: Command) =>
      c.kind === 'retry' || c.kind === 'abandon' || (c.kind === 'cancel' && c.kill === true);
    await condition(() => commands.some(isDecision));
    const index = commands.findIndex(isDecision);
    const [command] = commands.splice(index, 1) as [Command];
    if (command.kind === 'cancel')
      return { kind: 'abandon', reason: command.reason, resolve: command.resolve };
    return command as Decision;
  }

  /**
   * Abandons an order whose send never resolved: the venue is asked whether it has it. A live one
   * is cancelled, one that traded keeps its fills, one the venue never saw ends CANCELLED.
   * Returns the snapshot to follow on with, or undefined when the order ended here.
   */
  async function abandonUnsent(decision: Decision): Promise<OrderSnapshot | undefined> {
    let found: OrderSnapshot | null;
    try {
      found = await venueCalls.lookUpOrder({
        venue: state.request.venue,
        ref: { symbol: state.request.symbol, clientOrderId: state.clientOrderId },
      });
    } catch (err) {
      decision.resolve({
        accepted: false,
        reason: `LOOKUP_FAILED: ${errorMessage(err)}`,
        status: state.status,
      });
      return abandonUnsent(await operatorDecision());
    }
    if (found === null) {
      setStatus('CANCELLED', `ABANDONED: ${decision.reason} (the venue never had it)`);
      decision.resolve({ accepted: true, status: state.status });
      return undefined;
    }
    state = { ...state, venueOrderId: found.order.venueOrderId };
    if (found.order.state !== 'open') {
      setStatus('SUBMITTED', decision.reason);
      applySnapshot(found);
      decision.resolve({ accepted: false, reason: `ORDER_${state.status}`, status: state.status });
      return undefined;
    }
    setStatus('SUBMITTED', decision.reason);
    applySnapshot(found);
    const cancelled = await cancelAtVenue(
      found.order.venueOrderId,
      'CANCELLED',
      `ABANDONED: ${decision.reason}`,
    );
    decision.resolve({
      accepted: cancelled,
      status: state.status,
      ...(cancelled ? {} : { reason: `ORDER_${state.status}` }),
    });
    return isTerminal(state.status) ? undefined : found;
  }

  function answerAll(result: CommandResult) {
    for (const c of commands.splice(0)) c.resolve(result);
  }

  async function finish(): Promise<OrderState> {
    answerAll({ accepted: false, reason: 'ORDER_ENDED', status: state.status });
    await books?.keep(state);
    await condition(allHandlersFinished);
    await reportsDelivered();
    return state;
  }
}

/** Venue-side TIF: DAY and GTD rest as GTC at the venue; Ordo's durable timer expires them. */
function venueTimeInForce(request: OrderRequest): 'GTC' | 'IOC' | 'FOK' {
  if (request.type === 'market') return 'IOC';
  return request.timeInForce === 'IOC' || request.timeInForce === 'FOK' ? request.timeInForce : 'GTC';
}

function isImmediate(request: OrderRequest): boolean {
  return venueTimeInForce(request) !== 'GTC';
}

/** Only well-formed values are indexed: a malformed request must still reach DENIED. */
function searchAttributesOf(request: OrderRequest, status: OrderStatus) {
  const keyword = (value: unknown): value is string =>
    typeof value === 'string' && value.length > 0 && value.length <= MAX_ATTRIBUTE_LENGTH;
  const fields = [
    [SA.Symbol, request.symbol],
    [SA.Side, request.side],
    [SA.Venue, request.venue],
    [SA.StrategyId, request.strategyId],
    [SA.ParentId, request.parentId],
  ] as const;
  return [
    { key: SA.OrderStatus, value: status },
    ...fields.filter(([, value]) => keyword(value)).map(([key, value]) => ({ key, value: value as string })),
  ];
}

/** A refused request is kept as it came, for the status query; nothing of it is used to trade. */
function rawEcho(input: unknown): OrderRequest {
  return (typeof input === 'object' && input !== null ? input : {}) as OrderRequest;
}

function applicationFailureOf(err: unknown): ApplicationFailure | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure ? cause : undefined;
}

function errorMessage(err: unknown): string {
  const failure = applicationFailureOf(err);
  return failure?.message ?? (err instanceof Error ? err.message : String(err));
}
