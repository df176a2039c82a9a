/**
 * The worker's capacity options: what the production worker (main.ts) passes to Worker.create,
 * with an environment override for operators sizing a worker for more working orders:
 *
 *   ORDO_WORKER_ACTIVITY_SLOTS   concurrent activity executions (default 1000)
 *
 * Every working order holds one activity slot for as long as it works (its follow activity), so
 * the slots bound the working orders one worker can carry; the SDK's default of 100 would cap it
 * at ~100 and starve everything else, the kill switch too. Measured (bench/working-orders.ts, README
 * "Benchmarks"): with 1,000 orders working, a new order reached ACCEPTED in 5–8 s with 1,000 slots
 * and 6–12 s with 2,000 — the follows' CPU, not the slots, is what slows it at that size, so the
 * default stays 1000. A worker meant to carry more working orders needs more slots (and CPU).
 */
import type { WorkerOptions } from '@temporalio/worker';

export const DEFAULT_ACTIVITY_SLOTS = 1_000;

export class WorkerTuningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerTuningError';
  }
}

function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new WorkerTuningError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

export function workerTuning(
  env: NodeJS.ProcessEnv = process.env,
): Pick<WorkerOptions, 'maxConcurrentActivityTaskExecutions'> {
  return {
    maxConcurrentActivityTaskExecutions: positiveInteger(
      'ORDO_WORKER_ACTIVITY_SLOTS',
      env['ORDO_WORKER_ACTIVITY_SLOTS'],
      DEFAULT_ACTIVITY_SLOTS,
    ),
  };
}
