/**
 * Activities of the trading state and the kill switch. They talk to Temporal itself (a Client):
 * the trading state is tradingControlWorkflow's `state` query, and the kill switch signals every
 * running order and parent workflow that a visibility query selects.
 *
 * Signalling is per workflow from a listing by default ('list'): measured against Temporal's
 * batch signal operation in bench/kill-switch.ts, it is the faster of the two (the batcher is
 * rate limited per namespace, and by default runs one batch per namespace at a time).
 */
import { visibilityString } from './visibility';
import { randomUUID } from 'node:crypto';
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { dec, isDecimalText, toDecimalString } from '../domain/decimal';
import { isTradingState } from '../domain/trading-state';
import { isVenueError } from '../venues/errors';
import type { VenueRegistry } from '../venues/registry';
import type { Venue, VenueOrder } from '../venues/types';
import { killSwitchSignal } from '../workflows/messages';
import { TRADING_CONTROL_ID, tradingStateQuery } from '../workflows/trading-messages';
import { type GateOrder, type PositionOf, type TradingGate, createTradingGate } from './trading-gate';
import type {
  FlattenPosition,
  FlattenResult,
  SignalSweepResult,
  TradingActivities,
  TradingStateView,
  VenueCancelAllResult,
} from './types';
import { activityContext, toFailure } from './venue-calls';

/** Workflow types the kill switch signals: orders, and parents (which pause). */
export const ORDER_WORKFLOW_TYPES = ['orderWorkflow'] as const;
export const PARENT_WORKFLOW_TYPES = [
  'twapWorkflow',
  'vwapWorkflow',
  'povWorkflow',
  'implementationShortfallWorkflow',
  'icebergWorkflow',
  'smartRouteWorkflow',
] as const;

/** Signals in flight at once in 'list' mode. */
const SIGNAL_PARALLELISM = 32;
/** Cancels in flight at once per venue (ccxt's rate limiter spaces them further). */
const CANCEL_PARALLELISM = 8;
/** Listing and cancelling passes per venue: orders that arrive during a pass are caught by the next. */
const CANCEL_PASSES = 3;
/** The longest a state read may take before the gate reports the state unavailable. */
const STATE_READ_TIMEOUT_MS = 5_000;

export interface TradingActivityDeps {
  client: Client;
  registry: VenueRegistry;
  /** Ordo's task queue: only workflows on it are signalled. */
  taskQueue: string;
  namespace: string;
  /** Default `trading-control`; tests give each worker its own. */
  controlWorkflowId?: string;
  /** How the kill switch signals (default 'list'; see the file comment). */
  signalMode?: 'list' | 'batch';
  /** Positions to flatten (signed, base asset); without it `flatten` does nothing. */
  positions?: () => Promise<FlattenPosition[]>;
  /** The REDUCING rule's position; default: the venue's total balance of the base asset (spot). */
  positionOf?: PositionOf;
}

/** The visibility query that selects what the kill switch signals. */
export function workingWorkflowsQuery(taskQueue: string): string {
  const types = [...ORDER_WORKFLOW_TYPES, ...PARENT_WORKFLOW_TYPES].map((t) => `'${t}'`).join(', ');
  return `ExecutionStatus = 'Running' AND TaskQueue = '${visibilityString(taskQueue)}' AND WorkflowType IN (${types})`;
}

/** Reads the trading state; a control workflow that does not exist means ACTIVE. */
export async function readTradingState(client: Client, workflowId: string): Promise<TradingStateView> {
  try {
    const view = await client.withDeadline(Date.now() + STATE_READ_TIMEOUT_MS, () =>
      client.workflow.getHandle(workflowId).query(tradingStateQuery),
    );
    if (!isTradingState(view.state)) throw new Error(`unknown trading state ${String(view.state)}`);
    return {
      state: view.state,
      since: view.since,
      ...(view.reason === undefined ? {} : { reason: view.reason }),
      ...(view.exempt === undefined ? {} : { exempt: view.exempt }),
    };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { state: 'ACTIVE' };
    throw err;
  }
}

/** The default REDUCING position of a spot account: its whole balance of the base asset. */
export function spotPositionOf(registry: VenueRegistry): PositionOf {
  return async (venue, symbol) => {
    const base = symbol.split('/')[0] ?? symbol;
    const balances = await registry.get(venue).venue.fetchBalances();
    const total = balances[base]?.total;
    return total !== undefined && isDecimalText(total) ? total : '0';
  };
}

/** The submit gate on the trading state these activities read (share one per worker). */
export function createTradingGateFor(deps: TradingActivityDeps): TradingGate {
  const controlId = deps.controlWorkflowId ?? TRADING_CONTROL_ID;
  return createTradingGate({
    readState: () => readTradingState(deps.client, controlId),
    positionOf: deps.positionOf ?? spotPositionOf(deps.registry),
  });
}

export function createTradingActivities(
  deps: TradingActivityDeps & {
    /** The worker's gate (createTradingGateFor), so tradingCheck shares its reads; default: its own. */
    gate?: TradingGate;
  },
): TradingActivities {
  const { client, registry, taskQueue } = deps;
  const controlId = deps.controlWorkflowId ?? TRADING_CONTROL_ID;
  const gate = deps.gate ?? createTradingGateFor(deps);

  return {
    async signalWorkingOrders({ reason }) {
      return (deps.signalMode ?? 'list') === 'batch'
        ? signalByBatch(deps, reason)
        : signalByListing(client, taskQueue, reason);
    },

    async tradingVenues() {
      return registry.names();
    },

    async cancelAllAtVenue({ venue: name }) {
      try {
        return await cancelAllAt(registry.get(name).venue);
      } catch (err) {
        throw toFailure(err);
      }
    },

    async tradingState() {
      return readTradingState(client, controlId);
    },

    async tradingCheck(order: Omit<GateOrder, 'orderId'>) {
      const orderId = activityContext()?.info.workflowExecution?.workflowId;
      const issue = await gate.check({ ...order, ...(orderId === undefined ? {} : { orderId }) });
      return issue === undefined ? null : { code: issue.code, message: issue.message };
    },

    async planFlatten({ killId }) {
      return planFlatten(deps, killId);
    },

    async startFlatten({ killId, orders }) {
      await startFlatten(deps, killId, orders);
    },
  };
}

/** Lists the working workflows and signals each (bounded parallelism). */
async function signalByListing(
  client: Client,
  taskQueue: string,
  reason: string,
): Promise<SignalSweepResult> {
  const started = Date.now();
  const result: SignalSweepResult = {
    orders: 0,
    parents: 0,
    alreadyClosed: 0,
    failed: 0,
    mode: 'list',
    ms: 0,
  };
  const orderIds: string[] = [];
  const parentIds: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const signal = async (workflowId: string, type: string) => {
    try {
      await client.workflow.getHandle(workflowId).signal(killSwitchSignal, { reason });
      if (type === 'orderWorkflow') {
        result.orders++;
        orderIds.push(workflowId);
      } else {
        result.parents++;
        parentIds.push(workflowId);
      }
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) result.alreadyClosed++;
      else {
        result.failed++;
        activityContext()?.log.warn('kill switch: signal failed', { workflowId, error: String(err) });
      }
    }
  };
  for await (const wf of client.workflow.list({ query: workingWorkflowsQuery(taskQueue) })) {
    const sent = signal(wf.workflowId, wf.type);
    inFlight.add(sent);
    void sent.finally(() => inFlight.delete(sent));
    if (inFlight.size >= SIGNAL_PARALLELISM) await Promise.race(inFlight);
    activityContext()?.heartbeat(result);
  }
  await Promise.all(inFlight);
  return { ...result, ms: Date.now() - started, orderIds, parentIds };
}

/**
 * One Temporal batch operation signalling everything the query selects. The batcher does not say
 * which type each workflow was, so parents are counted by a separate count query first.
 */
async function signalByBatch(deps: TradingActivityDeps, reason: string): Promise<SignalSweepResult> {
  const { client, namespace, taskQueue } = deps;
  const started = Date.now();
  const parentsQuery = `ExecutionStatus = 'Running' AND TaskQueue = '${visibilityString(taskQueue)}' AND WorkflowType IN (${PARENT_WORKFLOW_TYPES.map((t) => `'${t}'`).join(', ')})`;
  const parents = (await client.workflow.count(parentsQuery)).count;
  const jobId = `kill-switch-${randomUUID()}`;
  const payload = client.options.loadedDataConverter.payloadConverter.toPayload({ reason });
  await client.workflowService.startBatchOperation({
    namespace,
    jobId,
    reason: `kill switch: ${reason}`,
    visibilityQuery: workingWorkflowsQuery(taskQueue),
    signalOperation: {
      signal: killSwitchSignal.name,
      input: { payloads: [payload] },
      identity: 'ordo-kill-switch',
    },
  });
  const { BatchOperationState } = temporal.api.enums.v1;
  for (;;) {
    const job = await client.workflowService.describeBatchOperation({ namespace, jobId });
    activityContext()?.heartbeat({ jobId, done: job.completeOperationCount?.toString() });
    if (job.state !== BatchOperationState.BATCH_OPERATION_STATE_RUNNING) {
      if (job.state !== BatchOperationState.BATCH_OPERATION_STATE_COMPLETED) {
        throw new Error(`batch ${jobId} ended ${BatchOperationState[job.state ?? 0] ?? job.state}`);
      }
      const failed = Number(job.failureOperationCount ?? 0);
      const signalled = Number(job.completeOperationCount ?? 0);
      const parentsSignalled = Math.min(parents, signalled);
      return {
        orders: signalled - parentsSignalled,
        parents: parentsSignalled,
        // The batcher counts a workflow that closed before its signal as a failure.
        alreadyClosed: 0,
        failed,
        mode: 'batch',
        ms: Date.now() - started,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Cancels every open order of the account at one venue, in passes until the venue lists none (or
 * CANCEL_PASSES are spent). An order that ended meanwhile (its workflow cancelled it, or it
 * filled) is counted as already gone, not as a failure.
 */
async function cancelAllAt(venue: Venue): Promise<VenueCancelAllResult> {
  const result: VenueCancelAllResult = { venue: venue.name, cancelled: 0, remaining: 0, alreadyGone: 0 };
  let open = await venue.fetchOpenOrders();
  for (let pass = 0; pass < CANCEL_PASSES && open.length > 0; pass++) {
    let next = 0;
    const worker = async () => {
      for (let order = open[next++]; order !== undefined; order = open[next++]) {
        if (await cancelOne(venue, order)) result.cancelled++;
        else result.alreadyGone++;
        activityContext()?.heartbeat(result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CANCEL_PARALLELISM, open.length) }, worker));
    open = await venue.fetchOpenOrders();
  }
  return { ...result, remaining: open.length };
}

/** True if this cancel ended the order; false if it had already ended. */
async function cancelOne(venue: Venue, order: VenueOrder): Promise<boolean> {
  try {
    await venue.cancelOrder({ symbol: order.symbol, venueOrderId: order.venueOrderId });
    return true;
  } catch (err) {
    if (isVenueError(err) && (err.action === 'not_found' || err.code === 'OPERATION_REJECTED')) return false;
    throw err;
  }
}

/**
 * One market order per non-zero position, on the opposite side, for its whole size. The order ids
 * derive from the kill, so a retry plans the same ids; the control workflow exempts exactly these
 * ids from the halt before it starts them (startFlatten).
 */
async function planFlatten(deps: TradingActivityDeps, killId: string): Promise<FlattenResult> {
  if (deps.positions === undefined) return { status: 'NO_POSITION_SOURCE', orders: [] };
  const positions = (await deps.positions()).filter(
    (p) => isDecimalText(p.quantity) && !dec(p.quantity).isZero(),
  );
  if (positions.length === 0) return { status: 'NOTHING_TO_FLATTEN', orders: [] };
  const orders = positions.map((p) => ({
    orderId: `${killId}-flatten-${p.venue}-${p.symbol.replace('/', '-')}`,
    venue: p.venue,
    symbol: p.symbol,
    side: dec(p.quantity).greaterThan(0) ? ('sell' as const) : ('buy' as const),
    quantity: toDecimalString(dec(p.quantity).abs()),
  }));
  return { status: 'STARTED', orders };
}

/** Starts the planned orders; one started by an earlier attempt is left as it is. */
async function startFlatten(
  deps: TradingActivityDeps,
  killId: string,
  orders: FlattenResult['orders'],
): Promise<void> {
  for (const o of orders) {
    try {
      await deps.client.workflow.start('orderWorkflow', {
        taskQueue: deps.taskQueue,
        workflowId: o.orderId,
        args: [
          {
            orderId: o.orderId,
            symbol: o.symbol,
            side: o.side,
            type: 'market',
            quantity: o.quantity,
            venue: o.venue,
            reduceOnly: true,
            strategyId: 'kill-switch',
            decisionId: killId,
          },
        ],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
}

/**
 * What a worker registers for trading control: the activities, and the gate its submit activity
 * consults (one gate, so its reads are shared with tradingCheck).
 */
export function createTradingWiring(deps: TradingActivityDeps): {
  gate: TradingGate;
  activities: TradingActivities;
} {
  const gate = createTradingGateFor(deps);
  return { gate, activities: createTradingActivities({ ...deps, gate }) };
}
