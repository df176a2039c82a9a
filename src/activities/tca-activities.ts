/**
 * The TCA activity: reads one order (its `status` query, or a completed run's result) or one
 * parent order (its `progress` and its children's states), reads the market over the order's
 * interval from the venue (public trades for the interval VWAP; a price to mark the unfilled rest
 * at), and returns the pure analysis of src/domain/tca. Reads only, so a retry is free. Refusals
 * are typed and final (see tca-types.ts).
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Dec } from '../domain/decimal';
import type { OrderState } from '../domain/order-state';
import { isTerminal } from '../domain/status';
import {
  TcaError,
  type TcaFill,
  type TcaOrderInput,
  analyseOrder,
  analyseParentOrder,
  marketVwap,
} from '../domain/tca';
import type { VenueRegistry } from '../venues/registry';
import type { PublicTrade } from '../venues/types';
import { statusQuery } from '../workflows/messages';
import { type ParentProgress, isParentTerminal, progressQuery } from '../workflows/parent-messages';
import { createTcaDayActivities } from './tca-day-activities';
import type { EndPriceSource, OrderTcaInput, OrderTcaReport, TcaActivities } from './tca-types';
import { ORDER_WORKFLOW_TYPES, PARENT_WORKFLOW_TYPES } from './trading-activities';
import { withVenueBudget } from './venue-calls';

/** What the market adds: inputs of the analysis, and fields of the report. */
interface MarketPart {
  prices: Pick<TcaOrderInput, 'marketVwap' | 'endPrice'>;
  report: Pick<OrderTcaReport, 'endAt' | 'marketTrades' | 'endPriceSource'>;
}

export interface TcaActivityDeps {
  client: Client;
  registry: VenueRegistry;
}

/** The order's fills as TCA sees them (the venue's own timestamps: latency is to the venue's clock). */
export function tcaFills(state: OrderState): TcaFill[] {
  return state.fills.map((f) => ({
    quantity: f.quantity,
    price: f.price,
    fee: f.fee,
    feeCurrency: f.feeCurrency,
    timestamp: f.timestamp,
  }));
}

/** Is anything of `quantity` left unfilled by `fills`? (Only then is an end price needed.) */
export function hasUnfilled(quantity: string, fills: readonly TcaFill[]): boolean {
  return fills.reduce((sum, f) => sum.plus(f.quantity), new Dec(0)).lessThan(quantity);
}

/** The interval measured: from the request to its end (the last status change once ended, else now). */
export function interval(
  history: ReadonlyArray<{ at: string }>,
  ended: boolean,
  now: Date,
): { from: Date; to: Date } {
  const from = new Date(history[0]?.at ?? now.toISOString());
  const last = history[history.length - 1]?.at;
  const end = ended && last !== undefined ? new Date(last) : now;
  // fetchTrades reads [from, to): never an empty or inverted window.
  return { from, to: end.getTime() > from.getTime() ? end : new Date(from.getTime() + 1) };
}

function refuse(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** The pure analysis, its refusals typed and final (retrying cannot mend the inputs). */
function analysed<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TcaError) throw refuse(err.code, err.message);
    throw err;
  }
}

export function createTcaActivities(deps: TcaActivityDeps): TcaActivities {
  const { client, registry } = deps;

  async function describe(workflowId: string) {
    try {
      return await client.workflow.getHandle(workflowId).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw refuse('ORDER_NOT_FOUND', `no order ${workflowId}`);
      throw err;
    }
  }

  /** A completed run's result; else the query, which replays closed runs too. */
  async function orderState(orderId: string, completed: boolean): Promise<OrderState> {
    const handle = client.workflow.getHandle(orderId);
    return completed ? ((await handle.result()) as OrderState) : handle.query(statusQuery);
  }

  async function parentProgress(parentId: string, completed: boolean): Promise<ParentProgress> {
    const handle = client.workflow.getHandle(parentId);
    return completed ? ((await handle.result()) as ParentProgress) : handle.query(progressQuery);
  }

  /** The market over [from, to): its VWAP, and (when needed) a price for the unfilled rest. */
  async function market(
    venueName: string,
    symbol: string,
    window: { from: Date; to: Date },
    ended: boolean,
    needEndPrice: boolean,
  ): Promise<{ trades: PublicTrade[]; endPrice?: string; endPriceSource?: EndPriceSource }> {
    return withVenueBudget(registry, venueName, async (venue) => {
      const trades = await venue.fetchTrades(symbol, window.from, window.to);
      if (!needEndPrice) return { trades };
      // An ended order is marked at the market's last trade before its end; a working one (or a
      // quiet market) at the mid now, which is the end of its interval so far.
      const lastTrade = ended ? trades[trades.length - 1]?.price : undefined;
      if (lastTrade !== undefined) return { trades, endPrice: lastTrade, endPriceSource: 'last-trade' };
      const mid = venue.midPrice === undefined ? undefined : await venue.midPrice(symbol);
      return mid === undefined ? { trades } : { trades, endPrice: mid, endPriceSource: 'mid-now' };
    });
  }

  async function marketPart(
    venueName: string,
    symbol: string,
    window: { from: Date; to: Date },
    ended: boolean,
    needEndPrice: boolean,
  ): Promise<MarketPart> {
    const m = await market(venueName, symbol, window, ended, needEndPrice);
    const vwap = marketVwap(m.trades);
    return {
      prices: {
        ...(vwap === undefined ? {} : { marketVwap: vwap }),
        ...(m.endPrice === undefined ? {} : { endPrice: m.endPrice }),
      },
      report: {
        endAt: window.to.toISOString(),
        marketTrades: m.trades.length,
        ...(m.endPriceSource === undefined ? {} : { endPriceSource: m.endPriceSource }),
      },
    };
  }

  async function orderTca(orderId: string): Promise<OrderTcaReport> {
    const state = await orderState(orderId, (await describe(orderId)).status.name === 'COMPLETED');
    if (state.arrivalMid === undefined)
      throw refuse(
        'NO_ARRIVAL_PRICE',
        `order ${orderId} has no arrival mid (denied early, or older than TCA)`,
      );
    const req = state.request;
    const fills = tcaFills(state);
    const ended = isTerminal(state.status);
    const window = interval(state.history, ended, new Date());
    const { prices, report } = await marketPart(
      req.venue,
      req.symbol,
      window,
      ended,
      hasUnfilled(req.quantity, fills),
    );
    const result = analysed(() =>
      analyseOrder({
        orderId,
        symbol: req.symbol,
        side: req.side,
        venue: req.venue,
        ...(req.strategyId === undefined ? {} : { strategyId: req.strategyId }),
        ...(req.decisionPrice === undefined ? {} : { decisionPrice: req.decisionPrice }),
        quantity: req.quantity,
        arrivalMid: state.arrivalMid as string,
        requestedAt: window.from.toISOString(),
        fills,
        ...prices,
      }),
    );
    return {
      ...result,
      kind: 'order',
      status: state.status,
      fills,
      ...report,
    };
  }

  async function parentTca(parentId: string): Promise<OrderTcaReport> {
    const progress = await parentProgress(parentId, (await describe(parentId)).status.name === 'COMPLETED');
    const req = progress.request;
    if (req === undefined)
      throw refuse('NO_ARRIVAL_PRICE', `parent ${parentId} was refused before it had a request to measure`);
    if (progress.arrivalPrice === undefined)
      throw refuse('NO_ARRIVAL_PRICE', `parent ${parentId} has no arrival price`);
    const childIds = [
      ...new Set(progress.slices.flatMap((s) => (s.childId === undefined ? [] : [s.childId]))),
    ];
    const children = await Promise.all(
      childIds.map(async (id) => {
        const state = await orderState(id, (await describe(id)).status.name === 'COMPLETED');
        return { venue: state.request.venue, fills: tcaFills(state) };
      }),
    );
    const fills = children.flatMap((c) => c.fills);
    const ended = isParentTerminal(progress.status);
    const window = interval(progress.history, ended, new Date());
    const { prices, report } = await marketPart(
      req.venue,
      req.symbol,
      window,
      ended,
      hasUnfilled(progress.quantity, fills),
    );
    const result = analysed(() =>
      analyseParentOrder(
        {
          orderId: parentId,
          symbol: req.symbol,
          side: req.side,
          venue: req.venue,
          ...(req.strategyId === undefined ? {} : { strategyId: req.strategyId }),
          quantity: progress.quantity,
          arrivalMid: progress.arrivalPrice as string,
          requestedAt: window.from.toISOString(),
          ...prices,
        },
        children,
      ),
    );
    return {
      ...result,
      kind: 'parent',
      status: progress.status,
      fills,
      ...report,
      children: children.length,
    };
  }

  async function anyOrderTca({ orderId }: OrderTcaInput): Promise<OrderTcaReport> {
    const { type } = await describe(orderId);
    if ((ORDER_WORKFLOW_TYPES as readonly string[]).includes(type)) return orderTca(orderId);
    if ((PARENT_WORKFLOW_TYPES as readonly string[]).includes(type)) return parentTca(orderId);
    throw refuse('ORDER_NOT_FOUND', `${orderId} is a ${type}, not an order`);
  }

  return { orderTca: anyOrderTca, ...createTcaDayActivities(client, anyOrderTca) };
}
