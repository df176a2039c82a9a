/**
 * `ordo rebalance --targets FILE [--plan] [--from ledger|venue] [--id ID] [--wait]`: the order
 * planner. Turns target net positions into the orders that close the difference and starts them
 * (rebalanceWorkflow plans in the worker: the CLI holds no venue credentials).
 *
 *   --plan    show the plan, start nothing
 *   --from    positions from the trades ledger (default) or the venue's base-asset balance
 *   --id      the rebalance id (order ids derive from it): the same id again never double-sends
 *   --wait    wait for the started orders to end and print how they did
 *
 * Exit codes as cli.ts: 0 done, 1 failure, 2 refused input (bad file, or an issue the worker
 * found: nothing was started), 3 an order it started ended refused (DENIED, REJECTED).
 */
import { type Command, type CommanderError, Option } from 'commander';
import { OrderRequestError } from '../domain/order-request';
import type { PositionSourceName } from '../activities/rebalance-types';
import { clientEnvironment, connectClient } from './connection';
import { formatOutcomes, formatRebalance } from './format-rebalance';
import { OrdoRebalance, checkTargets, readTargetsFile } from './rebalance';

/** What the command needs from the outside world; tests pass their own. */
export interface RebalanceCliDeps {
  write: (text: string) => void;
  readFile?: (path: string) => string;
  connect: () => Promise<{
    rebalance: Pick<OrdoRebalance, 'run' | 'waitForOrders'>;
    close: () => Promise<void>;
  }>;
}

const defaultDeps: RebalanceCliDeps = {
  write: (text) => process.stdout.write(text),
  connect: async () => {
    const env = clientEnvironment();
    const client = await connectClient(env);
    return { rebalance: new OrdoRebalance(client, env.taskQueue), close: () => client.connection.close() };
  },
};

/** Commander's usage errors as typed refusals (exit code 2), like `ordo kill`. */
function usageError(err: CommanderError): void {
  if (err.exitCode === 0 || err.code === 'commander.help') return;
  const code = err.code
    .replace(/^commander\./, '')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toUpperCase();
  throw new OrderRequestError([{ code, message: err.message.replace(/^error: /, '') }]);
}

const REFUSED_ORDER = new Set(['DENIED', 'REJECTED']);

interface RebalanceFlags {
  targets: string;
  plan?: boolean;
  from: PositionSourceName;
  id?: string;
  wait?: boolean;
}

export function registerRebalanceCommands(
  program: Command,
  overrides: Partial<RebalanceCliDeps> = {},
): Command {
  const deps: RebalanceCliDeps = { ...defaultDeps, ...overrides };

  program
    .command('rebalance')
    .description('orders that move positions to targets: plan (--plan) or start them')
    .requiredOption('--targets <file>', 'targets JSON: { "targets": [{ "venue", "symbol", "quantity" }] }')
    .option('--plan', 'show the plan only; start nothing')
    .addOption(
      new Option('--from <source>', 'where positions come from')
        .choices(['ledger', 'venue'])
        .default('ledger'),
    )
    .option('--id <id>', 'rebalance id (default: the file\'s "id", else rebalance-<UTC timestamp>)')
    .option('--wait', 'wait for the started orders to end')
    .exitOverride(usageError)
    .configureOutput({ outputError: () => undefined })
    .showHelpAfterError(false)
    .action(async (opts: RebalanceFlags, self: Command) => {
      const print = (data: unknown, human: string) => {
        const { json } = self.optsWithGlobals<{ json?: boolean }>();
        deps.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human}\n`);
      };
      const targets =
        deps.readFile === undefined
          ? readTargetsFile(opts.targets)
          : readTargetsFile(opts.targets, deps.readFile);
      checkTargets(targets); // before connecting anywhere
      const { rebalance, close } = await deps.connect();
      try {
        const result = await rebalance.run(targets, {
          from: opts.from,
          planOnly: opts.plan === true,
          ...(opts.id === undefined ? {} : { id: opts.id }),
        });
        if (result.status === 'REFUSED') process.exitCode = 2;
        if (!opts.wait || result.started.length === 0) return print(result, formatRebalance(result));
        const outcomes = await rebalance.waitForOrders(result.started);
        if (outcomes.some((o) => REFUSED_ORDER.has(o.status))) process.exitCode = 3;
        print({ ...result, outcomes }, `${formatRebalance(result)}\n${formatOutcomes(outcomes)}`);
      } finally {
        await close();
      }
    });
  return program;
}
