/**
 * The order planner: from a target net position and what is held and working now, the orders that
 * close the difference. Pure; the rebalance workflow gathers the facts and starts the orders.
 *
 * Rules, per target:
 * - projected position = position + working buys − working sells, so a second run while the
 *   first run's orders still work plans nothing more;
 * - the difference is rounded DOWN to the lot size: an order never overshoots the target;
 * - the part that only shrinks |position| toward zero is reduce-only (by the same arithmetic as the
 *   pre-trade REDUCE_ONLY rule: the position less working orders on the same side); an order that
 *   crosses zero is split into a reduce-only close and an opening order;
 * - a part below the venue's minimum amount or notional is not sent: it is listed as a skip with
 *   its reason (a close too small on its own joins the opening order instead, which is then not
 *   reduce-only);
 * - each order goes as a single market order or, from the automatic choice's TWAP threshold, as a
 *   parent order (chooseExecution, the same rule as autoOrderWorkflow);
 * - a negative target on a spot venue is an issue (SHORT_NOT_SUPPORTED), never clamped to zero.
 */
import { chooseExecution, type AutoChoiceConfig, type Urgency } from './algos/auto-choice';
import type { Quote } from './algos/types';
import { Dec, dec, roundToStep, toDecimalString } from './decimal';
import type { MarketRules } from './market-rules';
import type { RequestIssue, Side } from './order-request';

/** What the planner needs to know about one target (gathered by the rebalance activity). */
export interface RebalanceFacts {
  venue: string;
  symbol: string;
  strategyId?: string;
  /** Target net position, base asset, signed. */
  target: string;
  /** Net position now, base asset, signed. */
  position: string;
  /** Remaining quantity of working buy orders (≥ 0). */
  workingBuy: string;
  /** Remaining quantity of working sell orders (≥ 0). */
  workingSell: string;
  rules: MarketRules;
  quote: Quote;
  /** A spot market holds no short position. */
  spot: boolean;
}

export interface PlanOptions {
  rebalanceId: string;
  urgency: Urgency;
  config: AutoChoiceConfig;
}

export type SkipCode = 'ZERO_DELTA' | 'BELOW_LOT_SIZE' | 'BELOW_MIN_AMOUNT' | 'BELOW_MIN_NOTIONAL';

export interface PlannedOrder {
  orderId: string;
  venue: string;
  symbol: string;
  strategyId?: string;
  side: Side;
  quantity: string;
  reduceOnly: boolean;
  /** 'order': a market order; 'parent': an automatic order above the TWAP threshold. */
  kind: 'order' | 'parent';
  /** Why this kind (the automatic choice's reason). */
  reason: string;
}

export interface PlanSkip {
  code: SkipCode;
  /** Absent for ZERO_DELTA. */
  side?: Side;
  quantity: string;
  message: string;
}

/** A target whose facts could not be gathered (unknown venue or symbol, venue down …). */
export interface UnavailableTarget {
  venue: string;
  symbol: string;
  strategyId?: string;
  target: string;
  unavailable: RequestIssue;
}

export interface TargetPlan {
  venue: string;
  symbol: string;
  strategyId?: string;
  target: string;
  /** The next four are absent when the target's facts could not be gathered. */
  position?: string;
  /** Net remaining of working orders, signed (buys − sells). */
  working?: string;
  projected?: string;
  /** target − projected, signed, before rounding. */
  delta?: string;
  referencePrice?: string;
  orders: PlannedOrder[];
  skips: PlanSkip[];
  issues: RequestIssue[];
}

const ORDER_ID_MAX = 200;
const ORDER_ID_PATTERN = /^[A-Za-z0-9._:/@-]{1,200}$/;

/**
 * `<rebalanceId>-<venue>-<BASE-QUOTE>[-<strategy>][-<n>]`: deterministic, so a re-run of the same
 * rebalance id plans the same ids and a start that already happened is not repeated. The strategy
 * keeps two strategies' targets on one market apart; n numbers the orders of a target that needs
 * more than one (a close and an open, or pieces of the venue's maximum amount).
 */
export function rebalanceOrderId(
  rebalanceId: string,
  target: { venue: string; symbol: string; strategyId?: string },
  n?: number,
): string {
  return [rebalanceId, target.venue, target.symbol.replace('/', '-'), target.strategyId, n]
    .filter((part) => part !== undefined)
    .join('-');
}

function referencePriceOf(quote: Quote): Dec | undefined {
  if (quote.bid !== undefined && quote.ask !== undefined) return dec(quote.bid).plus(quote.ask).dividedBy(2);
  const side = quote.bid ?? quote.ask;
  return side === undefined ? undefined : dec(side);
}

/** Why a quantity cannot be sent alone (below the minimum amount or notional); undefined: it can. */
function belowMinimum(
  quantity: Dec,
  rules: MarketRules,
  price: Dec | undefined,
): { code: SkipCode; message: string } | undefined {
  if (rules.minAmount !== undefined && quantity.lessThan(rules.minAmount))
    return {
      code: 'BELOW_MIN_AMOUNT',
      message: `${toDecimalString(quantity)} is below the minimum amount ${rules.minAmount}`,
    };
  if (rules.minNotional !== undefined && price !== undefined) {
    const notional = quantity.times(price);
    if (notional.lessThan(rules.minNotional))
      return {
        code: 'BELOW_MIN_NOTIONAL',
        message: `notional ${toDecimalString(notional.toDecimalPlaces(8))} ${rules.quote} is below the minimum ${rules.minNotional}`,
      };
  }
  return undefined;
}

/**
 * Pieces of at most the venue's maximum amount, each a multiple of the lot size, summing exactly
 * to `quantity` (itself a multiple): equal pieces, the rounding spread one lot at a time.
 */
export function splitToMaximum(quantity: string, maxAmount: string | undefined, step: string): string[] {
  if (maxAmount === undefined) return [quantity];
  const max = dec(roundToStep(maxAmount, step));
  const q = dec(quantity);
  if (q.lessThanOrEqualTo(max) || !max.greaterThan(0)) return [quantity];
  const n = q.dividedBy(max).toDecimalPlaces(0, Dec.ROUND_CEIL).toNumber();
  const base = dec(roundToStep(q.dividedBy(n), step));
  const extraLots = q.minus(base.times(n)).dividedBy(step).toNumber();
  return Array.from({ length: n }, (_, i) => toDecimalString(i < extraLots ? base.plus(step) : base));
}

interface Part {
  quantity: Dec;
  reduceOnly: boolean;
}

/** Plans one target. */
export function planTarget(facts: RebalanceFacts, options: PlanOptions): TargetPlan {
  const { rules } = facts;
  const position = dec(facts.position);
  const workingBuy = dec(facts.workingBuy);
  const workingSell = dec(facts.workingSell);
  const working = workingBuy.minus(workingSell);
  const projected = position.plus(working);
  const delta = dec(facts.target).minus(projected);
  const price = referencePriceOf(facts.quote);
  const plan: TargetPlan = {
    venue: facts.venue,
    symbol: facts.symbol,
    ...(facts.strategyId === undefined ? {} : { strategyId: facts.strategyId }),
    target: toDecimalString(facts.target),
    position: toDecimalString(position),
    working: toDecimalString(working),
    projected: toDecimalString(projected),
    delta: toDecimalString(delta),
    ...(price === undefined ? {} : { referencePrice: toDecimalString(price) }),
    orders: [],
    skips: [],
    issues: [],
  };

  if (facts.spot && dec(facts.target).isNegative()) {
    plan.issues.push({
      code: 'SHORT_NOT_SUPPORTED',
      message: `${facts.venue} ${facts.symbol} is a spot market: it cannot hold the short target ${plan.target}`,
    });
    return plan;
  }
  if (delta.isZero()) {
    plan.skips.push({ code: 'ZERO_DELTA', quantity: '0', message: 'the projected position is the target' });
    return plan;
  }

  const side: Side = delta.greaterThan(0) ? 'buy' : 'sell';
  const wanted = delta.abs();
  const total = dec(roundToStep(wanted, rules.amountStep));
  const skip = (code: SkipCode, quantity: Dec, message: string) =>
    plan.skips.push({ code, side, quantity: toDecimalString(quantity), message });
  const residual = wanted.minus(total);
  if (!residual.isZero())
    skip(
      'BELOW_LOT_SIZE',
      residual,
      `${toDecimalString(residual)} is below the lot size ${rules.amountStep}: rounded down, never past the target`,
    );
  if (total.isZero()) return plan;

  // What this order may close: the position on the other side, less what working orders on this
  // side already close (the REDUCE_ONLY rule's arithmetic). A spot account is never short at the
  // venue, so a buy there never counts as reducing, whatever the ledger says.
  const closeable =
    side === 'sell'
      ? position.minus(workingSell)
      : facts.spot
        ? new Dec(0)
        : position.negated().minus(workingBuy);
  const close = Dec.min(total, dec(roundToStep(Dec.max(closeable, 0), rules.amountStep)));
  const open = total.minus(close);

  const parts: Part[] = [];
  const closeTooSmall = close.isZero() ? undefined : belowMinimum(close, rules, price);
  if (closeTooSmall === undefined) {
    if (!close.isZero()) parts.push({ quantity: close, reduceOnly: true });
    if (!open.isZero()) {
      const openTooSmall = belowMinimum(open, rules, price);
      if (openTooSmall === undefined) parts.push({ quantity: open, reduceOnly: false });
      else skip(openTooSmall.code, open, openTooSmall.message);
    }
  } else if (open.isZero()) {
    skip(closeTooSmall.code, close, closeTooSmall.message);
  } else {
    // Too small to close alone: one order through zero instead (not reduce-only: it opens too).
    const tooSmall = belowMinimum(total, rules, price);
    if (tooSmall === undefined) parts.push({ quantity: total, reduceOnly: false });
    else skip(tooSmall.code, total, tooSmall.message);
  }

  const orders = parts.flatMap((part) => {
    const choice = chooseExecution(
      { side, quantity: toDecimalString(part.quantity), urgency: options.urgency },
      facts.quote,
      options.config,
      rules.priceStep,
    );
    const kind = choice.kind === 'twap' ? ('parent' as const) : ('order' as const);
    // A parent slices itself; a single market order must fit the venue's maximum.
    const pieces =
      kind === 'parent'
        ? [toDecimalString(part.quantity)]
        : splitToMaximum(toDecimalString(part.quantity), rules.maxAmount, rules.amountStep);
    const reason = kind === 'parent' ? choice.reason : 'below the TWAP threshold: a market order';
    return pieces.map((quantity) => ({ quantity, reduceOnly: part.reduceOnly, kind, reason }));
  });
  plan.orders = orders.map((o, i) => ({
    orderId: rebalanceOrderId(options.rebalanceId, facts, orders.length === 1 ? undefined : i + 1),
    venue: facts.venue,
    symbol: facts.symbol,
    ...(facts.strategyId === undefined ? {} : { strategyId: facts.strategyId }),
    side,
    quantity: o.quantity,
    reduceOnly: o.reduceOnly,
    kind: o.kind,
    reason: o.reason,
  }));
  for (const o of plan.orders)
    if (o.orderId.length > ORDER_ID_MAX || !ORDER_ID_PATTERN.test(o.orderId))
      plan.issues.push({
        code: 'INVALID_ORDER_ID',
        message: `the order id "${o.orderId}" is not 1-${ORDER_ID_MAX} characters of [A-Za-z0-9._:/@-]: use a shorter rebalance id or strategy`,
      });
  return plan;
}

export interface RebalancePlan {
  targets: TargetPlan[];
  /** Every target's issues, with the target they are about: any issue and nothing is started. */
  issues: RequestIssue[];
  orders: PlannedOrder[];
}

export function planRebalance(
  facts: ReadonlyArray<RebalanceFacts | UnavailableTarget>,
  options: PlanOptions,
): RebalancePlan {
  const targets = facts.map((f) =>
    'unavailable' in f
      ? {
          venue: f.venue,
          symbol: f.symbol,
          ...(f.strategyId === undefined ? {} : { strategyId: f.strategyId }),
          target: toDecimalString(f.target),
          orders: [],
          skips: [],
          issues: [f.unavailable],
        }
      : planTarget(f, options),
  );
  return {
    targets,
    issues: targets.flatMap((t, i) => t.issues.map((issue) => ({ ...issue, field: `targets[${i}]` }))),
    orders: targets.flatMap((t) => t.orders),
  };
}
