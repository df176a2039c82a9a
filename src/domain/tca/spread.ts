/**
 * Effective spread: twice the distance from the mid at which each fill traded,
 *   effective spread = Σ 2·s·qᵢ·(pᵢ − mᵢ) over Σ qᵢ·mᵢ
 * (a notional-weighted average of 2·s·(pᵢ − mᵢ)/mᵢ), in bps: positive = paid across the mid,
 * negative = price improvement (a passive fill at the bid on a buy). mᵢ is the mid when the fill
 * happened if the caller gives it, else the arrival mid; the latter folds the market's drift since
 * arrival into the figure, so `reference` says which was used.
 */
import { Dec, dec } from '../decimal';
import { measure, sideSign } from './math';
import type { Measure, TcaFill, TcaSide } from './types';

export type SpreadReference = 'fill-mid' | 'arrival-mid' | 'mixed';

export function effectiveSpread(
  side: TcaSide,
  fills: readonly TcaFill[],
  arrivalMid: string,
): (Measure & { reference: SpreadReference }) | undefined {
  if (fills.length === 0) return undefined;
  const s = sideSign(side);
  let cost = new Dec(0);
  let notional = new Dec(0);
  let own = 0;
  for (const f of fills) {
    if (f.mid !== undefined) own += 1;
    const mid = dec(f.mid ?? arrivalMid);
    cost = cost.plus(
      dec(f.quantity)
        .times(dec(f.price).minus(mid))
        .times(2 * s),
    );
    notional = notional.plus(mid.times(f.quantity));
  }
  const reference = own === fills.length ? 'fill-mid' : own === 0 ? 'arrival-mid' : 'mixed';
  return { ...measure(cost, notional), reference };
}
