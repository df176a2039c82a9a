/**
 * bench/working-orders: what BENCH_WORKING_ORDERS (default 1,000) resting limit orders, all
 * working at once, cost the worker. The worker runs as its own process (src/workers/main.ts, as
 * `make worker` runs it, with a prebuilt workflow bundle), so its RSS and CPU are its own; they
 * are read from /proc/<pid>/stat and /proc/<pid>/status.
 *
 *   idle            worker started, no order: RSS, and CPU % over 10 s
 *   placing         N buy limit orders far under the market (they rest, never fill), 50 in flight,
 *                   until every workflow is ACCEPTED (following its order): wall time, CPU %,
 *                   peak RSS
 *   steady          N working, each followed at the venue: CPU % over BENCH_STEADY_S (default
 *                   30 s), RSS at the end, RSS per working order above idle; the simulator's and
 *                   the dev server's CPU over the same span (what the follows cost them)
 *   new order       then NEW_ORDERS more limit orders one after the other, client → ACCEPTED: does a
 *                   new order get through while N work? (each working order holds an activity
 *                   slot; ORDO_WORKER_ACTIVITY_SLOTS, passed on to the worker, sizes them)
 *   cancel all      a cancel per order, 50 in flight, until no order workflow runs: wall time,
 *                   CPU %, RSS after
 *
 * CPU %: 100 = one core. Prints numbers; asserts nothing.
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { OrdoOrders } from '../src/client/orders';
import { writeWorkflowBundle } from '../src/workers/workflow-bundle';
import { startWorkerProcess } from '../test/support/worker-process';
import { printTable } from './stats';
import { type ProcSample, cpuPercent, mib, sampleProc, watchProc } from './support-proc';
import {
  benchWorkerConfig,
  bounded,
  countWorkflows,
  directExchange,
  machine,
  restingBuyPrice,
  startBenchStack,
  until,
} from './support-stack';

const N = Number(process.env['BENCH_WORKING_ORDERS'] ?? 1_000);
const STEADY_S = Number(process.env['BENCH_STEADY_S'] ?? 30);
const IN_FLIGHT = 50;
const NEW_ORDERS = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const stack = await startBenchStack({ simProcess: true });
  const config = benchWorkerConfig(stack);
  const bundle = await writeWorkflowBundle(path.join(os.tmpdir(), `ordo-bench-workflows-${process.pid}.js`));
  process.on('exit', () => rmSync(bundle, { force: true }));
  const taskQueue = `bench-working-${Date.now().toString(36)}`;
  const worker = await startWorkerProcess({
    temporalAddress: stack.server.address,
    taskQueue,
    config,
    env: { ORDO_WORKFLOW_BUNDLE: bundle },
  });
  const pid = worker.child.pid as number;
  process.on('exit', () => worker.child.kill('SIGKILL')); // never leave a worker behind
  const connection = await Connection.connect({ address: stack.server.address });
  const client = new Client({ connection });
  const orders = new OrdoOrders(client, taskQueue);
  const direct = await directExchange(config);
  const price = await restingBuyPrice(direct);
  const running = (extra = '') =>
    countWorkflows(
      client,
      `TaskQueue = '${taskQueue}' AND WorkflowType = 'orderWorkflow' AND ExecutionStatus = 'Running'${extra}`,
    );
  const rows: string[][] = [];

  await sleep(5_000); // start-up settles (bundle loaded, pollers up)
  const idleFrom = sampleProc(pid);
  await sleep(10_000);
  const idle = sampleProc(pid);
  rows.push(['idle (10 s)', '—', pct(cpuPercent(idleFrom, idle)), mib(idle.rssBytes), '—']);

  const stamp = Date.now().toString(36);
  const ids = Array.from({ length: N }, (_, i) => `wk-${stamp}-${i}`);
  let watch = watchProc(pid);
  let t0 = performance.now();
  await bounded(ids, IN_FLIGHT, (orderId) =>
    orders.submit({
      orderId,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      quantity: '0.001',
      limitPrice: price,
      venue: 'sim',
    }),
  );
  await until(
    `${N} orders ACCEPTED`,
    async () => (await running(` AND OrderStatus = 'ACCEPTED'`)) >= N,
    600_000,
    500,
  );
  let seen = watch.stop();
  rows.push([
    `placing ${N}`,
    `${((performance.now() - t0) / 1000).toFixed(1)} s`,
    pct(seen.cpuPercent),
    `${mib(seen.rssBytes)} (peak ${mib(seen.peakRssBytes)})`,
    '—',
  ]);

  await sleep(5_000);
  const others = { simulator: stack.sim.pid as number, 'dev server': stack.server.pid };
  const steadyFrom = sampleProc(pid);
  const othersFrom = Object.entries(others).map(([name, p]) => [name, p, sampleProc(p)] as const);
  watch = watchProc(pid);
  await sleep(STEADY_S * 1000);
  seen = watch.stop();
  const steady = sampleProc(pid);
  const stillWorking = await running(` AND OrderStatus = 'ACCEPTED'`);
  rows.push([
    `steady, ${stillWorking} working (${STEADY_S} s)`,
    '—',
    pct(cpuPercent(steadyFrom, steady)),
    `${mib(steady.rssBytes)} (peak ${mib(seen.peakRssBytes)})`,
    `${((steady.rssBytes - idle.rssBytes) / N / 1024).toFixed(0)} KiB`,
  ]);
  const othersCpu = othersFrom.map(([name, p, from]) => `${name} ${pct(cpuPercent(from, sampleProc(p)))}`);

  // Does a new order still get through while N work? (Each working order holds an activity slot.)
  // Limit orders that rest: prepare, risk, trading state and submit each need an activity slot.
  const newOrder: number[] = [];
  for (let i = 0; i < NEW_ORDERS; i++) {
    const orderId = `wk-new-${stamp}-${i}`;
    ids.push(orderId); // cancelled with the others
    const t0 = performance.now();
    await orders.submit({
      orderId,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      quantity: '0.001',
      limitPrice: price,
      venue: 'sim',
    });
    const state = await orders.waitFor(orderId, (s) => s.status === 'ACCEPTED', 180_000);
    newOrder.push(state.status === 'ACCEPTED' ? performance.now() - t0 : Number.NaN); // NaN: not in 3 min
  }

  watch = watchProc(pid);
  t0 = performance.now();
  await bounded(ids, IN_FLIGHT, (orderId) => orders.cancel(orderId, 'bench over'));
  await until('every order closed', async () => (await running()) === 0, 600_000, 500);
  seen = watch.stop();
  const after: ProcSample = sampleProc(pid);
  rows.push([
    `cancel all ${N}`,
    `${((performance.now() - t0) / 1000).toFixed(1)} s`,
    pct(seen.cpuPercent),
    `${mib(after.rssBytes)} (peak ${mib(seen.peakRssBytes)})`,
    '—',
  ]);

  const venue = config.venues['sim'] as { pollIntervalMs?: number };
  console.log(
    `working orders: ${N} resting limit orders, worker as its own process (venue poll interval ${venue.pollIntervalMs} ms), ${machine()}`,
  );
  printTable(['phase', 'wall', 'worker CPU', 'worker RSS', 'RSS / order'], rows);
  console.log(`steady state, other processes' CPU over the same ${STEADY_S} s: ${othersCpu.join(', ')}`);
  console.log(
    `a new limit order while ${N} work, client → ACCEPTED (ms, ${NEW_ORDERS} one after the other): ` +
      newOrder.map((ms) => ms.toFixed(0)).join(', ') +
      ` (worker activity slots: ${process.env['ORDO_WORKER_ACTIVITY_SLOTS'] ?? 'default'})`,
  );

  await direct.close();
  await connection.close();
  await worker.kill('SIGTERM');
  await stack.close();
}

const pct = (value: number) => `${value.toFixed(1)} %`;

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
