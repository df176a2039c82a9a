/**
 * Activities of the order planner (rebalanceWorkflow): gather what the pure planner needs, and
 * start the orders it planned. Gathering only reads (the ledger, Temporal's visibility and
 * queries, the venue), so a retry is free; starting is idempotent by order id (REJECT_DUPLICATE),
 * so a retried start never starts an order twice.
 */
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowExecutionInfo,
} from '@temporalio/client';
import { ApplicationFailure, TypedSearchAttributes } from '@temporalio/common';
import { Dec, isDecimalText, toDecimalString } from '../domain/decimal';
import type { MarketRules } from '../domain/market-rules';
import type { Quote } from '../domain/algos/types';
import { TERMINAL_STATUSES } from '../domain/status';
import type { Ledger } from '../ledger/types';
import type { VenueRegistry } from '../venues/registry';
import { statusQuery } from '../workflows/messages';
import { isParentTerminal, progressQuery } from '../workflows/parent-messages';
import { SA } from '../workflows/search-attributes';
import type {
  GatherRebalanceInput,
  GatheredTarget,
  RebalanceActivities,
  RebalanceOrderStart,
  StartedOrder,
  WorkingOrder,
} from './rebalance-types';
import { ORDER_WORKFLOW_TYPES, PARENT_WORKFLOW_TYPES } from './trading-activities';
import { activityContext, withVenueBudget } from './venue-calls';

export interface RebalanceActivityDeps {
  registry: VenueRegistry;
  ledger: Ledger;
  client: Client;
  /** Ordo's task queue: working orders are looked for, and orders started, on it. */
  taskQueue: string;
}

/** Book levels read for the top of book: 5 is the smallest depth every venue serves. */
const BOOK_DEPTH = 5;
/** Targets gathered at once (each makes a few venue and Temporal calls). */
const GATHER_PARALLELISM = 8;
/** How long an automatic order may take to choose before gathering retries. */
const AUTO_CHOICE_WAIT_MS = 5_000;
/**
 * Every venue Ordo trades today is a spot market (the ccxt adapter refuses other markets, the
 * paper venue holds balances): none can hold a short position.
 */
const SPOT = true;

type Target = GatherRebalanceInput['targets'][number];

export function createRebalanceActivities(deps: RebalanceActivityDeps): RebalanceActivities {
  const { registry, ledger, client, taskQueue } = deps;

  /** Rules and top of book once per venue and symbol, shared by that market's targets. */
  function marketOf(venue: string, symbol: string, cache: Map<string, Promise<[MarketRules, Quote]>>) {
    const key = JSON.stringify([venue, symbol]);
    let market = cache.get(key);
    if (market === undefined) {
      market = withVenueBudget(registry, venue, async (v): Promise<[MarketRules, Quote]> => {
        const rules = await v.marketRules(symbol);
        const book = await v.fetchOrderBook(symbol, BOOK_DEPTH);
        const bid = book.bids[0]?.price;
        const ask = book.asks[0]?.price;
        return [rules, { ...(bid === undefined ? {} : { bid }), ...(ask === undefined ? {} : { ask }) }];
      });
      cache.set(key, market);
    }
    return market;
  }

  async function positionOf(target: Target, from: GatherRebalanceInput['from']): Promise<string> {
    if (from === 'venue') {
      const base = target.symbol.split('/')[0] ?? target.symbol;
      return withVenueBudget(registry, target.venue, async (v) => {
        const total = (await v.fetchBalances())[base]?.total;
        return total !== undefined && isDecimalText(total) ? toDecimalString(total) : '0';
      });
    }
    // Without a strategy the target is the whole account's: every strategy's position summed.
    // The position is Ordo's holding: the book quantity less the fees the venue took in the base
    // asset (a spot buyer's fee comes out of the coins received), i.e. what can be sold back, and
    // what the kill switch's flatten and the ledger risk source count too.
    const positions = await ledger.positions({
      venue: target.venue,
      symbol: target.symbol,
      ...(target.strategyId === undefined ? {} : { strategyId: target.strategyId }),
    });
    const base = target.symbol.split('/')[0] ?? target.symbol;
    const held = positions.reduce((sum, p) => sum.plus(p.quantity).minus(p.fees[base] ?? 0), new Dec(0));
    return toDecimalString(held);
  }

  async function gatherOne(
    target: Target,
    from: GatherRebalanceInput['from'],
    markets: Map<string, Promise<[MarketRules, Quote]>>,
  ): Promise<GatheredTarget> {
    const strategy = target.strategyId === undefined ? {} : { strategyId: target.strategyId };
    try {
      const [[rules, quote], position, workingOrders] = await Promise.all([
        marketOf(target.venue, target.symbol, markets),
        positionOf(target, from),
        workingOrdersOf(client, taskQueue, target),
      ]);
      const sum = (side: string) =>
        toDecimalString(
          workingOrders
            .filter((w) => w.side === side)
            .reduce((total, w) => total.plus(w.remaining), new Dec(0)),
        );
      return {
        venue: target.venue,
        symbol: target.symbol,
        ...strategy,
        target: target.quantity,
        position,
        workingBuy: sum('buy'),
        workingSell: sum('sell'),
        rules,
        quote,
        spot: SPOT,
        workingOrders,
      };
    } catch (err) {
      // Final venue answers (unknown venue or symbol, retries spent) make the target unavailable;
      // anything else fails the activity, which Temporal retries.
      if (!(err instanceof ApplicationFailure) || !err.nonRetryable) throw err;
      return {
        venue: target.venue,
        symbol: target.symbol,
        ...strategy,
        target: target.quantity,
        unavailable: { code: err.type ?? 'VENUE_ERROR', message: err.message },
      };
    }
  }

  return {
    async gatherRebalanceFacts({ targets, from }) {
      const markets = new Map<string, Promise<[MarketRules, Quote]>>();
      const out: GatheredTarget[] = new Array<GatheredTarget>(targets.length);
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < targets.length; i = next++) {
          out[i] = await gatherOne(targets[i] as Target, from, markets);
          activityContext()?.heartbeat(i);
        }
      };
      await Promise.all(Array.from({ length: Math.min(GATHER_PARALLELISM, targets.length) }, worker));
      return out;
    },

    async startRebalanceOrders({ orders }) {
      // Ids this run started in an earlier attempt (heartbeat details survive a retry): not "already
      // started" in the report, which means started by an earlier run of the same rebalance id.
      const context = activityContext();
      const details: unknown = context?.info.heartbeatDetails;
      const ours = new Set(Array.isArray(details) ? details.filter((d) => typeof d === 'string') : []);
      const started: StartedOrder[] = [];
      for (const order of orders) {
        const result = await startOrder(client, taskQueue, order);
        const alreadyStarted = result.alreadyStarted && !ours.has(order.orderId);
        started.push({ ...result, alreadyStarted });
        if (!alreadyStarted) ours.add(order.orderId);
        context?.heartbeat([...ours]);
      }
      return started;
    },
  };
}

function quoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Running orders and parents on the target's venue and symbol (and strategy, if it has one). */
export function workingOrdersQuery(taskQueue: string, target: Omit<Target, 'quantity'>): string {
  const types = [...ORDER_WORKFLOW_TYPES, 'autoOrderWorkflow', ...PARENT_WORKFLOW_TYPES].map(quoted);
  return [
    `ExecutionStatus = 'Running'`,
    `TaskQueue = ${quoted(taskQueue)}`,
    `WorkflowType IN (${types.join(', ')})`,
    `Venue = ${quoted(target.venue)}`,
    `Symbol = ${quoted(target.symbol)}`,
    ...(target.strategyId === undefined ? [] : [`StrategyId = ${quoted(target.strategyId)}`]),
  ].join(' AND ');
}

/**
 * The working orders whose remaining quantity counts toward the target: each order's and parent's
 * remaining, from their own queries. A child order whose parent is listed too is left out (the
 * parent's remaining includes it); one whose parent is not (a route parent lists several venues)
 * counts itself.
 */
async function workingOrdersOf(client: Client, taskQueue: string, target: Target): Promise<WorkingOrder[]> {
  const listed: WorkflowExecutionInfo[] = [];
  for await (const wf of client.workflow.list({ query: workingOrdersQuery(taskQueue, target) }))
    listed.push(wf);
  const ids = new Set(listed.map((wf) => wf.workflowId));
  const counted = listed.filter((wf) => {
    const parentId = wf.typedSearchAttributes.get(SA.ParentId);
    return parentId === undefined || !ids.has(parentId);
  });
  const working = await Promise.all(counted.map((wf) => remainingOf(client, wf)));
  return working.filter((w): w is WorkingOrder => w !== undefined);
}

async function remainingOf(client: Client, wf: WorkflowExecutionInfo): Promise<WorkingOrder | undefined> {
  const handle = client.workflow.getHandle(wf.workflowId); // the latest run: what it continued as
  let type = wf.type;
  if (type === 'autoOrderWorkflow') type = await choiceOf(client, wf.workflowId);
  if (type === 'orderWorkflow') {
    const state = await handle.query(statusQuery);
    if (TERMINAL_STATUSES.has(state.status)) return undefined;
    return {
      orderId: wf.workflowId,
      workflowType: type,
      side: state.request.side,
      remaining: state.remainingQuantity,
    };
  }
  const progress = await handle.query(progressQuery);
  const side = progress.request?.side ?? wf.typedSearchAttributes.get(SA.Side);
  if (isParentTerminal(progress.status) || (side !== 'buy' && side !== 'sell')) return undefined;
  return { orderId: wf.workflowId, workflowType: type, side, remaining: progress.remainingQuantity };
}

/** The type an automatic order continued as; it has no query of its own while it chooses. */
async function choiceOf(client: Client, workflowId: string): Promise<string> {
  const deadline = Date.now() + AUTO_CHOICE_WAIT_MS;
  for (;;) {
    const description = await client.workflow.getHandle(workflowId).describe();
    if (description.type !== 'autoOrderWorkflow') return description.type;
    // Ended without continuing: denied, nothing works.
    if (description.status.name !== 'RUNNING') return 'orderWorkflow';
    if (Date.now() > deadline)
      throw ApplicationFailure.retryable(
        `automatic order ${workflowId} is still choosing`,
        'AUTO_ORDER_CHOOSING',
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts one planned order; an order id that exists already is left alone. */
async function startOrder(
  client: Client,
  taskQueue: string,
  order: RebalanceOrderStart,
): Promise<StartedOrder> {
  const workflowType = order.kind === 'parent' ? 'autoOrderWorkflow' : 'orderWorkflow';
  const common = {
    orderId: order.orderId,
    symbol: order.symbol,
    side: order.side,
    quantity: order.quantity,
    venue: order.venue,
    ...(order.reduceOnly ? { reduceOnly: true } : {}),
    ...(order.strategyId === undefined ? {} : { strategyId: order.strategyId }),
    decisionId: order.decisionId,
  };
  const input =
    order.kind === 'parent'
      ? {
          ...common,
          urgency: order.urgency,
          ...(order.twapNotionalThreshold === undefined
            ? {}
            : { twapNotionalThreshold: order.twapNotionalThreshold }),
        }
      : { ...common, type: 'market' };
  try {
    await client.workflow.start(workflowType, {
      taskQueue,
      workflowId: order.orderId,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      // Visible to the next rebalance's working-order listing from the start.
      typedSearchAttributes: new TypedSearchAttributes([
        { key: SA.Symbol, value: order.symbol },
        { key: SA.Side, value: order.side },
        { key: SA.Venue, value: order.venue },
        { key: SA.OrderStatus, value: 'PENDING' },
        ...(order.strategyId === undefined ? [] : [{ key: SA.StrategyId, value: order.strategyId }]),
      ]),
    });
    return { orderId: order.orderId, workflowType, alreadyStarted: false };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { orderId: order.orderId, workflowType, alreadyStarted: true };
  }
}
