/**
 * Checks and canonical forms for what goes into and comes out of a ledger store, shared by both
 * stores so they hold (and answer) exactly the same values: decimals without exponent or trailing
 * zeros, timestamps as ISO-8601 UTC to the millisecond (which also sort as text, in SQLite).
 */
import { cmp, isDecimalText, toDecimalString } from '../domain/decimal';
import { LedgerError, type LedgerTrade, type TradeFilter } from './types';

const REQUIRED_TEXT = ['tradeId', 'venueTradeId', 'symbol', 'orderId', 'clientOrderId', 'venue'] as const;
const OPTIONAL_TEXT = ['venueOrderId', 'strategyId', 'decisionId', 'parentId'] as const;

/** Ids and names longer than this are refused (they would be a bug, not a trade). */
const MAX_TEXT = 500;

function isoTime(value: string | Date, what: string): string {
  const time = value instanceof Date ? value.getTime() : Date.parse(value);
  if (!Number.isFinite(time))
    throw new LedgerError('INVALID_FILTER', `${what} is not a time: ${String(value)}`);
  return new Date(time).toISOString();
}

function invalid(trade: { tradeId?: unknown }, message: string): LedgerError {
  return new LedgerError('INVALID_TRADE', `trade ${String(trade.tradeId)}: ${message}`);
}

/** The trade in canonical form; LedgerError INVALID_TRADE when it is malformed. */
export function canonicalTrade(trade: LedgerTrade): LedgerTrade {
  for (const field of REQUIRED_TEXT) {
    const value: unknown = trade[field];
    if (typeof value !== 'string' || value === '' || value.length > MAX_TEXT)
      throw invalid(trade, `${field} must be a non-empty string`);
  }
  for (const field of OPTIONAL_TEXT) {
    const value: unknown = trade[field];
    if (value !== undefined && (typeof value !== 'string' || value.length > MAX_TEXT))
      throw invalid(trade, `${field} must be a string when given`);
  }
  if (trade.direction !== 'BUY' && trade.direction !== 'SELL')
    throw invalid(trade, `direction must be BUY or SELL, got ${String(trade.direction)}`);
  for (const field of ['size', 'price', 'fee'] as const) {
    const value: unknown = trade[field];
    if (typeof value !== 'string' || !isDecimalText(value))
      throw invalid(trade, `${field} must be a decimal string, got ${String(value)}`);
  }
  if (cmp(trade.size, 0) <= 0) throw invalid(trade, `size must be > 0, got ${trade.size}`);
  if (cmp(trade.price, 0) < 0) throw invalid(trade, `price must be ≥ 0, got ${trade.price}`);
  if (typeof trade.feeCurrency !== 'string' || trade.feeCurrency.length > MAX_TEXT)
    throw invalid(trade, 'feeCurrency must be a string');
  const time = typeof trade.timestamp === 'string' ? Date.parse(trade.timestamp) : NaN;
  if (!Number.isFinite(time)) throw invalid(trade, `timestamp is not ISO-8601: ${String(trade.timestamp)}`);
  const canonical: LedgerTrade = {
    ...trade,
    timestamp: new Date(time).toISOString(),
    size: toDecimalString(trade.size),
    price: toDecimalString(trade.price),
    fee: toDecimalString(trade.fee),
  };
  for (const field of OPTIONAL_TEXT) if (canonical[field] === undefined) delete canonical[field];
  return canonical;
}

export interface CanonicalFilter {
  symbol?: string;
  venue?: string;
  strategyId?: string;
  orderId?: string;
  parentId?: string;
  since?: string;
  limit?: number;
}

/** The filter with `since` as ISO-8601 UTC; LedgerError INVALID_FILTER for a bad time or limit. */
export function canonicalFilter(filter: TradeFilter = {}): CanonicalFilter {
  const out: CanonicalFilter = {};
  for (const field of ['symbol', 'venue', 'strategyId', 'orderId', 'parentId'] as const) {
    const value = filter[field];
    if (value !== undefined) out[field] = value;
  }
  if (filter.since !== undefined) out.since = isoTime(filter.since, 'since');
  if (filter.limit !== undefined) {
    if (!Number.isSafeInteger(filter.limit) || filter.limit <= 0)
      throw new LedgerError('INVALID_FILTER', `limit must be a positive integer, got ${filter.limit}`);
    out.limit = filter.limit;
  }
  return out;
}

/** Equality conditions of a filter as SQL column → value (both stores name columns alike). */
export function filterColumns(filter: CanonicalFilter): Array<[column: string, value: string]> {
  const columns: Array<[string, string | undefined]> = [
    ['symbol', filter.symbol],
    ['venue', filter.venue],
    ['strategy_id', filter.strategyId],
    ['order_id', filter.orderId],
    ['parent_id', filter.parentId],
  ];
  return columns.filter((c): c is [string, string] => c[1] !== undefined);
}
