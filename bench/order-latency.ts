/**
 * bench/order-latency: N market orders through Ordo (client → Temporal → worker → ccxt →
 * simulator), next to the same order placed by calling ccxt directly in the same run (the floor).
 *
 *   client → venue accepted   start of the client call → the venue's transactTime for the order
 *   client → FILLED (wf)      start of the client call → the workflow's FILLED status timestamp
 *   client → result seen      start of the client call → the client has the workflow result
 *   ccxt direct (floor)       one createOrder round trip to the simulator
 *
 * Everything runs on this machine (dev server in memory, simulator and worker in-process), so
 * clocks are shared. Prints numbers; asserts nothing. BENCH_ORDERS=N (default 50).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, DefaultLogger } from '@temporalio/worker';
import { OrdoOrders } from '../src/client/orders';
import type { OrderState } from '../src/domain/order-state';
import { startSimulator } from '../src/sim/server';
import { openLedger } from '../src/ledger/open-ledger';
import { createCcxtExchange, createVenueRegistry } from '../src/venues/factory';
import { createWorkerActivities } from '../src/workers/activities';
import { parseWorkerConfig } from '../src/workers/config';
import { startDevServer } from '../test/support/temporal-dev-server';
import { printLatencyTable } from './stats';

const N = Number(process.env['BENCH_ORDERS'] ?? 50);
const WARMUP = 5;

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const server = await startDevServer();
  const sim = await startSimulator({ port: 0, seed: 42, tickMs: 250 });
  const venueJson = {
    venues: {
      sim: {
        exchange: 'binance',
        simulatorUrl: sim.url,
        apiKey: 'sim-key',
        secret: 'sim-secret',
        pollIntervalMs: 100,
        rateLimitMs: 1,
      },
    },
  };
  const config = parseWorkerConfig(JSON.stringify(venueJson));
  const registry = createVenueRegistry(config);
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue: 'bench',
    workflowsPath: require.resolve('../src/workflows'),
    // Events go nowhere here: a log line per event would mix with the numbers printed.
    // Events go nowhere here: a log line per event would mix with the numbers printed.
    activities: createWorkerActivities({
      registry,
      ledger: await openLedger('sqlite::memory:'),
      eventSinks: [],
      client: new Client({ connection: nativeConnection }),
      taskQueue: 'bench',
      namespace: 'default',
    }),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const orders = new OrdoOrders(client, 'bench');
  const direct = createCcxtExchange({ ...config.venues['sim'], kind: 'ccxt' } as Parameters<
    typeof createCcxtExchange
  >[0]);
  await direct.loadMarkets();

  const floor: number[] = [];
  for (let i = 0; i < N + WARMUP; i++) {
    const t0 = performance.now();
    await direct.createOrder('BTC/USDT', 'market', i % 2 === 0 ? 'buy' : 'sell', 0.001);
    if (i >= WARMUP) floor.push(performance.now() - t0);
  }

  const accepted: number[] = [];
  const filledInWorkflow: number[] = [];
  const resultSeen: number[] = [];
  for (let i = 0; i < N + WARMUP; i++) {
    const orderId = `bench-${Date.now()}-${i}`;
    const t0 = Date.now();
    await orders.submit({
      orderId,
      symbol: 'BTC/USDT',
      side: i % 2 === 0 ? 'buy' : 'sell',
      type: 'market',
      quantity: '0.001',
      venue: 'sim',
    });
    const final = (await client.workflow.getHandle(orderId).result()) as OrderState;
    const seen = Date.now();
    if (final.status !== 'FILLED') throw new Error(`order ${orderId} ended ${final.status}`);
    if (i < WARMUP) continue;
    const venueOrder = await direct.fetchOrder('', 'BTC/USDT', { clientOrderId: final.clientOrderId });
    accepted.push(Number(venueOrder.timestamp) - t0);
    filledInWorkflow.push(Date.parse(final.history.find((h) => h.status === 'FILLED')?.at ?? '') - t0);
    resultSeen.push(seen - t0);
  }

  console.log(
    `order latency, ${N} market orders each (after ${WARMUP} warm-up), ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, node ${process.version}`,
  );
  printLatencyTable(
    [
      { name: 'ccxt direct createOrder (floor)', samples: floor },
      { name: 'Ordo client → venue accepted', samples: accepted },
      { name: 'Ordo client → FILLED in workflow', samples: filledInWorkflow },
      { name: 'Ordo client → result at client', samples: resultSeen },
    ],
    'ccxt direct createOrder (floor)',
  );

  await direct.close();
  worker.shutdown();
  await running;
  await registry.close();
  await nativeConnection.close();
  await connection.close();
  await sim.close();
  await server.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
