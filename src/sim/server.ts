import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { createAdminApi } from './admin/admin-api';
import { createBinanceApi } from './binance/binance-api';
import { BYBIT_PATH_PREFIX, createBybitApi } from './bybit/bybit-api';
import { errorResponse } from './bybit/envelope';
import { BybitApiError } from './bybit/errors';
import { LISTEN_KEY_PATH } from './binance/user-data-stream-listen-key';
import { UserDataStreamServer } from './binance/user-data-stream-server';
import {
  DEFAULT_HISTORY_DAYS,
  DEFAULT_INSTRUMENTS,
  DEFAULT_PROFILES,
  DEFAULT_SEED,
  DEFAULT_SIM_HOST,
  defaultAccount,
} from './config';
import type { AccountConfig } from './engine/accounts';
import type { Clock } from './engine/exchange';
import type { Instrument } from './engine/instrument';
import { json, type ApiRequest, type ApiResponse, type RequestHandler } from './http/http-types';
import { writeApiResponse } from './http/write-response';
import type { MarketProfile } from './market/profile';
import { Simulation } from './simulation';

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  seed?: number;
  /** Background market steps every tickMs; 0 (default) = none, for deterministic tests. */
  tickMs?: number;
  /** User accounts; default: one account with SIM_API_KEY/SIM_API_SECRET (sim-key/sim-secret). */
  accounts?: AccountConfig[];
  instruments?: Instrument[];
  profiles?: MarketProfile[];
  /** Days of synthetic one-minute candles before start (default 5). */
  historyDays?: number;
  clock?: Clock;
  /** Default: silent. */
  logger?: Logger;
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:8300 — what ccxt-client.ts's options take. */
  url: string;
  port: number;
  /** The live simulation (its parts are rebuilt by /admin/reset, so read them through it). */
  engine: Simulation;
  close(): Promise<void>;
}

/** Largest request body accepted: API requests are tiny. */
const MAX_BODY_BYTES = 1 << 20;

/** Starts the simulator (HTTP server + synthetic market) in this process. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const simulation = new Simulation({
    seed: options.seed ?? DEFAULT_SEED,
    instruments: options.instruments ?? DEFAULT_INSTRUMENTS,
    profiles: options.profiles ?? DEFAULT_PROFILES,
    accounts: options.accounts ?? [defaultAccount()],
    historyMinutes: Math.round((options.historyDays ?? DEFAULT_HISTORY_DAYS) * 24 * 60),
    clock: options.clock ?? Date.now,
  });
  const binance = createBinanceApi(() => simulation, logger);
  const bybit = createBybitApi(() => simulation, logger);
  const userDataStream = new UserDataStreamServer(() => simulation, logger);
  const admin = createAdminApi(() => simulation, userDataStream);
  const shutdown = new AbortController();

  /** One simulated venue, several dialects: each owns a path prefix; Binance's is the rest. */
  function handlerFor(path: string): RequestHandler {
    if (path.startsWith('/admin/')) return admin;
    if (path.startsWith(BYBIT_PATH_PREFIX)) return bybit;
    if (path === LISTEN_KEY_PATH) return userDataStream.listenKeyApi;
    return binance;
  }

  const server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (!res.headersSent) writeApiResponse(res, internalError(req.url ?? '/'));
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = await readRequest(req, shutdown.signal);
    const handler = handlerFor(request.path);
    let response: ApiResponse;
    try {
      response = await handler(request);
    } catch (error) {
      // Shutting down while a delayed or held answer waited: just drop the connection.
      if (shutdown.signal.aborted) {
        res.destroy();
        return;
      }
      throw error;
    }
    logger.debug({ method: request.method, path: request.path, status: response.status }, 'request');
    writeApiResponse(res, response);
  }

  // WebSocket user-data streams (/ws-api/v3, /ws/<listenKey>) share the HTTP port.
  server.on('upgrade', (req, socket, head) => userDataStream.handleUpgrade(req, socket, head));

  const tickMs = options.tickMs ?? 0;
  const ticker =
    tickMs > 0
      ? setInterval(() => {
          try {
            simulation.market.tick();
          } catch (error) {
            logger.error({ err: error }, 'market tick failed');
          }
        }, tickMs)
      : undefined;

  const host = options.host ?? DEFAULT_SIM_HOST;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url, seed: options.seed ?? DEFAULT_SEED, tickMs }, 'exchange simulator listening');

  return {
    url,
    port,
    engine: simulation,
    close: async () => {
      if (ticker) clearInterval(ticker);
      shutdown.abort();
      await userDataStream.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      logger.info('exchange simulator stopped');
    },
  };
}

async function readRequest(req: IncomingMessage, signal: AbortSignal): Promise<ApiRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk);
  }
  const target = req.url ?? '/';
  const queryStart = target.indexOf('?');
  return {
    method: req.method ?? 'GET',
    path: queryStart < 0 ? target : target.slice(0, queryStart),
    rawQuery: queryStart < 0 ? '' : target.slice(queryStart + 1),
    rawBody: Buffer.concat(chunks).toString('utf8'),
    headers: req.headers,
    remoteAddress: req.socket.remoteAddress,
    signal,
  };
}

/** The answer to a request that failed outside any handler, in the dialect its path speaks. */
function internalError(target: string): ApiResponse {
  if (target.startsWith(BYBIT_PATH_PREFIX)) {
    return errorResponse(new BybitApiError(10016, 'Internal System Error.', 500), Date.now());
  }
  return json(500, { code: -1000, msg: 'An unknown error occurred while processing the request.' });
}
