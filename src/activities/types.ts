/**
 * The activity interface the order workflow calls. Workflows import these types only, never the
 * implementations (which do I/O).
 */
import type { MarketRules } from '../domain/market-rules';
import type { Fill } from '../domain/order-state';
import type { OrderRequest, RequestIssue } from '../domain/order-request';
import type { RiskContext, RiskLimits } from '../domain/risk/types';
import type { ClientOrderIdRuleName } from '../domain/client-order-id-rules';
import type { OrdoEvent } from '../events/types';
import type { Candle, NewVenueOrder, OrderRef, VenueOrder } from '../venues/types';

export interface PrepareOrderInput {
  venue: string;
  symbol: string;
}

export interface PreparedOrder {
  rules: MarketRules;
  /** Mid price now, for the notional of orders without a limit price. */
  referencePrice?: string;
  clientOrderIdRules: ClientOrderIdRuleName;
  /** When DAY orders placed now expire (ISO-8601): the venue's configured session close. */
  dayCloseAt: string;
}

export interface SubmitOrderInput {
  venue: string;
  order: NewVenueOrder;
  /** Look the order up by client order id before sending (a resend after dead letter). */
  lookUpFirst?: boolean;
}

export interface LookUpOrderInput {
  venue: string;
  ref: OrderRef;
}

export interface FollowOrderInput {
  venue: string;
  ref: OrderRef & { venueOrderId: string };
  /** What the workflow knows; the activity returns as soon as the venue says something else. */
  known: { state: VenueOrder['state']; filledQuantity: string };
  /** Return after this long even if nothing changed (keeps each activity bounded). */
  maxWaitMs: number;
}

/** The order as the venue sees it, with every fill of it (so far). */
export interface OrderSnapshot {
  order: VenueOrder;
  fills: Fill[];
}

export interface CancelOrderInput {
  venue: string;
  ref: OrderRef & { venueOrderId: string };
}

/**
 * Replace one venue order by another: the activity cancels it, reads what it finally filled, and
 * sends the replacement for exactly what remains (so a fill racing the amend cannot over-fill).
 */
export interface AmendOrderInput {
  venue: string;
  /** The venue order being replaced. */
  replace: OrderRef & { venueOrderId: string };
  /** The replacement, except its quantity: computed from the venue's final word on `replace`. */
  replacement: Omit<NewVenueOrder, 'quantity'>;
  /** The order's new total quantity, across every venue order it was made of. */
  totalQuantity: string;
  /** What filled on venue orders replaced before `replace`. */
  filledBefore: string;
}

export type AmendOrderResult =
  | { replaced: true; previous: OrderSnapshot; replacement: OrderSnapshot }
  | { replaced: false; reason: string; message: string; current: OrderSnapshot };

/** One venue as one worker sees it: its circuit breaker and recent error rate. */
export interface VenueReport {
  venue: string;
  worker: string;
  mode: 'closed' | 'open' | 'half_open';
  failuresInWindow: number;
  callsInWindow: number;
  errorRate: number;
  msUntilProbe: number;
  lastError?: string;
}

export interface OrderActivities {
  describeVenues(): Promise<VenueReport[]>;
  prepareOrder(input: PrepareOrderInput): Promise<PreparedOrder>;
  submitOrder(input: SubmitOrderInput): Promise<OrderSnapshot>;
  /** The order as the venue has it, by venue or client order id; null when it does not know it. */
  lookUpOrder(input: LookUpOrderInput): Promise<OrderSnapshot | null>;
  followOrder(input: FollowOrderInput): Promise<OrderSnapshot>;
  cancelOrder(input: CancelOrderInput): Promise<OrderSnapshot>;
  amendOrder(input: AmendOrderInput): Promise<AmendOrderResult>;
}

// ---------------------------------------------------------------------------------------------
// Market data for parent-order algorithms (TWAP, VWAP, POV, IS, iceberg, smart routing).

/** Top of a venue's book now. */
export interface MarketQuote {
  venue: string;
  symbol: string;
  bid?: string;
  ask?: string;
  /** (bid + ask) / 2, exact (not rounded to the tick); only when both sides are quoted. */
  mid?: string;
  /** The last traded price (the close of the current one-minute candle). */
  last?: string;
  /** ISO-8601: the book's time if the venue gives one, else when it was read. */
  at: string;
}

/** Public traded volume of a window, from the venue's trade list. */
export interface MarketVolume {
  venue: string;
  symbol: string;
  /** The window [from, to), ISO-8601. */
  from: string;
  to: string;
  /** Base-asset quantity traded by everyone in the window. */
  volume: string;
  /** How many trades the venue listed (Binance lists aggregate trades: one per taker order and price). */
  trades: number;
  /** Volume-weighted average price; absent when nothing traded. */
  vwap?: string;
}

/** One venue as smart routing sees it for one symbol and side. */
export interface RouteVenueQuote {
  venue: string;
  priority: number;
  costBps: number;
  costPerUnit: string;
  maxOrderSize?: string;
  rules: MarketRules;
  /** The side a taker of `side` would hit, best first. */
  levels: { price: string; quantity: string }[];
}

export interface MarketActivities {
  marketQuote(input: { venue: string; symbol: string }): Promise<MarketQuote>;
  /** Public traded volume in [since, until) (until default now), from the venue's trades. */
  marketVolume(input: {
    venue: string;
    symbol: string;
    since: string;
    until?: string;
  }): Promise<MarketVolume>;
  /** Candles covering [since, until), paginated, oldest first. */
  candles(input: {
    venue: string;
    symbol: string;
    timeframe: string;
    since: string;
    until?: string;
  }): Promise<Candle[]>;
  /**
   * For smart routing: each venue's book side, costs and market rules. venues omitted → every
   * configured venue with routing enabled. A venue that fails is left out (and logged), unless all
   * fail.
   */
  routeQuotes(input: {
    venues?: string[];
    symbol: string;
    side: 'buy' | 'sell';
    depth?: number;
  }): Promise<RouteVenueQuote[]>;
}

// ---------------------------------------------------------------------------------------------
// Trading state and the kill switch (tradingControlWorkflow, the submit gate).

/** The trading state as a gate or an order workflow needs it (no history). */
export interface TradingStateView {
  state: 'ACTIVE' | 'REDUCING' | 'HALTED';
  reason?: string;
  /** ISO-8601; absent when no control workflow exists (trading was never halted). */
  since?: string;
  /** Order ids allowed through while HALTED: the kill switch's own flattening orders. */
  exempt?: string[];
}

/** What the kill switch's signal sweep did. */
export interface SignalSweepResult {
  /** orderWorkflows signalled `killSwitch`. */
  orders: number;
  /** Parent-order workflows signalled `killSwitch` (they pause). */
  parents: number;
  /** Selected, but closed before the signal reached them. */
  alreadyClosed: number;
  /** Signals that failed for another reason (logged). */
  failed: number;
  mode: 'list' | 'batch';
  /** How long the sweep took, from the visibility query to the last signal. */
  ms: number;
  /** List mode: the ids signalled, so a kill's second round counts no workflow twice. */
  orderIds?: string[];
  parentIds?: string[];
}

/** What one venue's cancel-all did. */
export interface VenueCancelAllResult {
  venue: string;
  /** Open orders found and cancelled by this sweep. */
  cancelled: number;
  /** Open orders the venue still listed after the last pass (should be 0). */
  remaining: number;
  /** Orders that ended (filled, cancelled by their workflow) before the sweep's cancel got there. */
  alreadyGone: number;
  error?: string;
}

/** A position the kill switch may flatten (signed quantity in the base asset; negative = short). */
export interface FlattenPosition {
  venue: string;
  symbol: string;
  quantity: string;
}

export interface FlattenResult {
  status: 'STARTED' | 'NOTHING_TO_FLATTEN' | 'NO_POSITION_SOURCE';
  /** The closing market orders, by order id. */
  orders: { orderId: string; venue: string; symbol: string; side: 'buy' | 'sell'; quantity: string }[];
}

export interface TradingActivities {
  /** Signals `killSwitch` to every running order and parent workflow of Ordo's task queue. */
  signalWorkingOrders(input: { reason: string }): Promise<SignalSweepResult>;
  /** The venues this worker is configured with (the cancel-all backstop goes to each). */
  tradingVenues(): Promise<string[]>;
  /** Cancels every open order of the account at one venue; passes until none is listed. */
  cancelAllAtVenue(input: { venue: string }): Promise<VenueCancelAllResult>;
  /** The trading state now; no control workflow means ACTIVE. */
  tradingState(): Promise<TradingStateView>;
  /**
   * Whether the trading state lets this order be sent (the REDUCING rule needs the position):
   * null if it may, else the refusal (code TRADING_HALTED or TRADING_REDUCING). For an order
   * workflow's own check before it sends; the submit activity re-checks.
   */
  tradingCheck(input: {
    venue: string;
    symbol: string;
    side: 'buy' | 'sell';
    quantity: string;
  }): Promise<{ code: string; message: string } | null>;
  /**
   * Kill switch `flatten`: the closing market orders for every non-zero position (ids derived from
   * killId), planned but not started, so the control workflow can exempt them from the halt first.
   */
  planFlatten(input: { killId: string }): Promise<FlattenResult>;
  /** Starts the planned flattening orders (an order id already started is left alone). */
  startFlatten(input: { killId: string; orders: FlattenResult['orders'] }): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The trades ledger (src/ledger): fills recorded once, whatever retries or crashes happen.

/** The order a batch of fills belongs to: what the ledger records beside each fill. */
export interface LedgerOrderRef {
  orderId: string;
  clientOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  venue: string;
  strategyId?: string;
  decisionId?: string;
  parentId?: string;
}

export interface RecordFillsInput {
  order: LedgerOrderRef;
  fills: Fill[];
}

export interface LedgerActivities {
  /**
   * Records fills in the ledger, keyed by venue, venue order and venue trade id: a fill already
   * there is left alone, so a retried call never duplicates. Returns how many were new.
   */
  recordFills(input: RecordFillsInput): Promise<{ inserted: number }>;
}

// ---------------------------------------------------------------------------------------------
// Pre-trade risk (src/domain/risk): the activity gathers the data, the pure rules decide.

export interface RiskCheckInput {
  order: OrderRequest;
  /** The order's id (default: order.orderId, else the calling workflow's id): a retried check is not its own duplicate. */
  orderId?: string;
  /**
   * Count the order in the day's stats and the duplicate window when it passes (default true);
   * false when the caller denies it for another reason anyway.
   */
  record?: boolean;
}

export interface RiskCheckResult {
  /** Every failed check, in the order of RISK_CODES; empty: the order may go. */
  issues: RequestIssue[];
  /** What the rules saw (only what the order's limits needed). */
  context: RiskContext;
  /** The limits that applied; absent when risk checks are disabled. */
  limits?: RiskLimits;
}

export interface RiskActivities {
  riskCheck(input: RiskCheckInput): Promise<RiskCheckResult>;
}

// ---------------------------------------------------------------------------------------------
// Business events (src/events/types.ts), published to the worker's sinks.

export interface PublishEventsInput {
  /** In the order they happened; each with its fact's deterministic eventId. */
  events: OrdoEvent[];
}

export interface EventActivities {
  publishEvents(input: PublishEventsInput): Promise<void>;
}
