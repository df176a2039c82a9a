/**
 * Execution against the market's VWAP over the order's interval, and against the arrival mid.
 *   vwap performance = s·(Σqᵢpᵢ − X·V) over X·V      (V: the market's interval VWAP)
 *   slippage         = s·(Σqᵢpᵢ − X·P_a) over X·P_a  (the shortfall's trading part, per filled notional)
 * i.e. s·(P̄ − V)/V and s·(P̄ − P_a)/P_a in bps: positive = bought above / sold below the
 * reference (a cost). Both are undefined when nothing filled.
 */
import { Dec, dec, toDecimalString } from '../decimal';
import { measure, sideSign } from './math';
import type { Measure, TcaSide } from './types';

type Trade = { quantity: string; price: string };

function filledAndPaid(fills: readonly Trade[]): { filled: Dec; paid: Dec } {
  let filled = new Dec(0);
  let paid = new Dec(0);
  for (const f of fills) {
    filled = filled.plus(f.quantity);
    paid = paid.plus(dec(f.quantity).times(f.price));
  }
  return { filled, paid };
}

/** s·(Σqᵢpᵢ − X·reference) over X·reference; undefined without fills. */
export function againstReference(
  side: TcaSide,
  fills: readonly Trade[],
  reference: string,
): Measure | undefined {
  const { filled, paid } = filledAndPaid(fills);
  if (filled.isZero()) return undefined;
  const notional = filled.times(reference);
  return measure(paid.minus(notional).times(sideSign(side)), notional);
}

/** The market's VWAP from its trades over an interval (Σqp / Σq, exact to 20 digits); undefined without volume. */
export function marketVwap(trades: readonly Trade[]): string | undefined {
  const { filled, paid } = filledAndPaid(trades);
  return filled.isZero() ? undefined : toDecimalString(paid.dividedBy(filled).toSignificantDigits(20));
}
