import type { AccountConfig } from './engine/accounts';
import { dec } from './engine/decimal';
import type { Instrument } from './engine/instrument';
import type { MarketProfile } from './market/profile';

/** Credentials of the default simulator account (override with SIM_API_KEY / SIM_API_SECRET). */
export const DEFAULT_SIM_API_KEY = 'sim-key';
export const DEFAULT_SIM_API_SECRET = 'sim-secret';
export const DEFAULT_SIM_PORT = 8300;
export const DEFAULT_SIM_HOST = '127.0.0.1';
export const DEFAULT_TICK_MS = 250;
export const DEFAULT_SEED = 42;
export const DEFAULT_HISTORY_DAYS = 5;

export const DEFAULT_BALANCES: Readonly<Record<string, string>> = {
  USDT: '1000000',
  BTC: '10',
  ETH: '200',
  SOL: '5000',
};

interface InstrumentRules {
  symbol: string;
  base: string;
  quote: string;
  tickSize: string;
  maxPrice: string;
  stepSize: string;
  maxQty: string;
  marketMaxQty: string;
  minNotional: string;
}

/** Realistic Binance-like filters: the lot step is also the minimum quantity, as on Binance. */
function instrument(rules: InstrumentRules): Instrument {
  return {
    symbol: rules.symbol,
    baseAsset: rules.base,
    quoteAsset: rules.quote,
    tickSize: dec(rules.tickSize),
    minPrice: dec(rules.tickSize),
    maxPrice: dec(rules.maxPrice),
    stepSize: dec(rules.stepSize),
    minQty: dec(rules.stepSize),
    maxQty: dec(rules.maxQty),
    marketMinQty: dec(0),
    marketMaxQty: dec(rules.marketMaxQty),
    marketStepSize: dec(0),
    minNotional: dec(rules.minNotional),
    maxNotional: dec('9000000'),
    applyMinToMarket: true,
    applyMaxToMarket: false,
    baseAssetPrecision: 8,
    quoteAssetPrecision: 8,
  };
}

export const DEFAULT_INSTRUMENTS: readonly Instrument[] = [
  instrument({
    symbol: 'BTCUSDT',
    base: 'BTC',
    quote: 'USDT',
    tickSize: '0.01',
    maxPrice: '1000000',
    stepSize: '0.00001',
    maxQty: '9000',
    marketMaxQty: '100',
    minNotional: '5',
  }),
  instrument({
    symbol: 'ETHUSDT',
    base: 'ETH',
    quote: 'USDT',
    tickSize: '0.01',
    maxPrice: '1000000',
    stepSize: '0.0001',
    maxQty: '9000',
    marketMaxQty: '2000',
    minNotional: '5',
  }),
  instrument({
    symbol: 'SOLUSDT',
    base: 'SOL',
    quote: 'USDT',
    tickSize: '0.01',
    maxPrice: '100000',
    stepSize: '0.001',
    maxQty: '9000000',
    marketMaxQty: '50000',
    minNotional: '5',
  }),
];

export const DEFAULT_PROFILES: readonly MarketProfile[] = [
  {
    symbol: 'BTCUSDT',
    initialMid: '60000',
    tickVolatility: 0.00005,
    minuteVolatility: 0.0006,
    quoteLevels: 10,
    halfSpreadBps: 0.5,
    levelSpacingBps: 1,
    levelNotional: [20_000, 80_000],
    takerProbability: 0.6,
    takerNotional: [500, 25_000],
    historyMinuteVolume: 12,
  },
  {
    symbol: 'ETHUSDT',
    initialMid: '3000',
    tickVolatility: 0.00007,
    minuteVolatility: 0.0008,
    quoteLevels: 10,
    halfSpreadBps: 0.7,
    levelSpacingBps: 1.2,
    levelNotional: [10_000, 50_000],
    takerProbability: 0.5,
    takerNotional: [300, 15_000],
    historyMinuteVolume: 150,
  },
  {
    symbol: 'SOLUSDT',
    initialMid: '150',
    tickVolatility: 0.0001,
    minuteVolatility: 0.001,
    quoteLevels: 10,
    halfSpreadBps: 1,
    levelSpacingBps: 2,
    levelNotional: [5_000, 25_000],
    takerProbability: 0.4,
    takerNotional: [100, 8_000],
    historyMinuteVolume: 2_000,
  },
];

export function defaultAccount(env: NodeJS.ProcessEnv = process.env): AccountConfig {
  return {
    apiKey: env.SIM_API_KEY ?? DEFAULT_SIM_API_KEY,
    secret: env.SIM_API_SECRET ?? DEFAULT_SIM_API_SECRET,
    balances: { ...DEFAULT_BALANCES },
  };
}
