/**
 * Why the engine refused an order or a request, in venue-neutral terms. Each dialect maps these
 * to its own error codes and messages (the Binance mapping lives in src/sim/binance/errors.ts).
 */
export type FilterName = 'PRICE_FILTER' | 'LOT_SIZE' | 'MARKET_LOT_SIZE' | 'NOTIONAL';

export type Rejection =
  | { kind: 'FILTER_FAILURE'; filter: FilterName }
  | { kind: 'INVALID_PRICE' }
  | { kind: 'INVALID_QUANTITY' }
  | { kind: 'INSUFFICIENT_BALANCE' }
  | { kind: 'WOULD_TAKE' }
  | { kind: 'DUPLICATE_CLIENT_ORDER_ID' }
  | { kind: 'STOP_WOULD_TRIGGER' }
  | { kind: 'UNKNOWN_SYMBOL' }
  | { kind: 'UNKNOWN_ORDER' };

export class RejectionError extends Error {
  constructor(readonly rejection: Rejection) {
    super(rejection.kind === 'FILTER_FAILURE' ? `FILTER_FAILURE ${rejection.filter}` : rejection.kind);
    this.name = 'RejectionError';
  }
}

export function reject(rejection: Rejection): never {
  throw new RejectionError(rejection);
}
