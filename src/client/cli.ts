/**
 * The `ordo` CLI: `ordo order submit|cancel|amend|status|list`, `ordo dlq list|retry|abandon`,
 * `ordo algo twap|vwap|pov|is|iceberg|route|progress|pause|resume|cancel|amend|kill|list` (cli-algo.ts),
 * `ordo venues`,
 * `--json` everywhere.
 * Exit codes: 0 done, 1 failure, 2 refused input (typed reason printed), 3 refused by the order.
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { validateAutoOrderRequest } from '../domain/algos/auto-request';
import { OrderRequestError, parseOrderRequest } from '../domain/order-request';
import { ORDER_STATUSES, type OrderStatus } from '../domain/status';
import { connectClient, clientEnvironment } from './connection';
import { CommandRefusedError, OrdoOrders, type OrderFilter } from './orders';
import { registerAlgoCommands } from './cli-algo';
import { registerTradingCommands } from './cli-trading';
import { registerLedgerCommands } from './cli-ledger';
import { registerRebalanceCommands } from './cli-rebalance';
import { registerReconcileCommands } from './cli-reconcile';
import { registerTcaCommands } from './cli-tca';
import { registerMonitorCommands } from './cli-monitor';
import { formatOrderList, formatOrderState } from './format';
import { formatVenueReports, venueReports } from './venues';

interface GlobalOptions {
  json?: boolean;
}

const program = new Command('ordo')
  .description('Ordo: durable order execution on Temporal')
  .option('--json', 'machine-readable output')
  .showHelpAfterError();

function print(data: unknown, text: string): void {
  const { json } = program.opts<GlobalOptions>();
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text}\n`);
}

async function withOrders<T>(fn: (orders: OrdoOrders) => Promise<T>): Promise<T> {
  const env = clientEnvironment();
  const client = await connectClient(env);
  try {
    return await fn(new OrdoOrders(client, env.taskQueue));
  } finally {
    await client.connection.close();
  }
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

const order = program.command('order').description('single orders');

order
  .command('submit')
  .description('start an order (same --order-id again returns the existing order)')
  .option('--file <path>', 'OrderRequest JSON file (flags override its fields)')
  .option('--order-id <id>')
  .option('--symbol <symbol>', 'unified symbol, e.g. BTC/USDT')
  .addOption(new Option('--side <side>').choices(['buy', 'sell']))
  .option('--type <type>', 'market | limit | stop | stop_limit')
  .option('--quantity <decimal>')
  .option('--price <decimal>', 'limit price')
  .option('--stop-price <decimal>')
  .option('--tif <tif>', 'GTC | IOC | FOK | DAY | GTD')
  .option('--expire-at <iso>', 'expiry of a GTD order')
  .option('--post-only')
  .option('--reduce-only')
  .option('--venue <venue>', "venue name (default: the file's, else sim)")
  .option('--strategy <id>')
  .option('--decision <id>')
  .option('--wait', 'wait until the order is working or ended, and print its status')
  .option('--auto', 'let Ordo choose: market, limit or a TWAP (no --type)')
  .addOption(new Option('--urgency <urgency>', 'with --auto').choices(['low', 'normal', 'high']))
  .option('--twap-threshold <notional>', 'with --auto: notional from which the order is a TWAP')
  .action(async (opts: Record<string, string | boolean | undefined>) => {
    const fromFile =
      typeof opts['file'] === 'string' ? (JSON.parse(readFileSync(opts['file'], 'utf8')) as object) : {};
    const flags: Record<string, unknown> = {
      orderId: opts['orderId'],
      symbol: opts['symbol'],
      side: opts['side'],
      type: opts['type'],
      quantity: opts['quantity'],
      limitPrice: opts['price'],
      stopPrice: opts['stopPrice'],
      timeInForce: opts['tif'],
      expireAt: opts['expireAt'],
      postOnly: opts['postOnly'],
      reduceOnly: opts['reduceOnly'],
      venue: opts['venue'],
      strategyId: opts['strategy'],
      decisionId: opts['decision'],
    };
    const request = {
      venue: 'sim',
      ...fromFile,
      ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)),
    };
    if (opts['auto']) return submitAuto(request, opts);
    parseOrderRequest(request); // refuse bad input before connecting anywhere
    await withOrders(async (orders) => {
      const submitted = await orders.submit(request);
      if (!opts['wait'])
        return print(submitted, `order ${submitted.orderId} started (run ${submitted.runId})`);
      const state = await orders.waitFor(
        submitted.orderId,
        (s) => !['PENDING', 'SUBMITTED'].includes(s.status),
      );
      print(state, formatOrderState(state));
    });
  });

/** `order submit --auto`: Ordo chooses how to trade it; says what it became. */
async function submitAuto(
  request: Record<string, unknown>,
  opts: Record<string, string | boolean | undefined>,
) {
  const auto = {
    ...request,
    ...(opts['urgency'] === undefined ? {} : { urgency: opts['urgency'] }),
    ...(opts['twapThreshold'] === undefined ? {} : { twapNotionalThreshold: opts['twapThreshold'] }),
  };
  const check = validateAutoOrderRequest(auto, new Date());
  if (!check.ok) throw new OrderRequestError(check.issues); // before connecting anywhere
  await withOrders(async (orders) => {
    const submitted = await orders.submitAuto(auto);
    const became = await orders.autoChoiceOf(submitted.orderId);
    if (became.denied !== undefined) {
      print({ ...submitted, ...became }, `order ${submitted.orderId} denied: ${became.denied}`);
      process.exitCode = 1;
      return;
    }
    print(
      { ...submitted, ...became },
      `order ${submitted.orderId} started as ${became.workflowType ?? 'an automatic order'}` +
        (became.reason === undefined ? '' : `: ${became.reason}`),
    );
  });
}

order
  .command('cancel <orderId>')
  .option('--reason <text>')
  .action(async (orderId: string, opts: { reason?: string }) => {
    await withOrders(async (orders) => {
      const result = await orders.cancel(orderId, opts.reason);
      print(
        result,
        result.accepted
          ? `cancelled: ${result.status}`
          : `not cancelled (${result.reason}): ${result.status}`,
      );
      if (!result.accepted) process.exitCode = 3;
    });
  });

order
  .command('amend <orderId>')
  .option('--quantity <decimal>', 'new total quantity')
  .option('--price <decimal>', 'new limit price')
  .option('--stop-price <decimal>')
  .action(async (orderId: string, opts: { quantity?: string; price?: string; stopPrice?: string }) => {
    const amend = {
      ...(opts.quantity === undefined ? {} : { quantity: opts.quantity }),
      ...(opts.price === undefined ? {} : { limitPrice: opts.price }),
      ...(opts.stopPrice === undefined ? {} : { stopPrice: opts.stopPrice }),
    };
    await withOrders(async (orders) => {
      const result = await orders.amend(orderId, amend);
      print(
        result,
        result.accepted ? `amended: ${result.status}` : `not amended (${result.reason}): ${result.status}`,
      );
      if (!result.accepted) process.exitCode = 3;
    });
  });

order.command('status <orderId>').action(async (orderId: string) => {
  await withOrders(async (orders) => {
    const state = await orders.status(orderId);
    print(state, formatOrderState(state));
  });
});

order
  .command('list')
  .option('--symbol <symbol>')
  .option('--side <side>')
  .addOption(new Option('--status <status>').choices([...ORDER_STATUSES]))
  .option('--venue <venue>')
  .option('--strategy <id>')
  .option('--parent <id>')
  .option('--limit <n>', 'at most this many', positiveInteger, 50)
  .action(async (opts: Record<string, string | undefined>) => {
    const filter: OrderFilter = {};
    if (opts['symbol']) filter.symbol = opts['symbol'];
    if (opts['side']) filter.side = opts['side'];
    if (opts['status']) filter.status = opts['status'] as OrderStatus;
    if (opts['venue']) filter.venue = opts['venue'];
    if (opts['strategy']) filter.strategyId = opts['strategy'];
    if (opts['parent']) filter.parentId = opts['parent'];
    await withOrders(async (orders) => {
      const list = await orders.list(filter, Number(opts['limit']));
      print(list, formatOrderList(list));
    });
  });

const dlq = program.command('dlq').description('orders parked in DEAD_LETTER, waiting for an operator');

dlq
  .command('list')
  .option('--venue <venue>')
  .option('--limit <n>', 'at most this many', positiveInteger, 100)
  .action(async (opts: { venue?: string; limit: number }) => {
    await withOrders(async (orders) => {
      const filter: OrderFilter = { status: 'DEAD_LETTER', ...(opts.venue ? { venue: opts.venue } : {}) };
      const list = await orders.list(filter, opts.limit);
      const details = await Promise.all(
        list.map(async (o) => ({ ...o, reason: (await orders.status(o.orderId)).reason })),
      );
      print(
        details,
        details.length === 0
          ? 'dead letter is empty'
          : details.map((o) => `${o.orderId}  ${o.symbol ?? '-'}  ${o.reason ?? ''}`).join('\n'),
      );
    });
  });

for (const [name, what] of [
  ['retry', 'carry on: resend after a look-up, or follow the live order again'],
  ['abandon', 'end it: cancel at the venue if it might be live'],
] as const) {
  dlq
    .command(`${name} <orderId>`)
    .description(what)
    .option('--reason <text>')
    .action(async (orderId: string, opts: { reason?: string }) => {
      await withOrders(async (orders) => {
        const result =
          name === 'retry'
            ? await orders.retry(orderId, opts.reason)
            : await orders.abandon(orderId, opts.reason);
        print(
          result,
          result.accepted
            ? `${name}: ${result.status}`
            : `${name} not done (${result.reason}): ${result.status}`,
        );
        if (!result.accepted) process.exitCode = 3;
      });
    });
}

registerAlgoCommands(program);
registerTradingCommands(program);
registerLedgerCommands(program); // ordo trades, ordo positions (cli-ledger.ts)
registerRebalanceCommands(program); // ordo rebalance (cli-rebalance.ts)
registerReconcileCommands(program); // ordo reconcile (cli-reconcile.ts)
registerTcaCommands(program); // ordo tca ORDER_ID (cli-tca.ts)
registerMonitorCommands(program); // ordo monitor (cli-monitor.ts)

program
  .command('venues')
  .description("each venue's circuit breaker and recent error rate, as a worker sees them")
  .action(async () => {
    const env = clientEnvironment();
    const client = await connectClient(env);
    try {
      const reports = await venueReports(client, env.taskQueue);
      print(reports, formatVenueReports(reports));
    } finally {
      await client.connection.close();
    }
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  const { json } = program.opts<GlobalOptions>();
  if (err instanceof OrderRequestError) {
    if (json) process.stdout.write(`${JSON.stringify({ error: err.code, issues: err.issues }, null, 2)}\n`);
    else for (const issue of err.issues) process.stderr.write(`${issue.code}: ${issue.message}\n`);
    process.exit(2);
  }
  if (err instanceof CommandRefusedError) {
    if (json) process.stdout.write(`${JSON.stringify({ error: 'REFUSED', message: err.message })}\n`);
    else process.stderr.write(`refused: ${err.message}\n`);
    process.exit(3);
  }
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
