/**
 * Smart order routing: splits a parent across venues by walking every venue's book levels from the
 * best effective price (price with the venue's fees) outwards, within the limit price, each venue's
 * maximum order size, lot size and minimum order size. Decimal math throughout: this is what trades.
 */
import type { Side } from '../order-request';
import { Dec, dec, roundToStep, toDecimalString, weightedAverage } from '../decimal';
import type { LotRules } from './types';

export interface RouteVenue {
  venue: string;
  /** 1 = preferred; breaks ties between equal effective prices. */
  priority: number;
  /** Proportional fee in basis points of the price. */
  costBps: number;
  /** Fixed cost per unit traded, in the quote currency. */
  costPerUnit: string;
  maxOrderSize?: string;
  rules: LotRules;
  /** The side we take (asks for a buy, bids for a sell), best first. */
  levels: { price: string; quantity: string }[];
}

export interface RouteAllocation {
  venue: string;
  quantity: string;
  /** Worst level price used: a marketable limit that cannot walk further into the book. */
  limitPrice: string;
  expectedAveragePrice: string;
  expectedFees: string;
}

interface Candidate {
  venue: number;
  level: number;
  price: Dec;
  effective: Dec;
  quantity: Dec;
}

interface Fill {
  price: Dec;
  quantity: Dec;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every usable level of every venue, best effective price first for our side. */
function candidates(side: Side, venues: readonly RouteVenue[]): Candidate[] {
  const list: Candidate[] = [];
  venues.forEach((v, venue) => {
    const fee = dec(v.costBps).dividedBy(10_000);
    v.levels.forEach((l, level) => {
      const price = dec(l.price);
      const quantity = dec(l.quantity);
      if (!price.greaterThan(0) || !quantity.greaterThan(0)) return;
      const effective =
        side === 'buy'
          ? price.times(fee.plus(1)).plus(v.costPerUnit)
          : price.times(dec(1).minus(fee)).minus(v.costPerUnit);
      list.push({ venue, level, price, effective, quantity });
    });
  });
  return list.sort((a, b) => {
    const better = side === 'buy' ? a.effective.comparedTo(b.effective) : b.effective.comparedTo(a.effective);
    const va = venues[a.venue] as RouteVenue;
    const vb = venues[b.venue] as RouteVenue;
    return better || va.priority - vb.priority || byName(va.venue, vb.venue) || a.level - b.level;
  });
}

/** The most one order may carry on a venue: the smaller of our maxOrderSize and the market's maxAmount. */
function venueCap(v: RouteVenue): Dec | undefined {
  const caps = [v.maxOrderSize, v.rules.maxAmount].filter((c): c is string => c !== undefined).map(dec);
  return caps.length === 0 ? undefined : Dec.min(...caps);
}

/** One greedy pass: take the best levels first until the quantity is placed or the levels run out. */
function greedy(total: Dec, levels: readonly Candidate[], caps: readonly (Dec | undefined)[]): Fill[][] {
  const fills: Fill[][] = caps.map(() => []);
  const taken = caps.map(() => new Dec(0));
  let remaining = total;
  for (const c of levels) {
    if (!remaining.greaterThan(0)) break;
    const cap = caps[c.venue];
    const room = cap === undefined ? c.quantity : Dec.min(c.quantity, cap.minus(taken[c.venue] as Dec));
    const take = Dec.min(remaining, room);
    if (!take.greaterThan(0)) continue;
    (fills[c.venue] as Fill[]).push({ price: c.price, quantity: take });
    taken[c.venue] = (taken[c.venue] as Dec).plus(take);
    remaining = remaining.minus(take);
  }
  return fills;
}

const sumOf = (fills: readonly Fill[]): Dec => fills.reduce((s, f) => s.plus(f.quantity), new Dec(0));

/** The worst price among the fills: a buy's highest, a sell's lowest. */
function worstPrice(side: Side, fills: readonly Fill[]): Dec {
  const prices = fills.map((f) => f.price);
  return side === 'buy' ? Dec.max(...prices) : Dec.min(...prices);
}

/** Why a venue's allocation is too small to send, or undefined when it is fine. */
function belowMinimum(quantity: Dec, limitPrice: Dec, rules: LotRules): string | undefined {
  if (rules.minAmount !== undefined && quantity.lessThan(rules.minAmount))
    return `minimum quantity ${rules.minAmount}`;
  if (rules.minNotional !== undefined && quantity.times(limitPrice).lessThan(rules.minNotional))
    return `minimum notional ${rules.minNotional} at ${toDecimalString(limitPrice)}`;
  return undefined;
}

/** Keeps the best fills up to `quantity` (used when a venue's total is rounded down to its lot). */
function trimTo(fills: readonly Fill[], quantity: Dec): Fill[] {
  const kept: Fill[] = [];
  let left = quantity;
  for (const f of fills) {
    if (!left.greaterThan(0)) break;
    const take = Dec.min(f.quantity, left);
    kept.push({ price: f.price, quantity: take });
    left = left.minus(take);
  }
  return kept;
}

function allocationOf(side: Side, v: RouteVenue, fills: readonly Fill[]): RouteAllocation {
  const fee = dec(v.costBps).dividedBy(10_000);
  const fees = fills.reduce(
    (s, f) => s.plus(f.quantity.times(f.price.times(fee).plus(v.costPerUnit))),
    new Dec(0),
  );
  return {
    venue: v.venue,
    quantity: toDecimalString(sumOf(fills)),
    limitPrice: toDecimalString(worstPrice(side, fills)),
    expectedAveragePrice:
      weightedAverage(fills.map((f) => ({ price: f.price.toString(), quantity: f.quantity.toString() }))) ??
      '0',
    expectedFees: toDecimalString(fees),
  };
}

/**
 * Splits `order` across `venues`. Iterates greedy passes: a venue whose share is not a lot multiple
 * is capped at its rounded share, and a venue whose share is below its minimum is dropped (least
 * preferred first, one at a time), each time re-offering what it gave up to the other venues' books.
 */
export function routeOrder(
  order: { side: Side; quantity: string; limitPrice?: string },
  venues: readonly RouteVenue[],
): { allocations: RouteAllocation[]; unallocated: string; notes: string[] } {
  const notes: string[] = [];
  const total = dec(order.quantity);
  const all = candidates(order.side, venues);
  const limit = order.limitPrice === undefined ? undefined : dec(order.limitPrice);
  const within = all.filter(
    (c) =>
      limit === undefined || (order.side === 'buy' ? c.price.lessThanOrEqualTo(limit) : c.price.gte(limit)),
  );

  const caps = venues.map(venueCap);
  const preference = venues
    .map((_, i) => i)
    .sort((a, b) => {
      const va = venues[a] as RouteVenue;
      const vb = venues[b] as RouteVenue;
      return va.priority - vb.priority || byName(va.venue, vb.venue);
    });
  // Each pass lowers a cap by at least one lot or drops a venue, so this converges; the bound only
  // guards against pathological books, and the final rounding below keeps the result valid anyway.
  const maxPasses = 20 * (venues.length + 1);
  let fills = greedy(total, within, caps);
  for (let pass = 0; pass < maxPasses; pass++) {
    let changed = false;
    fills.forEach((f, i) => {
      const share = sumOf(f);
      const rounded = dec(roundToStep(share, (venues[i] as RouteVenue).rules.amountStep, 'down'));
      if (rounded.lessThan(share)) {
        caps[i] = rounded;
        changed = true;
      }
    });
    if (!changed)
      for (const i of [...preference].reverse()) {
        const f = fills[i] as Fill[];
        const share = sumOf(f);
        if (share.isZero()) continue;
        const v = venues[i] as RouteVenue;
        const why = belowMinimum(share, worstPrice(order.side, f), v.rules);
        if (why === undefined) continue;
        caps[i] = new Dec(0);
        notes.push(`${v.venue}: ${toDecimalString(share)} is below its ${why}; offered to the other venues`);
        changed = true;
        break;
      }
    if (!changed) break;
    fills = greedy(total, within, caps);
  }

  const allocations: RouteAllocation[] = [];
  let placed = new Dec(0);
  for (const i of preference) {
    const v = venues[i] as RouteVenue;
    const f = fills[i] as Fill[];
    const kept = trimTo(f, dec(roundToStep(sumOf(f), v.rules.amountStep, 'down')));
    const share = sumOf(kept);
    if (share.isZero() || belowMinimum(share, worstPrice(order.side, kept), v.rules) !== undefined) continue;
    const cap = venueCap(v);
    const available = sumOf(within.filter((c) => c.venue === i));
    if (cap !== undefined && share.gte(roundToStep(cap, v.rules.amountStep)) && available.greaterThan(share))
      notes.push(`${v.venue}: capped at its maximum order size ${toDecimalString(cap)}`);
    allocations.push(allocationOf(order.side, v, kept));
    placed = placed.plus(share);
  }
  const unallocated = toDecimalString(total.minus(placed));
  // Only worth saying when the limit is what may have held the order back.
  if (placed.lessThan(total) && within.length < all.length)
    notes.push(`book levels beyond the limit price ${order.limitPrice} were not used`);
  if (placed.lessThan(total))
    notes.push(
      `${unallocated} could not be placed within the venues' books, limit price, order sizes and lot sizes`,
    );
  return { allocations, unallocated, notes };
}
