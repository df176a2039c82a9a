/**
 * The HTTP API as a Fastify instance, built on the client library the CLI uses. Not listening:
 * main.ts listens; tests call `inject`. Every route but GET /openapi.json needs the bearer token
 * when one is configured.
 */
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import { OrdoAlgos } from '../client/algos';
import { OrdoOrders } from '../client/orders';
import { OrdoTrading } from '../client/trading';
import type { Ledger } from '../ledger/types';
import { TRADING_CONTROL_ID } from '../workflows/trading-messages';
import { bearerMatches } from './auth';
import { type ApiContext, orderIdOf } from './context';
import { handleError } from './errors';
import { openApiDocument } from './openapi';
import { registerLedgerRoutes } from './routes-ledger';
import { registerOpsRoutes } from './routes-ops';
import { registerOrderRoutes } from './routes-orders';
import { registerParentRoutes } from './routes-parents';
import { registerTradingRoutes } from './routes-trading';
import { registerMonitorRoutes } from './routes-monitor';
import { registerTcaRoutes } from './routes-tca';

export interface ApiOptions {
  client: Client;
  taskQueue: string;
  ledger: Ledger;
  logger: Logger;
  /** Bearer token; undefined: no auth (main.ts allows that on loopback only). */
  token?: string;
  /** The trading control workflow (tests use a private one). */
  tradingControlId?: string;
  healthTimeoutMs?: number;
}

const PUBLIC_PATHS = new Set(['/openapi.json']);

export function buildApi(options: ApiOptions): FastifyInstance {
  // The API writes its own request lines (onResponse) with the order id, and never the headers.
  // Typed as Fastify's logger interface (pino implements it) so the routes take a plain FastifyInstance.
  const loggerInstance: FastifyBaseLogger = options.logger;
  const app = Fastify({ loggerInstance, logController: new LogController({ disableRequestLogging: true }) });
  const ctx: ApiContext = {
    client: options.client,
    taskQueue: options.taskQueue,
    orders: new OrdoOrders(options.client, options.taskQueue),
    algos: new OrdoAlgos(options.client, options.taskQueue),
    trading: new OrdoTrading(
      options.client,
      options.taskQueue,
      options.tradingControlId ?? TRADING_CONTROL_ID,
    ),
    ledger: options.ledger,
    healthTimeoutMs: options.healthTimeoutMs ?? 5_000,
  };
  const { token } = options;

  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ code: 'NOT_FOUND', message: `no route ${request.method} ${request.url}` });
  });
  if (token !== undefined) {
    app.addHook('onRequest', async (request, reply) => {
      if (PUBLIC_PATHS.has(request.url.split('?')[0] ?? '')) return;
      if (bearerMatches(request.headers.authorization, token)) return;
      await reply.status(401).header('www-authenticate', 'Bearer').send({
        code: 'UNAUTHORIZED',
        message: 'a valid bearer token is required (Authorization: Bearer …)',
      });
    });
  }
  app.addHook('onResponse', async (request, reply) => {
    const orderId = orderIdOf(request);
    request.log.info(
      {
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        ...(orderId === undefined ? {} : { orderId }),
      },
      'request',
    );
  });

  const document = openApiDocument();
  app.get('/openapi.json', async () => document);
  registerOrderRoutes(app, ctx);
  registerParentRoutes(app, ctx);
  registerTradingRoutes(app, ctx);
  registerLedgerRoutes(app, ctx);
  registerOpsRoutes(app, ctx);
  registerMonitorRoutes(app, ctx); // GET /monitor (routes-monitor.ts)
  registerTcaRoutes(app, ctx);
  return app;
}
