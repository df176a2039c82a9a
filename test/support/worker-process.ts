/**
 * The Ordo worker as a separate OS process (src/workers/main.ts), so crash tests can SIGKILL it.
 * Runs `node --require tsx/cjs` directly: one process, so the kill hits the worker itself.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkerConfig } from '../../src/workers/config';

const ROOT = path.join(__dirname, '..', '..');

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export async function startWorkerProcess(options: {
  temporalAddress: string;
  taskQueue: string;
  config: WorkerConfig;
  ledgerUrl?: string;
  /** More environment for the process (e.g. ORDO_METRICS_ADDRESS). */
  env?: Record<string, string>;
}): Promise<WorkerProcess> {
  const configFile = path.join(os.tmpdir(), `ordo-worker-${options.taskQueue}.json`);
  writeFileSync(configFile, JSON.stringify(options.config));
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src/workers/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: options.temporalAddress,
      ORDO_TASK_QUEUE: options.taskQueue,
      ORDO_CONFIG: configFile,
      // Each worker process its own ledger, unless the test shares one (e.g. across a crash).
      ORDO_LEDGER_URL: options.ledgerUrl ?? 'sqlite::memory:',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 60_000;
  while (!output.includes('worker started')) {
    if (child.exitCode !== null) throw new Error(`worker exited during start:\n${output}`);
    if (Date.now() > deadline) throw new Error(`worker did not start within 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    output: () => output,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
