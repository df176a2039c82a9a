import type { OrderRef } from '../engine/order-store';
import { RejectionError } from '../engine/rejections';
import type { EndpointContext } from './endpoint';
import { binanceErrors, fromRejection } from './errors';
import type { Simulation } from '../simulation';
import type { BinanceParams } from './params';

/** Runs an engine call, turning its venue-neutral refusal into Binance's error. */
export function engineCall<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof RejectionError) throw fromRejection(error.rejection);
    throw error;
  }
}

/** The mandatory `symbol`, which must be listed (-1121 otherwise). */
export function symbolParam(context: EndpointContext): string {
  const symbol = context.params.requireString('symbol');
  if (!context.sim.exchange.instrument(symbol)) throw binanceErrors.invalidSymbol();
  return symbol;
}

/** `orderId` or `origClientOrderId` (cancelReplace prefixes both with `cancel`). */
export function orderRefParam(params: BinanceParams, prefix = ''): OrderRef {
  const idName = prefix === '' ? 'orderId' : `${prefix}OrderId`;
  const clientIdName = prefix === '' ? 'origClientOrderId' : `${prefix}OrigClientOrderId`;
  const orderId = params.integer(idName);
  if (orderId !== undefined) return { orderId };
  const clientOrderId = params.string(clientIdName);
  if (clientOrderId !== undefined) return { clientOrderId };
  throw binanceErrors.eitherParameter(clientIdName, idName);
}

/** The venue's clock: the simulation's, shifted by any injected clock skew (-1021 tests). */
export function serverTime(sim: Simulation): number {
  return sim.faults.serverTime(sim.clock());
}
