/**
 * How much do the dev server's SQLite pragmas matter? Starts `temporal server start-dev` (the
 * installed binary) once per configuration and runs trivial workflows (one activity each)
 * end to end through a real Worker, measuring start→result latency:
 *   in-memory            the baseline (what the tests use)
 *   file, defaults       --db-filename only (SQLite defaults: rollback journal, synchronous=FULL)
 *   file, WAL            --sqlite-pragma journal_mode=WAL (synchronous stays FULL)
 *   file, WAL+NORMAL     --sqlite-pragma journal_mode=WAL --sqlite-pragma synchronous=NORMAL
 * Per configuration: a warm-up, then S workflows one at a time (latency), then N workflows with C
 * in flight (latency under load and throughput). Ratios are against in-memory in the same run.
 * Prints numbers, asserts nothing. Every phase is bounded in count and time.
 *
 *   npx tsx bench/sqlite-pragmas.ts [--n 200] [--seq 100] [--concurrency 20] [--rounds 1]
 * Database files go to $ORDO_DATA_DIR/bench-sqlite-pragmas/ (default .data/) and are removed after.
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  writeSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { REPO_ROOT, temporalCliPath } from '../test/support/temporal-binaries';
import { startDevServer } from '../test/support/temporal-dev-server';
import type { benchWorkflow } from './sqlite-pragmas-workflow';

interface Config {
  name: string;
  file: boolean;
  pragmas: Record<string, string>;
}

const CONFIGS: Config[] = [
  { name: 'in-memory', file: false, pragmas: {} },
  { name: 'file, default pragmas', file: true, pragmas: {} },
  { name: 'file, WAL', file: true, pragmas: { journal_mode: 'WAL' } },
  { name: 'file, WAL+NORMAL', file: true, pragmas: { journal_mode: 'WAL', synchronous: 'NORMAL' } },
];

function arg(name: string, fallback: number, max: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return Math.min(value, max);
}

const N = arg('n', 200, 2000);
const SEQ = arg('seq', 100, 1000);
const CONCURRENCY = arg('concurrency', 20, 200);
const ROUNDS = arg('rounds', 1, 5);
const WARMUP = 20;
const PHASE_TIME_LIMIT_MS = 120_000;

interface Phase {
  latencies: number[];
  wallMs: number;
}

interface Result {
  seq: Phase;
  conc: Phase;
  files: string[];
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

const stats = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9) };
};

/** Runs `count` workflows with at most `inFlight` at once; stops launching after the time limit. */
async function runPhase(client: Client, taskQueue: string, tag: string, count: number, inFlight: number) {
  const latencies: number[] = [];
  const started = Date.now();
  let next = 0;
  const lane = async () => {
    while (next < count && Date.now() - started < PHASE_TIME_LIMIT_MS) {
      const i = next++;
      const t0 = performance.now();
      await client.workflow.execute<typeof benchWorkflow>('benchWorkflow', {
        taskQueue,
        workflowId: `bench-${tag}-${i}`,
        args: [i],
      });
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { latencies, wallMs: Date.now() - started };
}

async function measure(
  config: Config,
  round: number,
  bundle: { code: string },
  dataDir: string,
): Promise<Result> {
  const dbDir = path.join(dataDir, `${config.name.replace(/[^a-z0-9]+/gi, '-')}-${round}`);
  rmSync(dbDir, { recursive: true, force: true });
  mkdirSync(dbDir, { recursive: true });
  const server = await startDevServer({
    dbFilename: config.file ? path.join(dbDir, 'temporal.db') : undefined,
    sqlitePragmas: config.pragmas,
    searchAttributes: [],
  });
  let connection: Connection | undefined;
  let nativeConnection: NativeConnection | undefined;
  try {
    nativeConnection = await NativeConnection.connect({ address: server.address });
    connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection, namespace: server.namespace });
    const taskQueue = `bench-${round}`;
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: server.namespace,
      taskQueue,
      workflowBundle: bundle,
      activities: { noop: async (i: number) => i },
    });
    const result = await worker.runUntil(async () => {
      await runPhase(client, taskQueue, 'warmup', WARMUP, 1);
      const seq = await runPhase(client, taskQueue, 'seq', SEQ, 1);
      const conc = await runPhase(client, taskQueue, 'conc', N, CONCURRENCY);
      return { seq, conc };
    });
    return { ...result, files: readdirSync(dbDir).sort() };
  } finally {
    await connection?.close().catch(() => undefined);
    await nativeConnection?.close().catch(() => undefined);
    await server.stop();
    rmSync(dbDir, { recursive: true, force: true });
  }
}

/** Median time of a 4 KiB write + fsync in `dir`: what one durable SQLite commit costs at least. */
function fsyncProbe(dir: string, count = 200): number {
  const file = path.join(dir, 'fsync-probe');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(4096, 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      writeSync(fd, block, 0, block.length, (i % 16) * block.length);
      fsyncSync(fd);
      times.push(performance.now() - t0);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  return stats(times).median;
}

const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : '-');
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dataDir = path.resolve(REPO_ROOT, process.env.ORDO_DATA_DIR ?? '.data', 'bench-sqlite-pragmas');
  mkdirSync(dataDir, { recursive: true });
  const version = execFileSync(temporalCliPath(), ['--version'], { encoding: 'utf8' }).trim();
  let fs = '?';
  try {
    fs = execFileSync('df', ['-T', dataDir], { encoding: 'utf8' }).trim().split('\n').pop() ?? '?';
  } catch {
    /* df missing: not important */
  }
  console.log(`sqlite-pragmas: ${version}; node ${process.version}; ${os.cpus().length} CPUs`);
  console.log(`database dir ${dataDir} on: ${fs}`);
  console.log(`4 KiB write+fsync there: median ${fsyncProbe(dataDir).toFixed(2)} ms`);
  console.log(
    `per config: ${WARMUP} warm-up, ${SEQ} sequential, ${N} with ${CONCURRENCY} in flight; ${ROUNDS} round(s)\n`,
  );

  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./sqlite-pragmas-workflow'),
    logger: new DefaultLogger('WARN'),
  });

  const results = new Map<string, Result[]>(CONFIGS.map((c) => [c.name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const config of CONFIGS) {
      process.stdout.write(`round ${round}: ${config.name} ... `);
      const r = await measure(config, round, bundle, dataDir);
      results.get(config.name)?.push(r);
      console.log(
        `done (seq ${r.seq.latencies.length}, conc ${r.conc.latencies.length}; files: ${r.files.join(' ') || 'none'})`,
      );
    }
  }
  if (existsSync(dataDir) && readdirSync(dataDir).length === 0) rmSync(dataDir, { recursive: true });

  const summary = CONFIGS.map((c) => {
    const rs = results.get(c.name) ?? [];
    const seq = stats(rs.flatMap((r) => r.seq.latencies));
    const conc = stats(rs.flatMap((r) => r.conc.latencies));
    const done = rs.reduce((sum, r) => sum + r.conc.latencies.length, 0);
    const wall = rs.reduce((sum, r) => sum + r.conc.wallMs, 0);
    const perRound = rs.map((r) => ((r.conc.latencies.length / r.conc.wallMs) * 1000).toFixed(0));
    return { name: c.name, seq, conc, throughput: (done / wall) * 1000, perRound };
  });
  const base = summary[0];
  const cols: [string, number][] = [
    ['configuration', 22],
    ['seq p50', 8],
    ['seq p90', 8],
    [`c${CONCURRENCY} p50`, 8],
    [`c${CONCURRENCY} p90`, 8],
    ['wf/s', 6],
    [`c${CONCURRENCY} p50 x mem`, 14],
    ['wf/s x mem', 11],
    ['wf/s per round', 16],
  ];
  const row = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? pad : lpad)(c, cols[i]?.[1] ?? 8)).join(' ');
  const header = row(cols.map(([name]) => name));
  console.log(
    `\nstart→result latency in ms; seq: one workflow at a time, c${CONCURRENCY}: ${CONCURRENCY} in flight`,
  );
  console.log(header);
  console.log('-'.repeat(header.length));
  for (const s of summary) {
    console.log(
      row([
        s.name,
        fmt(s.seq.median),
        fmt(s.seq.p90),
        fmt(s.conc.median),
        fmt(s.conc.p90),
        s.throughput.toFixed(1),
        base ? (s.conc.median / base.conc.median).toFixed(2) : '-',
        base ? (s.throughput / base.throughput).toFixed(2) : '-',
        s.perRound.join(' '),
      ]),
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
