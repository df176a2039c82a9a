import type { Account } from '../engine/accounts';
import type { OrderRequestRecord } from '../engine/order-request-log';
import type { Simulation } from '../simulation';
import type { BinanceParams } from './params';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface EndpointContext {
  sim: Simulation;
  params: BinanceParams;
  /** The authenticated account (SIGNED endpoints only). */
  account: Account;
  /** The admin log entry of this request (order-placing endpoints only). */
  logRecord?: OrderRequestRecord;
}

export interface PublicEndpointContext {
  sim: Simulation;
  params: BinanceParams;
}

/** What a handler answers: a body for HTTP 200, or a throw of BinanceApiError. */
export type EndpointBody = unknown;

export type BinanceEndpoint =
  | {
      method: HttpMethod;
      path: string;
      security: 'NONE';
      handle(context: PublicEndpointContext): EndpointBody;
    }
  | {
      method: HttpMethod;
      path: string;
      security: 'SIGNED';
      /** Order-placing endpoints are logged for /admin/orders and may get order faults. */
      placesOrder?: boolean;
      handle(context: EndpointContext): EndpointBody;
    };
