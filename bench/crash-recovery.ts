/**
 * bench/crash-recovery: how long after a worker crash every in-flight order is progressing again.
 *
 * Each round: BENCH_CRASH_ORDERS (default 200) buy limit orders rest at the venue, each workflow
 * following its order (ACCEPTED). The worker process is SIGKILLed; every order is then cancelled
 * at the venue directly (ccxt, as an operator on the exchange would), so each order's venue state
 * changes while no worker runs. BENCH_DOWNTIME_S after the kill (default "0,15": one round per
 * value; at least the time the cancels take) a new worker process starts on the same task queue.
 *
 * "Progressing again" means precisely: the order's workflow has applied the venue's word that came
 * after the crash — its CANCELLED status (reason CANCELLED_BY_VENUE) is recorded, with the
 * workflow's own timestamp. Per order, recovery = that timestamp − the moment the new worker
 * process was spawned; printed as p50 / p90 / max over the orders, with the new worker's start-up
 * (spawn → "worker started") on its own column.
 *
 * (Venue-side cancels rather than fills: a resting order filled by a market move fills better than
 * its arrival mid, and the slippage metric then fails the workflow task — see the report.)
 *
 * What bounds it: the dead worker's follow activities hold their attempts until the server sees
 * them miss their heartbeat (followOrder heartbeatTimeout 10 s), then retry (1 s backoff) on the
 * new worker; workflow tasks on the dead worker's sticky queue wait for the sticky schedule-to-
 * start timeout before going to the shared queue. After a downtime longer than both, only the new
 * worker's start-up and the catch-up of N follows remain. Prints numbers; asserts nothing.
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { OrdoOrders } from '../src/client/orders';
import type { OrderState } from '../src/domain/order-state';
import { writeWorkflowBundle } from '../src/workers/workflow-bundle';
import { midOf } from '../test/support/simulator-admin';
import { type WorkerProcess, startWorkerProcess } from '../test/support/worker-process';
import { percentile, printTable } from './stats';
import { type Step, historySteps, printStepMedians } from './support-history';
import {
  benchWorkerConfig,
  bounded,
  countWorkflows,
  directExchange,
  machine,
  startBenchStack,
  until,
} from './support-stack';

const N = Number(process.env['BENCH_CRASH_ORDERS'] ?? 200);
const DOWNTIMES = (process.env['BENCH_DOWNTIME_S'] ?? '0,15').split(',').map(Number);
const TAIL_STEPS = 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const stack = await startBenchStack({ simProcess: true });
  const config = benchWorkerConfig(stack);
  const bundle = await writeWorkflowBundle(path.join(os.tmpdir(), `ordo-bench-workflows-${process.pid}.js`));
  process.on('exit', () => rmSync(bundle, { force: true }));
  const taskQueue = `bench-crash-${Date.now().toString(36)}`;
  const startWorker = () =>
    startWorkerProcess({
      temporalAddress: stack.server.address,
      taskQueue,
      config,
      env: { ORDO_WORKFLOW_BUNDLE: bundle },
    });
  const connection = await Connection.connect({ address: stack.server.address });
  const client = new Client({ connection });
  const orders = new OrdoOrders(client, taskQueue);
  const direct = await directExchange(config);
  let worker: WorkerProcess = await startWorker();
  process.on('exit', () => worker.child.kill('SIGKILL')); // never leave a worker behind
  const rows: string[][] = [];
  const tails: { downtimeS: number; steps: Step[][] }[] = [];

  for (const [round, downtimeS] of DOWNTIMES.entries()) {
    const mid = await midOf('BTC/USDT');
    const ids = Array.from({ length: N }, (_, i) => `crash-${round}-${Date.now().toString(36)}-${i}`);
    await bounded(ids, 50, (orderId) =>
      orders.submit({
        orderId,
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        quantity: '0.001',
        limitPrice: (mid * 0.9).toFixed(2),
        venue: 'sim',
      }),
    );
    const accepted = `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running' AND OrderStatus = 'ACCEPTED'`;
    await until(
      `${N} orders ACCEPTED`,
      async () => (await countWorkflows(client, accepted)) >= N,
      600_000,
      250,
    );
    await sleep(3_000); // every follow activity running and heartbeating

    await worker.kill('SIGKILL');
    const killedAt = Date.now();
    const open = await direct.fetchOpenOrders('BTC/USDT');
    await bounded(open, 16, (o) => direct.cancelOrder(String(o.id), 'BTC/USDT'));
    await sleep(Math.max(0, killedAt + downtimeS * 1000 - Date.now()));
    const downtimeMs = Date.now() - killedAt;

    const spawnedAt = Date.now();
    worker = await startWorker();
    const readyMs = Date.now() - spawnedAt;
    const finals = await Promise.all(
      ids.map(async (id) => (await client.workflow.getHandle(id).result()) as OrderState),
    );
    const recovery = finals.map((s) => {
      const ended = s.history.find((h) => h.status === 'CANCELLED')?.at;
      if (ended === undefined) throw new Error(`order ${s.orderId} ended ${s.status}, not CANCELLED`);
      return Date.parse(ended) - spawnedAt;
    });
    rows.push([
      `${(downtimeMs / 1000).toFixed(1)} s`,
      String(N),
      (readyMs / 1000).toFixed(1),
      (percentile(recovery, 50) / 1000).toFixed(1),
      (percentile(recovery, 90) / 1000).toFixed(1),
      (Math.max(...recovery) / 1000).toFixed(1),
    ]);
    // Where the time after the spawn goes: the last steps of a sample of the orders' histories.
    const steps = await bounded(ids.slice(0, 20), 5, (id) =>
      historySteps(client, id, spawnedAt, (label) => label.startsWith('WorkflowExecutionCompleted')),
    );
    tails.push({ downtimeS, steps: steps.map((s) => s.slice(-TAIL_STEPS)) });
    console.error(`round ${round + 1}: downtime ${downtimeS} s done`);
  }

  console.log(`crash recovery: SIGKILL of the worker process with ${N} working orders, ${machine()}`);
  printTable(
    [
      'downtime before restart',
      'orders',
      'spawn → worker started s',
      'spawn → venue cancel applied p50 s',
      'p90 s',
      'max s',
    ],
    rows,
  );

  for (const tail of tails) {
    console.log();
    printStepMedians(
      `downtime ${tail.downtimeS} s: the last ${TAIL_STEPS} history steps of 20 orders`,
      tail.steps,
    );
  }

  await worker.kill('SIGTERM');
  await direct.close();
  await connection.close();
  await stack.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
