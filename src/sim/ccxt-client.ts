/**
 * How an unmodified ccxt exchange is pointed at the simulator. Every URL group the ccxt class
 * knows (binance: public, private, v1, sapi, fapi, dapi, eapi, papi…; bybit: spot, futures, v2,
 * public, private — and the sandbox/demo variants of each) is rewritten to the simulator, so
 * nothing ever leaves the machine: even an endpoint the simulator does not implement answers
 * locally (Binance: HTTP 404 -1020; Bybit: HTTP 404 retCode 10017) instead of reaching the venue.
 *
 * This module does not load ccxt at run time (a test checks the table against ccxt's own), so
 * it is cheap to import anywhere and works where ccxt itself cannot be required.
 */
import { Agent } from 'node:http';
import { DEFAULT_SIM_API_KEY, DEFAULT_SIM_API_SECRET, DEFAULT_SIM_HOST, DEFAULT_SIM_PORT } from './config';

/** ccxt 4.5.84 binance `urls.api` groups and the path each one lives under. */
export const BINANCE_URL_GROUPS: Readonly<Record<string, string>> = {
  public: '/api/v3',
  private: '/api/v3',
  v1: '/api/v1',
  sapi: '/sapi/v1',
  sapiV2: '/sapi/v2',
  sapiV3: '/sapi/v3',
  sapiV4: '/sapi/v4',
  dapiPublic: '/dapi/v1',
  dapiPrivate: '/dapi/v1',
  dapiPrivateV2: '/dapi/v2',
  dapiData: '/futures/data',
  fapiPublic: '/fapi/v1',
  fapiPublicV2: '/fapi/v2',
  fapiPublicV3: '/fapi/v3',
  fapiPrivate: '/fapi/v1',
  fapiPrivateV2: '/fapi/v2',
  fapiPrivateV3: '/fapi/v3',
  fapiData: '/futures/data',
  eapiPublic: '/eapi/v1',
  eapiPrivate: '/eapi/v1',
  papi: '/papi/v1',
  papiV2: '/papi/v2',
};

/**
 * ccxt 4.5.84 bybit `urls.api` groups. Bybit's paths carry their version (`v5/order/create`), so
 * every group is the bare origin.
 */
export const BYBIT_URL_GROUPS: Readonly<Record<string, string>> = {
  spot: '',
  futures: '',
  v2: '',
  public: '',
  private: '',
};

export interface SimCredentials {
  apiKey: string;
  secret: string;
}

/** The dialects the simulator speaks, by ccxt exchange id. */
export const SIMULATED_EXCHANGES = ['binance', 'bybit'] as const;
export type SimulatedExchangeId = (typeof SIMULATED_EXCHANGES)[number];

type UrlGroups = Record<string, string>;

export interface SimulatorExchangeConfig {
  apiKey: string;
  secret: string;
  enableRateLimit: boolean;
  /** Milliseconds per unit of request cost: loopback needs no real throttling. */
  rateLimit: number;
  /** `api` and every variant ccxt can swap in (binance: test, demo; bybit: test, demotrading). */
  urls: Record<string, UrlGroups>;
  options: Record<string, unknown>;
  /** Capabilities switched off because they would call endpoints the simulator does not need. */
  has?: Record<string, boolean>;
}

/** The default account's credentials (SIM_API_KEY / SIM_API_SECRET override them). */
export function defaultSimCredentials(env: NodeJS.ProcessEnv = process.env): SimCredentials {
  return {
    apiKey: env.SIM_API_KEY ?? DEFAULT_SIM_API_KEY,
    secret: env.SIM_API_SECRET ?? DEFAULT_SIM_API_SECRET,
  };
}

/** Where a locally running simulator listens (SIM_PORT, default 8300). */
export function defaultSimBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return `http://${DEFAULT_SIM_HOST}:${env.SIM_PORT ?? DEFAULT_SIM_PORT}`;
}

/**
 * Options for `new ccxt.binance(...)` that make it trade on the simulator at `baseUrl`
 * (e.g. http://127.0.0.1:8300): only the spot exchangeInfo is loaded (no futures, margin or
 * sapi currency calls), the default type is spot, and the rate limiter is tuned for loopback.
 */
export function simBinanceOptions(
  baseUrl: string,
  credentials: SimCredentials = defaultSimCredentials(),
): SimulatorExchangeConfig {
  const groups = simulatorUrlGroups(baseUrl);
  return {
    apiKey: credentials.apiKey,
    secret: credentials.secret,
    enableRateLimit: true,
    rateLimit: 1,
    // setSandboxMode()/enableDemoTrading() swap `test`/`demo` in: they must stay local too.
    urls: { api: groups, test: { ...groups }, demo: { ...groups } },
    options: {
      defaultType: 'spot',
      // loadMarkets → only GET /api/v3/exchangeInfo (default would add fapi and dapi).
      fetchMarkets: { types: ['spot'] },
      // Would call sapi capital/config/getall and margin pair lists on loadMarkets.
      fetchCurrencies: false,
      fetchMargins: false,
      adjustForTimeDifference: false,
      // The simulator serves openOrders without a symbol cheaply; no need for ccxt's warning.
      fetchOpenOrders: { warnWithoutSymbol: false },
    },
  };
}

/**
 * The exchange's URLs with every WebSocket URL (`urls.<variant>.ws`, at any depth) moved to the
 * simulator, keeping its path — wss://ws-api.binance.com:443/ws-api/v3 → ws://host:port/ws-api/v3,
 * where spot watchOrders / watchMyTrades subscribe — so nothing can leave the machine, whichever
 * stream ccxt opens. `proUrls` is the pro class's own `urls` (this module does not load ccxt);
 * `restUrls` the simulator's REST groups per variant, which the result keeps.
 */
export function simulatorWsUrls(
  proUrls: Record<string, unknown>,
  baseUrl: string,
  restUrls: Record<string, Record<string, string>>,
): Record<string, Record<string, unknown>> {
  const origin = new URL(baseUrl);
  const wsOrigin = `${origin.protocol === 'https:' ? 'wss' : 'ws'}://${origin.host}`;
  const moved = (value: unknown): unknown => {
    if (typeof value === 'string') return wsOrigin + new URL(value).pathname;
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, moved(v)]));
    return value;
  };
  return Object.fromEntries(
    Object.entries(restUrls).map(([variant, groups]) => {
      const ws = (proUrls[variant] as { ws?: unknown } | undefined)?.ws;
      return [variant, ws === undefined ? groups : { ...groups, ws: moved(ws) }];
    }),
  );
}

export interface SimulatorProExchangeConfig extends Omit<SimulatorExchangeConfig, 'urls'> {
  urls: Record<string, Record<string, unknown>>;
  /** ccxt refuses plain `ws://` URLs without one (NotSupported "…run loadHttpProxyAgent()"). */
  httpAgent: Agent;
}

/**
 * Options for `new ccxt.pro.binance(...)`: simBinanceOptions plus every WebSocket URL at the
 * simulator (simulatorWsUrls), so watchOrders / watchMyTrades / watchBalance use the simulator's
 * user-data stream and nothing reaches Binance; with its own `httpAgent`, without which ccxt will
 * not open a plain `ws://` connection. `proUrls`: `new ccxt.pro.binance().urls`.
 */
export function simBinanceProOptions(
  baseUrl: string,
  proUrls: Record<string, unknown>,
  credentials: SimCredentials = defaultSimCredentials(),
): SimulatorProExchangeConfig {
  const rest = simBinanceOptions(baseUrl, credentials);
  return { ...rest, urls: simulatorWsUrls(proUrls, baseUrl, rest.urls), httpAgent: new Agent() };
}

/**
 * Options for `new ccxt.bybit(...)` that make it trade spot on the simulator at `baseUrl` as a
 * unified trading account (UTA 2.0), which is what the simulator's Bybit dialect is. With them,
 * loadMarkets is one request (GET /v5/market/instruments-info?category=spot).
 */
export function simBybitOptions(
  baseUrl: string,
  credentials: SimCredentials = defaultSimCredentials(),
): SimulatorExchangeConfig {
  const groups = bybitUrlGroups(baseUrl);
  return {
    apiKey: credentials.apiKey,
    secret: credentials.secret,
    enableRateLimit: true,
    rateLimit: 1,
    // setSandboxMode() swaps `test` in, enableDemoTrading() `demotrading`: they must stay local too.
    urls: { api: groups, test: { ...groups }, demotrading: { ...groups } },
    // loadMarkets would call the private GET /v5/asset/coin/query-info for currencies (bybit's
    // fetchCurrencies has no option to skip it; the simulator answers it, but lists no chains).
    has: { fetchCurrencies: false },
    options: {
      defaultType: 'spot',
      // Default would add linear, inverse (twice each: also PreLaunch) and option instrument lists.
      fetchMarkets: { types: ['spot'] },
      // Skip the two lookups (GET /v5/user/query-api and /v5/account/info) ccxt makes before the
      // first createOrder/fetchOrder/fetchBalance to learn the account kind: it is UTA 2.0 pro.
      enableUnifiedAccount: true,
      enableUnifiedMargin: false,
      unifiedMarginStatus: 6,
      // ccxt refuses fetchOrder on a unified account until acknowledged: Bybit only keeps the
      // last 500 closed orders for it (GET /v5/order/realtime); the simulator models that limit.
      fetchOrder: { acknowledged: true },
      adjustForTimeDifference: false,
    },
  };
}

/** The same, selected by ccxt exchange id (the venue factory's entry point). */
export function simulatorExchangeConfig(
  exchangeId: string,
  baseUrl: string,
  credentials: SimCredentials = defaultSimCredentials(),
): SimulatorExchangeConfig {
  switch (exchangeId) {
    case 'binance':
      return simBinanceOptions(baseUrl, credentials);
    case 'bybit':
      return simBybitOptions(baseUrl, credentials);
    default:
      throw new Error(
        `the simulator speaks ${SIMULATED_EXCHANGES.join(', ')}; "${exchangeId}" is not simulated`,
      );
  }
}

/** Every binance URL group at the simulator: public → http://127.0.0.1:8300/api/v3, … */
export function simulatorUrlGroups(baseUrl: string): UrlGroups {
  return urlGroups(baseUrl, BINANCE_URL_GROUPS);
}

/** Every bybit URL group at the simulator: public → http://127.0.0.1:8300, … */
export function bybitUrlGroups(baseUrl: string): UrlGroups {
  return urlGroups(baseUrl, BYBIT_URL_GROUPS);
}

function urlGroups(baseUrl: string, paths: Readonly<Record<string, string>>): UrlGroups {
  const origin = baseUrl.replace(/\/+$/, '');
  return Object.fromEntries(Object.entries(paths).map(([group, path]) => [group, origin + path]));
}
