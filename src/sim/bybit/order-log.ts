import type { OrderRequestFields, OrderRequestRecord } from '../engine/order-request-log';
import type { FaultPhase } from '../faults/answer-with-faults';
import type { ApiRequest, ApiResponse } from '../http/http-types';
import { BybitParams } from './params';

/**
 * A POST /v5/order/create as it arrived, before validation, for /admin/orders: orderLinkId is the
 * clientOrderId, and the values are Bybit's own spellings (side "Buy", type "Limit"). A market
 * order sized in quote (marketUnit=quoteCoin, Bybit's default for a buy) logs its qty as
 * quoteOrderQty. Amends are not logged: Bybit amends an order, it does not place one (the
 * record's order follows the amend, see OrderChains.amended).
 */
export function createLogFields(request: ApiRequest): OrderRequestFields {
  let peek: BybitParams;
  try {
    peek = BybitParams.fromJsonBody(request.rawBody);
  } catch {
    // Logged as it arrived; the handler answers the parameter error.
    peek = BybitParams.fromQuery('');
  }
  const value = (name: string): string | undefined => {
    try {
      return peek.string(name);
    } catch {
      return undefined;
    }
  };
  const apiKey = request.headers['x-bapi-api-key'];
  const side = value('side');
  const market = value('orderType') === 'Market';
  const unit = value('marketUnit') ?? (side === 'Buy' ? 'quoteCoin' : 'baseCoin');
  const quoteSized = market && unit === 'quoteCoin';
  return {
    endpoint: request.path.replace(/^\//, ''),
    apiKey: typeof apiKey === 'string' ? apiKey : undefined,
    clientOrderId: value('orderLinkId'),
    symbol: value('symbol'),
    side,
    type: value('orderType'),
    timeInForce: value('timeInForce'),
    price: market ? undefined : value('price'),
    stopPrice: value('triggerPrice'),
    quantity: quoteSized ? undefined : value('qty'),
    quoteOrderQty: quoteSized ? value('qty') : undefined,
  };
}

/**
 * Records in /admin/orders what an injected fault did to an order request: refused before
 * processing, the request counts as rejected with the retCode the client saw; after processing
 * the order exists, so only the fault and what was sent are noted (HTTP status 0: no answer).
 */
export function noteFault(
  record: OrderRequestRecord,
  label: string,
  phase: FaultPhase,
  sent: ApiResponse,
): void {
  record.fault = label;
  record.httpStatus = sent.dropConnection === true ? 0 : sent.status;
  if (phase === 'after') return;
  const body = sent.body as { retCode?: unknown; retMsg?: unknown } | null;
  if (typeof body === 'object' && body !== null && typeof body.retCode === 'number') {
    record.rejectCode = body.retCode;
    record.rejectReason = typeof body.retMsg === 'string' ? body.retMsg : undefined;
  }
}
