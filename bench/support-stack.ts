/**
 * What the benchmarks share: the stack (Temporal dev server in memory, exchange simulator
 * in-process, a fresh simulator account), an Ordo worker in this process with worker options a
 * benchmark can vary, and small helpers (bounded concurrency, polling). Benchmarks print numbers;
 * nothing here asserts anything.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { OrdoOrders } from '../src/client/orders';
import { openLedger } from '../src/ledger/open-ledger';
import { startSimulator } from '../src/sim/server';
import { createCcxtExchange, createVenueRegistry } from '../src/venues/factory';
import { createWorkerActivities } from '../src/workers/activities';
import { type CcxtVenueConfig, type WorkerConfig, parseWorkerConfig } from '../src/workers/config';
import { workflowSource } from '../src/workers/workflow-bundle';
import { type SimAccount, createSimAccount } from '../test/support/simulator-admin';
import { type DevServerHandle, freePort, startDevServer } from '../test/support/temporal-dev-server';

const ROOT = path.join(__dirname, '..');

/** The exchange simulator, in this process or as its own (`src/sim/main.ts`). */
export interface BenchSimulator {
  url: string;
  /** Its process id when it runs as its own process. */
  pid?: number;
  close(): Promise<void>;
}

export interface BenchStack {
  server: DevServerHandle;
  sim: BenchSimulator;
  account: SimAccount;
  close(): Promise<void>;
}

/**
 * Dev server + simulator + an account rich enough for thousands of orders. `serverArgs` are more
 * `temporal server start-dev` arguments (e.g. dynamic config values being measured).
 */
export async function startBenchStack(
  options: { serverArgs?: string[]; simProcess?: boolean } = {},
): Promise<BenchStack> {
  // Cancelled follow activities completing late are normal in benchmarks: keep SDK warnings out.
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
  });
  const server = await startDevServer({ extraArgs: options.serverArgs ?? serverArgsFromEnv() });
  const sim: BenchSimulator = options.simProcess
    ? await startSimulatorProcess()
    : await startSimulator({ port: 0, seed: 42, tickMs: 250 });
  // The test helpers (simulator admin, worker config) find the stack through these.
  process.env['TEMPORAL_TEST_ADDRESS'] = server.address;
  process.env['SIM_TEST_URL'] = sim.url;
  const account = await createSimAccount({ USDT: '1000000000', BTC: '100000' });
  return {
    server,
    sim,
    account,
    async close() {
      await sim.close();
      await server.stop();
    },
  };
}

/**
 * The simulator as its own process, as a venue is: under load, its request handling then does not
 * share this process's event loop with the worker or the client being measured.
 */
async function startSimulatorProcess(): Promise<BenchSimulator> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src/sim/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      SIM_PORT: String(port),
      SIM_SEED: '42',
      SIM_TICK_MS: '250',
      SIM_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const url = `http://127.0.0.1:${port}`;
  await until('the simulator process to answer', async () => {
    if (child.exitCode !== null) throw new Error(`simulator exited with ${child.exitCode}`);
    return fetch(`${url}/api/v3/ping`).then(
      (r) => r.ok,
      () => false,
    );
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    pid: child.pid as number,
    async close() {
      child.kill('SIGTERM');
      await exited;
      process.removeListener('exit', killOnExit);
    },
  };
}

/** BENCH_SERVER_ARGS: extra dev-server arguments, space separated (for the performance pass). */
function serverArgsFromEnv(): string[] {
  const raw = process.env['BENCH_SERVER_ARGS'] ?? '';
  return raw.split(' ').filter((a) => a.length > 0);
}

/**
 * Venue `sim` as config/venues.json configures it (poll interval, stream, rate limit), pointed at
 * the stack's simulator and account; `overrides` replace fields.
 */
export function benchWorkerConfig(stack: BenchStack, overrides: Record<string, unknown> = {}): WorkerConfig {
  const file = JSON.parse(readFileSync(path.join(ROOT, 'config', 'venues.json'), 'utf8')) as {
    venues: Record<string, Record<string, unknown>>;
  };
  return parseWorkerConfig(
    JSON.stringify({
      venues: {
        sim: {
          ...file.venues['sim'],
          simulatorUrl: stack.sim.url,
          apiKey: stack.account.apiKey,
          secret: stack.account.secret,
          timeoutMs: 10_000,
          ...overrides,
        },
      },
      // A reconciliation run in the middle of a benchmark would be load the numbers do not name.
      reconciliation: { enabled: false },
    }),
  );
}

/** ccxt on the same venue, for the floor measured in the same run. */
export async function directExchange(config: WorkerConfig): Promise<ReturnType<typeof createCcxtExchange>> {
  const direct = createCcxtExchange(config.venues['sim'] as CcxtVenueConfig);
  await direct.loadMarkets();
  return direct;
}

export interface BenchWorker {
  taskQueue: string;
  /** A client on its own connection, as an application outside the worker would have. */
  client: Client;
  orders: OrdoOrders;
  /** A client on the worker's own NativeConnection: the only kind that can start eagerly. */
  workerClient: Client;
  workerConnection: NativeConnection;
  shutdown(): Promise<void>;
}

/**
 * The Ordo worker in this process, with the production worker options (src/workers/main.ts)
 * unless `workerOptions` overrides them. BENCH_WORKER_OPTIONS (JSON) overrides them too.
 */
export async function startBenchWorker(
  stack: BenchStack,
  config: WorkerConfig,
  workerOptions: Partial<WorkerOptions> = {},
): Promise<BenchWorker> {
  const taskQueue = `bench-${randomUUID().slice(0, 8)}`;
  const registry = createVenueRegistry(config);
  const ledger = await openLedger('sqlite::memory:');
  const nativeConnection = await NativeConnection.connect({ address: stack.server.address });
  const workerClient = new Client({ connection: nativeConnection });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    ...(await workflowSource()),
    activities: createWorkerActivities({
      registry,
      ledger,
      eventSinks: [], // a log line per event would mix with the numbers printed
      client: workerClient,
      taskQueue,
      namespace: 'default',
      tradingControlId: `trading-control-${taskQueue}`,
    }),
    maxConcurrentActivityTaskExecutions: 1_000,
    ...workerOptions,
    ...workerOptionsFromEnv(),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: stack.server.address });
  const client = new Client({ connection });
  return {
    taskQueue,
    client,
    orders: new OrdoOrders(client, taskQueue),
    workerClient,
    workerConnection: nativeConnection,
    async shutdown() {
      worker.shutdown();
      await running;
      await registry.close();
      await ledger.close();
      await nativeConnection.close();
      await connection.close();
    },
  };
}

function workerOptionsFromEnv(): Partial<WorkerOptions> {
  const raw = process.env['BENCH_WORKER_OPTIONS'];
  if (raw === undefined || raw === '') return {};
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`BENCH_WORKER_OPTIONS must be a JSON object, got ${raw}`);
  return parsed as Partial<WorkerOptions>;
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results in item order. */
export async function bounded<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>) {
  const out: R[] = [];
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i] as T, i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

/** Polls `check` every `everyMs` until it holds; throws after `timeoutMs`. */
export async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 300_000,
  everyMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The number of workflows matching a visibility query. */
export async function countWorkflows(client: Client, query: string): Promise<number> {
  return (await client.workflow.count(query)).count;
}

/** A price far enough under the book that a buy limit order there rests and never fills. */
export async function restingBuyPrice(direct: ReturnType<typeof createCcxtExchange>): Promise<string> {
  const book = await direct.fetchOrderBook('BTC/USDT', 5);
  const bid = Number(book.bids[0]?.[0]);
  if (!Number.isFinite(bid)) throw new Error('no bid on BTC/USDT');
  return (bid * 0.7).toFixed(2);
}

export function machine(): string {
  return `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, node ${process.version}, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
}

/**
 * The workflow's result, or undefined when none came within `timeoutMs` (an order whose workflow
 * tasks keep failing neither ends nor parks: a benchmark counts it and goes on).
 */
export async function resultWithin<T>(
  client: Client,
  workflowId: string,
  timeoutMs: number,
): Promise<T | undefined> {
  const result = client.workflow.getHandle(workflowId).result() as Promise<T>;
  result.catch(() => undefined); // abandoned at shutdown when it never came
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    return await Promise.race([result, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
