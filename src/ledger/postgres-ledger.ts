/**
 * The production ledger: PostgreSQL by connection URL (`postgres://user:pass@host:5432/db`),
 * through a small pg pool. Decimals are NUMERIC (exact; pg answers them as text, never as
 * floats), times TIMESTAMPTZ. The table is created on open, under an advisory lock so workers
 * starting together do not race on CREATE TABLE.
 */
import { Pool, type PoolClient } from 'pg';
import { type Position, positionsFromTrades } from '../domain/positions';
import { TRADE_COLUMNS, TRADE_INDEXES, selectTrades, tradeOfRow, tradeRow } from './sql';
import type { Ledger, LedgerTrade, PositionFilter, TradeFilter } from './types';
import { canonicalFilter, canonicalTrade } from './validate';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS trades (
  trade_id TEXT PRIMARY KEY,
  venue_trade_id TEXT NOT NULL,
  "timestamp" TIMESTAMPTZ NOT NULL,
  symbol TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('BUY', 'SELL')),
  size NUMERIC NOT NULL,
  price NUMERIC NOT NULL,
  fee NUMERIC NOT NULL,
  fee_currency TEXT NOT NULL,
  order_id TEXT NOT NULL,
  client_order_id TEXT NOT NULL,
  venue_order_id TEXT,
  venue TEXT NOT NULL,
  strategy_id TEXT,
  decision_id TEXT,
  parent_id TEXT,
  recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`;

/** Any constant: the key of the advisory lock that serialises schema creation. */
const SCHEMA_LOCK = 7_441_302;

/** Rows per INSERT statement: 16 parameters each, far below PostgreSQL's 65535. */
const ROWS_PER_STATEMENT = 500;

async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined); // the original error is the one to report
    throw err;
  } finally {
    client.release();
  }
}

function insertStatement(rows: number): string {
  const width = TRADE_COLUMNS.length;
  const tuples = Array.from(
    { length: rows },
    (_, r) => `(${TRADE_COLUMNS.map((_c, c) => `$${r * width + c + 1}`).join(', ')})`,
  );
  return (
    `INSERT INTO trades (${TRADE_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}` +
    ' ON CONFLICT (trade_id) DO NOTHING'
  );
}

class PostgresLedger implements Ledger {
  constructor(
    private readonly pool: Pool,
    readonly description: string,
  ) {}

  async recordTrades(trades: readonly LedgerTrade[]): Promise<{ inserted: number }> {
    const canonical = trades.map(canonicalTrade); // all checked before anything is written
    if (canonical.length === 0) return { inserted: 0 };
    // Writers racing with overlapping batches take the key locks in one order: no deadlock.
    canonical.sort((a, b) => (a.tradeId < b.tradeId ? -1 : a.tradeId > b.tradeId ? 1 : 0));
    const inserted = await inTransaction(this.pool, async (client) => {
      let count = 0;
      for (let i = 0; i < canonical.length; i += ROWS_PER_STATEMENT) {
        const chunk = canonical.slice(i, i + ROWS_PER_STATEMENT);
        // DO NOTHING also skips a trade repeated inside the same statement.
        const result = await client.query(insertStatement(chunk.length), chunk.flatMap(tradeRow));
        count += result.rowCount ?? 0;
      }
      return count;
    });
    return { inserted };
  }

  async trades(filter: TradeFilter = {}): Promise<LedgerTrade[]> {
    const query = selectTrades(canonicalFilter(filter), {
      placeholder: (n) => `$${n}`,
      bytewise: 'COLLATE "C"',
    });
    const result = await this.pool.query<Record<string, unknown>>(query.text, query.values);
    const trades = result.rows.map(tradeOfRow);
    return query.newestFirst ? trades.reverse() : trades;
  }

  async positions(filter: PositionFilter = {}): Promise<Position[]> {
    const { symbol, venue, strategyId } = filter;
    return positionsFromTrades(await this.trades({ symbol, venue, strategyId }));
  }

  async close(): Promise<void> {
    if (this.pool.ended || this.pool.ending) return; // closing twice is not an error
    await this.pool.end();
  }
}

/** The URL without its password, for logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres (unparsable URL)';
  }
}

/** Connects, creates the table if needed, and returns the ledger; throws when the server cannot be reached. */
export async function openPostgresLedger(url: string): Promise<Ledger> {
  const pool = new Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
  // An idle connection the server drops emits 'error' on the pool; unheard, it would end the
  // process. The pool discards that connection and the next query opens a new one.
  pool.on('error', () => undefined);
  try {
    await inTransaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      await client.query(SCHEMA);
      for (const index of TRADE_INDEXES) await client.query(index);
    });
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return new PostgresLedger(pool, `postgres ${redactedUrl(url)}`);
}
