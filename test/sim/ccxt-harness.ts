/** A real, unmodified ccxt.binance on the simulator, configured by src/sim/ccxt-client.ts. */
import * as ccxt from 'ccxt';
import { simBinanceOptions, type SimCredentials } from '../../src/sim/ccxt-client';
import { DEFAULT_SIM_API_KEY, DEFAULT_SIM_API_SECRET } from '../../src/sim/config';
import type { RunningSimulator } from '../../src/sim/server';

export { ccxt };

export const DEFAULT_CREDENTIALS: SimCredentials = {
  apiKey: DEFAULT_SIM_API_KEY,
  secret: DEFAULT_SIM_API_SECRET,
};

export function binanceOn(
  sim: RunningSimulator,
  credentials: SimCredentials = DEFAULT_CREDENTIALS,
  extra: Record<string, unknown> = {},
): ccxt.binance {
  return new ccxt.binance({ ...simBinanceOptions(sim.url, credentials), ...extra });
}
