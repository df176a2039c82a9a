import type { Logger } from 'pino';
import type { OrderRequestRecord } from '../engine/order-request-log';
import { answerWithFaults } from '../faults/answer-with-faults';
import { BYBIT_FAULTS } from '../faults/bybit-faults';
import type { ApiRequest, ApiResponse, RequestHandler } from '../http/http-types';
import type { Simulation } from '../simulation';
import { ACCOUNT_ENDPOINTS } from './account-endpoints';
import { authenticate } from './auth';
import type { BybitEndpoint } from './endpoint';
import { errorResponse, successResponse } from './envelope';
import { BybitApiError, bybitErrors } from './errors';
import { EXECUTION_ENDPOINTS } from './executions';
import { MARKET_ENDPOINTS } from './market-endpoints';
import { createLogFields, noteFault } from './order-log';
import { BybitParams } from './params';
import { venueTime } from './request-helpers';
import { TRADING_ENDPOINTS } from './trading-endpoints';

const ENDPOINTS = new Map<string, BybitEndpoint>(
  [...MARKET_ENDPOINTS, ...TRADING_ENDPOINTS, ...EXECUTION_ENDPOINTS, ...ACCOUNT_ENDPOINTS].map(
    (endpoint) => [`${endpoint.method} ${endpoint.path}`, endpoint],
  ),
);

/** Every path of the Bybit dialect starts with this; the server routes on it. */
export const BYBIT_PATH_PREFIX = '/v5/';

/**
 * The Bybit v5 REST dialect (spot, unified trading account) on the shared exchange core. For each
 * request: log it if it places an order, let the fault injector delay or replace the answer
 * (answerWithFaults, worded by faults/bybit-faults.ts), authenticate private endpoints against the
 * venue's (possibly skewed) clock, run the handler, and wrap the result — or the failure, as
 * Bybit's retCode/retMsg — in the v5 envelope.
 */
export function createBybitApi(getSimulation: () => Simulation, logger: Logger): RequestHandler {
  return async (request) => {
    const sim = getSimulation();
    const endpoint = ENDPOINTS.get(`${request.method} ${request.path}`);
    const signed = endpoint?.auth === 'private';
    const placesOrder = endpoint?.auth === 'private' && endpoint.placesOrder === true;
    const logRecord = placesOrder ? sim.orderLog.record(createLogFields(request)) : undefined;
    return answerWithFaults({
      request,
      injector: sim.faults,
      renderer: BYBIT_FAULTS,
      target: { method: request.method, path: request.path, signed, placesOrder },
      now: sim.clock(),
      process: () => {
        if (endpoint) return processRequest(sim, endpoint, request, logRecord, logger);
        logger.warn({ method: request.method, path: request.path }, 'bybit endpoint not simulated');
        return errorResponse(bybitErrors.routeNotFound(), venueTime(sim));
      },
      onFault: (label, phase, sent) => {
        if (logRecord) noteFault(logRecord, label, phase, sent);
      },
    });
  };
}

function processRequest(
  sim: Simulation,
  endpoint: BybitEndpoint,
  request: ApiRequest,
  logRecord: OrderRequestRecord | undefined,
  logger: Logger,
): ApiResponse {
  const serverTime = venueTime(sim);
  let response: ApiResponse;
  try {
    const params =
      request.method === 'POST'
        ? BybitParams.fromJsonBody(request.rawBody)
        : BybitParams.fromQuery(request.rawQuery);
    let result: unknown;
    if (endpoint.auth === 'private') {
      const account = authenticate(request, sim.accounts, serverTime);
      if (logRecord) logRecord.apiKey = account.id;
      result = endpoint.handle({ sim, params, serverTime, account, logRecord });
    } else {
      result = endpoint.handle({ sim, params, serverTime });
    }
    response = successResponse(result, serverTime);
  } catch (error) {
    if (!(error instanceof BybitApiError)) {
      logger.error({ err: error, path: request.path }, 'simulator failed while handling a request');
    }
    const apiError = error instanceof BybitApiError ? error : bybitErrors.internal();
    if (logRecord) {
      logRecord.rejectCode = apiError.retCode;
      logRecord.rejectReason = apiError.retMsg;
    }
    response = errorResponse(apiError, serverTime);
  }
  if (logRecord) logRecord.httpStatus = response.status;
  return response;
}
