import type { Account } from '../engine/accounts';
import type { OrderRequestRecord } from '../engine/order-request-log';
import type { Simulation } from '../simulation';
import type { BybitParams } from './params';

export interface PublicContext {
  sim: Simulation;
  params: BybitParams;
  /** The venue's clock (real time plus any injected skew), for `time` fields and windows. */
  serverTime: number;
}

export interface PrivateContext extends PublicContext {
  /** The authenticated account. */
  account: Account;
  /** The admin log entry of this request (order-placing endpoints only). */
  logRecord?: OrderRequestRecord;
}

/** A handler returns the envelope's `result` for a success, or throws BybitApiError. */
export type BybitEndpoint =
  | { method: 'GET' | 'POST'; path: string; auth: 'public'; handle(context: PublicContext): unknown }
  | {
      method: 'GET' | 'POST';
      path: string;
      auth: 'private';
      /** Order-placing endpoints are logged for /admin/orders and may get order faults. */
      placesOrder?: boolean;
      handle(context: PrivateContext): unknown;
    };
