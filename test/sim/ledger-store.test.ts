/**
 * The trades ledger, one test body run against both stores: SQLite (a temp file) and PostgreSQL
 * (a private server started for this file, see test/support/postgres-server.ts; skipped with a
 * warning when none can run here). Each test gets a fresh database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { Client } from 'pg';
import { createLedgerActivities } from '../../src/activities/ledger-activities';
import type { RecordFillsInput } from '../../src/activities/types';
import { positionsFromTrades } from '../../src/domain/positions';
import { ledgerUrl, openLedger } from '../../src/ledger/open-ledger';
import { type Ledger, LedgerError, type LedgerTrade } from '../../src/ledger/types';
import { type PostgresServer, postgresUnavailable, startPostgresServer } from '../support/postgres-server';

interface Store {
  /** A URL of an empty ledger database, new for each call. */
  freshUrl(): Promise<string>;
}

let seq = 0;
function trade(overrides: Partial<LedgerTrade> = {}): LedgerTrade {
  seq += 1;
  const venueTradeId = String(1000 + seq);
  return {
    tradeId: `sim:v-1:${venueTradeId}`,
    venueTradeId,
    timestamp: new Date(Date.UTC(2030, 0, 1, 0, 0, seq)).toISOString(),
    symbol: 'BTC/USDT',
    direction: 'BUY',
    size: '0.5',
    price: '60000',
    fee: '0.0005',
    feeCurrency: 'BTC',
    orderId: 'order-1',
    clientOrderId: 'x-order-1',
    venueOrderId: 'v-1',
    venue: 'sim',
    strategyId: 'momentum',
    decisionId: 'decision-1',
    parentId: 'twap-1',
    ...overrides,
  };
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

function ledgerContract(store: () => Store): void {
  const open: Ledger[] = [];
  async function ledgerAt(url: string): Promise<Ledger> {
    const ledger = await openLedger(url);
    open.push(ledger);
    return ledger;
  }
  async function fresh(): Promise<{ ledger: Ledger; url: string }> {
    const url = await store().freshUrl();
    return { ledger: await ledgerAt(url), url };
  }

  beforeEach(() => {
    seq = 0;
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((l) => l.close()));
  });

  it('records a trade once: the same trade again (same call or a retry) inserts nothing', async () => {
    const { ledger } = await fresh();
    const a = trade();
    const b = trade();
    expect(await ledger.recordTrades([a, a])).toEqual({ inserted: 1 });
    expect(await ledger.recordTrades([a])).toEqual({ inserted: 0 });
    // A retried batch with one new trade in it: only that one is new.
    expect(await ledger.recordTrades([a, b])).toEqual({ inserted: 1 });
    expect(await ledger.recordTrades([])).toEqual({ inserted: 0 });
    expect((await ledger.trades()).map((t) => t.tradeId)).toEqual([a.tradeId, b.tradeId]);
  });

  it('answers exactly what was recorded: decimals exact and canonical, times to the millisecond', async () => {
    const { ledger } = await fresh();
    const precise = trade({
      size: '0.000000012345678901234567',
      price: '60000.10',
      fee: '-1E-8',
      timestamp: '2030-01-01T01:00:00.456+01:00',
    });
    const bare = trade({
      strategyId: undefined,
      decisionId: undefined,
      parentId: undefined,
      feeCurrency: '',
    });
    delete bare.venueOrderId;
    await ledger.recordTrades([precise, bare]);
    const [p, b] = await ledger.trades();
    expect(p).toEqual({
      ...precise,
      price: '60000.1',
      fee: '-0.00000001',
      timestamp: '2030-01-01T00:00:00.456Z',
    });
    expect(b).toEqual({
      tradeId: bare.tradeId,
      venueTradeId: bare.venueTradeId,
      timestamp: bare.timestamp,
      symbol: 'BTC/USDT',
      direction: 'BUY',
      size: '0.5',
      price: '60000',
      fee: '0.0005',
      feeCurrency: '',
      orderId: 'order-1',
      clientOrderId: 'x-order-1',
      venue: 'sim',
    });
  });

  it('refuses a malformed trade with INVALID_TRADE, and writes nothing of that call', async () => {
    const { ledger } = await fresh();
    const bad: Array<[Partial<LedgerTrade>, RegExp]> = [
      [{ size: '1.5e' }, /size must be a decimal/],
      [{ size: '0' }, /size must be > 0/],
      [{ price: '-1' }, /price must be ≥ 0/],
      [{ direction: 'buy' as LedgerTrade['direction'] }, /direction must be BUY or SELL/],
      [{ timestamp: 'yesterday' }, /timestamp is not ISO-8601/],
      [{ orderId: '' }, /orderId must be a non-empty string/],
    ];
    for (const [overrides, message] of bad) {
      const err = await errorOf(ledger.recordTrades([trade(), trade(overrides)]));
      expect(err).toBeInstanceOf(LedgerError);
      expect((err as LedgerError).code).toBe('INVALID_TRADE');
      expect((err as LedgerError).message).toMatch(message);
    }
    expect(await ledger.trades()).toEqual([]);
  });

  it('filters by symbol, venue, strategy, order, parent and time; limit keeps the most recent', async () => {
    const { ledger } = await fresh();
    const trades = [
      trade({ symbol: 'ETH/USDT', price: '3000' }),
      trade({ venue: 'bybit', tradeId: 'bybit:v-9:1' }),
      trade({ strategyId: 'carry' }),
      trade({ orderId: 'order-2', parentId: 'twap-2' }),
      trade(),
      trade({ strategyId: undefined, parentId: undefined }),
    ];
    // Recorded out of order: answers are in time order anyway.
    await ledger.recordTrades([...trades].reverse());
    const ids = async (filter: Parameters<Ledger['trades']>[0]) =>
      (await ledger.trades(filter)).map((t) => trades.findIndex((x) => x.tradeId === t.tradeId));

    expect(await ids({})).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await ids({ symbol: 'ETH/USDT' })).toEqual([0]);
    expect(await ids({ venue: 'bybit' })).toEqual([1]);
    expect(await ids({ strategyId: 'momentum' })).toEqual([0, 1, 3, 4]);
    expect(await ids({ orderId: 'order-2' })).toEqual([3]);
    expect(await ids({ parentId: 'twap-1' })).toEqual([0, 1, 2, 4]);
    expect(await ids({ since: trades[3]!.timestamp })).toEqual([3, 4, 5]);
    expect(await ids({ since: new Date(trades[3]!.timestamp) })).toEqual([3, 4, 5]);
    expect(await ids({ limit: 2 })).toEqual([4, 5]);
    expect(await ids({ symbol: 'BTC/USDT', venue: 'sim', strategyId: 'momentum', limit: 2 })).toEqual([3, 4]);
    expect(await ids({ symbol: 'SOL/USDT' })).toEqual([]);

    for (const filter of [{ limit: 0 }, { limit: 1.5 }, { since: 'never' }]) {
      const err = await errorOf(ledger.trades(filter));
      expect((err as LedgerError).code).toBe('INVALID_FILTER');
    }
  });

  it('orders trades of the same millisecond by trade id', async () => {
    const { ledger } = await fresh();
    const at = '2030-01-01T00:00:00.000Z';
    await ledger.recordTrades([
      trade({ tradeId: 'sim:v-1:b', timestamp: at }),
      trade({ tradeId: 'sim:v-1:a', timestamp: at }),
      trade({ tradeId: 'sim:v-1:B', timestamp: at }),
    ]);
    expect((await ledger.trades()).map((t) => t.tradeId)).toEqual(['sim:v-1:B', 'sim:v-1:a', 'sim:v-1:b']);
  });

  it('positions from the ledger, per symbol/venue/strategy and filtered', async () => {
    const { ledger } = await fresh();
    const trades = [
      trade({ direction: 'BUY', size: '2', price: '100', fee: '0.1', feeCurrency: 'USDT' }),
      trade({ direction: 'BUY', size: '2', price: '110', fee: '0.1', feeCurrency: 'USDT' }),
      trade({ direction: 'SELL', size: '1', price: '120', fee: '0.12', feeCurrency: 'USDT' }),
      trade({ direction: 'SELL', size: '1', price: '3000', symbol: 'ETH/USDT' }),
      trade({ direction: 'BUY', size: '1', price: '100', strategyId: 'carry' }),
    ];
    await ledger.recordTrades(trades);
    const positions = await ledger.positions();
    expect(positions).toEqual(positionsFromTrades(trades));
    expect(positions.map((p) => [p.symbol, p.strategyId, p.quantity, p.averageCost, p.realizedPnl])).toEqual([
      ['BTC/USDT', 'carry', '1', '100', '0'],
      ['BTC/USDT', 'momentum', '3', '105', '15'],
      ['ETH/USDT', 'momentum', '-1', '3000', '0'],
    ]);
    expect(positions[1]!.fees).toEqual({ USDT: '0.32' });
    expect(await ledger.positions({ symbol: 'ETH/USDT' })).toEqual([positions[2]]);
    expect(await ledger.positions({ strategyId: 'carry' })).toEqual([positions[0]]);
    expect(await ledger.positions({ venue: 'bybit' })).toEqual([]);
  });

  it('keeps what it recorded across close and reopen', async () => {
    const { ledger, url } = await fresh();
    await ledger.recordTrades([trade(), trade()]);
    await ledger.close();
    const again = await ledgerAt(url);
    expect(await again.trades()).toHaveLength(2);
    expect(await again.recordTrades([trade({ tradeId: 'sim:v-1:1001' })])).toEqual({ inserted: 0 });
  });

  it('two writers racing with the same fills record each once', async () => {
    const { url } = await fresh();
    const [one, two] = [await ledgerAt(url), await ledgerAt(url)];
    const batch = Array.from({ length: 50 }, () => trade());
    const results = await Promise.all([
      one.recordTrades(batch),
      two.recordTrades(batch),
      one.recordTrades(batch.slice(10, 30)),
      two.recordTrades(batch.slice(25)),
    ]);
    expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(50);
    expect(await one.trades()).toHaveLength(50);
  });

  describe('recordFills activity', () => {
    const input = (fills: RecordFillsInput['fills']): RecordFillsInput => ({
      order: {
        orderId: 'o-7',
        clientOrderId: 'x-o-7',
        symbol: 'ETH/USDT',
        side: 'sell',
        venue: 'sim',
        strategyId: 'mm',
        parentId: 'twap-7',
      },
      fills,
    });
    const fill = (tradeId: string, venueOrderId = '42') => ({
      tradeId,
      quantity: '0.25',
      price: '3000.5',
      fee: '0.75',
      feeCurrency: 'USDT',
      timestamp: '2030-01-01T00:00:00.000Z',
      venueOrderId,
    });

    it('records each fill once however often it is handed the same fills', async () => {
      const { ledger } = await fresh();
      const { recordFills } = createLedgerActivities(ledger);
      expect(await recordFills(input([fill('1')]))).toEqual({ inserted: 1 });
      expect(await recordFills(input([fill('1'), fill('2')]))).toEqual({ inserted: 1 });
      expect(await recordFills(input([fill('1'), fill('2')]))).toEqual({ inserted: 0 });
      // Trade ids are per venue order (Binance: per symbol): another order's trade 1 is another fill.
      expect(await recordFills(input([fill('1', '43')]))).toEqual({ inserted: 1 });
      const trades = await ledger.trades();
      expect(trades.map((t) => t.tradeId)).toEqual(['sim:42:1', 'sim:42:2', 'sim:43:1']);
      expect(trades[0]).toEqual({
        tradeId: 'sim:42:1',
        venueTradeId: '1',
        timestamp: '2030-01-01T00:00:00.000Z',
        symbol: 'ETH/USDT',
        direction: 'SELL',
        size: '0.25',
        price: '3000.5',
        fee: '0.75',
        feeCurrency: 'USDT',
        orderId: 'o-7',
        clientOrderId: 'x-o-7',
        venueOrderId: '42',
        venue: 'sim',
        strategyId: 'mm',
        parentId: 'twap-7',
      });
    });

    it('a malformed fill fails for good (not retried): INVALID_TRADE', async () => {
      const { ledger } = await fresh();
      const err = await errorOf(
        createLedgerActivities(ledger).recordFills(input([{ ...fill('1'), quantity: 'NaN' }])),
      );
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect(err).toMatchObject({ type: 'INVALID_TRADE', nonRetryable: true });
    });
  });
}

describe('SQLite ledger', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ordo-ledger-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  ledgerContract(() => ({ freshUrl: async () => `sqlite:${path.join(dir, `ledger-${++n}.sqlite`)}` }));

  it('ORDO_LEDGER_URL wins; else ledger.sqlite under ORDO_DATA_DIR (default .data)', () => {
    expect(ledgerUrl({ ORDO_LEDGER_URL: 'postgres://h/db', ORDO_DATA_DIR: '/x' })).toBe('postgres://h/db');
    expect(ledgerUrl({ ORDO_DATA_DIR: '/var/ordo' })).toBe('sqlite:/var/ordo/ledger.sqlite');
    expect(ledgerUrl({})).toBe('sqlite:.data/ledger.sqlite');
  });

  it('creates the data folder, and refuses an unknown URL without echoing it', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'ledger.sqlite');
    const ledger = await openLedger(`sqlite:${file}`);
    expect(ledger.description).toBe(`sqlite ${file}`);
    await ledger.close();
    const err = await errorOf(openLedger('mysql://user:secret@host/db'));
    expect(err).toMatchObject({ code: 'BAD_LEDGER_URL' });
    expect(String(err)).not.toContain('secret');
  });
});

const unavailable = postgresUnavailable();
if (unavailable !== undefined) {
  console.warn(`PostgreSQL ledger tests SKIPPED: ${unavailable}`);
}

(unavailable === undefined ? describe : describe.skip)('PostgreSQL ledger', () => {
  let server: PostgresServer;
  let admin: Client;
  let n = 0;
  const databases: string[] = [];
  /** A new database (named per process: ORDO_TEST_POSTGRES_URL may be a shared server). */
  async function createDatabase(): Promise<string> {
    const database = `ordo_ledger_${process.pid}_${++n}`;
    await admin.query(`CREATE DATABASE ${database}`);
    databases.push(database);
    return database;
  }
  beforeAll(async () => {
    server = await startPostgresServer();
    admin = new Client({ connectionString: server.url });
    await admin.connect();
  }, 120_000);
  afterAll(async () => {
    for (const database of databases) await admin?.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin?.end();
    await server?.stop();
  }, 60_000);

  ledgerContract(() => ({
    freshUrl: async () => server.urlFor(await createDatabase()),
  }));

  it('stores decimals as NUMERIC and times as TIMESTAMPTZ; never logs the password', async () => {
    const url = server.urlFor(await createDatabase());
    const ledger = await openLedger(url);
    try {
      await ledger.recordTrades([trade()]);
      const columns = new Client({ connectionString: url });
      await columns.connect();
      const { rows } = await columns.query<{ column_name: string; data_type: string }>(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'trades'",
      );
      await columns.end();
      const types = Object.fromEntries(rows.map((r) => [r.column_name, r.data_type]));
      expect(types).toMatchObject({
        size: 'numeric',
        price: 'numeric',
        fee: 'numeric',
        timestamp: 'timestamp with time zone',
      });
    } finally {
      await ledger.close();
    }
    const withPassword = url.replace('ordo@', 'ordo:s3cret@');
    const ledger2 = await openLedger(withPassword); // trust auth: the password is not checked
    expect(ledger2.description).not.toContain('s3cret');
    expect(ledger2.description).toContain('***');
    await ledger2.close();
  });
});
