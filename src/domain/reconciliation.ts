/**
 * Reconciliation: Ordo's view of one venue (its working order workflows and its trades ledger)
 * against the venue's own (open orders, the account's trades, balances). Pure: the activity that
 * gathers both views calls `compareViews`, the reconciliation workflow decides what to do with
 * each finding (`actionFor`) and keeps only findings seen twice (`confirmed`), so a fill the order
 * workflow is about to record, or an order whose workflow has not reached visibility yet, is not
 * reported as a mismatch.
 */
import { add, cmp, dec, isZero, mul, sub, toDecimalString } from './decimal';
import type { Fill } from './order-state';
import type { OrderStatus } from './status';

export type UnknownOrderPolicy = 'report' | 'cancel' | 'adopt';

/** Who an order belongs to, as the ledger records it. */
export interface OrderOwner {
  orderId: string;
  clientOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  venue: string;
  strategyId?: string;
  decisionId?: string;
  parentId?: string;
}

/** An order workflow that is running (Ordo thinks the order may be live). */
export interface OrdoWorkingOrder extends OrderOwner {
  status: OrderStatus;
  venueOrderId?: string;
  /**
   * The client order id its next replacement is (or is being) placed under: while an amend is in
   * flight the venue already lists the replacement, which the workflow learns of only afterwards.
   */
  nextClientOrderId?: string;
}

export interface VenueOpenOrder {
  venueOrderId: string;
  clientOrderId?: string;
  symbol: string;
  side: 'buy' | 'sell';
  quantity: string;
  filledQuantity: string;
  limitPrice?: string;
  /** ISO-8601, when the venue says. */
  createdAt?: string;
}

/** One of the account's trades at the venue, with what the ledger knows of it. */
export interface VenueAccountTrade {
  symbol: string;
  fill: Fill & { venueOrderId: string };
  /** The ledger's key for it (ledgerTradeId). */
  tradeId: string;
  inLedger: boolean;
  /** The Ordo order of the same venue order, when the ledger has any trade of it. */
  ledgerOwner?: OrderOwner;
}

/** Balances at a moment, and the ledger's net flow per asset since then. */
export interface BalanceCheckpoint {
  at: string;
  totals: Record<string, string>;
}

export interface VenueViews {
  /**
   * The venue read. `ordo` and the trades may also be of venues that reach the same account under
   * another name (order and trade ids are the account's, whichever name reached it); a missed
   * fill is recorded under its order's own venue.
   */
  venue: string;
  /** ISO-8601: when the venue was read. */
  observedAt: string;
  ordo: readonly OrdoWorkingOrder[];
  openOrders: readonly VenueOpenOrder[];
  trades: readonly VenueAccountTrade[];
  /** Balance totals now (read at observedAt) and the ledger's flows since the checkpoint. */
  balances?: {
    totals: Record<string, string>;
    since?: BalanceCheckpoint;
    /** Ledger trades of this venue in (since.at, observedAt], as asset flows. */
    ledgerFlows: Record<string, string>;
    /** A trade too close to either end of the window to tell which side of a balance read it fell on. */
    unsettled: boolean;
  };
}

export interface ReconciliationSettings {
  /** Orders younger than this at the venue are not yet "unknown" (their workflow may not be listed yet). */
  graceMs: number;
  /** Absolute drift per asset still accepted (default 0: exact). */
  balanceTolerance: Record<string, string>;
  defaultBalanceTolerance: string;
}

export type Finding =
  | {
      kind: 'MISSED_FILL';
      key: string;
      venue: string;
      symbol: string;
      orderId: string;
      /** The order's workflow is running (it is told to look again). */
      working: boolean;
      owner: OrderOwner;
      fill: Fill;
    }
  | { kind: 'UNKNOWN_TRADE'; key: string; venue: string; symbol: string; fill: Fill }
  | { kind: 'UNKNOWN_ORDER'; key: string; venue: string; symbol: string; order: VenueOpenOrder }
  | {
      kind: 'ORDER_ENDED_AT_VENUE';
      key: string;
      venue: string;
      symbol: string;
      orderId: string;
      venueOrderId: string;
      ordoStatus: OrderStatus;
    }
  | {
      kind: 'BALANCE_MISMATCH';
      key: string;
      venue: string;
      asset: string;
      since: string;
      /** What the ledger's trades say the balance should have moved by. */
      expectedChange: string;
      actualChange: string;
      drift: string;
      tolerance: string;
    }
  | { kind: 'VENUE_UNREACHABLE'; key: string; venue: string; error: string };

export type FindingKind = Finding['kind'];

/** Statuses in which Ordo believes the order rests at the venue (not in flight, not parked). */
const RESTING: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['ACCEPTED', 'PARTIALLY_FILLED']);

export function compareViews(views: VenueViews, settings: ReconciliationSettings): Finding[] {
  const { venue } = views;
  const byVenueId = new Map<string, OrdoWorkingOrder>();
  const byClientId = new Map<string, OrdoWorkingOrder>();
  for (const o of views.ordo) {
    if (o.venueOrderId !== undefined) byVenueId.set(o.venueOrderId, o);
    byClientId.set(o.clientOrderId, o);
    if (o.nextClientOrderId !== undefined) byClientId.set(o.nextClientOrderId, o);
  }
  const findings: Finding[] = [];

  for (const t of views.trades) {
    if (t.inLedger) continue;
    const working = byVenueId.get(t.fill.venueOrderId);
    const owner = working === undefined ? t.ledgerOwner : ownerOf(working);
    if (owner === undefined) {
      findings.push({
        kind: 'UNKNOWN_TRADE',
        key: `UNKNOWN_TRADE:${t.tradeId}`,
        venue,
        symbol: t.symbol,
        fill: t.fill,
      });
      continue;
    }
    findings.push({
      kind: 'MISSED_FILL',
      key: `MISSED_FILL:${t.tradeId}`,
      venue,
      symbol: t.symbol,
      orderId: owner.orderId,
      working: working !== undefined,
      owner,
      fill: t.fill,
    });
  }

  const observedAt = Date.parse(views.observedAt);
  const open = new Set<string>();
  for (const o of views.openOrders) {
    open.add(o.venueOrderId);
    const known =
      byVenueId.has(o.venueOrderId) || (o.clientOrderId !== undefined && byClientId.has(o.clientOrderId));
    if (known) continue;
    const young = o.createdAt !== undefined && observedAt - Date.parse(o.createdAt) < settings.graceMs;
    if (young) continue;
    findings.push({
      kind: 'UNKNOWN_ORDER',
      key: `UNKNOWN_ORDER:${venue}:${o.venueOrderId}`,
      venue,
      symbol: o.symbol,
      order: o,
    });
  }

  for (const o of views.ordo) {
    if (o.venueOrderId === undefined || !RESTING.has(o.status) || open.has(o.venueOrderId)) continue;
    findings.push({
      kind: 'ORDER_ENDED_AT_VENUE',
      key: `ORDER_ENDED_AT_VENUE:${o.orderId}:${o.venueOrderId}`,
      venue,
      symbol: o.symbol,
      orderId: o.orderId,
      venueOrderId: o.venueOrderId,
      ordoStatus: o.status,
    });
  }

  findings.push(...balanceFindings(views, settings));
  return findings;
}

/**
 * Per asset: how far the venue's balance moved since the checkpoint, against what the ledger's
 * trades since then say it should have moved. A drift beyond the tolerance is reported; deposits
 * and withdrawals show up here too (Ordo does not see them), which is what a desk wants to know.
 */
function balanceFindings(views: VenueViews, settings: ReconciliationSettings): Finding[] {
  const b = views.balances;
  if (b === undefined || b.since === undefined || b.unsettled) return [];
  const since = b.since;
  const assets = new Set([
    ...Object.keys(since.totals),
    ...Object.keys(b.totals),
    ...Object.keys(b.ledgerFlows),
  ]);
  const findings: Finding[] = [];
  for (const asset of [...assets].sort()) {
    const actualChange = sub(b.totals[asset] ?? '0', since.totals[asset] ?? '0');
    const expectedChange = b.ledgerFlows[asset] ?? '0';
    const drift = sub(actualChange, expectedChange);
    const tolerance = settings.balanceTolerance[asset] ?? settings.defaultBalanceTolerance;
    if (cmp(dec(drift).abs(), tolerance) <= 0) continue;
    findings.push({
      kind: 'BALANCE_MISMATCH',
      key: `BALANCE_MISMATCH:${views.venue}:${asset}:${since.at}`,
      venue: views.venue,
      asset,
      since: since.at,
      expectedChange,
      actualChange,
      drift,
      tolerance,
    });
  }
  return findings;
}

/** A trade of the ledger, as far as asset flows go. */
export interface FlowTrade {
  symbol: string;
  direction: 'BUY' | 'SELL';
  size: string;
  price: string;
  fee: string;
  feeCurrency: string;
}

/**
 * What trades do to an account's assets (spot): a buy adds base and spends quote, a sell the
 * reverse; the fee leaves in its own currency (a negative fee is a rebate and arrives).
 */
export function assetFlows(trades: readonly FlowTrade[]): Record<string, string> {
  const flows: Record<string, string> = {};
  const move = (asset: string, amount: string) => {
    flows[asset] = add(flows[asset] ?? '0', amount);
  };
  for (const t of trades) {
    const [base, quote] = marketAssets(t.symbol);
    const notional = mul(t.size, t.price);
    move(base, t.direction === 'BUY' ? t.size : toDecimalString(dec(t.size).neg()));
    move(quote, t.direction === 'BUY' ? toDecimalString(dec(notional).neg()) : notional);
    if (t.feeCurrency !== '' && !isZero(t.fee)) move(t.feeCurrency, toDecimalString(dec(t.fee).neg()));
  }
  for (const [asset, amount] of Object.entries(flows)) if (isZero(amount)) flows[asset] = '0';
  return flows;
}

/** `BTC/USDT` → [BTC, USDT]; a derivative's settle suffix (`BTC/USDT:USDT`) is dropped. */
export function marketAssets(symbol: string): [string, string] {
  const [pair = ''] = symbol.split(':');
  const [base = '', quote = ''] = pair.split('/');
  return [base, quote];
}

/**
 * Findings that need a second look before they are believed (a race with a live order): an
 * unknown trade too, as its order may be one whose submit is in flight (no venue id known yet).
 */
const RACY: ReadonlySet<FindingKind> = new Set<FindingKind>([
  'MISSED_FILL',
  'UNKNOWN_TRADE',
  'UNKNOWN_ORDER',
  'ORDER_ENDED_AT_VENUE',
]);

export function needsSecondLook(findings: readonly Finding[]): boolean {
  return findings.some((f) => RACY.has(f.kind));
}

/**
 * The findings of the second look that the first look also had (for the racy kinds); the others
 * are taken from the second look as they are.
 */
export function confirmed(first: readonly Finding[], second: readonly Finding[]): Finding[] {
  const seen = new Set(first.map((f) => f.key));
  return second.filter((f) => !RACY.has(f.kind) || seen.has(f.key));
}

export type PlannedAction =
  | { kind: 'RECORD_FILL'; tell: boolean }
  | { kind: 'TELL_ORDER' }
  | { kind: 'CANCEL_AT_VENUE' }
  | { kind: 'ADOPT' }
  | { kind: 'REPORT' };

export function actionFor(finding: Finding, unknownOrders: UnknownOrderPolicy): PlannedAction {
  switch (finding.kind) {
    case 'MISSED_FILL':
      return { kind: 'RECORD_FILL', tell: finding.working };
    case 'ORDER_ENDED_AT_VENUE':
      return { kind: 'TELL_ORDER' };
    case 'UNKNOWN_ORDER':
      if (unknownOrders === 'cancel') return { kind: 'CANCEL_AT_VENUE' };
      if (unknownOrders === 'adopt') return { kind: 'ADOPT' };
      return { kind: 'REPORT' };
    default:
      return { kind: 'REPORT' };
  }
}

/** The order workflow id an adopted venue order gets: stable, so two runs never adopt it twice. */
export function adoptedOrderId(venue: string, venueOrderId: string): string {
  return `adopted-${venue}-${venueOrderId}`;
}

function ownerOf(o: OrdoWorkingOrder): OrderOwner {
  const owner: OrderOwner = {
    orderId: o.orderId,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    venue: o.venue,
  };
  if (o.strategyId !== undefined) owner.strategyId = o.strategyId;
  if (o.decisionId !== undefined) owner.decisionId = o.decisionId;
  if (o.parentId !== undefined) owner.parentId = o.parentId;
  return owner;
}
