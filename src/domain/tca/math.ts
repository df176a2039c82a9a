/**
 * The small arithmetic TCA shares: the side sign, basis points, and the rounding of reported
 * ratios. Amounts stay exact decimal strings; only ratios (bps, rates) are rounded, half away from
 * zero, so a buy and a mirrored sell round to the same magnitude.
 */
import { Dec, type DecimalInput, dec, toDecimalString } from '../decimal';
import type { Measure, TcaSide } from './types';

/** Basis points are reported to 4 decimal places (0.0001 bp). */
export const BPS_DECIMALS = 4;
/** Fill rates are fractions reported to 6 decimal places. */
export const RATE_DECIMALS = 6;

/** s = +1 for a buy, −1 for a sell: s × (price paid − benchmark) is a cost for both. */
export function sideSign(side: TcaSide): 1 | -1 {
  return side === 'buy' ? 1 : -1;
}

/** amount / notional × 10⁴, rounded to BPS_DECIMALS; "0" over a zero notional. */
export function bps(amount: DecimalInput, notional: DecimalInput): string {
  const n = dec(notional);
  if (n.isZero()) return '0';
  return toDecimalString(dec(amount).dividedBy(n).times(10_000).toDecimalPlaces(BPS_DECIMALS));
}

/** a / b rounded to RATE_DECIMALS; "0" when b is zero. */
export function rate(a: DecimalInput, b: DecimalInput): string {
  const d = dec(b);
  if (d.isZero()) return '0';
  return toDecimalString(dec(a).dividedBy(d).toDecimalPlaces(RATE_DECIMALS));
}

export function measure(quote: DecimalInput, notional: DecimalInput): Measure {
  return { quote: toDecimalString(quote), notional: toDecimalString(notional), bps: bps(quote, notional) };
}

/** Σ of measures: quotes and notionals add, bps is recomputed (a notional-weighted average). */
export function sumMeasures(measures: readonly Measure[]): Measure | undefined {
  if (measures.length === 0) return undefined;
  let quote = new Dec(0);
  let notional = new Dec(0);
  for (const m of measures) {
    quote = quote.plus(m.quote);
    notional = notional.plus(m.notional);
  }
  return measure(quote, notional);
}
