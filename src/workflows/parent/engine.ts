/**
 * The parent-order engine every algorithm runs on: validation, the venue's rules, messages
 * (progress, pause, resume, cancel, amend, killSwitch), child orders `<parentId>-<n>` and
 * continue-as-new. A driver decides what to trade next; the engine does it.
 *
 * Never over-trading: children of one wave are sized from what is filled once the previous wave
 * ended, and a wave never asks for more than remains; a wave is interrupted only by cancelling its
 * children and waiting for their final word. Children outlive a terminated parent (ABANDON): a
 * child order may be live at its venue and must end through its own workflow, never be killed.
 */
import {
  ApplicationFailure,
  type ChildWorkflowHandle,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { cmp, isDecimalText, isMultipleOfStep, isPositive } from '../../domain/decimal';
import { type MarketRules, checkMarketRules } from '../../domain/market-rules';
import type { OrderRequest, RequestIssue } from '../../domain/order-request';
import type { OrderState } from '../../domain/order-state';
import { type ParentRequest, validateParentRequest } from '../../domain/algos/params';
import type { Algo } from '../../domain/algos/types';
import { killSwitchSignal } from '../messages';
import type { orderWorkflow } from '../order-workflow';
import {
  type ParentAmendRequest,
  type ParentCommandResult,
  type ParentProgress,
  type ParentReasonRequest,
  type ParentStatus,
  childReportSignal,
  isParentTerminal,
  parentAmendUpdate,
  parentCancelSignal,
  parentCancelUpdate,
  pauseUpdate,
  progressQuery,
  resumeUpdate,
} from '../parent-messages';
import { SA } from '../search-attributes';
import { marketCalls, prepareCall, tradingCalls } from './calls';
import {
  type ParentAmend,
  committedQuantity,
  validateCancel,
  validateParentAmend,
  validatePause,
  validateResume,
} from './commands';
import type { AlgoDriver, ChildOrder, ParentContext, Step } from './driver';
import {
  STOPPED_BY_PARENT,
  newProgress,
  withChildReport,
  withNote,
  withRequest,
  withSchedule,
  withScheduled,
  withSlice,
  withStatus,
  withTotals,
  withoutScheduledTail,
} from './progress';

/** Continue-as-new past this many events even if the server does not suggest it yet. */
const HISTORY_EVENTS_LIMIT = 8_000;
/** Marks runs that read the trading state before they start. */
const TRADING_STATE_PATCH = 'parent-checks-trading-state';
/** Marks runs in which the kill switch pauses the parent instead of cancelling it. */
const KILL_PAUSES_PATCH = 'kill-switch-pauses-parent';
/** A resting (GTD) slice needs at least this long to live; shorter ones are sent IOC. */
const MIN_RESTING_MS = 1_000;

/** What a new run (after continue-as-new) needs to carry on. */
export interface ParentCarried {
  progress: ParentProgress;
  request: ParentRequest;
  rules: MarketRules;
  referencePrice?: string;
  childSeq: number;
  paused: boolean;
  driver: unknown;
}

export type DriverFactory = (request: ParentRequest, carried: unknown) => AlgoDriver;

type Resolve = (r: ParentCommandResult) => void;
type Command =
  | { kind: 'pause' | 'resume'; reason: string; resolve: Resolve }
  | { kind: 'cancel'; reason: string; kill: boolean; resolve: Resolve }
  | { kind: 'amend'; amend: ParentAmend; resolve: Resolve };

export async function runParent(
  algo: Algo,
  input: unknown,
  carried: ParentCarried | undefined,
  makeDriver: DriverFactory,
): Promise<ParentProgress> {
  const parentId = workflowInfo().workflowId;
  const nowIso = () => new Date().toISOString(); // workflow time: deterministic in the sandbox
  const commands: Command[] = [];
  /** Working children: id → quantity. */
  const working = new Map<string, string>();
  let progress: ParentProgress =
    carried?.progress ?? newProgress(parentId, algo, quantityOf(input), nowIso());
  let request: ParentRequest | undefined = carried?.request;
  let rules: MarketRules | undefined = carried?.rules;
  let referencePrice = carried?.referencePrice;
  let childSeq = carried?.childSeq ?? 0;
  let paused = carried?.paused ?? false;
  let childrenThisRun = 0;
  let driver: AlgoDriver | undefined;

  const setStatus = (status: ParentStatus, reason?: string) => {
    const before = progress.status;
    progress = withStatus(progress, status, nowIso(), reason);
    if (progress.status !== before) {
      upsertSearchAttributes([{ key: SA.OrderStatus, value: progress.status }]);
      log.info('parent status', { parentId, algo, status: progress.status, reason });
    }
  };

  setHandler(progressQuery, () =>
    driver === undefined || request === undefined
      ? progress
      : withSchedule(progress, driver.scheduled(context)),
  );
  setHandler(childReportSignal, (report) => {
    progress = withChildReport(progress, report);
  });
  const enqueue = (kind: 'pause' | 'resume') => (req: ParentReasonRequest) =>
    new Promise<ParentCommandResult>((resolve) =>
      commands.push({ kind, reason: req?.reason ?? `${kind.toUpperCase()}_REQUESTED`, resolve }),
    );
  setHandler(pauseUpdate, enqueue('pause'), {
    validator: (_req: ParentReasonRequest) => validatePause(progress),
  });
  setHandler(resumeUpdate, enqueue('resume'), {
    validator: (_req: ParentReasonRequest) => validateResume(progress),
  });
  setHandler(
    parentCancelUpdate,
    (req: ParentReasonRequest) =>
      new Promise<ParentCommandResult>((resolve) =>
        commands.push({ kind: 'cancel', reason: req?.reason ?? 'CANCEL_REQUESTED', kill: false, resolve }),
      ),
    { validator: (_req: ParentReasonRequest) => validateCancel(progress) },
  );
  const amendOf = (req: ParentAmendRequest) =>
    validateParentAmend(progress, req, {
      ...(rules === undefined ? {} : { rules }),
      committed: committedQuantity(progress, working),
      nowMs: Date.now(),
    });
  setHandler(
    parentAmendUpdate,
    (req: ParentAmendRequest) =>
      new Promise<ParentCommandResult>((resolve) =>
        commands.push({ kind: 'amend', amend: amendOf(req), resolve }),
      ),
    { validator: (req: ParentAmendRequest) => void amendOf(req) },
  );
  setHandler(killSwitchSignal, ({ reason }) => {
    if (!isParentTerminal(progress.status))
      commands.push({
        kind: 'cancel',
        reason: `KILL_SWITCH: ${reason}`,
        kill: true,
        resolve: () => undefined,
      });
  });

  const context: ParentContext = {
    parentId,
    request: () => required(request),
    rules: () => required(rules),
    referencePrice: () => referencePrice,
    nowMs: () => Date.now(),
    filled: () => progress.filledQuantity,
    remaining: () => progress.remainingQuantity,
    progress: () => progress,
    schedule: (slices) => {
      const added = withScheduled(progress, slices);
      progress = added.progress;
      return added.indexes;
    },
    unscheduleRest: () => {
      progress = withoutScheduledTail(progress);
    },
    skipSlice: (index, note) => {
      progress = withSlice(progress, index, { status: 'SKIPPED', note });
    },
    note: (text) => {
      progress = withNote(progress, text);
    },
  };

  if (carried === undefined) {
    const started = await begin();
    if (!started) return finish();
  } else {
    upsertSearchAttributes(searchAttributesOf(algo, required(request), progress.status));
    driver = makeDriver(required(request), carried.driver);
  }
  return run(required(driver));

  // ---- start ---------------------------------------------------------------------------------

  /** Validates, reads the market, plans; false when the parent was denied. */
  async function begin(): Promise<boolean> {
    const validation = validateParentRequest(algo, input, { now: new Date(), parentId });
    upsertSearchAttributes(
      searchAttributesOf(algo, validation.ok ? validation.request : rawOf(input), 'PENDING'),
    );
    if (!validation.ok) return deny(validation.issues);
    if (validation.request.parentId !== undefined && validation.request.parentId !== parentId)
      return deny([
        {
          code: 'PARENT_ID_MISMATCH',
          field: 'parentId',
          message: `parentId ${validation.request.parentId} is not the workflow id ${parentId}`,
        },
      ]);
    request = validation.request;
    progress = withRequest(progress, request);
    if (patched(TRADING_STATE_PATCH)) {
      const halted = await tradingRefusal();
      if (halted !== undefined) return deny([halted]);
    }
    const prepared = await prepareMarket(request);
    if ('issues' in prepared) return deny(prepared.issues);
    ({ rules, referencePrice } = prepared);
    const issues = quantityIssues(request, prepared.rules, prepared.referencePrice);
    if (issues.length > 0) return deny(issues);
    try {
      const quote = await marketCalls.marketQuote({ venue: primaryVenue(request), symbol: request.symbol });
      const arrival = quote.mid ?? quote.last ?? referencePrice;
      if (arrival !== undefined) progress = { ...progress, arrivalPrice: arrival };
    } catch (err) {
      progress = withNote(progress, `no arrival price: ${messageOf(err)}`);
    }
    driver = makeDriver(request, undefined);
    try {
      await driver.start(context);
    } catch (err) {
      // A plan that cannot be made (bad model inputs, no data) would fail every retry alike.
      const failure = applicationFailureOf(err);
      const code = failure?.type ?? (err as { code?: unknown }).code;
      return deny([{ code: typeof code === 'string' ? code : 'PLAN_FAILED', message: messageOf(err) }]);
    }
    return true;
  }

  /** A halted desk starts no parent order (each child checks again, and may be reduce-only). */
  async function tradingRefusal(): Promise<RequestIssue | undefined> {
    try {
      const trading = await tradingCalls.tradingState();
      return trading.state === 'HALTED'
        ? {
            code: 'TRADING_HALTED',
            message: `trading is halted${trading.reason ? ` (${trading.reason})` : ''}`,
          }
        : undefined;
    } catch (err) {
      return {
        code: 'TRADING_STATE_UNKNOWN',
        message: `the trading state could not be read: ${messageOf(err)}`,
      };
    }
  }

  async function prepareMarket(
    req: ParentRequest,
  ): Promise<{ rules: MarketRules; referencePrice?: string } | { issues: RequestIssue[] }> {
    try {
      if (req.algo === 'route') {
        const quotes = await marketCalls.routeQuotes({
          ...(req.venues === undefined ? {} : { venues: req.venues }),
          symbol: req.symbol,
          side: req.side,
        });
        const primary = [...quotes].sort((a, b) => a.priority - b.priority)[0];
        if (primary === undefined)
          return { issues: [{ code: 'NO_ROUTABLE_VENUE', message: 'no venue to route to' }] };
        const best = primary.levels[0]?.price;
        return { rules: primary.rules, ...(best === undefined ? {} : { referencePrice: best }) };
      }
      const prepared = await prepareCall({ venue: req.venue, symbol: req.symbol });
      return {
        rules: prepared.rules,
        ...(prepared.referencePrice === undefined ? {} : { referencePrice: prepared.referencePrice }),
      };
    } catch (err) {
      const failure = applicationFailureOf(err);
      if (failure === undefined) throw err;
      return { issues: [{ code: failure.type ?? 'VENUE_ERROR', message: failure.message }] };
    }
  }

  function deny(issues: RequestIssue[]): false {
    setStatus('DENIED', issues.map((i) => i.code).join(','));
    progress = { ...progress, reason: issues.map((i) => `${i.code}: ${i.message}`).join('; ') };
    return false;
  }

  // ---- the schedule ----------------------------------------------------------------------------

  async function run(algoDriver: AlgoDriver): Promise<ParentProgress> {
    while (!isParentTerminal(progress.status)) {
      const command = commands.shift();
      if (command !== undefined) {
        serve(command, algoDriver);
        continue;
      }
      const req = required(request);
      const endMs = req.endAt === undefined ? undefined : Date.parse(req.endAt);
      if (paused) {
        // A paused schedule still ends at its end time. It also wakes at each planned slice time:
        // a query sees the time of the last workflow task, so without a wake-up the progress of a
        // paused parent would never show it falling behind (behindSchedule).
        const nowMs = Date.now();
        const wakeMs = Math.min(
          endMs ?? Number.POSITIVE_INFINITY,
          ...progress.slices
            .filter((s) => s.status === 'SCHEDULED' && Date.parse(s.scheduledAt) > nowMs)
            .map((s) => Date.parse(s.scheduledAt)),
        );
        const woke = Number.isFinite(wakeMs)
          ? await condition(() => commands.length > 0, Math.max(1, wakeMs - nowMs))
          : (await condition(() => commands.length > 0), true);
        if (!woke && endMs !== undefined && Date.now() >= endMs)
          end('EXPIRED', `END_REACHED while paused: ${progress.remainingQuantity} not traded`);
        continue;
      }
      if (shouldContinueAsNew()) {
        await continueAsNew<ParentWorkflow>(input, {
          progress,
          request: req,
          rules: required(rules),
          ...(referencePrice === undefined ? {} : { referencePrice }),
          childSeq,
          paused,
          driver: algoDriver.carry(),
        });
      }
      if (progress.status === 'PENDING' && Date.now() >= Date.parse(req.startAt)) setStatus('WORKING');
      const step: Step = await algoDriver.next(context);
      if (step.kind === 'wait') {
        const ms = step.untilMs - Date.now();
        if (ms > 0) await condition(() => commands.length > 0, ms);
      } else if (step.kind === 'send') {
        if (progress.status === 'PENDING') setStatus('WORKING');
        await runWave(step.children);
      } else {
        end(step.status, step.reason);
      }
    }
    return finish();
  }

  function shouldContinueAsNew(): boolean {
    const info = workflowInfo();
    const due =
      childrenThisRun >= required(request).childrenPerRun ||
      info.continueAsNewSuggested ||
      info.historyLength > HISTORY_EVENTS_LIMIT;
    return due && commands.length === 0 && working.size === 0 && allHandlersFinished();
  }

  function end(status: 'COMPLETED' | 'EXPIRED' | 'CANCELLED', reason: string) {
    const done = cmp(progress.filledQuantity, progress.quantity) >= 0;
    setStatus(done ? 'COMPLETED' : status, reason);
  }

  function serve(command: Command, algoDriver: AlgoDriver) {
    if (isParentTerminal(progress.status)) {
      command.resolve({ accepted: false, reason: `PARENT_${progress.status}`, status: progress.status });
      return;
    }
    switch (command.kind) {
      case 'pause':
        paused = true;
        setStatus('PAUSED', command.reason);
        break;
      case 'resume':
        paused = false;
        setStatus('WORKING', command.reason);
        algoDriver.replan(context);
        break;
      case 'cancel':
        // The kill switch stops a parent without ending it: its working children are cancelled
        // (the wave stopped before this), it waits PAUSED for a person to resume or cancel it.
        // Parents killed before this version ended CANCELLED; their histories replay as such.
        if (command.kill && patched(KILL_PAUSES_PATCH)) {
          paused = true;
          setStatus('PAUSED', command.reason);
        } else {
          end('CANCELLED', command.reason);
        }
        break;
      case 'amend': {
        request = amended(required(request), command.amend);
        progress = withRequest(progress, request);
        progress = withNote(progress, `amended at ${nowIso()}: ${describeAmend(command.amend)}`);
        if (cmp(progress.filledQuantity, progress.quantity) >= 0) end('COMPLETED', 'AMENDED_TO_FILLED');
        else if (!paused) algoDriver.replan(context);
        break;
      }
    }
    command.resolve({ accepted: true, status: progress.status });
  }

  /**
   * Starts the children of one step and waits for every one of them to end. A command arriving
   * meanwhile (pause, cancel, amend, kill) first cancels the working children; it is served
   * once they ended, with their fills counted.
   */
  async function runWave(children: ChildOrder[]): Promise<void> {
    const req = required(request);
    const started: { id: string; handle: ChildWorkflowHandle<typeof orderWorkflow> }[] = [];
    for (const child of children) {
      childSeq += 1;
      childrenThisRun += 1;
      const id = `${parentId}-${childSeq}`;
      const slicePatch = {
        childId: id,
        targetQuantity: child.quantity,
        status: 'PENDING',
        venue: child.venue,
        ...(child.note === undefined ? {} : { note: child.note }),
      };
      if (child.sliceIndex === undefined) {
        const [index] = context.schedule([{ index: 0, at: child.scheduledAt, quantity: child.quantity }]);
        progress = withSlice(progress, index as number, slicePatch);
      } else {
        progress = withSlice(progress, child.sliceIndex, slicePatch);
      }
      working.set(id, child.quantity);
      const handle = await startChild<typeof orderWorkflow>('orderWorkflow', {
        workflowId: id,
        args: [childRequest(req, child, id)],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      started.push({ id, handle });
    }
    let ended = 0;
    const outcomes = new Map<string, OrderState | Error>();
    for (const { id, handle } of started) {
      handle.result().then(
        (state) => {
          outcomes.set(id, state);
          ended += 1;
        },
        (err: unknown) => {
          outcomes.set(id, err instanceof Error ? err : new Error(String(err)));
          ended += 1;
        },
      );
    }
    let stopping = false;
    let stopReason = '';
    while (ended < started.length) {
      await condition(() => ended === started.length || (!stopping && commands.length > 0));
      if (ended < started.length && !stopping) {
        stopping = true;
        const kill = commands.find(
          (c): c is Extract<Command, { kind: 'cancel' }> => c.kind === 'cancel' && c.kill,
        );
        const reason = kill?.reason ?? commands[0]?.kind ?? 'stop';
        stopReason = reason;
        for (const { id, handle } of started) {
          if (outcomes.has(id)) continue;
          const signalled = kill
            ? handle.signal(killSwitchSignal, { reason })
            : handle.signal(parentCancelSignal, { reason: `parent ${reason}` });
          await signalled.catch(() => undefined); // it may have just ended
        }
      }
    }
    let refused: string | undefined;
    for (const { id } of started) {
      working.delete(id);
      const outcome = outcomes.get(id);
      const slice = progress.slices.find((s) => s.childId === id);
      if (slice === undefined) continue;
      if (outcome instanceof Error || outcome === undefined) {
        progress = withSlice(progress, slice.index, { status: 'FAILED', note: messageOf(outcome) });
        refused ??= `CHILD_FAILED: ${id}: ${messageOf(outcome)}`;
        continue;
      }
      progress = withSlice(progress, slice.index, {
        status: outcome.status,
        filledQuantity: outcome.filledQuantity,
        ...(outcome.averagePrice === undefined ? {} : { averagePrice: outcome.averagePrice }),
        ...(stopping && outcome.status === 'CANCELLED'
          ? { note: `${STOPPED_BY_PARENT}: ${stopReason}` }
          : {}),
      });
      if ((outcome.status === 'REJECTED' || outcome.status === 'DENIED') && commands.length === 0)
        refused ??= `CHILD_${outcome.status}: ${id}: ${outcome.reason ?? 'no reason given'}`;
    }
    progress = withTotals(progress);
    // A refused slice would most likely be refused again: stop and let a person decide.
    if (
      refused !== undefined &&
      !isParentTerminal(progress.status) &&
      cmp(progress.remainingQuantity, '0') > 0
    ) {
      paused = true;
      setStatus('PAUSED', refused);
    }
  }

  async function finish(): Promise<ParentProgress> {
    for (const c of commands.splice(0))
      c.resolve({ accepted: false, reason: `PARENT_${progress.status}`, status: progress.status });
    await condition(allHandlersFinished);
    return driver === undefined || request === undefined
      ? progress
      : withSchedule(progress, driver.scheduled(context));
  }
}

/** Every parent workflow has this shape (what continue-as-new needs to type its arguments). */
type ParentWorkflow = (input: unknown, carried?: ParentCarried) => Promise<ParentProgress>;

function childRequest(parent: ParentRequest, child: ChildOrder, childId: string): OrderRequest {
  const now = Date.now();
  const resting = typeof child.until === 'number' && child.until - now >= MIN_RESTING_MS;
  const request: OrderRequest = {
    orderId: childId,
    symbol: parent.symbol,
    side: parent.side,
    type: child.pricing.type,
    quantity: child.quantity,
    timeInForce:
      child.pricing.type === 'market' || child.until === 'IOC'
        ? 'IOC'
        : resting
          ? 'GTD'
          : child.until === undefined
            ? 'GTC'
            : 'IOC',
    venue: child.venue,
    parentId: workflowInfo().workflowId,
  };
  if (child.pricing.type === 'limit') request.limitPrice = child.pricing.limitPrice;
  if (request.timeInForce === 'GTD') request.expireAt = new Date(child.until as number).toISOString();
  if (parent.strategyId !== undefined) request.strategyId = parent.strategyId;
  if (parent.decisionId !== undefined) request.decisionId = parent.decisionId;
  return request;
}

function amended(request: ParentRequest, amend: ParentAmend): ParentRequest {
  const next = { ...request };
  if (amend.quantity !== undefined) next.quantity = amend.quantity;
  if (amend.endAtMs !== undefined) next.endAt = new Date(amend.endAtMs).toISOString();
  if (amend.limitPrice !== undefined) next.limitPrice = amend.limitPrice;
  return next;
}

function describeAmend(amend: ParentAmend): string {
  const parts: string[] = [];
  if (amend.quantity !== undefined) parts.push(`quantity ${amend.quantity}`);
  if (amend.endAtMs !== undefined) parts.push(`endAt ${new Date(amend.endAtMs).toISOString()}`);
  if (amend.limitPrice !== undefined) parts.push(`limitPrice ${amend.limitPrice}`);
  return parts.join(', ');
}

/** The parent quantity must be tradable on the venue: lots, minimums (and the iceberg's display). */
function quantityIssues(request: ParentRequest, rules: MarketRules, referencePrice?: string): RequestIssue[] {
  if (request.algo === 'route') return [];
  const asOrder = (quantity: string): OrderRequest => ({
    symbol: request.symbol,
    side: request.side,
    type: request.limitPrice === undefined ? 'market' : 'limit',
    quantity,
    ...(request.limitPrice === undefined ? {} : { limitPrice: request.limitPrice }),
    timeInForce: 'GTC',
    venue: request.venue,
  });
  const issues = checkMarketRules(asOrder(request.quantity), rules, referencePrice).filter(
    (i) => i.code !== 'UNSUPPORTED_ORDER_TYPE' && i.code !== 'MAX_QUANTITY',
  );
  if (request.algo === 'iceberg') {
    if (!isMultipleOfStep(request.displayQuantity, rules.amountStep))
      issues.push({
        code: 'DISPLAY_PRECISION',
        field: 'displayQuantity',
        message: `displayQuantity ${request.displayQuantity} is not a multiple of the lot size ${rules.amountStep}`,
      });
    if (cmp(request.displayQuantity, request.quantity) > 0)
      issues.push({
        code: 'DISPLAY_ABOVE_QUANTITY',
        field: 'displayQuantity',
        message: 'displayQuantity is above quantity',
      });
  }
  return issues;
}

function primaryVenue(request: ParentRequest): string {
  return request.algo === 'route' ? (request.venues?.[0] ?? request.venue) : request.venue;
}

function searchAttributesOf(algo: Algo, request: Partial<ParentRequest>, status: ParentStatus) {
  const keyword = (value: unknown): value is string =>
    typeof value === 'string' && value.length > 0 && value.length <= 256;
  const venue = request.algo === 'route' ? (request.venues?.join(',') ?? 'route') : request.venue;
  const fields = [
    [SA.Symbol, request.symbol],
    [SA.Side, request.side],
    [SA.Venue, venue],
    [SA.StrategyId, request.strategyId],
  ] as const;
  return [
    { key: SA.OrderStatus, value: status },
    { key: SA.Algo, value: algo },
    ...fields.filter(([, value]) => keyword(value)).map(([key, value]) => ({ key, value: value as string })),
  ];
}

function rawOf(input: unknown): Partial<ParentRequest> {
  return (typeof input === 'object' && input !== null ? input : {}) as Partial<ParentRequest>;
}

function quantityOf(input: unknown): string {
  const raw: unknown = rawOf(input).quantity;
  const text = typeof raw === 'number' ? String(raw) : raw;
  return typeof text === 'string' && isDecimalText(text) && isPositive(text) ? text : '0';
}

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('parent state used before it was set');
  return value;
}

function applicationFailureOf(err: unknown): ApplicationFailure | undefined {
  const cause = (err as { cause?: unknown })?.cause;
  if (err instanceof ApplicationFailure) return err;
  return cause instanceof ApplicationFailure ? cause : undefined;
}

function messageOf(err: unknown): string {
  const failure = applicationFailureOf(err);
  return failure?.message ?? (err instanceof Error ? err.message : String(err));
}
