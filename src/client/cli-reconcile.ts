/**
 * `ordo reconcile`: run reconciliation now and print what it found (and did);
 * `ordo reconcile --last` prints the latest run's findings; `--no-wait` only starts a run.
 */
import type { Command } from 'commander';
import { clientEnvironment, connectClient } from './connection';
import { OrdoReconciliation, formatReconciliation } from './reconciliation';

export function registerReconcileCommands(program: Command): Command {
  return program
    .command('reconcile')
    .description("compare Ordo's view (working orders, ledger) with each venue's and act on differences")
    .option('--last', 'show the latest run instead of starting one')
    .option('--no-wait', 'start a run and print its id')
    .action(async (opts: { last?: boolean; wait: boolean }): Promise<void> => {
      const env = clientEnvironment();
      const client = await connectClient(env);
      const { json } = program.opts<{ json?: boolean }>();
      const print = (data: unknown, human: string): void =>
        void process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human}\n`);
      try {
        const reconciliation = new OrdoReconciliation(client, env.taskQueue);
        const id = opts.last ? await reconciliation.latest() : await reconciliation.runNow();
        if (id === undefined) return print({ reconciliationId: null }, 'no reconciliation has run yet');
        if (!opts.last && !opts.wait) return print({ reconciliationId: id }, `started ${id}`);
        const report = opts.last ? await reconciliation.findings(id) : await reconciliation.result(id);
        print(report, formatReconciliation(report));
      } finally {
        await client.connection.close();
      }
    });
}
