/**
 * bench/kill-switch: how long the kill switch takes, from the command to "no open orders at the
 * venue", for N working limit orders (default 100 and 500, half on `sim`, half on `sim-bybit`, one
 * simulator account), next to the same number of orders cancelled directly with ccxt in the same
 * run (the floor: fetchOpenOrders, then cancelOrder with the backstop's parallelism).
 *
 *   ordo kill → venue empty        halt{cancelAll} signalled → both venues list no open order
 *   ordo kill → workflows closed   → no order workflow of the task queue is running
 *   ordo kill → report done        → lastKill.done (includes the 2 s settle and round 2)
 *   signals only, list|batch       the signal sweep alone (no venue backstop): one activity call
 *                                  signalling every order workflow, per workflow from a listing or
 *                                  as one Temporal batch operation → every workflow closed
 *   ccxt direct (floor)            fetchOpenOrders + cancelOrder ×N, 8 in flight → venue empty
 *
 * Everything runs on this machine (dev server in memory, simulator and worker in-process). Prints
 * medians over BENCH_ROUNDS rounds (default 3); asserts nothing. BENCH_KILL_SIZES=100,500.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createTradingActivities } from '../src/activities/trading-activities';
import { OrdoTrading } from '../src/client/trading';
import { startSimulator } from '../src/sim/server';
import { createCcxtExchange, createVenueRegistry } from '../src/venues/factory';
import type { VenueRegistry } from '../src/venues/registry';
import type { CcxtVenueConfig } from '../src/workers/config';
import { simulatedVenues } from '../test/support/chaos-venues';
import { type TestOrdo, startTestOrdoOn } from '../test/support/ordo-worker';
import { createSimAccount } from '../test/support/simulator-admin';
import { startDevServer } from '../test/support/temporal-dev-server';
import { percentile } from './stats';

const SIZES = (process.env['BENCH_KILL_SIZES'] ?? '100,500').split(',').map(Number);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const VENUES = ['sim', 'sim-bybit'] as const;
const POLL_MS = 50;

interface Ctx {
  ordo: TestOrdo;
  probe: VenueRegistry;
  direct: ReturnType<typeof createCcxtExchange>;
  trading: OrdoTrading;
  price: string;
}

async function main(): Promise<void> {
  // Cancelled follow activities completing late are normal here: keep the SDK's warnings out.
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
  });
  const server = await startDevServer();
  const sim = await startSimulator({ port: 0, seed: 42, tickMs: 250 });
  // The test helpers find the server and simulator through these (as under jest).
  process.env['TEMPORAL_TEST_ADDRESS'] = server.address;
  process.env['SIM_TEST_URL'] = sim.url;
  const account = await createSimAccount({ USDT: '1000000000', BTC: '1000' });
  // Working orders are followed by slow polls: 500 orders polled every 100 ms would be the load.
  const { config } = simulatedVenues({
    simulatorUrl: sim.url,
    account,
    timeoutMs: 10_000,
    overrides: { pollIntervalMs: 5_000 },
  });
  const ordo = await startTestOrdoOn(createVenueRegistry(config));
  const probe = createVenueRegistry(config);
  const direct = createCcxtExchange(config.venues['sim'] as CcxtVenueConfig);
  await direct.loadMarkets();
  const book = await direct.fetchOrderBook('BTC/USDT', 5);
  const bid = Number(book.bids[0]?.[0]);
  const ctx: Ctx = {
    ordo,
    probe,
    direct,
    trading: new OrdoTrading(ordo.client, ordo.taskQueue, ordo.tradingControlId),
    price: (bid * 0.7).toFixed(2), // rests, never fills
  };

  const rows: { name: string; n: number; samples: number[] }[] = [];
  const add = (name: string, n: number, ms: number) => {
    let row = rows.find((r) => r.name === name && r.n === n);
    if (row === undefined) rows.push((row = { name, n, samples: [] }));
    row.samples.push(ms);
  };

  for (const n of SIZES) {
    for (let round = 1; round <= ROUNDS; round++) {
      const floor = await directCancel(ctx, n);
      add('ccxt direct (floor) → venue empty', n, floor);

      const kill = await killRound(ctx, n, round);
      add('ordo kill → venue empty', n, kill.venueEmpty);
      add('ordo kill → workflows closed', n, kill.closed);
      add('ordo kill → report done', n, kill.done);

      for (const mode of ['list', 'batch'] as const) {
        const s = await signalsOnly(ctx, n, mode);
        add(`signals only (${mode}): sweep call`, n, s.sweep);
        add(`signals only (${mode}) → workflows closed`, n, s.closed);
      }
      console.error(`n=${n} round ${round} done`);
    }
  }

  console.log(
    `kill switch, ${ROUNDS} round(s) per size, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, node ${process.version}`,
  );
  printTable(rows);

  await direct.close();
  await probe.close();
  await ordo.shutdown();
  await sim.close();
  await server.stop();
}

/** The full kill switch through Ordo. */
async function killRound(ctx: Ctx, n: number, round: number) {
  await placeThroughOrdo(ctx, n, `k${round}`);
  const t0 = performance.now();
  const { requestId } = await ctx.trading.halt({ reason: `bench ${n}`, cancelAll: true });
  let venueEmpty = Number.NaN;
  let closed = Number.NaN;
  await Promise.all([
    until(async () => (await openCount(ctx)) === 0).then(() => (venueEmpty = performance.now() - t0)),
    until(async () => (await runningOrders(ctx)) === 0).then(() => (closed = performance.now() - t0)),
  ]);
  const kill = await ctx.trading.waitForKill(requestId);
  const done = performance.now() - t0;
  // On stderr, per round: what the kill did (an outlier's explanation, if any).
  console.error(
    `  kill n=${n}: venue empty ${venueEmpty.toFixed(0)} ms; ${kill.ordersSignalled} signalled, ` +
      `${kill.alreadyClosed ?? 0} closed first; ` +
      kill.venuesCancelled.map((v) => `${v.venue} ${v.cancelled}/${v.alreadyGone}/${v.remaining}`).join(' ') +
      (kill.errors.length > 0 ? `; errors: ${kill.errors.join(' | ')}` : ''),
  );
  await ctx.trading.resume('bench round over');
  return { venueEmpty, closed, done };
}

/** Only the signal sweep (as the kill's activity does it), without the venue backstop. */
async function signalsOnly(ctx: Ctx, n: number, mode: 'list' | 'batch') {
  await placeThroughOrdo(ctx, n, `s${mode}`);
  const activities = createTradingActivities({
    client: ctx.ordo.client,
    registry: ctx.probe,
    taskQueue: ctx.ordo.taskQueue,
    namespace: 'default',
    controlWorkflowId: ctx.ordo.tradingControlId,
    signalMode: mode,
  });
  const t0 = performance.now();
  await activities.signalWorkingOrders({ reason: `bench ${mode}` });
  const sweep = performance.now() - t0;
  await until(async () => (await runningOrders(ctx)) === 0);
  const closed = performance.now() - t0;
  await until(async () => (await openCount(ctx)) === 0);
  return { sweep, closed };
}

/** N orders placed and cancelled with ccxt alone. */
async function directCancel(ctx: Ctx, n: number): Promise<number> {
  await bounded(
    Array.from({ length: n }, (_, i) => i),
    16,
    (i) =>
      ctx.direct.createOrder('BTC/USDT', 'limit', 'buy', 0.001, Number(ctx.price), {
        newClientOrderId: `floor-${Date.now()}-${i}`,
      }),
  );
  await until(async () => (await openCount(ctx)) >= n);
  const t0 = performance.now();
  const open = await ctx.direct.fetchOpenOrders('BTC/USDT');
  await bounded(open, 8, (o) => ctx.direct.cancelOrder(String(o.id), 'BTC/USDT'));
  await until(async () => (await openCount(ctx)) === 0);
  return performance.now() - t0;
}

async function placeThroughOrdo(ctx: Ctx, n: number, tag: string): Promise<void> {
  const stamp = Date.now().toString(36);
  await bounded(
    Array.from({ length: n }, (_, i) => i),
    25,
    (i) =>
      ctx.ordo.orders.submit({
        orderId: `b${tag}-${stamp}-${i}`,
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        quantity: '0.001',
        limitPrice: ctx.price,
        venue: VENUES[i % VENUES.length],
      }),
  );
  await until(async () => (await openCount(ctx)) >= n, 300_000);
  // Resting at the venue is not enough: the workflows must be following them (ACCEPTED).
  await until(
    async () =>
      (
        await ctx.ordo.client.workflow.count(
          `TaskQueue = '${ctx.ordo.taskQueue}' AND ExecutionStatus = 'Running' AND OrderStatus = 'ACCEPTED'`,
        )
      ).count >= n,
    300_000,
  );
}

/** Open orders of the account, as the Binance dialect lists them (it lists both venues' orders). */
async function openCount(ctx: Ctx): Promise<number> {
  const lists = await Promise.all(VENUES.map((v) => ctx.probe.get(v).venue.fetchOpenOrders()));
  return new Set(lists.flat().map((o) => o.venueOrderId)).size;
}

async function runningOrders(ctx: Ctx): Promise<number> {
  const query = `TaskQueue = '${ctx.ordo.taskQueue}' AND WorkflowType = 'orderWorkflow' AND ExecutionStatus = 'Running'`;
  return (await ctx.ordo.client.workflow.count(query)).count;
}

async function until(check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function bounded<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function printTable(rows: { name: string; n: number; samples: number[] }[]): void {
  const floorOf = (n: number) =>
    percentile(rows.find((r) => r.n === n && r.name.startsWith('ccxt direct'))?.samples ?? [], 50);
  const header = ['measure', 'orders', 'rounds', 'median ms', 'min ms', 'max ms', 'median / floor'];
  const lines = rows.map((r) => [
    r.name,
    String(r.n),
    String(r.samples.length),
    percentile(r.samples, 50).toFixed(0),
    Math.min(...r.samples).toFixed(0),
    Math.max(...r.samples).toFixed(0),
    `${(percentile(r.samples, 50) / floorOf(r.n)).toFixed(1)}×`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ') + ' |';
  console.log(fmt(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const l of lines) console.log(fmt(l));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
