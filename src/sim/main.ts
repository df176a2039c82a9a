/**
 * The simulator as a process: `npx tsx src/sim/main.ts` (or `make sim`).
 * Environment: SIM_PORT (8300), SIM_HOST (127.0.0.1), SIM_SEED, SIM_TICK_MS (250, 0 = frozen
 * market), SIM_HISTORY_DAYS (5), SIM_API_KEY / SIM_API_SECRET (sim-key / sim-secret),
 * SIM_LOG_LEVEL (info). Logs are pino JSON on stdout; SIGINT/SIGTERM stop it cleanly.
 */
import pino from 'pino';
import {
  DEFAULT_HISTORY_DAYS,
  DEFAULT_SEED,
  DEFAULT_SIM_HOST,
  DEFAULT_SIM_PORT,
  DEFAULT_TICK_MS,
} from './config';
import { startSimulator } from './server';

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

async function main(): Promise<void> {
  const logger = pino({
    name: 'ordo-sim',
    level: process.env.SIM_LOG_LEVEL ?? 'info',
    redact: ['secret', '*.secret', 'headers["x-mbx-apikey"]'],
  });
  const simulator = await startSimulator({
    port: numberFromEnv('SIM_PORT', DEFAULT_SIM_PORT),
    host: process.env.SIM_HOST ?? DEFAULT_SIM_HOST,
    seed: numberFromEnv('SIM_SEED', DEFAULT_SEED),
    tickMs: numberFromEnv('SIM_TICK_MS', DEFAULT_TICK_MS),
    historyDays: numberFromEnv('SIM_HISTORY_DAYS', DEFAULT_HISTORY_DAYS),
    logger,
  });
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    simulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
