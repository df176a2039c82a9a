/**
 * `ordo tca ORDER_ID`: the transaction cost analysis of one order or parent order (arrival mid,
 * fills, the implementation shortfall split, VWAP performance, effective spread, fill rate,
 * latency). Refusals (ORDER_NOT_FOUND …) are OrderRequestErrors: the CLI prints the code, exits 2.
 */
import type { Command } from 'commander';
import type { OrderTcaReport } from '../activities/tca-types';
import { clientEnvironment, connectClient } from './connection';
import { formatTca } from './format-tca';
import { OrdoTca } from './tca';

/** What the command needs from the outside world; tests pass their own. */
export interface TcaCliDeps {
  write: (text: string) => void;
  analyse: (orderId: string) => Promise<OrderTcaReport>;
}

async function analyseOnServer(orderId: string): Promise<OrderTcaReport> {
  const env = clientEnvironment();
  const client = await connectClient(env);
  try {
    return await new OrdoTca(client, env.taskQueue).order(orderId);
  } finally {
    await client.connection.close();
  }
}

const defaultDeps: TcaCliDeps = {
  write: (text) => process.stdout.write(text),
  analyse: analyseOnServer,
};

export function registerTcaCommands(program: Command, deps: TcaCliDeps = defaultDeps): Command {
  return program
    .command('tca <orderId>')
    .description("an order's (or parent order's) transaction costs: shortfall split, VWAP, spread, latency")
    .action(async (orderId: string): Promise<void> => {
      const report = await deps.analyse(orderId);
      const { json } = program.opts<{ json?: boolean }>();
      deps.write(json ? `${JSON.stringify(report, null, 2)}\n` : `${formatTca(report)}\n`);
    });
}
