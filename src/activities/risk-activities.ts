/**
 * The riskCheck activity: gathers what an order's limits need — the venue's mid, balances and
 * working orders, the positions, the strategy's day and recent signal hashes — runs the pure rules
 * (src/domain/risk) and, when the order passes, records it for the day's counts and the duplicate
 * window. Only the data some limit needs is fetched, venue reads in parallel. Read-only towards the
 * venue, so retries are free; recording is idempotent by order id.
 */
import { bookMid } from './book-mid';
import { VenueError } from '../venues/errors';
import type { VenueRegistry } from '../venues/registry';
import type { Venue } from '../venues/types';
import { Dec, toDecimalString } from '../domain/decimal';
import type { OrderRequest } from '../domain/order-request';
import {
  checkRisk,
  orderNotional,
  resolveRiskLimits,
  signalHash,
  type RiskContext,
  type RiskLimits,
  type RiskSettings,
} from '../domain/risk/index';
import { InMemoryOrderBookkeeping } from './risk-bookkeeping';
import {
  type OrderBookkeeping,
  type PositionSource,
  sharedBalanceReader,
  venueBalancePositions,
  venueOpenOrders,
} from './risk-sources';
import type { RiskActivities, RiskCheckInput, RiskCheckResult } from './types';
import { activityContext, withVenueBudget } from './venue-calls';

export interface RiskSources {
  /** Default: in memory, working orders from the venue. */
  bookkeeping?: OrderBookkeeping;
  /** Default: spot positions from the venue's balances. */
  positions?: PositionSource;
  /** Default: the system clock. */
  now?: () => Date;
}

export interface RiskActivityOptions {
  registry: VenueRegistry;
  /** The worker configuration's `risk` block. */
  limits: RiskSettings;
  sources?: RiskSources;
}

/** Which data the order's limits need. */
interface Needs {
  mid: boolean;
  position: boolean;
  exposures: boolean;
  working: boolean;
  dayStats: boolean;
  recent: boolean;
  balances: boolean;
}

function needsOf(order: OrderRequest, limits: RiskLimits): Needs {
  const priced = order.limitPrice !== undefined || order.stopPrice !== undefined;
  const valued =
    limits.maxOrderNotional !== undefined ||
    limits.maxDailyNotional !== undefined ||
    (limits.checkBalance === true && order.side === 'buy');
  const exposures = limits.maxGrossExposure !== undefined || limits.maxNetExposure !== undefined;
  return {
    mid: exposures || (priced ? limits.priceCollarBps !== undefined : valued),
    position: exposures || limits.maxPosition !== undefined || order.reduceOnly === true,
    exposures,
    working:
      limits.maxPosition !== undefined || limits.maxOpenOrders !== undefined || order.reduceOnly === true,
    dayStats: limits.maxDailyOrders !== undefined || limits.maxDailyNotional !== undefined,
    recent:
      limits.duplicateWindowMs !== undefined &&
      order.strategyId !== undefined &&
      order.parentId === undefined,
    balances: limits.checkBalance === true,
  };
}

export function createRiskActivities({
  registry,
  limits,
  sources = {},
}: RiskActivityOptions): RiskActivities {
  const readBalances = sharedBalanceReader();
  const bookkeeping =
    sources.bookkeeping ?? new InMemoryOrderBookkeeping({ openOrders: venueOpenOrders(registry) });
  const positionSource = sources.positions ?? venueBalancePositions(registry, readBalances);
  const clock = sources.now ?? (() => new Date());

  /** Venue data (and positions, which by default are venue data too) under the venue's budget. */
  function gatherVenue(order: OrderRequest, needs: Needs): Promise<Partial<RiskContext>> {
    return withVenueBudget(registry, order.venue, async (venue) => {
      const quote = order.symbol.slice(order.symbol.indexOf('/') + 1);
      const [mid, positions, working, balances] = await Promise.all([
        needs.mid ? bookMid(venue, order.symbol) : undefined,
        needs.position
          ? positionSource.positions({
              venue: order.venue,
              quote,
              ...(order.strategyId === undefined ? {} : { strategyId: order.strategyId }),
            })
          : undefined,
        needs.working ? bookkeeping.openOrders(order.venue, order.symbol) : undefined,
        needs.balances ? readBalances(venue) : undefined,
      ]);
      const context: Partial<RiskContext> = {};
      if (mid !== undefined) context.mid = mid;
      if (positions !== undefined) context.position = positions[order.symbol] ?? '0';
      if (positions !== undefined && needs.exposures)
        context.exposures = await exposuresOf(venue, order.symbol, positions);
      if (working !== undefined) {
        const sum = (side: string) =>
          toDecimalString(
            working.filter((w) => w.side === side).reduce((total, w) => total.plus(w.remaining), new Dec(0)),
          );
        Object.assign(context, {
          workingBuy: sum('buy'),
          workingSell: sum('sell'),
          openOrders: working.length,
        });
      }
      if (balances !== undefined)
        context.balances = Object.fromEntries(Object.entries(balances).map(([c, b]) => [c, b.free]));
      return context;
    });
  }

  return {
    async riskCheck(input: RiskCheckInput): Promise<RiskCheckResult> {
      const orderId =
        input.orderId ?? input.order.orderId ?? activityContext()?.info.workflowExecution?.workflowId;
      const order = orderId === undefined ? input.order : { ...input.order, orderId };
      const now = clock();
      const applied = resolveRiskLimits(limits, order);
      if (applied === undefined) return { issues: [], context: { now: now.toISOString() } };

      const needs = needsOf(order, applied);
      const day = now.toISOString().slice(0, 10);
      const [venueData, dayStats] = await Promise.all([
        gatherVenue(order, needs),
        needs.dayStats
          ? bookkeeping.dayStats({
              day,
              ...(order.strategyId === undefined ? {} : { strategyId: order.strategyId }),
              ...(orderId === undefined ? {} : { excludeOrderId: orderId }),
            })
          : undefined,
      ]);
      const fingerprint = signalHash(order);
      // Read last, right before the decision and the record: the narrowest gap for a twin signal.
      const recent =
        needs.recent && applied.duplicateWindowMs !== undefined
          ? await bookkeeping.recentFingerprints({
              fingerprint,
              since: new Date(now.getTime() - applied.duplicateWindowMs),
            })
          : undefined;
      const context: RiskContext = {
        now: now.toISOString(),
        ...venueData,
        ...(dayStats === undefined ? {} : { dayStats }),
        ...(recent === undefined ? {} : { recentOrders: recent }),
      };
      const issues = checkRisk(order, context, applied);
      if (issues.length === 0 && input.record !== false && orderId !== undefined) {
        const notional = orderNotional(order, context.mid);
        await bookkeeping.record({
          orderId,
          venue: order.venue,
          symbol: order.symbol,
          side: order.side,
          quantity: order.quantity,
          ...(order.strategyId === undefined ? {} : { strategyId: order.strategyId }),
          ...(notional === undefined ? {} : { notional }),
          fingerprint,
          at: context.now,
        });
      }
      return { issues, context, limits: applied };
    },
  };
}

/**
 * The other symbols' positions valued at their mids. A holding the venue has no market for (dust
 * in some delisted coin) or whose book is one-sided cannot be valued and is left out; any other
 * failure fails the check.
 */
async function exposuresOf(
  venue: Venue,
  symbol: string,
  positions: Record<string, string>,
): Promise<Record<string, string>> {
  const others = Object.entries(positions).filter(([s, p]) => s !== symbol && !new Dec(p).isZero());
  const valued = await Promise.all(
    others.map(async ([s, position]) => {
      try {
        const mid = await bookMid(venue, s);
        return mid === undefined ? undefined : ([s, toDecimalString(new Dec(position).times(mid))] as const);
      } catch (err) {
        if (err instanceof VenueError && err.code === 'BAD_SYMBOL') return undefined;
        throw err;
      }
    }),
  );
  return Object.fromEntries(valued.filter((entry) => entry !== undefined));
}
