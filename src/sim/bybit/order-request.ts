import type { Instrument } from '../engine/instrument';
import type { NewOrderRequest, OrderType, Side, TimeInForce } from '../engine/types';
import type { Simulation } from '../simulation';
import { bybitErrors } from './errors';
import type { OrderSize } from './order-checks';
import { SMP_TYPES } from './order-view';
import type { BybitParams } from './params';
import { instrumentParam, requireSpot } from './request-helpers';

/** Bybit: "A max of 36 characters. Combinations of numbers, letters, dashes, and underscores." */
const ORDER_LINK_ID = /^[A-Za-z0-9_-]{1,36}$/;
const TIME_IN_FORCE = ['GTC', 'IOC', 'FOK', 'PostOnly'] as const;

export interface ParsedCreate {
  instrument: Instrument;
  request: NewOrderRequest;
  size: OrderSize;
  /** The client did not send an orderLinkId: one was generated (no uniqueness check needed). */
  generatedLinkId: boolean;
}

/**
 * Reads POST /v5/order/create for a spot order of a unified account: `side` Buy|Sell, `orderType`
 * Limit|Market, `qty`, `price` (limit orders; market orders ignore it), `timeInForce`
 * GTC|IOC|FOK|PostOnly (market orders are always IOC), `orderLinkId`, `marketUnit` (market
 * orders: qty in baseCoin or quoteCoin; Bybit's default is quoteCoin for a buy, baseCoin for a
 * sell) and `smpType`. Margin, conditional and TP/SL orders are not simulated (170227).
 */
export function parseCreateOrder(
  params: BybitParams,
  sim: Simulation,
  accountId: string,
  newLinkId: () => string,
): ParsedCreate {
  requireSpot(params);
  const instrument = instrumentParam(sim, params);
  const side = requireSide(params);
  const orderType = params.oneOf('orderType', ['Limit', 'Market'] as const, bybitErrors.invalidOrderType);
  if (orderType === undefined) throw bybitErrors.parameterEmpty('orderType');
  const qty = params.decimal('qty');
  if (qty === undefined) throw bybitErrors.parameterEmpty('qty');
  const timeInForce = params.oneOf('timeInForce', TIME_IN_FORCE, bybitErrors.invalidTimeInForce);
  const sentLinkId = params.string('orderLinkId');
  if (sentLinkId !== undefined && !ORDER_LINK_ID.test(sentLinkId))
    throw bybitErrors.params('orderLinkId invalid');
  const smpType = params.oneOf('smpType', Object.keys(SMP_TYPES), () =>
    bybitErrors.params('smpType invalid'),
  );
  refuseUnsimulated(params);

  const base = {
    accountId,
    symbol: instrument.symbol,
    side,
    clientOrderId: sentLinkId ?? newLinkId(),
    selfTradePreventionMode: smpType === undefined ? undefined : SMP_TYPES[smpType],
  };
  const generatedLinkId = sentLinkId === undefined;
  if (orderType === 'Market') {
    if (timeInForce === 'PostOnly') throw bybitErrors.params('market order cannot be PostOnly');
    const unit =
      params.oneOf('marketUnit', ['baseCoin', 'quoteCoin'] as const, () =>
        bybitErrors.params('marketUnit invalid'),
      ) ?? (side === 'BUY' ? 'quoteCoin' : 'baseCoin');
    const sized = unit === 'quoteCoin' ? { quoteOrderQty: qty } : { quantity: qty };
    const size = unit === 'quoteCoin' ? { market: true, quoteQty: qty } : { market: true, qty };
    return { instrument, request: { ...base, type: 'MARKET', ...sized }, size, generatedLinkId };
  }
  const price = params.decimal('price');
  if (price === undefined) throw bybitErrors.parameterEmpty('price');
  const { type, tif } = limitType(timeInForce ?? 'GTC');
  return {
    instrument,
    request: { ...base, type, timeInForce: tif, quantity: qty, price },
    size: { market: false, qty, price },
    generatedLinkId,
  };
}

function requireSide(params: BybitParams): Side {
  const side = params.oneOf('side', ['Buy', 'Sell'] as const, bybitErrors.invalidSide);
  if (side === undefined) throw bybitErrors.parameterEmpty('side');
  return side === 'Buy' ? 'BUY' : 'SELL';
}

/** Bybit's PostOnly is the engine's LIMIT_MAKER (refused when it would take). */
function limitType(timeInForce: (typeof TIME_IN_FORCE)[number]): { type: OrderType; tif?: TimeInForce } {
  return timeInForce === 'PostOnly' ? { type: 'LIMIT_MAKER' } : { type: 'LIMIT', tif: timeInForce };
}

/** Spot margin (isLeverage=1), conditional (triggerPrice, orderFilter) and TP/SL orders. */
function refuseUnsimulated(params: BybitParams): void {
  const leverage = params.string('isLeverage');
  const filter = params.string('orderFilter');
  const unsimulated =
    (leverage !== undefined && leverage !== '0') ||
    (filter !== undefined && filter !== 'Order') ||
    ['triggerPrice', 'takeProfit', 'stopLoss'].some((name) => params.has(name));
  if (unsimulated) throw bybitErrors.notSupported();
}
