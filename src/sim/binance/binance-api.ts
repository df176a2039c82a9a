import type { Logger } from 'pino';
import type { OrderRequestFields, OrderRequestRecord } from '../engine/order-request-log';
import { answerWithFaults, type FaultPhase } from '../faults/answer-with-faults';
import { json, type ApiRequest, type ApiResponse, type RequestHandler } from '../http/http-types';
import type { Simulation } from '../simulation';
import { authenticateSigned } from './auth';
import type { BinanceEndpoint } from './endpoint';
import { BinanceApiError, binanceErrors } from './errors';
import { BINANCE_FAULTS, binanceErrorResponse } from './fault-responses';
import { BinanceParams } from './params';
import { PUBLIC_ENDPOINTS } from './public-endpoints';
import { serverTime } from './request-helpers';
import { TRADING_ENDPOINTS } from './trading-endpoints';

const ENDPOINTS = new Map<string, BinanceEndpoint>(
  [...PUBLIC_ENDPOINTS, ...TRADING_ENDPOINTS].map((endpoint) => [
    `${endpoint.method} ${endpoint.path}`,
    endpoint,
  ]),
);

/**
 * The Binance spot REST dialect. For each request: log it if it places an order, let the fault
 * injector delay or replace the answer (answerWithFaults), authenticate SIGNED endpoints against
 * the venue's (possibly skewed) clock, run the handler against the exchange core, and render any
 * failure as Binance's `{code, msg}` with Binance's HTTP status.
 */
export function createBinanceApi(getSimulation: () => Simulation, logger: Logger): RequestHandler {
  return async (request) => {
    const sim = getSimulation();
    const endpoint = ENDPOINTS.get(`${request.method} ${request.path}`);
    const signed = endpoint?.security === 'SIGNED';
    const placesOrder = endpoint?.security === 'SIGNED' && endpoint.placesOrder === true;
    const logRecord = placesOrder ? sim.orderLog.record(logFields(request.path, request)) : undefined;
    return answerWithFaults({
      request,
      injector: sim.faults,
      renderer: BINANCE_FAULTS,
      target: { method: request.method, path: request.path, signed, placesOrder },
      now: sim.clock(),
      process: () => {
        if (endpoint) return processRequest(sim, endpoint, request, logRecord, logger);
        logger.warn({ method: request.method, path: request.path }, 'binance endpoint not simulated');
        return binanceErrorResponse(binanceErrors.unsupportedOperation());
      },
      onFault: (label, phase, sent) => {
        if (logRecord) noteFault(logRecord, label, phase, sent);
      },
    });
  };
}

function processRequest(
  sim: Simulation,
  endpoint: BinanceEndpoint,
  request: ApiRequest,
  logRecord: OrderRequestRecord | undefined,
  logger: Logger,
): ApiResponse {
  const params = BinanceParams.parse(request.rawQuery, request.rawBody);
  let response: ApiResponse;
  try {
    let body: unknown;
    if (endpoint.security === 'SIGNED') {
      const account = authenticateSigned(request, params, sim.accounts, serverTime(sim));
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
    response = binanceErrorResponse(apiError);
  }
  if (logRecord) logRecord.httpStatus = response.status;
  return response;
}

/**
 * Records in /admin/orders what an injected fault did to an order request. Refused before
 * processing, the request counts as rejected with the code the client saw; after processing the
 * order exists, so only the fault and what was sent are noted. HTTP status 0 = no answer sent.
 */
function noteFault(record: OrderRequestRecord, label: string, phase: FaultPhase, sent: ApiResponse): void {
  record.fault = label;
  record.httpStatus = sent.dropConnection === true ? 0 : sent.status;
  if (phase === 'after') return;
  const body = sent.body as { code?: unknown; msg?: unknown } | null;
  if (typeof body === 'object' && body !== null && typeof body.code === 'number') {
    record.rejectCode = body.code;
    record.rejectReason = typeof body.msg === 'string' ? body.msg : undefined;
  }
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
