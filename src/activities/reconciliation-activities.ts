/**
 * Reconciliation's effects: read Ordo's view of a venue (running order workflows by visibility
 * query and their `status`, the trades ledger) and the venue's (open orders, the account's trades,
 * balances), compare them with the pure rules of src/domain/reconciliation.ts; tell an order
 * workflow to look again; adopt a venue order into a new order workflow.
 */
import { visibilityString } from './visibility';
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { isZero } from '../domain/decimal';
import type { OrderRequest } from '../domain/order-request';
import { CLIENT_ORDER_ID_RULES } from '../domain/client-order-id-rules';
import { deriveClientOrderId } from '../domain/client-order-id';
import { type Fill, type OrderState, newOrderState, withStatus } from '../domain/order-state';
import {
  type BalanceCheckpoint,
  type Finding,
  type OrderOwner,
  type OrdoWorkingOrder,
  type VenueAccountTrade,
  type VenueViews,
  adoptedOrderId,
  assetFlows,
  compareViews,
} from '../domain/reconciliation';
import { ledgerTradeId } from '../ledger/trade-id';
import type { Ledger, LedgerTrade } from '../ledger/types';
import type { VenueRegistry } from '../venues/registry';
import type { Venue } from '../venues/types';
import { reconcileSignal, statusQuery } from '../workflows/messages';
import type { CarriedOrder } from '../workflows/order-workflow';
import type {
  AdoptOrderInput,
  ObserveVenueInput,
  ReconciliationActivities,
  ReconciliationConfig,
  VenueObservation,
} from './reconciliation-types';
import { activityContext, toFailure } from './venue-calls';

/** Status queries in flight at once while reading Ordo's view. */
const QUERY_PARALLELISM = 64;
/** Pages of one symbol's trades read before giving up (a window too wide for the venue). */
const MAX_TRADE_PAGES = 200;
/** Findings of one kind acted on and reported per venue and run; more wait for the next run. */
const MAX_FINDINGS_PER_KIND = 200;
/** A trade this close to either end of the balance window might fall on either side of a read. */
const BALANCE_EDGE_MS = 2_000;

export interface ReconciliationDeps {
  client: Client;
  registry: VenueRegistry;
  ledger: Ledger;
  taskQueue: string;
  /** The worker's `reconciliation` configuration (src/workers/config-reconciliation.ts). */
  settings: ReconciliationConfig;
}

export function createReconciliationActivities(deps: ReconciliationDeps): ReconciliationActivities {
  return {
    async reconciliationConfig(): Promise<ReconciliationConfig> {
      return deps.settings;
    },

    async observeVenue({ venue: name, checkpoint, settings }: ObserveVenueInput): Promise<VenueObservation> {
      const venue = deps.registry.get(name).venue;
      try {
        const views = await readViews(deps, venue, checkpoint, settings);
        const { findings, omitted } = capped(compareViews(views, settings));
        return {
          venue: name,
          observedAt: views.observedAt,
          findings,
          omitted,
          unreadableOrders: views.unreadableOrders,
          ...(views.balances === undefined || views.balances.unsettled
            ? checkpoint === undefined
              ? {}
              : { checkpoint }
            : { checkpoint: { at: views.observedAt, totals: views.balances.totals } }),
          counts: {
            ordoWorking: views.ordo.length,
            venueOpen: views.openOrders.length,
            venueTrades: views.trades.length,
            symbols: new Set(views.trades.map((t) => t.symbol)).size,
          },
        };
      } catch (err) {
        throw toFailure(err);
      }
    },

    async tellOrderWorkflow({ orderId, reason }): Promise<boolean> {
      try {
        await deps.client.workflow.getHandle(orderId).signal(reconcileSignal, { reason });
        return true;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return false; // it closed meanwhile
        throw err;
      }
    },

    async adoptVenueOrder(input: AdoptOrderInput): Promise<{ orderId: string; started: boolean }> {
      return adopt(deps, input);
    },
  };
}

async function readViews(
  deps: ReconciliationDeps,
  venue: Venue,
  checkpoint: BalanceCheckpoint | undefined,
  settings: ReconciliationConfig,
): Promise<VenueViews & { unreadableOrders: number }> {
  // Ordo's view first: an order placed between the two reads is then at most "unknown" to this
  // look, and the second look (or the grace period) clears it.
  const names = [venue.name, ...(settings.sharedAccounts[venue.name] ?? [])];
  const heartbeat = () => activityContext()?.heartbeat();
  const listed = await Promise.all(names.map((name) => workingOrders(deps, name, heartbeat)));
  const ordo = listed.flatMap((l) => l.orders);
  const unreadableOrders = listed.reduce((sum, l) => sum + l.unreadable, 0);
  const observedAtMs = Date.now();
  const [openOrders, balances] = await Promise.all([venue.fetchOpenOrders(), venue.fetchBalances()]);
  heartbeat();
  // From the checkpoint if it is older than the lookback: its balance window needs every trade.
  const since = new Date(
    Math.min(
      observedAtMs - settings.lookbackMs,
      checkpoint === undefined ? Infinity : Date.parse(checkpoint.at),
    ),
  );
  const ledgerTrades = (
    await Promise.all(names.map((name) => deps.ledger.trades({ venue: name, since })))
  ).flat();
  const symbols = new Set<string>([
    ...settings.symbols,
    ...ordo.map((o) => o.symbol),
    ...openOrders.map((o) => o.symbol),
    ...ledgerTrades.map((t) => t.symbol),
  ]);
  const trades = await accountTrades(venue, [...symbols].sort(), since, ledgerTrades, heartbeat);
  const totals: Record<string, string> = {};
  for (const [asset, b] of Object.entries(balances)) if (!isZero(b.total)) totals[asset] = b.total;
  const observedAt = new Date(observedAtMs).toISOString();
  return {
    venue: venue.name,
    observedAt,
    unreadableOrders,
    ordo,
    openOrders: openOrders.map((o) => ({
      venueOrderId: o.venueOrderId,
      symbol: o.symbol,
      side: o.side,
      quantity: o.quantity,
      filledQuantity: o.filledQuantity,
      ...(o.clientOrderId === undefined ? {} : { clientOrderId: o.clientOrderId }),
      ...(o.limitPrice === undefined ? {} : { limitPrice: o.limitPrice }),
      ...(o.createdAt === undefined ? {} : { createdAt: o.createdAt }),
    })),
    trades,
    // A venue that lists no balance at all keeps none (the paper venue): nothing to compare.
    ...(Object.keys(balances).length === 0
      ? {}
      : { balances: balanceView(totals, checkpoint, observedAtMs, ledgerTrades, trades, ordo) }),
  };
}

/**
 * Running order workflows of this venue on Ordo's task queue, with what their status says. One
 * whose status cannot be read (its workflow task failing) is counted as unreadable: the run then
 * knows its view of Ordo is incomplete and does not act on orders it cannot place.
 */
async function workingOrders(
  deps: ReconciliationDeps,
  venue: string,
  heartbeat: () => void,
): Promise<{ orders: OrdoWorkingOrder[]; unreadable: number }> {
  const query =
    `WorkflowType = 'orderWorkflow' AND ExecutionStatus = 'Running' AND ` +
    `TaskQueue = '${visibilityString(deps.taskQueue)}' AND Venue = '${visibilityString(venue)}'`;
  const ids: string[] = [];
  for await (const wf of deps.client.workflow.list({ query })) ids.push(wf.workflowId);
  const idRules = CLIENT_ORDER_ID_RULES[deps.registry.get(venue).settings.clientOrderIdRules];
  const orders: OrdoWorkingOrder[] = [];
  let unreadable = 0;
  let next = 0;
  const worker = async () => {
    for (let id = ids[next++]; id !== undefined; id = ids[next++]) {
      let s: OrderState;
      try {
        s = await deps.client.workflow.getHandle(id).query(statusQuery);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) unreadable++; // closed since the listing: not working
        continue;
      } finally {
        heartbeat();
      }
      const r = s.request;
      if (r.side !== 'buy' && r.side !== 'sell') continue; // a malformed request never traded
      const o: OrdoWorkingOrder = {
        orderId: s.orderId,
        clientOrderId: s.clientOrderId,
        symbol: r.symbol,
        side: r.side,
        venue,
        status: s.status,
        nextClientOrderId: deriveClientOrderId(s.orderId, s.replaceSequence + 1, idRules),
      };
      if (s.venueOrderId !== undefined) o.venueOrderId = s.venueOrderId;
      if (r.strategyId !== undefined) o.strategyId = r.strategyId;
      if (r.decisionId !== undefined) o.decisionId = r.decisionId;
      if (r.parentId !== undefined) o.parentId = r.parentId;
      orders.push(o);
    }
  };
  await Promise.all(Array.from({ length: Math.min(QUERY_PARALLELISM, ids.length) }, worker));
  return { orders: orders.sort((a, b) => (a.orderId < b.orderId ? -1 : 1)), unreadable };
}

async function accountTrades(
  venue: Venue,
  symbols: string[],
  since: Date,
  ledgerTrades: readonly LedgerTrade[],
  heartbeat: () => void,
): Promise<VenueAccountTrade[]> {
  // Venue order and trade ids, not the venue name: a sibling venue on the same account names the
  // same trade by its own venue name.
  const inLedger = new Set(ledgerTrades.map((t) => `${t.venueOrderId ?? ''}:${t.venueTradeId}`));
  const owners = new Map<string, OrderOwner>();
  for (const t of ledgerTrades) if (t.venueOrderId !== undefined) owners.set(t.venueOrderId, ownerOf(t));
  const out: VenueAccountTrade[] = [];
  for (const symbol of symbols) {
    const fills = await allFillsSince(venue, symbol, since, heartbeat);
    for (const fill of fills) {
      if (fill.venueOrderId === undefined) continue; // every venue we speak names the order
      const tradeId = ledgerTradeId(venue.name, fill);
      const owner = owners.get(fill.venueOrderId);
      out.push({
        symbol,
        fill: { ...fill, venueOrderId: fill.venueOrderId },
        tradeId,
        inLedger: inLedger.has(`${fill.venueOrderId}:${fill.tradeId}`),
        ...(owner === undefined ? {} : { ledgerOwner: owner }),
      });
    }
  }
  return out;
}

/**
 * Every trade of the account in the symbol since `since`: venues answer one page (Binance: the
 * oldest 500) per request, so ask again from the newest time seen until a page brings nothing new.
 */
export async function allFillsSince(
  venue: Venue,
  symbol: string,
  since: Date,
  heartbeat: () => void,
): Promise<Fill[]> {
  const byKey = new Map<string, Fill>();
  let from = since;
  for (let page = 0; page < MAX_TRADE_PAGES; page++) {
    const fills = await venue.fetchFillsSince(symbol, from);
    heartbeat();
    let fresh = 0;
    for (const f of fills) {
      const key = `${f.venueOrderId ?? ''}:${f.tradeId}`;
      if (byKey.has(key)) continue;
      byKey.set(key, f);
      fresh++;
    }
    const newest = fills.reduce((t, f) => Math.max(t, Date.parse(f.timestamp)), from.getTime());
    if (fresh === 0 || newest <= from.getTime()) return [...byKey.values()];
    from = new Date(newest); // same millisecond again: trades sharing it are deduplicated above
  }
  throw new Error(
    `more than ${MAX_TRADE_PAGES} pages of ${symbol} trades at ${venue.name}: narrow the lookback`,
  );
}

/** Findings per kind kept in one observation; the rest are counted (payloads stay small). */
function capped(all: Finding[]): { findings: Finding[]; omitted: Record<string, number> } {
  const kept = new Map<string, number>();
  const omitted: Record<string, number> = {};
  const findings = all.filter((f) => {
    const n = (kept.get(f.kind) ?? 0) + 1;
    kept.set(f.kind, n);
    if (n <= MAX_FINDINGS_PER_KIND) return true;
    omitted[f.kind] = (omitted[f.kind] ?? 0) + 1;
    return false;
  });
  return { findings, omitted };
}

/**
 * The balances now, and what the ledger says they should have moved by since the checkpoint:
 * the ledger's trades in the window plus the fills this look will record (missed fills of Ordo's
 * own orders). Unsettled when a trade sits at either edge of the window.
 */
function balanceView(
  totals: Record<string, string>,
  checkpoint: BalanceCheckpoint | undefined,
  observedAtMs: number,
  ledgerTrades: readonly LedgerTrade[],
  trades: readonly VenueAccountTrade[],
  ordo: readonly OrdoWorkingOrder[],
): VenueViews['balances'] {
  if (checkpoint === undefined) return { totals, ledgerFlows: {}, unsettled: false };
  const from = Date.parse(checkpoint.at);
  const inWindow = (timestamp: string) => {
    const t = Date.parse(timestamp);
    return t > from && t <= observedAtMs;
  };
  const nearEdge = (timestamp: string) => {
    const t = Date.parse(timestamp);
    return Math.abs(t - from) < BALANCE_EDGE_MS || Math.abs(t - observedAtMs) < BALANCE_EDGE_MS;
  };
  const bySide = new Map(ordo.map((o) => [o.venueOrderId, o.side]));
  const toRecord = trades
    .filter((t) => !t.inLedger)
    .map((t) => ({ t, side: bySide.get(t.fill.venueOrderId) ?? t.ledgerOwner?.side }))
    .filter((x): x is { t: VenueAccountTrade; side: 'buy' | 'sell' } => x.side !== undefined);
  const flowTrades = [
    ...ledgerTrades.filter((t) => inWindow(t.timestamp)),
    ...toRecord
      .filter(({ t }) => inWindow(t.fill.timestamp))
      .map(({ t, side }) => ({
        symbol: t.symbol,
        direction: side === 'buy' ? ('BUY' as const) : ('SELL' as const),
        size: t.fill.quantity,
        price: t.fill.price,
        fee: t.fill.fee,
        feeCurrency: t.fill.feeCurrency,
      })),
  ];
  const unsettled = [...ledgerTrades.map((t) => t.timestamp), ...trades.map((t) => t.fill.timestamp)].some(
    nearEdge,
  );
  return { totals, since: checkpoint, ledgerFlows: assetFlows(flowTrades), unsettled };
}

/**
 * A venue order nobody at Ordo placed becomes an order workflow that follows it (its fills go to
 * the ledger, a kill switch cancels it). Started with a carried state, as after continue-as-new,
 * so nothing is sent. The id derives from the venue order: a second run finds it started.
 */
async function adopt(deps: ReconciliationDeps, { venue, order, reason }: AdoptOrderInput) {
  const orderId = adoptedOrderId(venue, order.venueOrderId);
  const registered = deps.registry.get(venue);
  const rules = await registered.venue.marketRules(order.symbol);
  const request: OrderRequest = {
    orderId,
    symbol: order.symbol,
    side: order.side,
    type: order.limitPrice === undefined ? 'market' : 'limit',
    quantity: order.quantity,
    ...(order.limitPrice === undefined ? {} : { limitPrice: order.limitPrice }),
    timeInForce: 'GTC',
    venue,
    strategyId: 'adopted',
    decisionId: order.clientOrderId ?? order.venueOrderId,
  };
  const now = new Date().toISOString();
  let state = newOrderState(orderId, request, order.clientOrderId ?? '', now);
  state = withStatus(state, 'SUBMITTED', now, `ADOPTED: ${reason}`);
  state = withStatus(state, 'ACCEPTED', now, 'ADOPTED');
  state = { ...state, venueOrderId: order.venueOrderId };
  const carried: CarriedOrder = {
    state,
    venueOrderId: order.venueOrderId,
    filledBefore: '0',
    clientOrderIdRules: registered.settings.clientOrderIdRules,
    rules,
  };
  try {
    await deps.client.workflow.start('orderWorkflow', {
      taskQueue: deps.taskQueue,
      workflowId: orderId,
      args: [request, carried],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      memo: { adoptedFrom: { venue, venueOrderId: order.venueOrderId, reason } },
    });
    return { orderId, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { orderId, started: false };
    throw err;
  }
}

function ownerOf(t: LedgerTrade): OrderOwner {
  const owner: OrderOwner = {
    orderId: t.orderId,
    clientOrderId: t.clientOrderId,
    symbol: t.symbol,
    side: t.direction === 'SELL' ? 'sell' : 'buy',
    venue: t.venue,
  };
  if (t.strategyId !== undefined) owner.strategyId = t.strategyId;
  if (t.decisionId !== undefined) owner.decisionId = t.decisionId;
  if (t.parentId !== undefined) owner.parentId = t.parentId;
  return owner;
}
