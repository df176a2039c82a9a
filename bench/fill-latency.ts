/**
 * bench/fill-latency: venue fill → workflow state. A resting limit buy is filled by moving the
 * simulator's market through it; the latency is the venue's trade time (the fill's timestamp) to
 * the workflow's FILLED status timestamp (workflow time). Everything runs on this machine (dev
 * server, simulator, worker, in one clock), so the two timestamps compare directly.
 *
 *   polling only        the worker without its order stream: the follow polls every pollIntervalMs
 *                       (config/venues.json, 200 ms)
 *   stream on           the worker with its order stream (ccxt pro watchOrders): the pushed update
 *                       signals the workflow (reconcile PUSHED), which looks the order up at once;
 *                       the fallback poll (stream.fallbackPollIntervalMs, 2 s) is only a safety net
 *   ccxt watchOrders    the floor: a direct ccxt pro client on the same account seeing the same
 *                       fills (trade time → the update in its hands), measured during "stream on"
 *
 * The fill comes at a varying moment after the order starts resting, so polling pays a varying
 * part of its interval. Prints numbers; asserts nothing. BENCH_FILLS=N per mode (default 30).
 */
import * as ccxt from 'ccxt';
import { createCcxtProExchange } from '../src/venues/factory';
import type { CcxtVenueConfig, WorkerConfig } from '../src/workers/config';
import { type TestOrdo, startTestOrdo } from '../test/support/ordo-worker';
import { printLatencyTable } from './stats';
import { type BenchStack, benchWorkerConfig, machine, startBenchStack, until } from './support-stack';

const N = Number(process.env['BENCH_FILLS'] ?? 30);
const WARMUP = 3;
const SYMBOL = 'BTC/USDT';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function admin(stack: BenchStack, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${stack.sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: HTTP ${response.status} ${await response.text()}`);
}

async function midOf(stack: BenchStack): Promise<number> {
  const response = await fetch(`${stack.sim.url}/admin/market`);
  const market = (await response.json()) as { symbol: string; mid: string }[];
  return Number(market.find((m) => m.symbol === SYMBOL.replace('/', ''))?.mid);
}

/** Trade time → FILLED in the workflow, per order, for `n` orders filled one at a time. */
async function measure(stack: BenchStack, ordo: TestOrdo, label: string, n: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n + WARMUP; i++) {
    const orderId = `fill-${label}-${Date.now()}-${i}`;
    const mid = await midOf(stack);
    await ordo.orders.submit({
      orderId,
      symbol: SYMBOL,
      side: 'buy',
      type: 'limit',
      quantity: '0.001',
      limitPrice: (mid * 0.995).toFixed(2),
      venue: 'sim',
    });
    await ordo.orders.waitFor(orderId, (s) => s.status !== 'PENDING' && s.status !== 'SUBMITTED');
    // The fill lands at a different point of the poll cycle each time (0–290 ms after acceptance).
    await sleep(50 + ((i * 97) % 240));
    await admin(stack, '/admin/mid', { symbol: SYMBOL, price: (mid * 0.99).toFixed(2) });
    const final = await ordo.orders.waitFor(orderId, (s) => s.status === 'FILLED', 60_000);
    await admin(stack, '/admin/mid', { symbol: SYMBOL, price: mid.toFixed(2) });
    process.stderr.write(i + 1 === n + WARMUP ? `${label}: ${n} fills\n` : '.');
    if (final.status !== 'FILLED') throw new Error(`${orderId} ended ${final.status}`);
    if (i < WARMUP) continue;
    const traded = Math.max(...final.fills.map((f) => Date.parse(f.timestamp)));
    const filledAt = Date.parse(final.history.find((h) => h.status === 'FILLED')?.at ?? '');
    samples.push(filledAt - traded);
  }
  return samples;
}

/** A direct ccxt pro client on the account: trade time → its watchOrders has the closed order. */
function watchFloor(config: WorkerConfig): { samples: number[]; stop(): Promise<void> } {
  const exchange = createCcxtProExchange(config.venues['sim'] as CcxtVenueConfig);
  const samples: number[] = [];
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const orders = await exchange.watchOrders().catch((err: unknown) => {
        if (!stopping && !(err instanceof ccxt.ExchangeClosedByUser)) throw err;
        return [];
      });
      const seen = Date.now();
      for (const order of orders) {
        const info = order.info as { X?: string; T?: number };
        if (order.clientOrderId?.startsWith('fill-stream-') && info.X === 'FILLED' && info.T !== undefined)
          samples.push(seen - info.T);
      }
    }
  })();
  return {
    samples,
    async stop() {
      stopping = true;
      await exchange.close();
      await loop;
    },
  };
}

async function main(): Promise<void> {
  const stack = await startBenchStack();

  const pollingConfig = benchWorkerConfig(stack, { stream: { enabled: false } });
  const polling = await startTestOrdo(pollingConfig);
  const polled = await measure(stack, polling, 'poll', N);
  await polling.shutdown();

  const streamConfig = benchWorkerConfig(stack);
  const floor = watchFloor(streamConfig);
  const streaming = await startTestOrdo(streamConfig, { streams: streamConfig });
  await until('the order stream to come up', async () => streaming.pushedFills?.health()[0]?.state === 'up');
  const pushed = await measure(stack, streaming, 'stream', N);
  const health = streaming.pushedFills?.health()[0];
  await streaming.shutdown();
  await floor.stop();

  const sim = streamConfig.venues['sim'];
  const settings =
    sim?.kind === 'ccxt'
      ? `pollIntervalMs ${sim.pollIntervalMs}, stream.fallbackPollIntervalMs ${sim.stream.fallbackPollIntervalMs}`
      : '';
  console.log(`fill latency (venue trade time → FILLED in the workflow), ${N} fills per mode, ${settings}`);
  console.log(machine());
  printLatencyTable(
    [
      { name: 'ccxt watchOrders direct (floor)', samples: floor.samples.slice(-N) },
      { name: 'Ordo, stream on (pushed)', samples: pushed },
      { name: 'Ordo, polling only', samples: polled },
    ],
    'ccxt watchOrders direct (floor)',
  );
  console.log(`stream during the run: ${JSON.stringify(health)}`);
  await stack.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
