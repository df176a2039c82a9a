/**
 * SQL both stores share: the trades table's columns, a trade as a row and back, and the trades
 * query. The stores differ only in types (TEXT vs NUMERIC/TIMESTAMPTZ), placeholders and collation.
 */
import { toDecimalString } from '../domain/decimal';
import type { LedgerTrade } from './types';
import { type CanonicalFilter, filterColumns } from './validate';

/** Column order of inserts and selects. `timestamp` is quoted: PostgreSQL also knows it as a type. */
export const TRADE_COLUMNS = [
  'trade_id',
  'venue_trade_id',
  '"timestamp"',
  'symbol',
  'direction',
  'size',
  'price',
  'fee',
  'fee_currency',
  'order_id',
  'client_order_id',
  'venue_order_id',
  'venue',
  'strategy_id',
  'decision_id',
  'parent_id',
] as const;

/** Indexes for the filters `ordo trades` and reconciliation use; the same in both stores. */
export const TRADE_INDEXES = [
  'CREATE INDEX IF NOT EXISTS trades_time ON trades ("timestamp")',
  'CREATE INDEX IF NOT EXISTS trades_symbol_time ON trades (symbol, "timestamp")',
  'CREATE INDEX IF NOT EXISTS trades_strategy_time ON trades (strategy_id, "timestamp")',
  'CREATE INDEX IF NOT EXISTS trades_order ON trades (order_id)',
  'CREATE INDEX IF NOT EXISTS trades_parent ON trades (parent_id)',
];

/** A canonical trade (validate.ts) as values in TRADE_COLUMNS order; absent optionals are NULL. */
export function tradeRow(t: LedgerTrade): Array<string | null> {
  return [
    t.tradeId,
    t.venueTradeId,
    t.timestamp,
    t.symbol,
    t.direction,
    t.size,
    t.price,
    t.fee,
    t.feeCurrency,
    t.orderId,
    t.clientOrderId,
    t.venueOrderId ?? null,
    t.venue,
    t.strategyId ?? null,
    t.decisionId ?? null,
    t.parentId ?? null,
  ];
}

function text(row: Record<string, unknown>, column: string): string {
  const value = row[column];
  if (typeof value === 'string') return value;
  throw new Error(`ledger row ${String(row['trade_id'])}: column ${column} is not text`);
}

function optional(row: Record<string, unknown>, column: string): string | undefined {
  const value = row[column];
  return value === null || value === undefined ? undefined : text(row, column);
}

/** A selected row back as a trade (pg answers TIMESTAMPTZ as a Date and NUMERIC as text). */
export function tradeOfRow(row: Record<string, unknown>): LedgerTrade {
  const at = row['timestamp'];
  const trade: LedgerTrade = {
    tradeId: text(row, 'trade_id'),
    venueTradeId: text(row, 'venue_trade_id'),
    timestamp: at instanceof Date ? at.toISOString() : new Date(text(row, 'timestamp')).toISOString(),
    symbol: text(row, 'symbol'),
    direction: text(row, 'direction') === 'SELL' ? 'SELL' : 'BUY',
    // NUMERIC keeps the scale it was given; canonical text is what both stores answer.
    size: toDecimalString(text(row, 'size')),
    price: toDecimalString(text(row, 'price')),
    fee: toDecimalString(text(row, 'fee')),
    feeCurrency: text(row, 'fee_currency'),
    orderId: text(row, 'order_id'),
    clientOrderId: text(row, 'client_order_id'),
    venue: text(row, 'venue'),
  };
  const optionals = {
    venueOrderId: optional(row, 'venue_order_id'),
    strategyId: optional(row, 'strategy_id'),
    decisionId: optional(row, 'decision_id'),
    parentId: optional(row, 'parent_id'),
  };
  for (const [key, value] of Object.entries(optionals))
    if (value !== undefined) Object.assign(trade, { [key]: value });
  return trade;
}

export interface SelectOptions {
  /** Placeholder for the n-th parameter (1-based): `?` in SQLite, `$n` in PostgreSQL. */
  placeholder: (n: number) => string;
  /** Collation clause that makes trade ids sort bytewise, like JavaScript's comparison. */
  bytewise: string;
}

/**
 * The trades query: oldest first; with a limit, the newest `limit` ones (selected newest first:
 * the caller reverses them).
 */
export function selectTrades(
  filter: CanonicalFilter,
  options: SelectOptions,
): { text: string; values: Array<string | number>; newestFirst: boolean } {
  const where: string[] = [];
  const values: Array<string | number> = [];
  for (const [column, value] of filterColumns(filter)) {
    values.push(value);
    where.push(`${column} = ${options.placeholder(values.length)}`);
  }
  if (filter.since !== undefined) {
    values.push(filter.since);
    where.push(`"timestamp" >= ${options.placeholder(values.length)}`);
  }
  const newestFirst = filter.limit !== undefined;
  const direction = newestFirst ? 'DESC' : 'ASC';
  let text =
    `SELECT ${TRADE_COLUMNS.join(', ')} FROM trades` +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY "timestamp" ${direction}, trade_id ${options.bytewise} ${direction}`;
  if (filter.limit !== undefined) {
    values.push(filter.limit);
    text += ` LIMIT ${options.placeholder(values.length)}`;
  }
  return { text, values, newestFirst };
}
