/**
 * `ordo trades` and `ordo positions`: read the trades ledger directly (no Temporal server needed),
 * from the same ORDO_LEDGER_URL / ORDO_DATA_DIR the worker writes to. Bad flags are refused with
 * typed issues (an OrderRequestError: the CLI prints the codes and exits 2).
 */
import type { Command } from 'commander';
import { DurationError, parseDuration } from '../domain/algos/duration';
import { OrderRequestError } from '../domain/order-request';
import { openLedger } from '../ledger/open-ledger';
import type { Ledger, PositionFilter, TradeFilter } from '../ledger/types';
import { formatPositions, formatTrades } from './format-ledger';

/** What the commands need from the outside world; tests pass their own. */
export interface LedgerCliDeps {
  write: (text: string) => void;
  now: () => Date;
  open: () => Promise<Ledger>;
}

const defaultDeps: LedgerCliDeps = {
  write: (text) => process.stdout.write(text),
  now: () => new Date(),
  open: () => openLedger(),
};

const DEFAULT_LIMIT = 100;

/** `--since`: an ISO-8601 time, or a duration back from now ("2h", "1d"). */
export function parseSince(text: string, now: Date): string {
  if (/^\d+(\.\d+)?(ms|s|m|h|d)/.test(text.trim())) {
    try {
      return new Date(now.getTime() - parseDuration(text)).toISOString();
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
    }
  }
  // A bare date or time must look like one: Date.parse alone takes "1" as the year 2001.
  const time = /^\d{4}-\d{2}-\d{2}/.test(text.trim()) ? Date.parse(text) : NaN;
  if (!Number.isFinite(time)) {
    throw new OrderRequestError([
      {
        code: 'INVALID_SINCE',
        field: 'since',
        message: `--since "${text}" is neither an ISO-8601 time nor a duration like 30m, 2h, 1d`,
      },
    ]);
  }
  return new Date(time).toISOString();
}

function parseLimit(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new OrderRequestError([
      { code: 'INVALID_LIMIT', field: 'limit', message: `--limit must be a positive integer, got "${text}"` },
    ]);
  }
  return n;
}

interface FilterFlags {
  symbol?: string;
  venue?: string;
  strategy?: string;
  order?: string;
  parent?: string;
  since?: string;
  limit?: string;
}

export function registerLedgerCommands(program: Command, overrides: Partial<LedgerCliDeps> = {}): Command {
  const deps: LedgerCliDeps = { ...defaultDeps, ...overrides };
  const print = (cmd: Command, data: unknown, human: string) => {
    const { json } = cmd.optsWithGlobals<{ json?: boolean }>();
    deps.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human}\n`);
  };
  const withLedger = async <T>(fn: (ledger: Ledger) => Promise<T>): Promise<T> => {
    const ledger = await deps.open();
    try {
      return await fn(ledger);
    } finally {
      await ledger.close();
    }
  };

  program
    .command('trades')
    .description('fills recorded in the trades ledger, oldest first (the most recent --limit)')
    .option('--symbol <symbol>', 'e.g. BTC/USDT')
    .option('--venue <venue>')
    .option('--strategy <id>')
    .option('--order <orderId>')
    .option('--parent <parentId>')
    .option('--since <time>', 'ISO-8601 time, or a duration back from now (30m, 2h, 1d)')
    .option('--limit <n>', `at most this many, the most recent (default ${DEFAULT_LIMIT})`)
    .action(async (opts: FilterFlags, self: Command) => {
      const filter: TradeFilter = {
        ...(opts.symbol === undefined ? {} : { symbol: opts.symbol }),
        ...(opts.venue === undefined ? {} : { venue: opts.venue }),
        ...(opts.strategy === undefined ? {} : { strategyId: opts.strategy }),
        ...(opts.order === undefined ? {} : { orderId: opts.order }),
        ...(opts.parent === undefined ? {} : { parentId: opts.parent }),
        ...(opts.since === undefined ? {} : { since: parseSince(opts.since, deps.now()) }),
        limit: opts.limit === undefined ? DEFAULT_LIMIT : parseLimit(opts.limit),
      };
      await withLedger(async (ledger) => {
        const trades = await ledger.trades(filter);
        print(self, trades, formatTrades(trades));
      });
    });

  program
    .command('positions')
    .description('positions, average cost and realised PnL per symbol, venue and strategy, from the ledger')
    .option('--symbol <symbol>')
    .option('--venue <venue>')
    .option('--strategy <id>')
    .action(async (opts: FilterFlags, self: Command) => {
      const filter: PositionFilter = {
        ...(opts.symbol === undefined ? {} : { symbol: opts.symbol }),
        ...(opts.venue === undefined ? {} : { venue: opts.venue }),
        ...(opts.strategy === undefined ? {} : { strategyId: opts.strategy }),
      };
      await withLedger(async (ledger) => {
        const positions = await ledger.positions(filter);
        print(self, positions, formatPositions(positions));
      });
    });

  return program;
}
