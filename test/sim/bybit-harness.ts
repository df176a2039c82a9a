/** A real, unmodified ccxt.bybit on the simulator, configured by src/sim/ccxt-client.ts. */
import * as ccxt from 'ccxt';
import { simBybitOptions, type SimCredentials } from '../../src/sim/ccxt-client';
import type { RunningSimulator } from '../../src/sim/server';
import { DEFAULT_CREDENTIALS } from './ccxt-harness';
import { errorOf } from './harness';

export { ccxt };

export function bybitOn(
  sim: RunningSimulator,
  credentials: SimCredentials = DEFAULT_CREDENTIALS,
  extra: Record<string, unknown> = {},
): ccxt.bybit {
  return new ccxt.bybit({ ...simBybitOptions(sim.url), ...credentials, ...extra });
}

/** Every URL a ccxt exchange requests, relative to the simulator. */
export function recordUrls(exchange: ccxt.Exchange, sim: RunningSimulator): string[] {
  const urls: string[] = [];
  const originalFetch = exchange.fetch.bind(exchange);
  exchange.fetch = (url: string, ...rest: unknown[]) => {
    urls.push(url.replace(sim.url, ''));
    return originalFetch(url, ...(rest as [string?, Record<string, unknown>?, string?]));
  };
  return urls;
}

/** The last answer ccxt inspected for errors: HTTP status and body text. */
export interface LastAnswer {
  status?: number;
  body?: string;
}

export function recordAnswers(exchange: ccxt.bybit): LastAnswer {
  const last: LastAnswer = {};
  const original = exchange.handleErrors.bind(exchange);
  exchange.handleErrors = (...args: Parameters<typeof original>) => {
    last.status = args[0];
    last.body = args[5];
    return original(...args);
  };
  return last;
}

type ErrorClass = new (...args: never[]) => Error;

export interface ExpectedFailure {
  errorClass: ErrorClass;
  retCode?: number;
  httpStatus?: number;
  message?: string;
}

/** Runs a call that must fail, and checks the exact ccxt class and what the simulator sent. */
export async function expectFailure(
  last: LastAnswer,
  call: () => Promise<unknown>,
  expected: ExpectedFailure,
): Promise<Error> {
  last.status = undefined;
  last.body = undefined;
  const error = await errorOf(call());
  expect(error.constructor.name).toBe(expected.errorClass.name);
  if (expected.retCode !== undefined) expect(last.body).toContain(`"retCode":${expected.retCode},`);
  if (expected.httpStatus !== undefined) expect(last.status).toBe(expected.httpStatus);
  if (expected.message !== undefined) expect(error.message).toContain(expected.message);
  return error;
}
