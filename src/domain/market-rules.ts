/**
 * A venue's trading rules for one market, and the checks an order must pass before it is sent.
 * ccxt checks precision but not minimum notional, so we check everything ourselves and refuse
 * with a reason; we never round or clamp a user's quantity or price silently.
 */
import { dec, isMultipleOfStep, roundToStep, toDecimalString } from './decimal';
import type { OrderRequest, RequestIssue } from './order-request';

export interface MarketRules {
  venue: string;
  symbol: string;
  base: string;
  quote: string;
  /** Lot size: quantities must be a multiple. */
  amountStep: string;
  /** Tick size: prices must be a multiple. */
  priceStep: string;
  minAmount?: string;
  maxAmount?: string;
  minPrice?: string;
  maxPrice?: string;
  /** Minimum quantity × price. */
  minNotional?: string;
  /** Order types the venue supports for this market (Ordo names). */
  orderTypes: readonly OrderRequest['type'][];
}

/**
 * Checks quantity and prices against the market. `referencePrice` (e.g. the mid) is used for the
 * notional of orders without a limit price; without it, their notional is not checked here.
 */
export function checkMarketRules(
  request: OrderRequest,
  rules: MarketRules,
  referencePrice?: string,
): RequestIssue[] {
  const issues: RequestIssue[] = [];
  const add = (code: string, field: string, message: string) => issues.push({ code, field, message });
  const q = request.quantity;

  if (!rules.orderTypes.includes(request.type))
    add(
      'UNSUPPORTED_ORDER_TYPE',
      'type',
      `${rules.venue} does not support ${request.type} orders on ${rules.symbol}`,
    );

  if (!isMultipleOfStep(q, rules.amountStep))
    add(
      'QUANTITY_PRECISION',
      'quantity',
      `quantity ${q} is not a multiple of the lot size ${rules.amountStep} (nearest below: ${roundToStep(q, rules.amountStep)})`,
    );
  if (rules.minAmount !== undefined && dec(q).lessThan(rules.minAmount))
    add('MIN_QUANTITY', 'quantity', `quantity ${q} is below the minimum ${rules.minAmount}`);
  if (rules.maxAmount !== undefined && dec(q).greaterThan(rules.maxAmount))
    add('MAX_QUANTITY', 'quantity', `quantity ${q} is above the maximum ${rules.maxAmount}`);

  for (const field of ['limitPrice', 'stopPrice'] as const) {
    const price = request[field];
    if (price === undefined) continue;
    if (!isMultipleOfStep(price, rules.priceStep))
      add(
        'PRICE_PRECISION',
        field,
        `${field} ${price} is not a multiple of the tick size ${rules.priceStep}`,
      );
    if (rules.minPrice !== undefined && dec(price).lessThan(rules.minPrice))
      add('MIN_PRICE', field, `${field} ${price} is below the minimum ${rules.minPrice}`);
    if (rules.maxPrice !== undefined && dec(price).greaterThan(rules.maxPrice))
      add('MAX_PRICE', field, `${field} ${price} is above the maximum ${rules.maxPrice}`);
  }

  const notionalPrice = request.limitPrice ?? referencePrice;
  if (rules.minNotional !== undefined && notionalPrice !== undefined) {
    const notional = dec(q).times(notionalPrice);
    if (notional.lessThan(rules.minNotional))
      add(
        'MIN_NOTIONAL',
        'quantity',
        `notional ${toDecimalString(notional)} ${rules.quote} is below the minimum ${rules.minNotional}`,
      );
  }
  return issues;
}
