/**
 * `ordo tca ORDER_ID`: the transaction cost analysis of one order or parent order (arrival mid,
 * fills, the implementation shortfall split, VWAP performance, effective spread, fill rate,
 * latency). `ordo tca --day YYYY-MM-DD [--strategy S] [--venue V] [--limit N]`: one UTC day's
 * orders combined, per strategy and per venue. Refusals (ORDER_NOT_FOUND, INVALID_DATE,
 * TOO_MANY_ORDERS …) are OrderRequestErrors: the CLI prints the code and exits 2.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { DayTcaReport, OrderTcaReport } from '../activities/tca-types';
import { clientEnvironment, connectClient } from './connection';
import { formatTca } from './format-tca';
import { formatTcaDay } from './format-tca-day';
import { type DayTcaRequest, OrdoTca, TcaRefusedError } from './tca';

/** What the command needs from the outside world; tests pass their own. */
export interface TcaCliDeps {
  write: (text: string) => void;
  analyse: (orderId: string) => Promise<OrderTcaReport>;
  /** Default: the server's (tcaDayWorkflow). */
  analyseDay?: (request: DayTcaRequest) => Promise<DayTcaReport>;
}

async function withTca<T>(fn: (tca: OrdoTca) => Promise<T>): Promise<T> {
  const env = clientEnvironment();
  const client = await connectClient(env);
  try {
    return await fn(new OrdoTca(client, env.taskQueue));
  } finally {
    await client.connection.close();
  }
}

const defaultDeps: TcaCliDeps = {
  write: (text) => process.stdout.write(text),
  analyse: (orderId) => withTca((tca) => tca.order(orderId)),
  analyseDay: (request) => withTca((tca) => tca.day(request)),
};

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
}

interface TcaOptions {
  day?: string;
  strategy?: string;
  venue?: string;
  limit?: number;
}

export function registerTcaCommands(program: Command, deps: TcaCliDeps = defaultDeps): Command {
  return program
    .command('tca [orderId]')
    .description(
      "an order's (or parent order's) transaction costs: shortfall split, VWAP, spread, latency; " +
        'or with --day, one UTC day per strategy and per venue',
    )
    .option('--day <YYYY-MM-DD>', 'the orders received that UTC day, instead of one order')
    .option('--strategy <id>', 'with --day: only this strategy')
    .option('--venue <name>', 'with --day: only this venue')
    .option(
      '--limit <n>',
      'with --day: refuse (TOO_MANY_ORDERS) beyond this many orders (default 500, max 2000)',
      wholeNumber,
    )
    .action(async (orderId: string | undefined, options: TcaOptions): Promise<void> => {
      const { json } = program.opts<{ json?: boolean }>();
      const print = (data: unknown, text: string) =>
        deps.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text}\n`);
      if (options.day === undefined) {
        if (orderId === undefined)
          throw new TcaRefusedError('MISSING_ORDER_ID', 'give an order id, or --day YYYY-MM-DD');
        if (options.strategy !== undefined || options.venue !== undefined || options.limit !== undefined)
          throw new TcaRefusedError(
            'DAY_OPTION_WITHOUT_DAY',
            '--strategy, --venue and --limit go with --day',
          );
        const report = await deps.analyse(orderId);
        return print(report, formatTca(report));
      }
      if (orderId !== undefined)
        throw new TcaRefusedError('ORDER_ID_WITH_DAY', 'give an order id or --day, not both');
      const analyseDay = deps.analyseDay ?? defaultDeps.analyseDay;
      if (analyseDay === undefined) throw new Error('no day analysis configured');
      const report = await analyseDay({
        date: options.day,
        ...(options.strategy === undefined ? {} : { strategyId: options.strategy }),
        ...(options.venue === undefined ? {} : { venue: options.venue }),
        ...(options.limit === undefined ? {} : { limit: options.limit }),
      });
      return print(report, formatTcaDay(report));
    });
}
