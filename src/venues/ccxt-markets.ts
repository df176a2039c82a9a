/** A ccxt market as Ordo's MarketRules (lot and tick sizes, limits, order types). */
import type * as ccxt from 'ccxt';
import { toDecimalString } from '../domain/decimal';
import type { MarketRules } from '../domain/market-rules';
import type { OrderType } from '../domain/order-request';
import { decimalOrUndefined } from './ccxt-orders';
import { VenueError } from './errors';

/** ccxt's precision modes (base/functions/number.js); its type declarations do not export them. */
const PRECISION_MODE = { DECIMAL_PLACES: 2, SIGNIFICANT_DIGITS: 3, TICK_SIZE: 4 } as const;

/** Binance-style order type names in market info, mapped to Ordo's. */
const NATIVE_ORDER_TYPES: Record<string, OrderType> = {
  MARKET: 'market',
  LIMIT: 'limit',
  STOP_LOSS: 'stop',
  STOP_LOSS_LIMIT: 'stop_limit',
};

/** A precision value as a step: ccxt gives tick sizes, or decimal places on some exchanges. */
function step(exchange: ccxt.Exchange, precision: number | undefined, what: string, symbol: string): string {
  if (precision === undefined)
    throw new VenueError('reject', 'BAD_SYMBOL', `${symbol}: no ${what} precision`);
  if (exchange.precisionMode === PRECISION_MODE.TICK_SIZE) return toDecimalString(String(precision));
  if (exchange.precisionMode === PRECISION_MODE.DECIMAL_PLACES) return toDecimalString(`1e-${precision}`);
  throw new VenueError(
    'reject',
    'NOT_SUPPORTED',
    `${exchange.id}: significant-digit precision is not supported`,
  );
}

function orderTypes(exchange: ccxt.Exchange, market: ccxt.MarketInterface): OrderType[] {
  // Binance-dialect markets list their order types; other ccxt exchanges say it in `has`.
  const native = (market.info as { orderTypes?: unknown }).orderTypes;
  if (Array.isArray(native)) {
    return [...new Set(native.map((t) => NATIVE_ORDER_TYPES[String(t)]).filter((t) => t !== undefined))];
  }
  const types: OrderType[] = ['market', 'limit'];
  if (exchange.has['createStopMarketOrder']) types.push('stop');
  if (exchange.has['createStopLimitOrder']) types.push('stop_limit');
  return types;
}

export function marketRulesOf(
  exchange: ccxt.Exchange,
  market: ccxt.MarketInterface,
  venue: string,
  symbol: string,
): MarketRules {
  const rules: MarketRules = {
    venue,
    symbol,
    base: market.base,
    quote: market.quote,
    amountStep: step(exchange, market.precision.amount, 'amount', symbol),
    priceStep: step(exchange, market.precision.price, 'price', symbol),
    orderTypes: orderTypes(exchange, market),
  };
  const optional: Partial<MarketRules> = {
    minAmount: decimalOrUndefined(market.limits.amount?.min),
    maxAmount: decimalOrUndefined(market.limits.amount?.max),
    minPrice: decimalOrUndefined(market.limits.price?.min),
    maxPrice: decimalOrUndefined(market.limits.price?.max),
    minNotional: decimalOrUndefined(market.limits.cost?.min),
  };
  for (const [key, value] of Object.entries(optional))
    if (value !== undefined) Object.assign(rules, { [key]: value });
  return rules;
}
