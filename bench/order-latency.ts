/**
 * bench/order-latency: N market orders through Ordo (client → Temporal → worker → ccxt →
 * simulator), one at a time, next to the same order placed by calling ccxt directly in the same
 * run (the floor).
 *
 *   client → venue ack        start of the client call → the venue's transactTime for the order
 *   client → FILLED (wf)      start of the client call → the workflow's FILLED status timestamp
 *   client → result seen      start of the client call → the client has the workflow result
 *   ccxt direct (floor)       one createOrder round trip to the simulator
 *
 * Orders alternate between two clients: one on its own connection (an application, the HTTP API)
 * and one on the worker's own NativeConnection asking for eager workflow start (what a client
 * living in the worker's process — activities that start orders — can do). Then the hot path of
 * a few orders is split, from their workflow histories, into where the milliseconds go.
 *
 * Everything runs on this machine (dev server in memory, simulator and worker in-process), so
 * clocks are shared. Prints numbers; asserts nothing. BENCH_ORDERS=N per client (default 50);
 * BENCH_WORKER_OPTIONS / BENCH_SERVER_ARGS vary the set-up (see support-stack.ts).
 */
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import { OrdoOrders } from '../src/client/orders';
import type { OrderState } from '../src/domain/order-state';
import { type Step, historySteps, printStepMedians } from './support-history';
import {
  benchWorkerConfig,
  directExchange,
  machine,
  resultWithin,
  startBenchStack,
  startBenchWorker,
} from './support-stack';
import { printLatencyTable } from './stats';

const N = Number(process.env['BENCH_ORDERS'] ?? 50);
const WARMUP = 5;
const STUCK_AFTER_MS = 30_000;

interface Samples {
  ack: number[];
  filled: number[];
  result: number[];
  steps: Step[][];
}
const empty = (): Samples => ({ ack: [], filled: [], result: [], steps: [] });

async function main(): Promise<void> {
  const stack = await startBenchStack();
  const config = benchWorkerConfig(stack);
  const worker = await startBenchWorker(stack, config);
  const direct = await directExchange(config);

  // Eager start: the start request carries "run it here", and the server hands the first
  // workflow task back in the start response instead of through the task queue.
  let eagerly = 0;
  const eager: WorkflowClientInterceptor = {
    async startWithDetails(input, next) {
      const out = await next({ ...input, options: { ...input.options, requestEagerStart: true } });
      if (out.eagerlyStarted) eagerly++;
      return out;
    },
  };
  const eagerClient = new Client({
    connection: worker.workerConnection,
    interceptors: { workflow: [eager] },
  });
  const clients = [
    { name: 'own connection', orders: worker.orders, samples: empty() },
    { name: 'eager start', orders: new OrdoOrders(eagerClient, worker.taskQueue), samples: empty() },
  ];

  const stuck: string[] = [];
  const floor: number[] = [];
  for (let i = 0; i < N + WARMUP; i++) {
    const t0 = performance.now();
    await direct.createOrder('BTC/USDT', 'market', i % 2 === 0 ? 'buy' : 'sell', 0.001);
    if (i >= WARMUP) floor.push(performance.now() - t0);
  }

  for (let i = 0; i < 2 * (N + WARMUP); i++) {
    const { orders, samples } = clients[i % 2] as (typeof clients)[number];
    const orderId = `lat-${Date.now()}-${i}`;
    const t0 = Date.now();
    await orders.submit({
      orderId,
      symbol: 'BTC/USDT',
      side: Math.floor(i / 2) % 2 === 0 ? 'buy' : 'sell',
      type: 'market',
      quantity: '0.001',
      venue: 'sim',
    });
    const final = await resultWithin<OrderState>(worker.client, orderId, STUCK_AFTER_MS);
    const seen = Date.now();
    if (final === undefined) {
      stuck.push(orderId);
      continue;
    }
    if (final.status !== 'FILLED') throw new Error(`order ${orderId} ended ${final.status}`);
    if (i < 2 * WARMUP) continue;
    const venueOrder = await direct.fetchOrder('', 'BTC/USDT', { clientOrderId: final.clientOrderId });
    samples.ack.push(Number(venueOrder.timestamp) - t0);
    samples.filled.push(Date.parse(final.history.find((h) => h.status === 'FILLED')?.at ?? '') - t0);
    samples.result.push(seen - t0);
    samples.steps.push(
      await historySteps(
        worker.client,
        orderId,
        t0,
        (label) => label === 'ActivityTaskCompleted(submitOrder)',
      ),
    );
  }

  console.log(`order latency, ${N} market orders per client (after ${WARMUP} warm-up each), ${machine()}`);
  const [own, eagerStart] = clients.map((c) => c.samples) as [Samples, Samples];
  printLatencyTable(
    [
      { name: 'ccxt direct createOrder (floor)', samples: floor },
      { name: 'Ordo client → venue ack', samples: own.ack },
      { name: 'Ordo client → FILLED in workflow', samples: own.filled },
      { name: 'Ordo client → result at client', samples: own.result },
      { name: 'eager start → venue ack', samples: eagerStart.ack },
      { name: 'eager start → FILLED in workflow', samples: eagerStart.filled },
    ],
    'ccxt direct createOrder (floor)',
  );
  if (stuck.length > 0)
    console.log(
      `${stuck.length} order(s) without a result after ${STUCK_AFTER_MS / 1000} s, left out: ${stuck.join(', ')}`,
    );
  console.log(`eager start: ${eagerly} of ${N + WARMUP} starts were eager (the server decides)`);
  console.log();
  printStepMedians('hot path, own connection: client call → submitOrder completed', own.steps);
  console.log();
  printStepMedians('hot path, eager start: client call → submitOrder completed', eagerStart.steps);

  await direct.close();
  await worker.shutdown();
  await stack.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
