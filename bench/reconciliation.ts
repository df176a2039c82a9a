/**
 * bench/reconciliation: how long one reconciliation run takes per venue, with N working orders
 * at the venue (default 0, 100 and 500; each also has 20 filled orders in the ledger), next to the
 * floor measured in the same run: the same venue reads made directly (open orders, balances, the
 * account's trades of the symbol), without Temporal, the ledger or the order workflows' status.
 *
 *   run (client)        reconciliationWorkflow started → result, seen from the client
 *   venue (workflow)    the run's own durationMs for the venue (first read → last action)
 *   reads only (floor)  fetchOpenOrders + fetchBalances + fetchFillsSince, straight through ccxt
 *
 * Dev server in memory, simulator and worker in-process; one venue (`sim`) on a private account.
 * Medians over BENCH_ROUNDS rounds (default 5); BENCH_RECON_SIZES=0,100,500. Asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startSimulator } from '../src/sim/server';
import { createVenueRegistry } from '../src/venues/factory';
import type { VenueRegistry } from '../src/venues/registry';
import type { ReconciliationReport } from '../src/workflows/reconciliation-messages';
import { simulatedVenues } from '../test/support/chaos-venues';
import { type TestOrdo, startTestOrdoOn } from '../test/support/ordo-worker';
import { createSimAccount } from '../test/support/simulator-admin';
import { startDevServer } from '../test/support/temporal-dev-server';
import { percentile } from './stats';

const SIZES = (process.env['BENCH_RECON_SIZES'] ?? '0,100,500').split(',').map(Number);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const FILLED_ORDERS = 20;

async function main(): Promise<void> {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
  });
  const server = await startDevServer();
  const sim = await startSimulator({ port: 0, seed: 42, tickMs: 250 });
  process.env['TEMPORAL_TEST_ADDRESS'] = server.address;
  process.env['SIM_TEST_URL'] = sim.url;
  const account = await createSimAccount({ USDT: '1000000000', BTC: '1000' });
  const { config } = simulatedVenues({
    simulatorUrl: sim.url,
    account,
    timeoutMs: 10_000,
    overrides: { pollIntervalMs: 5_000 }, // working orders followed by slow polls: not the load here
  });
  const ordo = await startTestOrdoOn(createVenueRegistry(config), [], undefined, {
    reconciliation: {
      venues: ['sim'],
      unknownOrders: 'report',
      lookbackMs: 60 * 60_000,
      settleMs: 2_000,
      graceMs: 10_000,
      balanceTolerance: {},
      defaultBalanceTolerance: '0',
      symbols: ['BTC/USDT'],
      sharedAccounts: { sim: ['sim-bybit'] },
    },
  });
  const probe = createVenueRegistry(config);
  try {
    await fill(ordo, FILLED_ORDERS);
    const rows: string[][] = [];
    let working = 0;
    for (const n of SIZES) {
      await rest(ordo, probe, n - working, n);
      working = n;
      const client: number[] = [];
      const venue: number[] = [];
      const floor: number[] = [];
      let findings = 0;
      for (let round = 0; round < ROUNDS; round++) {
        floor.push(await directReads(probe));
        const started = performance.now();
        const report = (await ordo.client.workflow.execute('reconciliationWorkflow', {
          taskQueue: ordo.taskQueue,
          workflowId: `bench-recon-${n}-${round}-${Date.now()}`,
          args: [{}],
        })) as ReconciliationReport;
        client.push(performance.now() - started);
        const sim = report.venues.find((v) => v.venue === 'sim');
        venue.push(sim?.durationMs ?? Number.NaN);
        findings += sim?.outcomes.length ?? 0;
      }
      const floorP50 = percentile(floor, 50);
      rows.push([
        String(n),
        percentile(client, 50).toFixed(0),
        percentile(venue, 50).toFixed(0),
        floorP50.toFixed(0),
        `${(percentile(client, 50) / floorP50).toFixed(1)}×`,
        String(findings),
      ]);
    }
    const header = [
      'working orders',
      'run p50 ms',
      'venue p50 ms',
      'reads only p50 ms',
      'run / floor',
      'findings',
    ];
    console.log(
      `reconciliation of venue sim (${FILLED_ORDERS} filled orders in the ledger), medians of ${ROUNDS}`,
    );
    console.log(table([header, ...rows]));
  } finally {
    await probe.close();
    await ordo.shutdown();
    await sim.close();
    await server.stop();
  }
}

async function fill(ordo: TestOrdo, count: number): Promise<void> {
  const ids = Array.from({ length: count }, (_, i) => `bench-fill-${Date.now()}-${i}`);
  for (const orderId of ids)
    await ordo.orders.submit({
      orderId,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      quantity: '0.001',
      venue: 'sim',
    });
  await Promise.all(ids.map((id) => ordo.client.workflow.getHandle(id).result()));
}

/** `count` more buy limits resting far under the market, until `total` are followed (ACCEPTED). */
async function rest(ordo: TestOrdo, probe: VenueRegistry, count: number, total: number): Promise<void> {
  if (count <= 0) return;
  const book = await probe.get('sim').venue.fetchOrderBook('BTC/USDT', 5);
  const price = (Number(book.bids[0]?.price) * 0.7).toFixed(2);
  const stamp = Date.now().toString(36);
  for (let i = 0; i < count; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, count - i) }, (_, j) =>
        ordo.orders.submit({
          orderId: `bench-rest-${stamp}-${i + j}`,
          symbol: 'BTC/USDT',
          side: 'buy',
          type: 'limit',
          quantity: '0.001',
          limitPrice: price,
          venue: 'sim',
        }),
      ),
    );
  }
  const query = `TaskQueue = '${ordo.taskQueue}' AND ExecutionStatus = 'Running' AND OrderStatus = 'ACCEPTED'`;
  const deadline = Date.now() + 300_000;
  const acceptedNow = async () => (await ordo.client.workflow.count(query)).count;
  let accepted = await acceptedNow();
  while (accepted < total && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    accepted = await acceptedNow();
  }
  if (accepted < total) throw new Error(`only ${accepted} of ${total} orders working`);
}

async function directReads(probe: VenueRegistry): Promise<number> {
  const venue = probe.get('sim').venue;
  const started = performance.now();
  await Promise.all([venue.fetchOpenOrders(), venue.fetchBalances()]);
  await venue.fetchFillsSince('BTC/USDT', new Date(Date.now() - 60 * 60_000));
  return performance.now() - started;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => cell.padStart(widths[c] ?? 0)).join('  ')).join('\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
