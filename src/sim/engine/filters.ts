import { isMultipleOf, type Decimal } from './decimal';
import type { Instrument } from './instrument';
import type { Rejection } from './rejections';
import { isMarketLikeType, type OrderType } from './types';

export interface FilterCheckInput {
  type: OrderType;
  price?: Decimal;
  stopPrice?: Decimal;
  quantity?: Decimal;
  quoteOrderQty?: Decimal;
}

/**
 * Checks an order against its instrument's filters in the order Binance applies them
 * (price, then quantity, then notional) and returns the first failure, if any.
 * `referencePrice` prices market orders for the notional check (Binance uses a short average).
 */
export function checkFilters(
  instrument: Instrument,
  order: FilterCheckInput,
  referencePrice: Decimal,
): Rejection | undefined {
  for (const price of [order.price, order.stopPrice]) {
    if (price === undefined) continue;
    if (price.lte(0)) return { kind: 'INVALID_PRICE' };
    const priceFailure = checkPrice(instrument, price);
    if (priceFailure) return priceFailure;
  }
  const marketLike = isMarketLikeType(order.type);
  if (order.quantity !== undefined) {
    if (order.quantity.lte(0)) return { kind: 'INVALID_QUANTITY' };
    const lotFailure = checkLot(instrument, order.quantity, marketLike);
    if (lotFailure) return lotFailure;
  } else if (order.quoteOrderQty !== undefined && order.quoteOrderQty.lte(0)) {
    return { kind: 'INVALID_QUANTITY' };
  }
  return checkNotional(instrument, order, referencePrice, marketLike);
}

function checkPrice(instrument: Instrument, price: Decimal): Rejection | undefined {
  const offGrid = !isMultipleOf(price.minus(instrument.minPrice), instrument.tickSize);
  if (price.lt(instrument.minPrice) || price.gt(instrument.maxPrice) || offGrid) {
    return { kind: 'FILTER_FAILURE', filter: 'PRICE_FILTER' };
  }
  return undefined;
}

function checkLot(instrument: Instrument, quantity: Decimal, marketLike: boolean): Rejection | undefined {
  const offStep = !isMultipleOf(quantity.minus(instrument.minQty), instrument.stepSize);
  if (quantity.lt(instrument.minQty) || quantity.gt(instrument.maxQty) || offStep) {
    return { kind: 'FILTER_FAILURE', filter: 'LOT_SIZE' };
  }
  if (marketLike) {
    const offMarketStep = !isMultipleOf(quantity.minus(instrument.marketMinQty), instrument.marketStepSize);
    if (quantity.lt(instrument.marketMinQty) || quantity.gt(instrument.marketMaxQty) || offMarketStep) {
      return { kind: 'FILTER_FAILURE', filter: 'MARKET_LOT_SIZE' };
    }
  }
  return undefined;
}

function checkNotional(
  instrument: Instrument,
  order: FilterCheckInput,
  referencePrice: Decimal,
  marketLike: boolean,
): Rejection | undefined {
  const notional = estimateNotional(order, referencePrice, marketLike);
  if (notional === undefined) return undefined;
  const checkMin = !marketLike || instrument.applyMinToMarket;
  const checkMax = !marketLike || instrument.applyMaxToMarket;
  if (
    (checkMin && notional.lt(instrument.minNotional)) ||
    (checkMax && notional.gt(instrument.maxNotional))
  ) {
    return { kind: 'FILTER_FAILURE', filter: 'NOTIONAL' };
  }
  return undefined;
}

function estimateNotional(
  order: FilterCheckInput,
  referencePrice: Decimal,
  marketLike: boolean,
): Decimal | undefined {
  if (order.quoteOrderQty !== undefined) return order.quoteOrderQty;
  if (order.quantity === undefined) return undefined;
  if (!marketLike && order.price !== undefined) return order.price.mul(order.quantity);
  // Market-like orders: a triggered stop trades near its stop price, a market order near the average.
  return (order.stopPrice ?? referencePrice).mul(order.quantity);
}
