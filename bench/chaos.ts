/**
 * bench/chaos: the chaos mix of test/temporal/chaos-mix.test.ts measured, next to the same run
 * without faults (same machine, same process, same order plan, one after the other):
 *
 *   success rate         orders that reached the status their kind must reach
 *   time to terminal     workflow start → close (server times), orders that end by themselves
 *                        (market, IOC, crossing limit); resting orders: drive (cancel sent /
 *                        market moved) → close
 *   attempts per order   from each workflow's history: the sum over its activities of the attempt
 *                        that finished each one (1 each when nothing failed)
 *
 * Each run: its own task queue, a fresh simulator account, two worker processes warmed up by a
 * few unmeasured orders. The chaos run adds the test's faults (test/support/chaos-faults.ts:
 * ~20% transient errors, 10% timeouts after accept — held answers, later dropped connections —,
 * resets, latency, two 429 bursts) and SIGKILLs one worker halfway (started again at once).
 * Prints numbers; asserts nothing.
 *
 *   npx tsx bench/chaos.ts            BENCH_ORDERS=N (default 200)
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { writeWorkflowBundle } from '../src/workers/workflow-bundle';
import { fillProblems, outcomeProblems, venueOrderProblems, venueTrades } from '../test/support/chaos-checks';
import { type Outcome, type ScheduledEvent, driveOrders } from '../test/support/chaos-driver';
import {
  CHAOS_CCXT_TIMEOUT_MS,
  DROP_AFTER_ACCEPT,
  chaosFaults,
  rateLimitBurst,
} from '../test/support/chaos-faults';
import { mapLimit, summarizeHistory } from '../test/support/chaos-history';
import { CHAOS_SYMBOLS, EXPECTED_STATUS, planOrders, rests } from '../test/support/chaos-orders';
import { type ChaosSimulator, type SimAccount, startChaosSimulator } from '../test/support/chaos-sim';
import { simulatedVenues } from '../test/support/chaos-venues';
import { startDevServer } from '../test/support/temporal-dev-server';
import { type WorkerProcess, startWorkerProcess } from '../test/support/worker-process';
import { percentile, printLatencyTable } from './stats';

const N = Number(process.env['BENCH_ORDERS'] ?? 200);
/** Seeds the order plan and the fault draws, as in the test by default. */
const PLAN_SEED = 42;

interface RunReport {
  name: string;
  outcomes: Outcome[];
  attempts: number[];
  attemptsByActivity: Map<string, number[]>;
  ordersWithRetry: number;
  invariantProblems: number;
  seconds: number;
}

async function run(
  name: string,
  chaos: boolean,
  ctx: { address: string; client: Client; sim: ChaosSimulator },
): Promise<RunReport> {
  const { sim } = ctx;
  const account = await sim.admin.createAccount();
  const { config, venues } = simulatedVenues({
    simulatorUrl: sim.url,
    account,
    timeoutMs: CHAOS_CCXT_TIMEOUT_MS,
  });
  const taskQueue = `bench-chaos-${randomUUID()}`;
  const start = () => startWorkerProcess({ temporalAddress: ctx.address, taskQueue, config });
  const workers: WorkerProcess[] = await Promise.all([start(), start()]);
  try {
    return await measure(name, chaos, ctx, { account, venues, taskQueue, start, workers });
  } finally {
    // The restarted worker may still be starting: wait for it, then stop every one of them.
    await Promise.allSettled(pending);
    await Promise.all(workers.map((w) => w.kill('SIGTERM')));
  }
}

/** Worker processes started in the background (the restart after the SIGKILL). */
const pending: Promise<unknown>[] = [];

async function measure(
  name: string,
  chaos: boolean,
  ctx: { client: Client; sim: ChaosSimulator },
  run: {
    account: SimAccount;
    venues: string[];
    taskQueue: string;
    start: () => Promise<WorkerProcess>;
    workers: WorkerProcess[];
  },
): Promise<RunReport> {
  const { client, sim } = ctx;
  const { account, venues, taskQueue, start, workers } = run;
  const prefix = `${name.replace(/\W+/g, '-')}-${randomUUID().slice(0, 6)}`;
  // Warm-up, not measured, without faults: fresh worker processes compile, connect and load
  // markets on their first orders, which would otherwise weigh on whichever run goes first.
  await driveOrders({
    client,
    taskQueue,
    admin: sim.admin,
    plans: planOrders({ count: 30, prefix: `${prefix}-warm`, venues, seed: PLAN_SEED + 1 }).filter(
      (p) => !rests(p.kind),
    ),
    submitIntervalMs: 20,
    maxOpen: 10,
    phaseTimeoutMs: 60_000,
  });
  const plans = planOrders({ count: N, prefix, venues, seed: PLAN_SEED });
  const events: ScheduledEvent[] = [];
  if (chaos) {
    await sim.admin.setFaults(chaosFaults(PLAN_SEED));
    events.push(
      {
        beforeOrder: Math.floor(N / 4),
        name: '429 burst on placements',
        run: async () => void (await sim.admin.setFaults(rateLimitBurst(['@placeOrder'], 25))),
      },
      {
        beforeOrder: Math.floor(N / 2),
        name: 'SIGKILL a worker, start another',
        run: async () => {
          await workers[0]?.kill('SIGKILL');
          // In the background, as in the test: orders keep flowing to the other worker.
          pending.push(start().then((w) => workers.push(w)));
        },
      },
      {
        beforeOrder: Math.floor((5 * N) / 8),
        name: 'timeouts after accept drop the connection',
        run: async () => void (await sim.admin.setFaults(DROP_AFTER_ACCEPT)),
      },
      {
        beforeOrder: Math.floor((3 * N) / 4),
        name: '429 burst on signed requests',
        run: async () => void (await sim.admin.setFaults(rateLimitBurst(['@signed'], 40))),
      },
    );
  }
  const t0 = Date.now();
  const { outcomes } = await driveOrders({
    client,
    taskQueue,
    admin: sim.admin,
    plans,
    submitIntervalMs: 60,
    maxOpen: 40,
    phaseTimeoutMs: 120_000,
    events,
    log: (m) => console.error(`[${name}] ${m}`),
  });
  const seconds = (Date.now() - t0) / 1000;
  await sim.admin.clearFaults();

  // The venue's view of the measured orders only (the warm-up traded on the same account).
  const isWarmUp = (clientOrderId: string | null) => clientOrderId?.startsWith(`${prefix}-warm`) === true;
  const allRecords = await sim.admin.orders({ apiKey: account.apiKey });
  const warmOrders = new Set(
    allRecords.filter((r) => isWarmUp(r.clientOrderId)).map((r) => String(r.orderId)),
  );
  const records = allRecords.filter((r) => !isWarmUp(r.clientOrderId));
  const trades = (await venueTrades(sim.url, account, CHAOS_SYMBOLS)).filter(
    (t) => !warmOrders.has(t.orderId),
  );
  const problems = [
    ...outcomeProblems(outcomes),
    ...venueOrderProblems(outcomes, records),
    ...fillProblems(outcomes, records, trades),
  ];
  for (const p of problems) console.error(`[${name}] problem: ${p}`);
  const histories = await mapLimit(plans, 8, (p) => summarizeHistory(client, p.orderId));
  const attemptsByActivity = new Map<string, number[]>();
  for (const h of histories)
    for (const a of h.activities)
      attemptsByActivity.set(a.activityType, [...(attemptsByActivity.get(a.activityType) ?? []), a.attempt]);
  return {
    name,
    outcomes,
    attempts: histories.map((h) => h.activities.reduce((sum, a) => sum + a.attempt, 0)),
    attemptsByActivity,
    ordersWithRetry: histories.filter((h) => h.activities.some((a) => a.attempt > 1)).length,
    invariantProblems: problems.length,
    seconds,
  };
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

function printReports(reports: RunReport[]): void {
  console.log('\noutcomes');
  const header = [
    'run',
    'orders',
    'as expected',
    'success',
    'DEAD_LETTER',
    'DENIED',
    'other',
    'invariant problems',
    'wall s',
  ];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const r of reports) {
    const ok = r.outcomes.filter((o) => o.ended && o.state?.status === EXPECTED_STATUS[o.plan.kind]).length;
    const parked = r.outcomes.filter((o) => o.state?.status === 'DEAD_LETTER').length;
    const denied = r.outcomes.filter((o) => o.state?.status === 'DENIED').length;
    const cells = [
      r.name,
      String(r.outcomes.length),
      String(ok),
      `${((100 * ok) / r.outcomes.length).toFixed(1)}%`,
      String(parked),
      String(denied),
      String(r.outcomes.length - ok - parked - denied),
      String(r.invariantProblems),
      r.seconds.toFixed(0),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }

  console.log('\ntime to terminal (ms), orders that end by themselves: workflow start → close');
  printLatencyTable(
    reports.map((r) => ({
      name: r.name,
      samples: r.outcomes
        .filter((o) => !rests(o.plan.kind) && o.timeToTerminalMs !== undefined)
        .map((o) => o.timeToTerminalMs as number),
    })),
    reports[0]?.name ?? '',
  );
  console.log('\ntime to terminal (ms), resting orders: driven (cancel sent / market moved) → close');
  printLatencyTable(
    reports.map((r) => ({
      name: r.name,
      samples: r.outcomes
        .filter((o) => rests(o.plan.kind) && o.closedAt !== undefined && o.drivenAt !== undefined)
        .map((o) => (o.closedAt as number) - (o.drivenAt as number)),
    })),
    reports[0]?.name ?? '',
  );

  console.log('\nactivity attempts per order (sum over its activities of the attempt that finished each)');
  const aHeader = ['run', 'mean', 'p50', 'p90', 'p99', 'max', 'orders with a retry'];
  console.log(`| ${aHeader.join(' | ')} |`);
  console.log(`|${aHeader.map(() => '---').join('|')}|`);
  for (const r of reports) {
    const cells = [
      r.name,
      mean(r.attempts).toFixed(2),
      percentile(r.attempts, 50),
      percentile(r.attempts, 90),
      percentile(r.attempts, 99),
      Math.max(...r.attempts),
      r.ordersWithRetry,
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  console.log('\nmean attempts per activity execution, by activity');
  const types = [...new Set(reports.flatMap((r) => [...r.attemptsByActivity.keys()]))].sort();
  console.log(`| activity | ${reports.map((r) => `${r.name} (n, mean, max)`).join(' | ')} |`);
  console.log(`|---|${reports.map(() => '---').join('|')}|`);
  for (const t of types) {
    const cells = reports.map((r) => {
      const xs = r.attemptsByActivity.get(t) ?? [];
      return xs.length === 0 ? '-' : `${xs.length}, ${mean(xs).toFixed(2)}, ${Math.max(...xs)}`;
    });
    console.log(`| ${t} | ${cells.join(' | ')} |`);
  }
}

async function main(): Promise<void> {
  const bundle = path.join(os.tmpdir(), `ordo-bench-chaos-${process.pid}.js`);
  process.env['ORDO_WORKFLOW_BUNDLE'] = await writeWorkflowBundle(bundle);
  const server = await startDevServer();
  const sim = await startChaosSimulator(13);
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  try {
    const ctx = { address: server.address, client, sim };
    const reports = [await run('no faults', false, ctx), await run('chaos', true, ctx)];
    console.log(
      `\nchaos bench: ${N} orders per run (${Object.entries(countKinds())
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}), ` +
        `two worker processes, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, node ${process.version}`,
    );
    printReports(reports);
  } finally {
    await connection.close();
    await sim.close();
    await server.stop();
    rmSync(bundle, { force: true });
  }
}

function countKinds(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of planOrders({ count: N, prefix: 'x', venues: ['sim'], seed: PLAN_SEED }))
    counts[p.kind] = (counts[p.kind] ?? 0) + 1;
  return counts;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
