import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { OrderRequestFields, OrderRequestRecord } from '../engine/order-request-log';
import type { FaultPlan } from '../faults/fault-injector';
import { json, type ApiRequest, type ApiResponse, type RequestHandler } from '../http/http-types';
import type { Simulation } from '../simulation';
import { authenticateSigned } from './auth';
import type { BinanceEndpoint } from './endpoint';
import { BinanceApiError, binanceErrors } from './errors';
import { BinanceParams } from './params';
import { PUBLIC_ENDPOINTS } from './public-endpoints';
import { TRADING_ENDPOINTS } from './trading-endpoints';

const ENDPOINTS = new Map<string, BinanceEndpoint>(
  [...PUBLIC_ENDPOINTS, ...TRADING_ENDPOINTS].map((endpoint) => [
    `${endpoint.method} ${endpoint.path}`,
    endpoint,
  ]),
);

/**
 * The Binance spot REST dialect. For each request: log it if it places an order, apply the
 * injected faults (delay, refusal), authenticate SIGNED endpoints, run the handler against the
 * exchange core, and render any failure as Binance's `{code, msg}` with Binance's HTTP status.
 */
export function createBinanceApi(getSimulation: () => Simulation, logger: Logger): RequestHandler {
  return async (request) => {
    const sim = getSimulation();
    const endpoint = ENDPOINTS.get(`${request.method} ${request.path}`);
    if (!endpoint) {
      logger.warn({ method: request.method, path: request.path }, 'binance endpoint not simulated');
      return errorResponse(binanceErrors.unsupportedOperation());
    }
    const params = BinanceParams.parse(request.rawQuery, request.rawBody);
    const signed = endpoint.security === 'SIGNED';
    const placesOrder = endpoint.security === 'SIGNED' && endpoint.placesOrder === true;
    const logRecord = placesOrder ? sim.orderLog.record(logFields(endpoint.path, request)) : undefined;
    const plan = sim.faults.plan({ signed, placesOrder });
    if (plan.delayMs > 0) await delay(plan.delayMs, undefined, { signal: request.signal });

    let response: ApiResponse;
    try {
      refuseIfPlanned(plan, logRecord);
      let body: unknown;
      if (endpoint.security === 'SIGNED') {
        const account = authenticateSigned(request, params, sim.accounts, sim.clock());
        if (logRecord) logRecord.apiKey = account.id;
        body = endpoint.handle({ sim, params, account, logRecord });
      } else {
        body = endpoint.handle({ sim, params });
      }
      response = json(200, body);
    } catch (error) {
      if (!(error instanceof BinanceApiError)) {
        logger.error({ err: error, path: request.path }, 'simulator failed while handling a request');
      }
      const apiError = error instanceof BinanceApiError ? error : binanceErrors.unknown();
      if (logRecord) {
        logRecord.rejectCode = apiError.code;
        logRecord.rejectReason = apiError.msg;
      }
      response = errorResponse(apiError);
    }
    if (logRecord) logRecord.httpStatus = response.status;
    if (plan.holdResponseMs !== undefined && response.status === 200) {
      if (logRecord) logRecord.fault = 'timeoutAfterAccept';
      // The order is in the book; only the answer is late (a client sees a timeout).
      await delay(plan.holdResponseMs, undefined, { signal: request.signal });
    }
    return response;
  };
}

function refuseIfPlanned(plan: FaultPlan, logRecord: OrderRequestRecord | undefined): void {
  if (plan.refuse === undefined) return;
  if (plan.refuse.kind === 'rateLimited') {
    if (logRecord) logRecord.fault = 'rateLimit';
    throw binanceErrors.tooManyRequests(plan.refuse.retryAfterSeconds);
  }
  if (logRecord) logRecord.fault = 'error';
  throw binanceErrors.unknown();
}

function errorResponse(error: BinanceApiError): ApiResponse {
  return json(error.httpStatus, error.body(), error.headers);
}

/** The request as sent, before validation (so refused requests are logged as they arrived). */
function logFields(path: string, request: ApiRequest): OrderRequestFields {
  // A separate parse, so peeking does not count as the handler reading a parameter.
  const peek = BinanceParams.parse(request.rawQuery, request.rawBody);
  const apiKey = request.headers['x-mbx-apikey'];
  return {
    endpoint: path.replace('/api/v3/', ''),
    apiKey: typeof apiKey === 'string' ? apiKey : undefined,
    clientOrderId: peek.string('newClientOrderId'),
    symbol: peek.string('symbol'),
    side: peek.string('side'),
    type: peek.string('type'),
    timeInForce: peek.string('timeInForce'),
    price: peek.string('price'),
    stopPrice: peek.string('stopPrice'),
    quantity: peek.string('quantity'),
    quoteOrderQty: peek.string('quoteOrderQty'),
    cancelOrderId: peek.string('cancelOrderId'),
    cancelOrigClientOrderId: peek.string('cancelOrigClientOrderId'),
  };
}
