/**
 * orderWorkflow: one order's whole life, deterministic. Decisions come from pure src/domain
 * functions; every venue call is an activity. The main loop is the only code that changes the
 * order; update and signal handlers queue commands for it and wait for its answer.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { OrderActivities, OrderSnapshot, PreparedOrder } from '../activities/types';
import { deriveClientOrderId } from '../domain/client-order-id';
import { CLIENT_ORDER_ID_RULES, type ClientOrderIdRuleName } from '../domain/client-order-id-rules';
import { add as addDecimal } from '../domain/decimal';
import { checkMarketRules } from '../domain/market-rules';
import { type OrderRequest, type RequestIssue, validateOrderRequest } from '../domain/order-request';
import {
  type OrderState,
  newOrderState,
  withFills,
  withQuantity,
  withStatus,
  workingStatus,
} from '../domain/order-state';
import { checkPreTradeRisk } from '../domain/risk';
import { type OrderStatus, isTerminal } from '../domain/status';
import { type AmendCommand, validateAmend, validateCancel } from './order-commands';
import {
  type AmendRequest,
  type CancelRequest,
  type CommandResult,
  amendUpdate,
  cancelUpdate,
  killSwitchSignal,
  statusQuery,
} from './messages';
import { SA } from './search-attributes';

/** How long one follow activity waits for a change before reporting back. */
const FOLLOW_WINDOW_MS = 60_000;
/** Continue-as-new past this many events even if the server does not suggest it yet. */
const HISTORY_EVENTS_LIMIT = 8_000;

const venueCalls = proxyActivities<OrderActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

const submitCall = proxyActivities<OrderActivities>({
  // Short enough that after a worker crash the retry (which looks the order up first) comes soon.
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
  expireAt?: string;
}

type Command =
  | { kind: 'cancel'; reason: string; resolve: (r: CommandResult) => void }
  | { kind: 'amend'; amend: AmendCommand; resolve: (r: CommandResult) => void };

export async function orderWorkflow(input: unknown, carried?: CarriedOrder): Promise<OrderState> {
  const info = workflowInfo();
  const orderId = info.workflowId;
  const now = () => new Date().toISOString(); // workflow time: deterministic in the sandbox
  const commands: Command[] = [];

  const firstValidation =
    carried === undefined ? validateOrderRequest(input, { now: new Date() }) : undefined;
  const request: OrderRequest =
    carried?.state.request ?? (firstValidation?.ok ? firstValidation.request : rawEcho(input));
  let state: OrderState = carried?.state ?? newOrderState(orderId, request, orderId, now());

  const setStatus = (status: OrderStatus, reason?: string) => {
    const before = state.status;
    state = withStatus(state, status, now(), reason);
    if (state.status !== before) {
      upsertSearchAttributes([{ key: SA.OrderStatus, value: state.status }]);
      log.info('order status', { orderId, status: state.status, reason });
    }
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
        commands.push({ kind: 'amend', amend: validateAmend(state, req), resolve }),
      ),
    { validator: (req: AmendRequest) => void validateAmend(state, req) },
  );
  setHandler(killSwitchSignal, ({ reason }) => {
    if (!isTerminal(state.status))
      commands.push({ kind: 'cancel', reason: `KILL_SWITCH: ${reason}`, resolve: () => undefined });
  });

  upsertSearchAttributes(searchAttributesOf(request, state.status));

  if (carried === undefined) {
    if (firstValidation !== undefined && !firstValidation.ok) {
      return deny(firstValidation.issues);
    }
    const prepared = await prepare(request);
    if ('issues' in prepared) return deny(prepared.issues);
    const issues = [
      ...checkMarketRules(request, prepared.rules, prepared.referencePrice),
      ...checkPreTradeRisk(request),
    ];
    if (issues.length > 0) return deny(issues);
    const rules = prepared.clientOrderIdRules;
    state = { ...state, clientOrderId: deriveClientOrderId(orderId, 0, CLIENT_ORDER_ID_RULES[rules]) };
    const expireAt = request.timeInForce === 'DAY' ? prepared.dayCloseAt : request.expireAt;
    const live = await send(rules, expireAt);
    if (live === undefined) return finish();
    return follow(live);
  }
  return follow(carried);

  // ---- steps -------------------------------------------------------------------------------

  function deny(issues: RequestIssue[]): OrderState {
    state = { ...state, reason: undefined };
    setStatus('DENIED', issues.map((i) => i.code).join(','));
    state = { ...state, reason: issues.map((i) => `${i.code}: ${i.message}`).join('; ') };
    answerAll({ accepted: false, reason: 'ORDER_DENIED', status: state.status });
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
    rules: ClientOrderIdRuleName,
    expireAt: string | undefined,
  ): Promise<CarriedOrder | undefined> {
    const cancel = takeCancel();
    if (cancel !== undefined) {
      setStatus('CANCELLED', cancel.reason);
      cancel.resolve({ accepted: true, status: state.status });
      return undefined;
    }
    setStatus('SUBMITTED');
    let snapshot: OrderSnapshot;
    try {
      snapshot = await submitCall({
        venue: request.venue,
        order: {
          clientOrderId: state.clientOrderId,
          symbol: request.symbol,
          side: request.side,
          type: request.type,
          quantity: request.quantity,
          ...(request.limitPrice === undefined ? {} : { limitPrice: request.limitPrice }),
          ...(request.stopPrice === undefined ? {} : { stopPrice: request.stopPrice }),
          timeInForce: venueTimeInForce(request),
          ...(request.postOnly ? { postOnly: true } : {}),
        },
      });
    } catch (err) {
      const failure = applicationFailureOf(err);
      if (failure?.nonRetryable) {
        setStatus('REJECTED', failure.type ?? 'VENUE_REJECTED');
        state = { ...state, reason: `${failure.type}: ${failure.message}` };
        return undefined;
      }
      // Retries exhausted with the outcome unknown: park it, nothing is lost.
      setStatus('DEAD_LETTER', `SUBMIT_UNRESOLVED: ${errorMessage(err)}`);
      return parkedInDeadLetter();
    }
    const carriedOrder: CarriedOrder = {
      state,
      venueOrderId: snapshot.order.venueOrderId,
      filledBefore: '0',
      clientOrderIdRules: rules,
      ...(expireAt === undefined ? {} : { expireAt }),
    };
    state = { ...state, venueOrderId: snapshot.order.venueOrderId };
    applySnapshot(snapshot);
    return { ...carriedOrder, state };
  }

  /** Follows a live order until it ends, serving commands, expiry and continue-as-new. */
  async function follow(live: CarriedOrder): Promise<OrderState> {
    let { venueOrderId, filledBefore } = live;
    const { clientOrderIdRules, expireAt } = live;
    let venueState: OrderSnapshot['order']['state'] = 'open';

    while (!isTerminal(state.status)) {
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
      if (expireAt !== undefined && Date.now() >= Date.parse(expireAt)) {
        await cancelAtVenue(venueOrderId, filledBefore, 'EXPIRED', 'TIME_IN_FORCE_EXPIRED');
        continue;
      }
      if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > HISTORY_EVENTS_LIMIT) {
        await condition(allHandlersFinished);
        if (commands.length === 0) {
          const next: CarriedOrder = {
            state,
            venueOrderId,
            filledBefore,
            clientOrderIdRules,
            ...(expireAt ? { expireAt } : {}),
          };
          await continueAsNew<typeof orderWorkflow>(request, next);
        }
        continue;
      }
      const untilExpiry = expireAt === undefined ? undefined : Math.max(1, Date.parse(expireAt) - Date.now());
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
    venueState: OrderSnapshot['order']['state'],
    untilExpiryMs: number | undefined,
  ): Promise<OrderSnapshot | undefined> {
    const filledOnLeg = legFilled();
    const scope = new CancellationScope();
    const following = scope.run(() =>
      followCall({
        venue: request.venue,
        ref: { symbol: request.symbol, venueOrderId, clientOrderId: state.clientOrderId },
        known: { state: venueState, filledQuantity: filledOnLeg },
        maxWaitMs: Math.min(FOLLOW_WINDOW_MS, untilExpiryMs ?? FOLLOW_WINDOW_MS),
      }),
    );
    const interrupted = CancellationScope.cancellable(() =>
      untilExpiryMs === undefined
        ? condition(() => commands.length > 0).then(() => true)
        : condition(() => commands.length > 0, untilExpiryMs),
    ).then(() => undefined);
    const winner = await Promise.race([
      following.then((s) => ({ snapshot: s })),
      interrupted.then(() => undefined),
    ]);
    if (winner !== undefined) return winner.snapshot;
    scope.cancel();
    try {
      return await following;
    } catch (err) {
      if (isCancellation(err)) return undefined;
      throw err;
    }
  }

  function legFilled(): string {
    const legFills = state.fills.filter((f) => f.venueOrderId === state.venueOrderId);
    return legFills.reduce((sum, f) => addDecimal(sum, f.quantity), '0');
  }

  /** Applies a venue snapshot of the current venue order: its fills and what its state means. */
  function applySnapshot(snapshot: OrderSnapshot) {
    state = withFills(
      state,
      snapshot.fills.map((f) => ({ ...f, venueOrderId: f.venueOrderId ?? snapshot.order.venueOrderId })),
    );
    switch (snapshot.order.state) {
      case 'open':
        return setStatus(workingStatus(state));
      case 'closed': // FILLED once our fills add up; until then it stays working and is followed
        return setStatus(workingStatus(state));
      case 'canceled':
        return setStatus('CANCELLED', state.status === 'PENDING_CANCEL' ? undefined : 'CANCELLED_BY_VENUE');
      case 'expired': // IOC/FOK remainder, or the venue expired it (e.g. self-trade prevention)
        return setStatus(
          'EXPIRED',
          request.timeInForce === 'IOC' || request.timeInForce === 'FOK'
            ? 'TIME_IN_FORCE_EXPIRED'
            : 'EXPIRED_BY_VENUE',
        );
      case 'rejected':
        return setStatus('REJECTED', 'VENUE_REJECTED');
    }
  }

  async function serve(
    command: Command,
    venueOrderId: string,
    filledBefore: string,
    rules: ClientOrderIdRuleName,
  ): Promise<{ venueOrderId: string; filledBefore: string }> {
    if (isTerminal(state.status)) {
      command.resolve({ accepted: false, reason: 'ORDER_ENDED', status: state.status });
      return { venueOrderId, filledBefore };
    }
    if (command.kind === 'cancel') {
      const accepted = await cancelAtVenue(venueOrderId, filledBefore, 'CANCELLED', command.reason);
      command.resolve(
        accepted
          ? { accepted: true, status: state.status }
          : { accepted: false, reason: `ORDER_${state.status}`, status: state.status },
      );
      return { venueOrderId, filledBefore };
    }
    return amendAtVenue(command, venueOrderId, filledBefore, rules);
  }

  /** Cancels the live venue order; true if it ended as `outcome` (not filled first). */
  async function cancelAtVenue(
    venueOrderId: string,
    filledBefore: string,
    outcome: 'CANCELLED' | 'EXPIRED',
    reason: string,
  ): Promise<boolean> {
    setStatus('PENDING_CANCEL', reason);
    const snapshot = await venueCalls.cancelOrder({
      venue: request.venue,
      ref: { symbol: request.symbol, venueOrderId },
    });
    state = withFills(
      state,
      snapshot.fills.map((f) => ({ ...f, venueOrderId: f.venueOrderId ?? venueOrderId })),
    );
    if (snapshot.order.state === 'open') {
      setStatus(workingStatus(state)); // the venue refused the cancel: still working
      return false;
    }
    if (snapshot.order.state === 'closed') {
      applySnapshot(snapshot);
      return false;
    }
    setStatus(outcome, reason);
    return true;
  }

  async function amendAtVenue(
    command: Extract<Command, { kind: 'amend' }>,
    venueOrderId: string,
    filledBefore: string,
    rules: ClientOrderIdRuleName,
  ): Promise<{ venueOrderId: string; filledBefore: string }> {
    const amend = command.amend;
    const sequence = state.replaceSequence + 1;
    const newClientOrderId = deriveClientOrderId(orderId, sequence, CLIENT_ORDER_ID_RULES[rules]);
    const quantity = amend.quantity ?? request.quantity;
    const limitPrice = amend.limitPrice ?? state.request.limitPrice;
    const stopPrice = amend.stopPrice ?? state.request.stopPrice;
    setStatus('PENDING_REPLACE');
    const result = await venueCalls.amendOrder({
      venue: request.venue,
      totalQuantity: quantity,
      filledBefore,
      amendment: {
        order: { symbol: request.symbol, venueOrderId },
        side: request.side,
        type: request.type,
        newClientOrderId,
        ...(limitPrice === undefined ? {} : { limitPrice }),
        ...(stopPrice === undefined ? {} : { stopPrice }),
        timeInForce: venueTimeInForce(request),
        ...(request.postOnly ? { postOnly: true } : {}),
      },
    });
    if (!result.replaced) {
      applyAfterFailedReplace(result.current);
      command.resolve({ accepted: false, reason: result.reason, status: state.status });
      return { venueOrderId, filledBefore };
    }
    // The old venue order is done: its fills are final and count as "filled before".
    state = withFills(
      state,
      result.previous.fills.map((f) => ({ ...f, venueOrderId: f.venueOrderId ?? venueOrderId })),
    );
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

  function applyAfterFailedReplace(current: OrderSnapshot) {
    state = withFills(
      state,
      current.fills.map((f) => ({ ...f, venueOrderId: f.venueOrderId ?? current.order.venueOrderId })),
    );
    if (current.order.state === 'open') setStatus(workingStatus(state));
    else if (current.order.state === 'canceled') setStatus('CANCELLED', 'REPLACE_FAILED_AFTER_CANCEL');
    else applySnapshot(current);
  }

  function takeCancel(): Extract<Command, { kind: 'cancel' }> | undefined {
    const index = commands.findIndex((c) => c.kind === 'cancel');
    if (index < 0) return undefined;
    const [cancel] = commands.splice(index, 1);
    return cancel as Extract<Command, { kind: 'cancel' }>;
  }

  async function parkedInDeadLetter(): Promise<undefined> {
    // Parked with its state kept: the order may be live at the venue, so it must not end here.
    // The operator's `retry` / `abandon` updates (issue 3) are what move it on.
    await condition(() => !isParked());
    return undefined;
  }

  function isParked(): boolean {
    return state.status === 'DEAD_LETTER';
  }

  function answerAll(result: CommandResult) {
    for (const c of commands.splice(0)) c.resolve(result);
  }

  async function finish(): Promise<OrderState> {
    answerAll({ accepted: false, reason: 'ORDER_ENDED', status: state.status });
    await condition(allHandlersFinished);
    return state;
  }
}

/** Venue-side TIF: DAY and GTD rest as GTC at the venue; Ordo's durable timer expires them. */
function venueTimeInForce(request: OrderRequest): 'GTC' | 'IOC' | 'FOK' {
  if (request.type === 'market') return 'IOC';
  return request.timeInForce === 'IOC' || request.timeInForce === 'FOK' ? request.timeInForce : 'GTC';
}

function searchAttributesOf(request: OrderRequest, status: OrderStatus) {
  const pairs = [
    { key: SA.OrderStatus, value: status },
    ...(typeof request.symbol === 'string' ? [{ key: SA.Symbol, value: request.symbol }] : []),
    ...(typeof request.side === 'string' ? [{ key: SA.Side, value: request.side }] : []),
    ...(typeof request.venue === 'string' ? [{ key: SA.Venue, value: request.venue }] : []),
    ...(request.strategyId ? [{ key: SA.StrategyId, value: request.strategyId }] : []),
    ...(request.parentId ? [{ key: SA.ParentId, value: request.parentId }] : []),
  ];
  return pairs;
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
