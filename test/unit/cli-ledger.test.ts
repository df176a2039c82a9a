/**
 * `ordo trades` and `ordo positions`: in-process through the commander tree on a temp SQLite
 * ledger, and once through the real bin/ordo.js with ORDO_LEDGER_URL (the wiring and the env).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { registerLedgerCommands } from '../../src/client/cli-ledger';
import type { Position } from '../../src/domain/positions';
import { OrderRequestError } from '../../src/domain/order-request';
import { openLedger } from '../../src/ledger/open-ledger';
import type { LedgerTrade } from '../../src/ledger/types';

const NOW = new Date('2030-01-02T00:00:00.000Z');
const ORDO = path.join(__dirname, '..', '..', 'bin', 'ordo.js');

let dir: string;
let url: string;

function trade(n: number, overrides: Partial<LedgerTrade> = {}): LedgerTrade {
  return {
    tradeId: `sim:v-${n}:${n}`,
    venueTradeId: String(n),
    // One per hour on 2030-01-01: trade 20 is 4 hours before NOW.
    timestamp: new Date(Date.UTC(2030, 0, 1, n)).toISOString(),
    symbol: 'BTC/USDT',
    direction: 'BUY',
    size: '1',
    price: '100',
    fee: '0.1',
    feeCurrency: 'USDT',
    orderId: `order-${n}`,
    clientOrderId: `x-${n}`,
    venueOrderId: `v-${n}`,
    venue: 'sim',
    strategyId: 'alpha',
    ...overrides,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ordo-cli-ledger-'));
  url = `sqlite:${path.join(dir, 'ledger.sqlite')}`;
  const ledger = await openLedger(url);
  await ledger.recordTrades([
    trade(1, { price: '100' }),
    trade(2, { price: '110' }),
    trade(3, { direction: 'SELL', price: '120', parentId: 'twap-1' }),
    trade(20, { symbol: 'ETH/USDT', price: '3000', strategyId: undefined }),
    trade(21, { venue: 'bybit', tradeId: 'bybit:v-21:21' }),
  ]);
  await ledger.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<string> {
  let out = '';
  const program = new Command('ordo').option('--json');
  registerLedgerCommands(program, {
    write: (text) => {
      out += text;
    },
    now: () => NOW,
    open: () => openLedger(url),
  });
  await program.parseAsync(args, { from: 'user' });
  return out;
}

async function json<T>(args: string[]): Promise<T> {
  return JSON.parse(await run([...args, '--json'])) as T;
}

const ids = (trades: LedgerTrade[]) => trades.map((t) => t.venueTradeId);

describe('ordo trades', () => {
  it('--json: the ledger trades, oldest first, filtered by the flags', async () => {
    expect(ids(await json(['trades']))).toEqual(['1', '2', '3', '20', '21']);
    expect(ids(await json(['trades', '--symbol', 'ETH/USDT']))).toEqual(['20']);
    expect(ids(await json(['trades', '--venue', 'bybit']))).toEqual(['21']);
    expect(ids(await json(['trades', '--strategy', 'alpha', '--venue', 'sim']))).toEqual(['1', '2', '3']);
    expect(ids(await json(['trades', '--order', 'order-2']))).toEqual(['2']);
    expect(ids(await json(['trades', '--parent', 'twap-1']))).toEqual(['3']);
    expect(ids(await json(['trades', '--limit', '2']))).toEqual(['20', '21']);
    expect(ids(await json(['trades', '--since', '2030-01-01T02:00:00Z']))).toEqual(['2', '3', '20', '21']);
    // A duration counts back from now: 4h before 2030-01-02T00:00Z is 20:00 on the 1st.
    expect(ids(await json(['trades', '--since', '4h']))).toEqual(['20', '21']);
    const [first] = await json<LedgerTrade[]>(['trades', '--order', 'order-1']);
    expect(first).toEqual(trade(1));
  });

  it('prints a table: header, one row per trade', async () => {
    const lines = (await run(['trades', '--symbol', 'BTC/USDT', '--venue', 'sim'])).trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^TIME\s+SIDE\s+SIZE\s+SYMBOL\s+PRICE\s+FEE\s+VENUE\s+ORDER\s+STRATEGY\s+PARENT$/,
    );
    expect(lines[3]).toMatch(
      /^2030-01-01T03:00:00.000Z\s+SELL\s+1\s+BTC\/USDT\s+120\s+0.1 USDT\s+sim\s+order-3\s+alpha\s+twap-1$/,
    );
    expect(await run(['trades', '--symbol', 'SOL/USDT'])).toBe('no trades\n');
  });

  it('refuses a bad --since or --limit with a typed issue (exit 2 in the CLI)', async () => {
    for (const [args, code] of [
      [['--since', 'yesterday'], 'INVALID_SINCE'],
      [['--since', '5x'], 'INVALID_SINCE'],
      [['--limit', '0'], 'INVALID_LIMIT'],
      [['--limit', 'ten'], 'INVALID_LIMIT'],
    ] as const) {
      const err = await run(['trades', ...args]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(OrderRequestError);
      expect((err as OrderRequestError).code).toBe(code);
    }
  });
});

describe('ordo positions', () => {
  it('--json: per symbol, venue and strategy, filtered', async () => {
    const positions = await json<Position[]>(['positions']);
    expect(positions.map((p) => [p.symbol, p.venue, p.strategyId ?? null, p.quantity])).toEqual([
      ['BTC/USDT', 'bybit', 'alpha', '1'],
      ['BTC/USDT', 'sim', 'alpha', '1'],
      ['ETH/USDT', 'sim', null, '1'],
    ]);
    // Bought 1 @ 100 and 1 @ 110, sold 1 @ 120: 15 realised, 1 left at 105.
    expect(positions[1]).toMatchObject({ averageCost: '105', realizedPnl: '15', fees: { USDT: '0.3' } });
    expect(await json<Position[]>(['positions', '--venue', 'sim', '--strategy', 'alpha'])).toEqual([
      positions[1],
    ]);
    expect(await json<Position[]>(['positions', '--symbol', 'ETH/USDT'])).toEqual([positions[2]]);
  });

  it('prints a table', async () => {
    const lines = (await run(['positions', '--symbol', 'BTC/USDT', '--venue', 'sim'])).trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^SYMBOL\s+VENUE\s+STRATEGY\s+QUANTITY\s+AVG COST\s+REALIZED PNL\s+FEES\s+TRADES/,
    );
    expect(lines[1]).toMatch(
      /^BTC\/USDT\s+sim\s+alpha\s+1\s+105\s+15\s+0.3 USDT\s+3\s+2030-01-01T03:00:00.000Z$/,
    );
    expect(await run(['positions', '--venue', 'nowhere'])).toBe('no positions\n');
  });
});

describe('bin/ordo.js', () => {
  it('reads the ledger of ORDO_LEDGER_URL', async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (resolve) => {
        execFile(
          'node',
          [ORDO, 'trades', '--order', 'order-3', '--json'],
          { timeout: 20_000, env: { ...process.env, ORDO_LEDGER_URL: url } },
          (err, out, errOut) => {
            resolve({
              code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1,
              stdout: out,
              stderr: errOut,
            });
          },
        );
      },
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(ids(JSON.parse(stdout) as LedgerTrade[])).toEqual(['3']);
  });
});
