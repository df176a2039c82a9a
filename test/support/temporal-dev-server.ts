/**
 * Starts `temporal server start-dev` from the installed binary as a child process and waits until
 * it serves the namespace with every requested search attribute. Used by the jest global setup
 * (one in-memory server per test run) and by bench/sqlite-pragmas.ts.
 *
 * Spawning the CLI ourselves (rather than TestWorkflowEnvironment.createLocal) keeps the native
 * Temporal runtime out of jest's main process, captures the server's output to a log file that is
 * quoted when start-up fails, and makes readiness mean "search attributes are registered".
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import {
  type SearchAttributeSpec,
  searchAttributeArgs,
  searchAttributes,
  temporalCliPath,
} from './temporal-binaries';

export interface DevServerOptions {
  /** Path of the temporal CLI; default: the one in .tools/bin. */
  cliPath?: string;
  /** Interface to bind; default 127.0.0.1. */
  ip?: string;
  /** Frontend gRPC port; default: a free port. */
  port?: number;
  /** Namespace created at start; default "default". */
  namespace?: string;
  /** SQLite file; default: in-memory (nothing persisted). */
  dbFilename?: string;
  /** `--sqlite-pragma` values, e.g. { journal_mode: 'WAL', synchronous: 'NORMAL' }. */
  sqlitePragmas?: Record<string, string>;
  /** Web UI port, 0 for a free one; default: no UI (--headless). */
  uiPort?: number;
  /** Default: temporal/search-attributes.txt. */
  searchAttributes?: SearchAttributeSpec[];
  /** Default warn. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** More `temporal server start-dev` arguments. */
  extraArgs?: string[];
  /** How long to wait for readiness; default 60 s. */
  startTimeoutMs?: number;
}

export interface DevServerHandle {
  /** host:port of the frontend, for Connection.connect / NativeConnection.connect. */
  address: string;
  namespace: string;
  pid: number;
  /** The server's stdout+stderr (removed by stop()). */
  logFile: string;
  /** http://ip:port of the Web UI, when uiPort was given. */
  uiUrl?: string;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. Idempotent. */
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago on `ip`. */
export async function freePort(ip = '127.0.0.1'): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, ip, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServerHandle> {
  // A port picked by freePort() can be taken by someone else before the server binds it: retry.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      const portClash = err instanceof Error && /address already in use/i.test(err.message);
      if (!portClash || options.port !== undefined || attempt >= 3) throw err;
    }
  }
}

async function startOnce(options: DevServerOptions): Promise<DevServerHandle> {
  const cli = options.cliPath ?? temporalCliPath();
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port ?? (await freePort(ip));
  const namespace = options.namespace ?? 'default';
  const specs = options.searchAttributes ?? searchAttributes();
  const address = `${ip}:${port}`;

  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port)];
  args.push('--log-level', options.logLevel ?? 'warn');
  if (namespace !== 'default') args.push('--namespace', namespace);
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  for (const [key, value] of Object.entries(options.sqlitePragmas ?? {}))
    args.push('--sqlite-pragma', `${key}=${value}`);
  // uiPort 0: picked here, so a clash is retried with a new port like the frontend's.
  const uiPort = options.uiPort === 0 ? await freePort(ip) : options.uiPort;
  const uiUrl = uiPort === undefined ? undefined : `http://${ip}:${uiPort}`;
  if (uiPort !== undefined) args.push('--ui-port', String(uiPort), '--ui-disable-news-fetch');
  else args.push('--headless');
  args.push(...searchAttributeArgs(specs), ...(options.extraArgs ?? []));

  const logDir = mkdtempSync(path.join(os.tmpdir(), 'ordo-temporal-'));
  const logFile = path.join(logDir, 'server.log');
  const logFd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(cli, args, { stdio: ['ignore', logFd, logFd] });
  } finally {
    closeSync(logFd);
  }
  // Never let a forgotten server keep node alive, and never let it outlive us.
  child.unref();
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  let exitCode: number | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? -1 : 0);
      resolve();
    });
    child.once('error', (err) => {
      spawnError = err;
      exitCode ??= -1;
      resolve();
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exitCode === undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      process.removeListener('exit', killOnExit);
      rmSync(logDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const failed = async (why: string): Promise<never> => {
    const log = tail(logFile);
    await stop();
    throw new Error(
      `Temporal dev server (${cli} ${args.join(' ')}) ${why}.` +
        (spawnError ? ` ${spawnError.message}` : '') +
        `\n${log}`,
    );
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  const wanted = specs.map((s) => s.name);
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) return await failed(`exited with code ${exitCode} during start-up`);
    let connection: Connection | undefined;
    try {
      const conn = (connection = await Connection.connect({ address, connectTimeout: 1_000 }));
      const { customAttributes } = await conn.withDeadline(Date.now() + 2_000, () =>
        conn.operatorService.listSearchAttributes({ namespace }),
      );
      const missing = wanted.filter((name) => !(name in (customAttributes ?? {})));
      if (missing.length === 0) {
        return { address, namespace, pid: child.pid as number, logFile, uiUrl, stop };
      }
      lastError = new Error(`search attributes not registered yet: ${missing.join(', ')}`);
    } catch (err) {
      lastError = err;
    } finally {
      await connection?.close().catch(() => undefined);
    }
    await sleep(100);
  }
  return await failed(
    `was not ready within ${options.startTimeoutMs ?? 60_000} ms (last error: ${
      lastError instanceof Error ? lastError.message : String(lastError)
    })`,
  );
}
