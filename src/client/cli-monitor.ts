/**
 * `ordo monitor [--limit N] [--watch SECONDS]`: the execution monitor's metrics per scope, active
 * and recent alerts, and the working orders of the task queue. --watch prints it again every
 * SECONDS until interrupted (with --json: one JSON document per line). Exit codes as cli.ts.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { clientEnvironment, connectClient } from './connection';
import { formatMonitor } from './format-monitor';
import { type MonitorSnapshot, OrdoMonitor } from './monitor';

/** What the command needs from the outside world; tests pass their own. */
export interface MonitorCliDeps {
  write: (text: string) => void;
  connect: () => Promise<{ monitor: OrdoMonitor; close: () => Promise<void> }>;
  /** Waits between two --watch prints; resolves false when the watch should stop (e.g. Ctrl-C). */
  pause: (ms: number) => Promise<boolean>;
  /** True when the output is a terminal (--watch then clears the screen before each print). */
  isTerminal: boolean;
}

function interruptiblePause(ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const stop = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      process.off('SIGINT', stop);
      resolve(true);
    }, ms);
    process.once('SIGINT', stop);
  });
}

const defaultDeps: MonitorCliDeps = {
  write: (text) => process.stdout.write(text),
  connect: async () => {
    const env = clientEnvironment();
    const client = await connectClient(env);
    return { monitor: new OrdoMonitor(client, env.taskQueue), close: () => client.connection.close() };
  },
  pause: interruptiblePause,
  isTerminal: process.stdout.isTTY === true,
};

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number > 0');
  return n;
}

function listLimit(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1 || n > 1000)
    throw new InvalidArgumentError('must be a whole number, 1 to 1000');
  return n;
}

export function registerMonitorCommands(program: Command, overrides: Partial<MonitorCliDeps> = {}): Command {
  const deps: MonitorCliDeps = { ...defaultDeps, ...overrides };
  return program
    .command('monitor')
    .description('execution monitor: rejection rate, latency, shortfall per venue; alerts; working orders')
    .option('--limit <n>', 'working orders listed at most (all are counted)', listLimit, 20)
    .option('--watch <seconds>', 'print again every SECONDS until Ctrl-C', positiveNumber)
    .action(async (opts: { limit: number; watch?: number }) => {
      const { json } = program.opts<{ json?: boolean }>();
      const render = (s: MonitorSnapshot, watching: boolean) => {
        if (json) return `${JSON.stringify(s, null, watching ? undefined : 2)}\n`;
        const clear = watching && deps.isTerminal ? '\x1b[2J\x1b[H' : '';
        return `${clear}${formatMonitor(s)}\n`;
      };
      const { monitor, close } = await deps.connect();
      try {
        for (;;) {
          deps.write(render(await monitor.snapshot(opts.limit), opts.watch !== undefined));
          if (opts.watch === undefined || !(await deps.pause(opts.watch * 1000))) return;
        }
      } finally {
        await close();
      }
    });
}
