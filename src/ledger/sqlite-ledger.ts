/**
 * The embedded ledger: one SQLite file (default $ORDO_DATA_DIR/ledger.sqlite) through
 * better-sqlite3. WAL lets the CLI read while the worker writes; synchronous=FULL because these
 * are the books (a committed fill must survive a power cut, and there are few writes); a busy
 * timeout because the worker and a CLI (or two workers on one machine) share the file.
 *
 * better-sqlite3 is synchronous: each call is a short local transaction, far below what an
 * activity's event loop would notice.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type Position, positionsFromTrades } from '../domain/positions';
import { TRADE_COLUMNS, TRADE_INDEXES, selectTrades, tradeOfRow, tradeRow } from './sql';
import type { Ledger, LedgerTrade, PositionFilter, TradeFilter } from './types';
import { canonicalFilter, canonicalTrade } from './validate';

// Decimals are TEXT (never REAL); timestamps are ISO-8601 UTC text, which sorts as time.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS trades (
  trade_id TEXT PRIMARY KEY,
  venue_trade_id TEXT NOT NULL,
  "timestamp" TEXT NOT NULL,
  symbol TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('BUY', 'SELL')),
  size TEXT NOT NULL,
  price TEXT NOT NULL,
  fee TEXT NOT NULL,
  fee_currency TEXT NOT NULL,
  order_id TEXT NOT NULL,
  client_order_id TEXT NOT NULL,
  venue_order_id TEXT,
  venue TEXT NOT NULL,
  strategy_id TEXT,
  decision_id TEXT,
  parent_id TEXT,
  recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
`;

const BUSY_TIMEOUT_MS = 5000;

class SqliteLedger implements Ledger {
  private readonly insert: Database.Statement<Array<string | null>>;
  private readonly insertAll: (trades: readonly LedgerTrade[]) => number;

  constructor(
    private readonly db: Database.Database,
    readonly description: string,
  ) {
    this.insert = db.prepare<Array<string | null>>(
      `INSERT INTO trades (${TRADE_COLUMNS.join(', ')}) VALUES (${TRADE_COLUMNS.map(() => '?').join(', ')})` +
        ' ON CONFLICT (trade_id) DO NOTHING',
    );
    // One transaction per call: all of a call's trades are recorded, or none.
    this.insertAll = db.transaction((trades: readonly LedgerTrade[]) =>
      trades.reduce((inserted, t) => inserted + this.insert.run(...tradeRow(t)).changes, 0),
    );
  }

  async recordTrades(trades: readonly LedgerTrade[]): Promise<{ inserted: number }> {
    const canonical = trades.map(canonicalTrade); // all checked before anything is written
    return { inserted: canonical.length === 0 ? 0 : this.insertAll(canonical) };
  }

  async trades(filter: TradeFilter = {}): Promise<LedgerTrade[]> {
    const query = selectTrades(canonicalFilter(filter), {
      placeholder: () => '?',
      bytewise: 'COLLATE BINARY',
    });
    const rows = this.db.prepare(query.text).all(...query.values) as Array<Record<string, unknown>>;
    const trades = rows.map(tradeOfRow);
    return query.newestFirst ? trades.reverse() : trades;
  }

  async positions(filter: PositionFilter = {}): Promise<Position[]> {
    const { symbol, venue, strategyId } = filter;
    return positionsFromTrades(await this.trades({ symbol, venue, strategyId }));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Opens (creating if needed) the ledger in this file; ':memory:' for a private in-memory one. */
export function openSqliteLedger(file: string): Ledger {
  const memory = file === ':memory:';
  if (!memory) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!memory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(SCHEMA);
    for (const index of TRADE_INDEXES) db.exec(index);
  } catch (err) {
    db.close();
    throw err;
  }
  return new SqliteLedger(db, memory ? 'sqlite (in memory)' : `sqlite ${path.resolve(file)}`);
}
