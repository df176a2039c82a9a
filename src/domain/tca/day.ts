/**
 * One UTC day's TCA: which day a `YYYY-MM-DD` names, and the day's analysed orders combined into
 * the daily summary per strategy and the venue comparison (summary.ts), each quote currency apart.
 *
 * Who counts where, so nothing counts twice: the strategy summary takes standalone orders and
 * parent orders (a parent is measured against its own request; its children are how it traded);
 * the venue comparison takes orders only, children included (each names its own venue). Only
 * ended orders are aggregated: a working order's fill rate and opportunity cost are not final, so
 * it is listed as working with its figures so far instead. Orders that could not be measured
 * (denied before the venue's mid was known …) are listed with the reason.
 */
import { dailyStrategySummary, venueComparison } from './summary';
import {
  type StrategyDaySummary,
  TcaError,
  type TcaOrderResult,
  type TcaSide,
  type VenueSummary,
} from './types';

/** Orders one day's TCA measures unless told otherwise, and the most it will (see tcaDayWorkflow). */
export const DAY_ORDERS_DEFAULT_LIMIT = 500;
export const DAY_ORDERS_MAX_LIMIT = 2_000;

/** The limit asked for, checked: a whole number in 1..DAY_ORDERS_MAX_LIMIT (TcaError INVALID_LIMIT). */
export function dayLimit(limit: unknown): number {
  if (limit === undefined) return DAY_ORDERS_DEFAULT_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > DAY_ORDERS_MAX_LIMIT)
    throw new TcaError(
      'INVALID_LIMIT',
      `limit must be a whole number from 1 to ${DAY_ORDERS_MAX_LIMIT}, got ${String(limit)}`,
    );
  return limit;
}

/** A UTC calendar day: `from` inclusive, `to` exclusive, both ISO-8601. */
export interface TcaDay {
  day: string;
  from: string;
  to: string;
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` as a real calendar day (2026-02-30 is refused), else TcaError INVALID_DATE. */
export function parseTcaDay(text: unknown): TcaDay {
  const match = typeof text === 'string' ? DAY_PATTERN.exec(text) : null;
  const [year, month, day] = match === null ? [] : match.slice(1).map(Number);
  const ms =
    year === undefined || month === undefined || day === undefined ? NaN : Date.UTC(year, month - 1, day);
  const from = Number.isFinite(ms) ? new Date(ms).toISOString() : '';
  if (match === null || year === undefined || year < 1970 || from.slice(0, 10) !== text)
    throw new TcaError('INVALID_DATE', `a day must be a calendar date YYYY-MM-DD (UTC), got ${String(text)}`);
  return { day: text as string, from, to: new Date(ms + DAY_MS).toISOString() };
}

/** Is the ISO time within the day? */
export function isInDay(day: TcaDay, iso: string): boolean {
  const ms = Date.parse(iso);
  return ms >= Date.parse(day.from) && ms < Date.parse(day.to);
}

/** One listed order or parent order, measured. */
export interface DayOrderAnalysis {
  kind: 'order' | 'parent';
  /** Set on a parent's child order: it counts in the venue comparison only. */
  parentId?: string;
  status: string;
  ended: boolean;
  result: TcaOrderResult;
}

/** A listed order that could not be measured, and why (a TCA refusal code). */
export interface DayOrderRefusal {
  orderId: string;
  kind: 'order' | 'parent';
  parentId?: string;
  status?: string;
  code: string;
  message: string;
}

/** One order of the day in brief (bps: positive = cost). */
export interface DayOrderLine {
  orderId: string;
  kind: 'order' | 'parent';
  parentId?: string;
  status: string;
  strategyId?: string;
  venue?: string;
  symbol: string;
  side: TcaSide;
  requestedAt: string;
  requestedQuantity: string;
  filledQuantity: string;
  fillRate: string;
  shortfallBps: string;
  slippageBps?: string;
  latencyMs?: number;
}

export interface DayTcaSummary {
  day: string;
  counts: {
    /** Orders and parent orders listed for the day (children included). */
    listed: number;
    /** Ended and measured: these make the summaries. */
    ended: number;
    working: number;
    notAnalysed: number;
  };
  /** Ended standalone and parent orders, per strategy (and quote currency). */
  strategies: StrategyDaySummary[];
  /** Ended orders, children included, per venue (and quote currency). */
  venues: VenueSummary[];
  /** Orders and parents still working: their figures so far, not in the summaries. */
  working: DayOrderLine[];
  notAnalysed: DayOrderRefusal[];
  /** Every measured order, ended or working, by request time. */
  orders: DayOrderLine[];
}

function lineOf(a: DayOrderAnalysis): DayOrderLine {
  const r = a.result;
  return {
    orderId: r.orderId ?? '',
    kind: a.kind,
    ...(a.parentId === undefined ? {} : { parentId: a.parentId }),
    status: a.status,
    ...(r.strategyId === undefined ? {} : { strategyId: r.strategyId }),
    ...(r.venue === undefined ? {} : { venue: r.venue }),
    symbol: r.symbol,
    side: r.side,
    requestedAt: r.requestedAt,
    requestedQuantity: r.requestedQuantity,
    filledQuantity: r.filledQuantity,
    fillRate: r.fillRate,
    shortfallBps: r.shortfall.bps.total,
    ...(r.slippage === undefined ? {} : { slippageBps: r.slippage.bps }),
    ...(r.latencyMs === undefined ? {} : { latencyMs: r.latencyMs }),
  };
}

/** `summarise` over each quote currency's results apart (sums across currencies mean nothing). */
function perQuoteCurrency<T extends { quoteCurrency: string }>(
  results: readonly TcaOrderResult[],
  summarise: (group: TcaOrderResult[]) => T[],
): T[] {
  const currencies = [...new Set(results.map((r) => r.quoteCurrency))].sort();
  return currencies.flatMap((c) => summarise(results.filter((r) => r.quoteCurrency === c)));
}

const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T): number =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/**
 * The day's summaries from its measured orders. An analysed order whose request falls outside
 * the day (a long-lived order listed again under a later run) is moved to `notAnalysed` as
 * RECEIVED_ON_ANOTHER_DAY rather than dropped.
 */
export function summariseDay(
  day: TcaDay,
  analysed: readonly DayOrderAnalysis[],
  refused: readonly DayOrderRefusal[],
): DayTcaSummary {
  const notAnalysed = [...refused];
  const inDay: DayOrderAnalysis[] = [];
  for (const a of analysed) {
    if (isInDay(day, a.result.requestedAt)) inDay.push(a);
    else
      notAnalysed.push({
        orderId: a.result.orderId ?? '',
        kind: a.kind,
        ...(a.parentId === undefined ? {} : { parentId: a.parentId }),
        status: a.status,
        code: 'RECEIVED_ON_ANOTHER_DAY',
        message: `received ${a.result.requestedAt}, not on ${day.day}`,
      });
  }
  const ended = inDay.filter((a) => a.ended);
  const forStrategies = ended.filter((a) => a.kind === 'parent' || a.parentId === undefined);
  const forVenues = ended.filter((a) => a.kind === 'order');
  const endedIds = new Set(ended.map((a) => a.result.orderId));
  const lines = inDay.map(lineOf).sort(byKey((l) => `${l.requestedAt}\u0000${l.orderId}`));
  return {
    day: day.day,
    counts: {
      listed: analysed.length + refused.length,
      ended: ended.length,
      working: inDay.length - ended.length,
      notAnalysed: notAnalysed.length,
    },
    strategies: perQuoteCurrency(
      forStrategies.map((a) => a.result),
      dailyStrategySummary,
    ),
    venues: perQuoteCurrency(
      forVenues.map((a) => a.result),
      venueComparison,
    ),
    working: lines.filter((l) => !endedIds.has(l.orderId)),
    notAnalysed: notAnalysed.sort(byKey((r) => r.orderId)),
    orders: lines,
  };
}
