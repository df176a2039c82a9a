import { isMultipleOf, type Decimal } from '../engine/decimal';
import type { Instrument } from '../engine/instrument';
import { bybitErrors, type BybitApiError } from './errors';
import { quotePrecision } from './instruments';

export interface OrderSize {
  market: boolean;
  price?: Decimal;
  /** Base quantity (limit orders, and market orders with marketUnit=baseCoin). */
  qty?: Decimal;
  /** Quote amount (market orders with marketUnit=quoteCoin). */
  quoteQty?: Decimal;
}

/**
 * Bybit's own order checks, in the order Bybit reports them (price, quantity, value), each with
 * the precise retCode: the engine's filter refusal only says which filter failed, while Bybit
 * tells "too many decimals" from "below the minimum". The bounds and steps are the engine's, and
 * the comparisons are written as the engine's (engine/filters.ts), so an order that passes here
 * passes there. `referencePrice` values market orders sized in base (the engine uses the last price).
 */
export function checkOrderSize(
  instrument: Instrument,
  order: OrderSize,
  referencePrice: Decimal,
): BybitApiError | undefined {
  if (order.price !== undefined && !order.market) {
    const priceFailure = checkPrice(instrument, order.price);
    if (priceFailure) return priceFailure;
  }
  if (order.qty !== undefined) {
    const qtyFailure = checkQuantity(instrument, order.qty, order.market);
    if (qtyFailure) return qtyFailure;
    const price = order.market || order.price === undefined ? referencePrice : order.price;
    return checkValue(instrument, price.mul(order.qty));
  }
  if (order.quoteQty !== undefined) {
    if (!isMultipleOf(order.quoteQty, quotePrecision(instrument))) return bybitErrors.marketAmountDecimals();
    return checkValue(instrument, order.quoteQty);
  }
  return undefined;
}

function checkPrice(instrument: Instrument, price: Decimal): BybitApiError | undefined {
  if (price.lt(instrument.minPrice)) return bybitErrors.priceTooLow();
  if (price.gt(instrument.maxPrice)) return bybitErrors.priceTooHigh();
  if (!isMultipleOf(price.minus(instrument.minPrice), instrument.tickSize))
    return bybitErrors.priceDecimals();
  return undefined;
}

function checkQuantity(instrument: Instrument, qty: Decimal, market: boolean): BybitApiError | undefined {
  if (!isMultipleOf(qty.minus(instrument.minQty), instrument.stepSize)) return bybitErrors.quantityDecimals();
  if (qty.lt(instrument.minQty) || (market && qty.lt(instrument.marketMinQty))) {
    return bybitErrors.quantityTooLow();
  }
  if (qty.gt(instrument.maxQty) || (market && qty.gt(instrument.marketMaxQty))) {
    return bybitErrors.quantityTooLarge();
  }
  return undefined;
}

function checkValue(instrument: Instrument, value: Decimal): BybitApiError | undefined {
  if (value.lt(instrument.minNotional)) return bybitErrors.valueTooLow();
  if (value.gt(instrument.maxNotional)) return bybitErrors.orderAmountTooLarge();
  return undefined;
}
