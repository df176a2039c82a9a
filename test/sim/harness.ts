/** Shared set-up for the simulator's tests: an in-process simulator and its admin API. */
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/sim/server';

/** A frozen market (no background ticks), a fixed seed, and a short history to start fast. */
export async function startTestSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ port: 0, tickMs: 0, seed: 1234, historyDays: 1, ...options });
}

export async function admin<T = unknown>(
  sim: RunningSimulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function errorOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

export interface AdminOrder {
  seq: number;
  endpoint: string;
  clientOrderId: string | null;
  orderId: number | null;
  symbol: string | null;
  side: string | null;
  type: string | null;
  status: string;
  domainStatus: string;
  origQty: string | null;
  executedQty: string;
  rejectCode?: number;
  rejectReason?: string;
  httpStatus?: number;
  fault?: string;
}

let clientIdCounter = 0;
/** A fresh client order id per call, unique within the test run. */
export function clientId(label: string): string {
  clientIdCounter += 1;
  return `t-${label}-${process.pid}-${clientIdCounter}`.slice(0, 36);
}
