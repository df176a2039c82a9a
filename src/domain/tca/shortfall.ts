/**
 * Implementation shortfall (Perold 1988): the order against a paper portfolio that trades the
 * whole requested quantity at the decision price, instantly and for free.
 *
 * Notation: s = +1 for a buy, −1 for a sell; Q requested quantity; fills (qᵢ, pᵢ);
 * X = Σqᵢ filled; U = Q − X unfilled; P̄ = Σqᵢpᵢ / X; P_d decision price (the arrival mid when
 * the strategy gave none, so delay is 0); P_a arrival mid (when Ordo received the order);
 * P_T end-of-horizon price; F fees in the quote currency (paid > 0, rebate < 0, see fees.ts);
 * N = Q·P_d the paper notional.
 *
 * Shortfall, in the quote currency, positive = cost for buys and sells alike:
 *   IS          = s·(Σqᵢpᵢ + U·P_T − Q·P_d) + F
 *   delay       = s·X·(P_a − P_d)          the market moved before Ordo had the order
 *   trading     = s·(Σqᵢpᵢ − X·P_a)         = s·X·(P̄ − P_a), impact and spread while executing
 *   opportunity = s·U·(P_T − P_d)          what the unfilled rest missed, marked at P_T
 *   fees        = F
 * and IS = delay + trading + opportunity + fees exactly (IS is computed on its own and the
 * identity is unit-tested). In basis points each component is divided by N, e.g.
 *   delay_bps = s·(P_a − P_d)/P_d · (X/Q) · 10⁴,
 * rounded to 4 places; total_bps is the sum of the four rounded components, so the identity
 * holds exactly in bps too (it differs from IS/N·10⁴ rounded by at most 0.0002 bp).
 */
import { Dec, dec, toDecimalString } from '../decimal';
import { bps, sideSign } from './math';
import { type Shortfall, type ShortfallComponents, TcaError, type TcaSide } from './types';

export interface ShortfallInput {
  side: TcaSide;
  quantity: string;
  /** P_d: the decision price, or the arrival mid when there was none. */
  benchmarkPrice: string;
  arrivalMid: string;
  /** P_T; required when something is unfilled (MISSING_END_PRICE), else it does not matter. */
  endPrice?: string;
  fills: ReadonlyArray<{ quantity: string; price: string }>;
  /** F, in the quote currency. */
  fees: string;
}

export interface ShortfallResult extends Shortfall {
  paperNotional: string;
  filledQuantity: string;
  unfilledQuantity: string;
}

export function implementationShortfall(input: ShortfallInput): ShortfallResult {
  const s = sideSign(input.side);
  const pd = dec(input.benchmarkPrice);
  const pa = dec(input.arrivalMid);
  let filled = new Dec(0);
  let paid = new Dec(0);
  for (const f of input.fills) {
    filled = filled.plus(f.quantity);
    paid = paid.plus(dec(f.quantity).times(f.price));
  }
  const unfilled = dec(input.quantity).minus(filled);
  if (unfilled.isNegative())
    throw new TcaError(
      'OVERFILLED',
      `fills total ${toDecimalString(filled)}, more than the ${input.quantity} requested`,
    );
  if (!unfilled.isZero() && input.endPrice === undefined)
    throw new TcaError(
      'MISSING_END_PRICE',
      'an end-of-horizon price is needed to mark the unfilled quantity',
    );
  // With nothing unfilled U = 0, so P_T does not matter: P_d stands in when none is given.
  const pt = dec(input.endPrice ?? pd);
  const fees = dec(input.fees);
  const paper = dec(input.quantity).times(pd);

  const delay = filled.times(pa.minus(pd)).times(s);
  const trading = paid.minus(filled.times(pa)).times(s);
  const opportunity = unfilled.times(pt.minus(pd)).times(s);
  const total = paid.plus(unfilled.times(pt)).minus(paper).times(s).plus(fees);

  const quote: ShortfallComponents = {
    delay: toDecimalString(delay),
    trading: toDecimalString(trading),
    opportunity: toDecimalString(opportunity),
    fees: toDecimalString(fees),
    total: toDecimalString(total),
  };
  return {
    quote,
    bps: componentsInBps(quote, paper),
    paperNotional: toDecimalString(paper),
    filledQuantity: toDecimalString(filled),
    unfilledQuantity: toDecimalString(unfilled),
  };
}

/** Each component over the notional in bps; total = the sum of the rounded components. */
export function componentsInBps(
  quote: Omit<ShortfallComponents, 'total'>,
  notional: Dec | string,
): ShortfallComponents {
  const delay = bps(quote.delay, notional);
  const trading = bps(quote.trading, notional);
  const opportunity = bps(quote.opportunity, notional);
  const fees = bps(quote.fees, notional);
  const total = toDecimalString(dec(delay).plus(trading).plus(opportunity).plus(fees));
  return { delay, trading, opportunity, fees, total };
}
