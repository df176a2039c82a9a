/**
 * Shared set-up for the fault-injection tests: a simulator, an unmodified ccxt.binance with a
 * short timeout (so held answers time out fast), and a record of the last HTTP answer ccxt saw.
 */
import type { FaultSettings } from '../../src/sim/faults/fault-settings';
import type { RunningSimulator } from '../../src/sim/server';
import { binanceOn, ccxt, DEFAULT_CREDENTIALS } from './ccxt-harness';
import { admin, type AdminOrder } from './harness';

/** ccxt's timeout in these tests; held answers are held well past it. */
export const CLIENT_TIMEOUT_MS = 300;
export const HOLD_MS = 1_500;

/** The last answer ccxt inspected for errors (absent when no answer arrived at all). */
export interface SeenAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export interface WatchedExchange {
  exchange: ccxt.binance;
  /** The last HTTP answer ccxt looked at, if any arrived since the last forget(). */
  seen(): SeenAnswer | undefined;
  forget(): void;
}

/** A ccxt.binance on the simulator that remembers the raw answers it classifies. */
export function watchedBinance(sim: RunningSimulator, extra: Record<string, unknown> = {}): WatchedExchange {
  const exchange = binanceOn(sim, DEFAULT_CREDENTIALS, { timeout: CLIENT_TIMEOUT_MS, ...extra });
  let last: SeenAnswer | undefined;
  const original = exchange.handleErrors.bind(exchange);
  // Wrapped, not replaced: ccxt still classifies the answer exactly as it would unobserved.
  exchange.handleErrors = (...args: Parameters<typeof original>) => {
    const [status, , , , headers, body] = args;
    last = { status, body, headers: headers as Record<string, string> };
    return original(...args);
  };
  return {
    exchange,
    seen: () => last,
    forget: () => {
      last = undefined;
    },
  };
}

export async function setFaults(
  sim: RunningSimulator,
  faults: Record<string, unknown>,
): Promise<FaultSettings> {
  return admin<FaultSettings>(sim, 'POST', '/admin/faults', faults);
}

export async function faultSettings(sim: RunningSimulator): Promise<FaultSettings> {
  return admin<FaultSettings>(sim, 'GET', '/admin/faults');
}

export async function ordersWithClientId(
  sim: RunningSimulator,
  clientOrderId: string,
): Promise<AdminOrder[]> {
  return admin<AdminOrder[]>(sim, 'GET', `/admin/orders?clientOrderId=${encodeURIComponent(clientOrderId)}`);
}

/** What a call threw: the exact class name (not a superclass) and the error itself. */
export async function thrownBy(call: Promise<unknown>): Promise<{ className: string; error: Error }> {
  try {
    await call;
  } catch (error) {
    return { className: (error as Error).constructor.name, error: error as Error };
  }
  throw new Error('expected the call to fail');
}

/** A limit buy far below the market: it rests in the book (open), so it is easy to find again. */
export function restingBuy(exchange: ccxt.binance, clientOrderId: string): Promise<ccxt.Order> {
  return exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 50_000, { clientOrderId });
}

export { ccxt };
