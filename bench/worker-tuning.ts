/**
 * bench/worker-tuning: an A/B of worker options, for the performance pass. Two Ordo workers in
 * this process, each on its own task queue, one with options A and one with options B; market
 * orders alternate between them (one at a time), so both see the same machine load — on a
 * shared 2-core machine, runs one after the other are not comparable.
 *
 *   BENCH_TUNING_A, BENCH_TUNING_B   worker options as JSON (default A: {}, the production options)
 *   BENCH_ORDERS                     orders per worker (default 40)
 *   BENCH_IN_FLIGHT                  orders in flight per worker (default 1: latency; more: load)
 *
 * Prints client → venue ack and client → FILLED (wf) per worker, and the hot path split per step.
 * Asserts nothing.
 */
import type { WorkerOptions } from '@temporalio/worker';
import type { OrderState } from '../src/domain/order-state';
import { printLatencyTable } from './stats';
import { type Step, historySteps, printStepMedians } from './support-history';
import {
  type BenchWorker,
  benchWorkerConfig,
  bounded,
  directExchange,
  machine,
  resultWithin,
  startBenchStack,
  startBenchWorker,
} from './support-stack';

const N = Number(process.env['BENCH_ORDERS'] ?? 40);
const IN_FLIGHT = Number(process.env['BENCH_IN_FLIGHT'] ?? 1);
const WARMUP = 5;

function options(name: string): Partial<WorkerOptions> {
  const raw = process.env[name] ?? '{}';
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${name} must be a JSON object, got ${raw}`);
  return parsed as Partial<WorkerOptions>;
}

async function main(): Promise<void> {
  const stack = await startBenchStack();
  const config = benchWorkerConfig(stack);
  const direct = await directExchange(config);
  const variants = [
    { name: 'A', raw: process.env['BENCH_TUNING_A'] ?? '{}', opts: options('BENCH_TUNING_A') },
    { name: 'B', raw: process.env['BENCH_TUNING_B'] ?? '{}', opts: options('BENCH_TUNING_B') },
  ];
  const workers: BenchWorker[] = [];
  for (const v of variants) workers.push(await startBenchWorker(stack, config, v.opts));
  const samples = variants.map(() => ({
    ack: [] as number[],
    filled: [] as number[],
    steps: [] as Step[][],
  }));

  const floor: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    await direct.createOrder('BTC/USDT', 'market', i % 2 === 0 ? 'buy' : 'sell', 0.001);
    floor.push(performance.now() - t0);
  }

  const stamp = Date.now().toString(36);
  const total = 2 * (N + WARMUP);
  // Pairs: order 2k on A and 2k+1 on B run side by side, IN_FLIGHT pairs at a time.
  await bounded(
    Array.from({ length: total / 2 }, (_, k) => k),
    IN_FLIGHT,
    async (k) => {
      await Promise.all(
        [0, 1].map(async (w) => {
          const worker = workers[w] as BenchWorker;
          const orderId = `tune-${stamp}-${k}-${w}`;
          const t0 = Date.now();
          await worker.orders.submit({
            orderId,
            symbol: 'BTC/USDT',
            side: k % 2 === 0 ? 'buy' : 'sell',
            type: 'market',
            quantity: '0.001',
            venue: 'sim',
          });
          const final = await resultWithin<OrderState>(worker.client, orderId, 30_000);
          if (final === undefined) return void console.error(`${orderId}: no result after 30 s, left out`);
          if (final.status !== 'FILLED') throw new Error(`order ${orderId} ended ${final.status}`);
          if (k < WARMUP) return;
          const s = samples[w] as (typeof samples)[number];
          const venueOrder = await direct.fetchOrder('', 'BTC/USDT', { clientOrderId: final.clientOrderId });
          s.ack.push(Number(venueOrder.timestamp) - t0);
          s.filled.push(Date.parse(final.history.find((h) => h.status === 'FILLED')?.at ?? '') - t0);
          s.steps.push(
            await historySteps(
              worker.client,
              orderId,
              t0,
              (label) => label === 'ActivityTaskCompleted(submitOrder)',
            ),
          );
        }),
      );
    },
  );

  console.log(
    `worker tuning A/B, ${N} market orders per worker, ${IN_FLIGHT} pair(s) in flight, ${machine()}`,
  );
  for (const v of variants) console.log(`  ${v.name}: ${v.raw}`);
  printLatencyTable(
    [
      { name: 'ccxt direct createOrder (floor)', samples: floor },
      ...variants.flatMap((v, i) => [
        { name: `${v.name}: client → venue ack`, samples: samples[i]?.ack ?? [] },
        { name: `${v.name}: client → FILLED in workflow`, samples: samples[i]?.filled ?? [] },
      ]),
    ],
    'ccxt direct createOrder (floor)',
  );
  for (const [i, v] of variants.entries()) {
    console.log();
    printStepMedians(`hot path, ${v.name}`, samples[i]?.steps ?? []);
  }

  await direct.close();
  for (const w of workers) await w.shutdown();
  await stack.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
