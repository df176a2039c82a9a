/**
 * `ordo kill`, `ordo resume`, `ordo reduce-only`, `ordo trading`: the desk's trading state.
 *
 *   ordo kill --reason TEXT [--no-cancel] [--flatten] [--wait]
 *       halt; unless --no-cancel, the kill switch: cancel every working order, pause every parent
 *       order, cancel every open order at every venue. --wait prints the kill's report when done.
 *   ordo reduce-only --reason TEXT     only orders that reduce a position pass
 *   ordo resume --reason TEXT          trade again
 *   ordo trading                       the state, the last kill and the history of changes
 *
 * Exit codes as cli.ts: 0 done, 1 failure (also: a kill that left errors or open orders behind),
 * 2 refused input (a missing reason).
 */
import type { Command, CommanderError } from 'commander';
import { OrderRequestError } from '../domain/order-request';
import type { KillReport } from '../workflows/trading-messages';
import { clientEnvironment, connectClient } from './connection';
import { OrdoTrading, type TradingStatus, checkReason, killIncomplete } from './trading';

/** What the commands need from the outside world; tests pass their own. */
export interface TradingCliDeps {
  write: (text: string) => void;
  connect: () => Promise<{ trading: OrdoTrading; close: () => Promise<void> }>;
}

const defaultDeps: TradingCliDeps = {
  write: (text) => process.stdout.write(text),
  connect: async () => {
    const env = clientEnvironment();
    const client = await connectClient(env);
    return { trading: new OrdoTrading(client, env.taskQueue), close: () => client.connection.close() };
  },
};

/** Commander's usage errors as typed refusals (exit code 2), like `ordo algo`. */
function usageError(err: CommanderError): void {
  if (err.exitCode === 0 || err.code === 'commander.help') return; // help: commander exits normally
  const code =
    err.code === 'commander.missingMandatoryOptionValue' && err.message.includes('--reason')
      ? 'REASON_REQUIRED'
      : err.code
          .replace(/^commander\./, '')
          .replace(/([a-z])([A-Z])/g, '$1_$2')
          .toUpperCase();
  throw new OrderRequestError([{ code, message: err.message.replace(/^error: /, '') }]);
}

export function registerTradingCommands(program: Command, overrides: Partial<TradingCliDeps> = {}): Command {
  const deps: TradingCliDeps = { ...defaultDeps, ...overrides };
  const print = (data: unknown, human: string) => {
    const { json } = program.opts<{ json?: boolean }>();
    deps.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human}\n`);
  };
  const withTrading = async <T>(fn: (trading: OrdoTrading) => Promise<T>): Promise<T> => {
    const { trading, close } = await deps.connect();
    try {
      return await fn(trading);
    } finally {
      await close();
    }
  };

  const command = (name: string) =>
    program
      .command(name)
      .exitOverride(usageError)
      .configureOutput({ outputError: () => undefined })
      .showHelpAfterError(false);

  command('kill')
    .description('halt trading and cancel every working order (the kill switch)')
    .requiredOption('--reason <text>', 'why (kept in the history)')
    .option('--no-cancel', 'only halt: leave working orders alone')
    .option('--flatten', 'after cancelling, close positions with market orders')
    .option('--wait', 'wait until every order is cancelled and print the report')
    .action(async (opts: { reason: string; cancel: boolean; flatten?: boolean; wait?: boolean }) => {
      const reason = checkReason(opts.reason);
      await withTrading(async (trading) => {
        const { requestId } = await trading.halt({
          reason,
          cancelAll: opts.cancel,
          ...(opts.flatten ? { flatten: true } : {}),
        });
        if (!opts.wait || !opts.cancel) {
          const what = opts.cancel ? 'kill switch started' : 'working orders left alone';
          return print({ state: 'HALTED', requestId }, `trading HALTED; ${what}`);
        }
        const kill = await trading.waitForKill(requestId);
        print(kill, formatKill(kill));
        if (killIncomplete(kill)) process.exitCode = 1;
      });
    });

  for (const [name, state, help] of [
    ['resume', 'ACTIVE', 'trade again'],
    ['reduce-only', 'REDUCING', 'only orders that reduce a position pass'],
  ] as const) {
    command(name)
      .description(help)
      .requiredOption('--reason <text>', 'why (kept in the history)')
      .action(async (opts: { reason: string }) => {
        const reason = checkReason(opts.reason);
        await withTrading(async (trading) => {
          if (name === 'resume') await trading.resume(reason);
          else await trading.reduceOnly(reason);
          print({ state }, `trading ${state}`);
        });
      });
  }

  command('trading')
    .description('the trading state, the last kill switch and the history of changes')
    .action(async () => {
      await withTrading(async (trading) => {
        const status = await trading.state();
        print(status, formatTradingStatus(status));
      });
    });

  return program;
}

export function formatKill(kill: KillReport): string {
  const venues = kill.venuesCancelled
    .map(
      (v) =>
        `  ${v.venue}: ${v.cancelled} cancelled, ${v.alreadyGone} already gone, ${v.remaining} still open` +
        (v.error === undefined ? '' : ` (error: ${v.error})`),
    )
    .join('\n');
  const lines = [
    `kill ${kill.killId} at ${kill.requestedAt}: ${kill.reason}`,
    `  ${kill.ordersSignalled} orders signalled (${kill.alreadyClosed ?? 0} more had closed), ` +
      `${kill.parentsPaused ?? 0} parent orders paused, ${kill.rounds} round(s)`,
    ...(venues === '' ? [] : [venues]),
    ...(kill.flatten === undefined
      ? []
      : [
          `  flatten: ${kill.flatten.status} ${kill.flatten.orders.map((o) => o.orderId).join(' ')}`.trimEnd(),
        ]),
    ...kill.errors.map((e) => `  error: ${e}`),
    ...(kill.notes ?? []).map((n) => `  note: ${n}`),
    kill.done ? `  done at ${kill.doneAt ?? '-'}` : '  running',
  ];
  return lines.join('\n');
}

export function formatTradingStatus(status: TradingStatus): string {
  const head = status.running
    ? `trading ${status.state} since ${status.since ?? '-'}${status.reason === undefined ? '' : ` (${status.reason})`}`
    : 'trading ACTIVE (never halted: no trading-control workflow)';
  const history = status.history.map(
    (h) => `  ${h.at}  ${h.state.padEnd(8)}  ${h.reason}${h.unchanged ? '  (no change)' : ''}`,
  );
  return [
    head,
    ...(status.lastKill === undefined ? [] : ['last kill:', formatKill(status.lastKill)]),
    ...(history.length === 0 ? [] : ['history:', ...history]),
  ].join('\n');
}
