/**
 * Fees in the quote currency, for the shortfall's fee component. A fee is converted
 *   - in the quote currency: as it is;
 *   - in the base currency: at that fill's own price (what the withheld base was worth then);
 *   - in another currency (a venue token such as BNB): at the price the caller gives in
 *     `feePrices` (quote currency per unit);
 * and otherwise (no price given, or a fee without a currency) it is not guessed: it is summed per
 * currency into `unconverted`, reported beside the shortfall and left out of it.
 * Paid fees are positive and rebates negative, for buys and sells alike.
 */
import { Dec, dec, toDecimalString } from '../decimal';
import { requireDecimal, requirePositive } from './input';
import type { FeeAmount, TcaFill } from './types';

export interface FeesInQuote {
  quote: string;
  unconverted: FeeAmount[];
}

export function feesInQuote(
  fills: readonly TcaFill[],
  base: string,
  quoteCurrency: string,
  feePrices: Readonly<Record<string, string>> = {},
): FeesInQuote {
  let total = new Dec(0);
  const unconverted = new Map<string, Dec>();
  for (const [i, fill] of fills.entries()) {
    const fee = dec(requireDecimal(`fills[${i}].fee`, fill.fee));
    if (fee.isZero()) continue;
    const currency = fill.feeCurrency;
    const given = Object.prototype.hasOwnProperty.call(feePrices, currency) ? feePrices[currency] : undefined;
    if (currency === quoteCurrency) total = total.plus(fee);
    else if (currency === base) total = total.plus(fee.times(fill.price));
    else if (given !== undefined && currency !== '')
      total = total.plus(fee.times(requirePositive(`feePrices.${currency}`, given)));
    else unconverted.set(currency, (unconverted.get(currency) ?? new Dec(0)).plus(fee));
  }
  return {
    quote: toDecimalString(total),
    unconverted: [...unconverted.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([currency, amount]) => ({ currency, amount: toDecimalString(amount) })),
  };
}
