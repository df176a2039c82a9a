import type { Instrument } from '../engine/instrument';
import { RejectionError } from '../engine/rejections';
import type { Simulation } from '../simulation';
import { bybitErrors, fromRejection, type BybitApiError } from './errors';
import type { BybitParams } from './params';

const CATEGORIES = ['spot', 'linear', 'inverse', 'option'] as const;
export type Category = (typeof CATEGORIES)[number];

/** The venue's clock: real time plus the injected skew, as every dialect sees it. */
export function venueTime(sim: Simulation): number {
  return sim.faults.serverTime(sim.clock());
}

/** The mandatory `category`. The simulator lists spot instruments only. */
export function category(params: BybitParams): Category {
  return (
    params.oneOf('category', CATEGORIES, bybitErrors.illegalCategory) ?? fail(bybitErrors.illegalCategory())
  );
}

/** `category`, which must be spot for anything that trades or lists orders. */
export function requireSpot(params: BybitParams): void {
  if (category(params) !== 'spot') throw bybitErrors.params('category only support spot in the simulator');
}

/** The mandatory `symbol`, which must be listed; `unknown` words the refusal per endpoint family. */
export function instrumentParam(
  sim: Simulation,
  params: BybitParams,
  unknown: () => BybitApiError = bybitErrors.invalidSymbol,
): Instrument {
  const symbol = params.requireString('symbol', unknown);
  return sim.exchange.instrument(symbol) ?? fail(unknown());
}

/** An optional `symbol`, which must be listed when given. */
export function optionalInstrument(sim: Simulation, params: BybitParams): Instrument | undefined {
  return params.has('symbol') ? instrumentParam(sim, params) : undefined;
}

/** Runs an engine call, turning its venue-neutral refusal into Bybit's error. */
export function engineCall<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof RejectionError) throw fromRejection(error.rejection);
    throw error;
  }
}

export function fail(error: BybitApiError): never {
  throw error;
}
