/**
 * bench/hot-path-prototype: what scheduling the three pre-trade activities together would save on
 * client → venue ack. Runs the bench-only prototype workflows (bench/prototype/hot-path-workflows.ts,
 * the same activities as Ordo's worker) alternately, one order at a time:
 *
 *   sequential   prepareOrder → riskCheck → tradingState → submitOrder (today's order of calls)
 *   parallel     prepareOrder + riskCheck + tradingState in one workflow task → submitOrder
 *
 * and prints client call → venue ack for both, with the ccxt floor. Asserts nothing.
 * BENCH_ORDERS per variant (default 40).
 */
import { deriveClientOrderId } from '../src/domain/client-order-id';
import { printLatencyTable } from './stats';
import {
  benchWorkerConfig,
  directExchange,
  machine,
  startBenchStack,
  startBenchWorker,
} from './support-stack';

const N = Number(process.env['BENCH_ORDERS'] ?? 40);
const WARMUP = 5;

async function main(): Promise<void> {
  const stack = await startBenchStack();
  const config = benchWorkerConfig(stack);
  const worker = await startBenchWorker(stack, config, {
    workflowsPath: require.resolve('./prototype/hot-path-workflows'),
  });
  const direct = await directExchange(config);
  const variants = ['hotPathSequential', 'hotPathParallel'] as const;
  const acks: Record<string, number[]> = { hotPathSequential: [], hotPathParallel: [] };

  const floor: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    await direct.createOrder('BTC/USDT', 'market', i % 2 === 0 ? 'buy' : 'sell', 0.001);
    floor.push(performance.now() - t0);
  }

  const stamp = Date.now().toString(36);
  for (let i = 0; i < 2 * (N + WARMUP); i++) {
    const workflowType = variants[i % 2] as (typeof variants)[number];
    const workflowId = `hp-${stamp}-${i}`;
    const order = {
      orderId: workflowId,
      symbol: 'BTC/USDT',
      side: Math.floor(i / 2) % 2 === 0 ? 'buy' : 'sell',
      type: 'market',
      quantity: '0.001',
      venue: 'sim',
    };
    const t0 = Date.now();
    const state = await worker.client.workflow.execute(workflowType, {
      workflowId,
      taskQueue: worker.taskQueue,
      args: [order],
    });
    if (state !== 'closed') throw new Error(`${workflowId} ended ${String(state)} at the venue`);
    if (i < 2 * WARMUP) continue;
    const venueOrder = await direct.fetchOrder('', 'BTC/USDT', {
      clientOrderId: deriveClientOrderId(workflowId),
    });
    acks[workflowType]?.push(Number(venueOrder.timestamp) - t0);
  }

  console.log(`hot path prototype, ${N} market orders per variant, ${machine()}`);
  printLatencyTable(
    [
      { name: 'ccxt direct createOrder (floor)', samples: floor },
      { name: 'sequential: client → venue ack', samples: acks['hotPathSequential'] ?? [] },
      { name: 'parallel pre-trade: client → venue ack', samples: acks['hotPathParallel'] ?? [] },
    ],
    'ccxt direct createOrder (floor)',
  );

  await direct.close();
  await worker.shutdown();
  await stack.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
