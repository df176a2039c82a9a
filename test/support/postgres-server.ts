/**
 * A private PostgreSQL server for tests: Debian's binaries (/usr/lib/postgresql/<version>/bin, or
 * initdb on PATH, or ORDO_TEST_PG_BIN), a fresh cluster in a temp dir, trust auth for user `ordo`,
 * on 127.0.0.1 at a free port with its socket in the temp dir (nothing system-wide is touched).
 * PostgreSQL refuses to run as root: as root it runs as the `postgres` user through runuser.
 * Durability is off (fsync, synchronous_commit): the data lives as long as one test file.
 *
 * ORDO_TEST_POSTGRES_URL points tests at a server of your own instead (nothing is started).
 * When neither can be had, postgresUnavailable() says why, and the suites skip visibly.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PostgresServer {
  /** Connection URL of the `postgres` database, as user `ordo`. */
  url: string;
  /** A URL for another database on the same server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

interface Binaries {
  bin: string;
  /** Prefix that runs a command as a non-root user ([] when not root). */
  asUser: string[];
  /** The uid/gid that owns the data (root only). */
  owner?: { uid: number; gid: number };
}

function binDir(): string | undefined {
  const configured = process.env['ORDO_TEST_PG_BIN'];
  if (configured) return existsSync(path.join(configured, 'initdb')) ? configured : undefined;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(path.join(debian, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return path.join(debian, versions[0], 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const found = which.status === 0 ? which.stdout.trim() : '';
  return found ? path.dirname(found) : undefined;
}

function idOf(flag: '-u' | '-g', user: string): number | undefined {
  const result = spawnSync('id', [flag, user], { encoding: 'utf8' });
  const n = Number(result.stdout.trim());
  return result.status === 0 && Number.isInteger(n) ? n : undefined;
}

let probed: { binaries?: Binaries; reason?: string } | undefined;

/** Finds the binaries and checks they run (once per process). */
function probe(): { binaries?: Binaries; reason?: string } {
  if (probed) return probed;
  const bin = binDir();
  if (bin === undefined) {
    probed = { reason: 'no PostgreSQL server binaries (initdb): apt-get install postgresql' };
    return probed;
  }
  let binaries: Binaries = { bin, asUser: [] };
  if (process.getuid?.() === 0) {
    const uid = idOf('-u', 'postgres');
    const gid = idOf('-g', 'postgres');
    const runuser = spawnSync('sh', ['-c', 'command -v runuser'], { encoding: 'utf8' }).stdout.trim();
    if (uid === undefined || gid === undefined || !runuser) {
      probed = { reason: 'running as root, and no `postgres` user or no runuser to run PostgreSQL as' };
      return probed;
    }
    binaries = { bin, asUser: [runuser, '-u', 'postgres', '--'], owner: { uid, gid } };
  }
  const [command, ...args] = [...binaries.asUser, path.join(bin, 'initdb'), '--version'];
  const check = spawnSync(command!, args, { encoding: 'utf8' });
  probed =
    check.status === 0
      ? { binaries }
      : { reason: `initdb does not run: ${(check.stderr || String(check.error ?? '')).trim()}` };
  return probed;
}

/** Why no server can be had here, or undefined when one can. Synchronous: for describe/skip. */
export function postgresUnavailable(): string | undefined {
  if (process.env['ORDO_TEST_POSTGRES_URL']) return undefined;
  return probe().reason;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

function external(url: string): PostgresServer {
  return {
    url,
    urlFor: (database) => {
      const u = new URL(url);
      u.pathname = `/${database}`;
      return u.toString();
    },
    stop: async () => undefined,
  };
}

/** Starts a server (or returns ORDO_TEST_POSTGRES_URL's); throws, with the server log, when it cannot. */
export async function startPostgresServer(): Promise<PostgresServer> {
  const given = process.env['ORDO_TEST_POSTGRES_URL'];
  if (given) return external(given);
  const { binaries, reason } = probe();
  if (!binaries) throw new Error(`PostgreSQL unavailable: ${reason}`);
  const { bin, asUser, owner } = binaries;
  const commandOf = (tool: string, args: string[]) => {
    const [command, ...rest] = [...asUser, path.join(bin, tool), ...args];
    return { command: command!, args: rest };
  };
  const as = (tool: string, args: string[]) => {
    const c = commandOf(tool, args);
    return run(c.command, c.args, { encoding: 'utf8', timeout: 120_000 });
  };

  // Run as another user, the server must be able to reach its folder: a private TMPDIR will not do.
  const base = owner && (statSync(os.tmpdir()).mode & 0o001) === 0 ? '/tmp' : os.tmpdir();
  const dir = mkdtempSync(path.join(base, 'ordo-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  const stopNow = () => {
    const c = commandOf('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    spawnSync(c.command, c.args);
  };
  // If the test process ends without stop() (a crash, Ctrl-C), the server must not outlive it.
  const onExit = () => {
    stopNow();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await as('initdb', ['-D', data, '-U', 'ordo', '--auth=trust', '-E', 'UTF8', '--no-locale', '-N']);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const options = [
        `-p ${port}`,
        `-k ${dir}`,
        '-c listen_addresses=127.0.0.1',
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=40',
      ].join(' ');
      try {
        await as('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', options, 'start']);
        break;
      } catch (err) {
        // Another process may have taken the port between freePort() and the server's bind.
        if (attempt >= 3) throw err;
      }
    }
    process.once('exit', onExit);
    const url = `postgres://ordo@127.0.0.1:${port}/postgres`;
    return {
      url,
      urlFor: (database) => `postgres://ordo@127.0.0.1:${port}/${database}`,
      async stop() {
        process.removeListener('exit', onExit);
        await as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => stopNow());
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    const serverLog = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '(no server log)';
    onExit();
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`PostgreSQL did not start: ${why}\n${serverLog}`, { cause: err });
  }
}
