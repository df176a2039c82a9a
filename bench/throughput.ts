/**
 * bench/throughput: sustained throughput. BENCH_THROUGHPUT_ORDERS market orders (default 2,000)
 * started as fast as the client allows with at most BENCH_IN_FLIGHT (default 200) orders between
 * "client call" and "terminal state seen", each carried to a terminal state (or parked), next to
 * the same orders placed with ccxt directly at the same concurrency (the floor).
 *
 *   orders/s           orders carried to an end ÷ wall time from the first call to the last end
 *   end-to-end         client call → the workflow's result at the client (p50/p90/p99)
 *   success            FILLED ÷ all orders (activity retries allowed: they are part of Ordo)
 *   dead letters       orders parked in DEAD_LETTER (not terminal: found by querying an order
 *                      whose result has not come after 20 s)
 *   stuck              orders with neither a result nor DEAD_LETTER after 5 min (workflow tasks
 *                      failing): counted as such, not waited for
 *   CPU                per process over the Ordo run (100 % = one core): this process (client and
 *                      worker), the simulator (its own process), the Temporal dev server
 *
 * Prints numbers; asserts nothing.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { OrderState } from '../src/domain/order-state';
import { statusQuery } from '../src/workflows/messages';
import { percentile, printTable } from './stats';
import { historySteps, printStepMedians } from './support-history';
import { cpuPercent, sampleProc } from './support-proc';
import {
  type BenchWorker,
  benchWorkerConfig,
  bounded,
  directExchange,
  machine,
  startBenchStack,
  startBenchWorker,
} from './support-stack';

const ORDERS = Number(process.env['BENCH_THROUGHPUT_ORDERS'] ?? 2_000);
const IN_FLIGHT = Number(process.env['BENCH_IN_FLIGHT'] ?? 200);
const WARMUP = 20;
const DEAD_LETTER_CHECK_MS = 20_000;
const STUCK_AFTER_MS = 300_000;

interface Run {
  wallMs: number;
  latencies: number[];
  outcomes: Map<string, number>;
  cpu?: Record<string, number>;
}

async function main(): Promise<void> {
  const stack = await startBenchStack({ simProcess: true });
  const config = benchWorkerConfig(stack);
  const worker = await startBenchWorker(stack, config);
  const direct = await directExchange(config);
  const side = (i: number) => (i % 2 === 0 ? 'buy' : 'sell');

  // Warm-up: workflow code loaded, connections open, JIT warm on both paths.
  await bounded(range(WARMUP), 10, (i) => direct.createOrder('BTC/USDT', 'market', side(i), 0.001));
  await bounded(range(WARMUP), 10, (i) => placeAndSettle(worker, `warm-${Date.now()}-${i}`, side(i)));

  const floor = await timed(async (latencies, outcomes) => {
    await bounded(range(ORDERS), IN_FLIGHT, async (i) => {
      const t0 = performance.now();
      const order = await direct.createOrder('BTC/USDT', 'market', side(i), 0.001);
      latencies.push(performance.now() - t0);
      bump(outcomes, order.status === 'closed' ? 'FILLED' : String(order.status));
    });
  });

  const pids = {
    'bench process (client + worker)': process.pid,
    simulator: stack.sim.pid,
    'temporal dev server': stack.server.pid,
  };
  const before = Object.entries(pids).map(
    ([name, pid]) => [name, pid === undefined ? undefined : sampleProc(pid)] as const,
  );
  const stamp = Date.now().toString(36);
  let done = 0;
  const startedAt = new Map<string, number>();
  const progress = setInterval(() => console.error(`ordo: ${done} of ${ORDERS} ended`), 10_000);
  const ordo = await timed(async (latencies, outcomes) => {
    await bounded(range(ORDERS), IN_FLIGHT, async (i) => {
      const t0 = performance.now();
      startedAt.set(`tp-${stamp}-${i}`, Date.now());
      const status = await placeAndSettle(worker, `tp-${stamp}-${i}`, side(i));
      latencies.push(performance.now() - t0);
      bump(outcomes, status);
      done++;
    });
  });
  clearInterval(progress);
  ordo.cpu = {};
  for (const [name, from] of before)
    if (from !== undefined)
      ordo.cpu[name] = cpuPercent(from, sampleProc(pids[name as keyof typeof pids] as number));

  console.log(
    `throughput, ${ORDERS} market orders, ${IN_FLIGHT} in flight, simulator in its own process, ${machine()}`,
  );
  const header = [
    'run',
    'orders/s',
    'wall s',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'success',
    'dead letters',
    'outcomes',
  ];
  const line = (name: string, r: Run) => {
    const filled = r.outcomes.get('FILLED') ?? 0;
    const dead = r.outcomes.get('DEAD_LETTER') ?? 0;
    return [
      name,
      (ORDERS / (r.wallMs / 1000)).toFixed(1),
      (r.wallMs / 1000).toFixed(1),
      percentile(r.latencies, 50).toFixed(0),
      percentile(r.latencies, 90).toFixed(0),
      percentile(r.latencies, 99).toFixed(0),
      `${((100 * filled) / ORDERS).toFixed(2)} %`,
      `${dead} (${((100 * dead) / ORDERS).toFixed(2)} %)`,
      [...r.outcomes].map(([k, v]) => `${k} ${v}`).join(', '),
    ];
  };
  printTable(header, [line('ccxt direct (floor)', floor), line('Ordo', ordo)]);
  const ratio = ORDERS / (floor.wallMs / 1000) / (ORDERS / (ordo.wallMs / 1000));
  console.log(`floor orders/s ÷ Ordo orders/s: ${ratio.toFixed(1)}×`);
  console.log(
    'CPU during the Ordo run (100 % = one core): ' +
      Object.entries(ordo.cpu)
        .map(([name, pct]) => `${name} ${pct.toFixed(0)} %`)
        .join(', '),
  );

  // Where an order's time goes under this load: a sample of the orders' histories, step by step.
  const sample = range(ORDERS).filter((i) => i % Math.max(1, Math.floor(ORDERS / 50)) === 0);
  const steps = await bounded(sample, 10, async (i) => {
    const orderId = `tp-${stamp}-${i}`;
    return historySteps(worker.client, orderId, startedAt.get(orderId) ?? Number.NaN, (label) =>
      label.startsWith('WorkflowExecutionCompleted'),
    );
  });
  console.log();
  printStepMedians('one order under this load, client call → workflow completed', steps);

  await direct.close();
  await worker.shutdown();
  await stack.close();
}

/** Places one market order and waits for its end: its result, or DEAD_LETTER when it parks. */
async function placeAndSettle(worker: BenchWorker, orderId: string, side: string): Promise<string> {
  await worker.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side,
    type: 'market',
    quantity: '0.001',
    venue: 'sim',
  });
  const handle: WorkflowHandle = worker.client.workflow.getHandle(orderId);
  const result = handle.result().then((s) => (s as OrderState).status);
  result.catch(() => undefined); // a parked order's result is abandoned at shutdown
  for (let waited = 0; ; waited += DEAD_LETTER_CHECK_MS) {
    // An order whose workflow tasks keep failing neither ends nor parks: counted, not waited for.
    if (waited >= STUCK_AFTER_MS) return 'STUCK';
    let timer: NodeJS.Timeout | undefined;
    const pause = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), DEAD_LETTER_CHECK_MS);
    });
    const status = await Promise.race([result, pause]);
    clearTimeout(timer);
    if (status !== undefined) return status;
    // A busy worker may not answer a query in time: then keep waiting for the result.
    const state = await handle.query(statusQuery).catch(() => undefined);
    if (state?.status === 'DEAD_LETTER') return 'DEAD_LETTER';
  }
}

async function timed(
  body: (latencies: number[], outcomes: Map<string, number>) => Promise<void>,
): Promise<Run> {
  const latencies: number[] = [];
  const outcomes = new Map<string, number>();
  const t0 = performance.now();
  await body(latencies, outcomes);
  return { wallMs: performance.now() - t0, latencies, outcomes };
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
