/**
 * The pre-trade risk rules, one function per reason code, in the order checkRisk reports them.
 * Each rule checks only when its limit is set; a limit whose data the context lacks refuses the
 * order (fail closed: risk that cannot be measured is not taken). Limits that bound a level
 * (position, exposure) refuse only orders that make the level worse, so an order that reduces a
 * breach always passes.
 */
import { Dec } from '../decimal';
import type { RequestIssue } from '../order-request';
import { type OrderFacts, show, valuation } from './facts';
import { signalHash } from './signal-hash';
import type { RiskCode } from './types';

type Out = RequestIssue[];
type Rule = (f: OrderFacts, out: Out) => void;

function issue(out: Out, code: RiskCode, message: string, field?: string): void {
  out.push(field === undefined ? { code, message } : { code, field, message });
}

const noMid = (f: OrderFacts) => `no current mid price for ${f.order.symbol} at ${f.order.venue}`;
const noPosition = (f: OrderFacts) => `the position in ${f.order.symbol} at ${f.order.venue} is unknown`;

const maxOrderQuantity: Rule = (f, out) => {
  const max = f.limits.maxOrderQuantity;
  if (max === undefined || !f.quantity.greaterThan(max)) return;
  issue(
    out,
    'MAX_ORDER_QUANTITY',
    `quantity ${show(f.quantity)} ${f.base} exceeds the maximum order quantity ${show(max)} ${f.base}`,
    'quantity',
  );
};

const maxNotional: Rule = (f, out) => {
  const max = f.limits.maxOrderNotional;
  if (max === undefined) return;
  if (f.notional === undefined)
    return issue(out, 'MAX_NOTIONAL', `cannot value the order: ${noMid(f)}`, 'quantity');
  if (!f.notional.greaterThan(max)) return;
  issue(
    out,
    'MAX_NOTIONAL',
    `notional ${show(f.notional)} ${f.quote}${valuation(f)} exceeds the maximum ${show(max)} ${f.quote}`,
    'quantity',
  );
};

const priceCollar: Rule = (f, out) => {
  const bps = f.limits.priceCollarBps;
  if (bps === undefined) return;
  for (const field of ['limitPrice', 'stopPrice'] as const) {
    const text = f.order[field];
    if (text === undefined) continue;
    if (f.mid === undefined) {
      issue(out, 'PRICE_COLLAR', `cannot check ${field} ${text}: ${noMid(f)}`, field);
      continue;
    }
    // |price − mid| / mid > bps / 10 000, without dividing: |price − mid| × 10 000 > bps × mid.
    const distance = new Dec(text).minus(f.mid).abs();
    if (!distance.times(10_000).greaterThan(f.mid.times(bps))) continue;
    const away = distance.times(10_000).dividedBy(f.mid).toDecimalPlaces(2);
    issue(
      out,
      'PRICE_COLLAR',
      `${field} ${text} is ${show(away)} bps from the mid ${show(f.mid)}; the collar is ${bps} bps`,
      field,
    );
  }
};

const positionLimit: Rule = (f, out) => {
  const max = f.limits.maxPosition;
  if (max === undefined) return;
  if (f.position === undefined) return issue(out, 'POSITION_LIMIT', `cannot project: ${noPosition(f)}`);
  const buy = f.order.side === 'buy';
  const working = new Dec((buy ? f.context.workingBuy : f.context.workingSell) ?? 0);
  const projected = buy
    ? f.position.plus(working).plus(f.quantity)
    : f.position.minus(working).minus(f.quantity);
  if (!projected.abs().greaterThan(max)) return;
  // Only the order's own direction can break the limit: a buy long, a sell short.
  if (buy ? projected.isNegative() : projected.isPositive()) return;
  const sign = buy ? '+' : '−';
  issue(
    out,
    'POSITION_LIMIT',
    `projected position ${show(projected)} ${f.base} (position ${show(f.position)} ${sign} working ` +
      `${f.order.side}s ${show(working)} ${sign} this order ${show(f.quantity)}) exceeds the limit ` +
      `±${show(max)} ${f.base} for ${f.order.symbol} at ${f.order.venue}`,
    'quantity',
  );
};

/** Σ|e| and Σe of the other symbols' exposures (quote currency). */
function otherExposures(f: OrderFacts): { gross: Dec; net: Dec } {
  let gross = new Dec(0);
  let net = new Dec(0);
  for (const value of Object.values(f.context.exposures ?? {})) {
    const e = new Dec(value);
    gross = gross.plus(e.abs());
    net = net.plus(e);
  }
  return { gross, net };
}

/** This symbol's exposure before and after the order, at mid; undefined when it cannot be valued. */
function ownExposure(f: OrderFacts): { before: Dec; after: Dec } | string {
  if (f.mid === undefined) return `cannot value the position: ${noMid(f)}`;
  if (f.position === undefined) return `cannot value the position: ${noPosition(f)}`;
  return { before: f.position.times(f.mid), after: f.position.plus(f.signed).times(f.mid) };
}

const grossExposure: Rule = (f, out) => {
  const max = f.limits.maxGrossExposure;
  if (max === undefined) return;
  const own = ownExposure(f);
  if (typeof own === 'string') return issue(out, 'GROSS_EXPOSURE', own);
  const others = otherExposures(f).gross;
  const before = others.plus(own.before.abs());
  const after = others.plus(own.after.abs());
  if (!after.greaterThan(max) || !after.greaterThan(before)) return;
  issue(
    out,
    'GROSS_EXPOSURE',
    `gross exposure after the order ${show(after)} ${f.quote} (now ${show(before)}) exceeds the limit ` +
      `${show(max)} ${f.quote}`,
    'quantity',
  );
};

const netExposure: Rule = (f, out) => {
  const max = f.limits.maxNetExposure;
  if (max === undefined) return;
  const own = ownExposure(f);
  if (typeof own === 'string') return issue(out, 'NET_EXPOSURE', own);
  const others = otherExposures(f).net;
  const before = others.plus(own.before);
  const after = others.plus(own.after);
  if (!after.abs().greaterThan(max) || !after.abs().greaterThan(before.abs())) return;
  issue(
    out,
    'NET_EXPOSURE',
    `net exposure after the order ${show(after)} ${f.quote} (now ${show(before)}) exceeds the limit ` +
      `±${show(max)} ${f.quote}`,
    'quantity',
  );
};

const strategyName = (f: OrderFacts) =>
  f.order.strategyId === undefined ? 'orders without a strategy' : `strategy ${f.order.strategyId}`;

const dailyOrderCount: Rule = (f, out) => {
  const max = f.limits.maxDailyOrders;
  if (max === undefined) return;
  const stats = f.context.dayStats;
  if (stats === undefined)
    return issue(out, 'DAILY_ORDER_COUNT', `the day's order count of ${strategyName(f)} is unknown`);
  if (stats.orders + 1 <= max) return;
  issue(
    out,
    'DAILY_ORDER_COUNT',
    `${strategyName(f)} has sent ${stats.orders} orders today (UTC); the limit is ${max} a day`,
  );
};

const dailyNotional: Rule = (f, out) => {
  const max = f.limits.maxDailyNotional;
  if (max === undefined) return;
  const stats = f.context.dayStats;
  if (stats === undefined)
    return issue(out, 'DAILY_NOTIONAL', `the day's notional of ${strategyName(f)} is unknown`);
  if (f.notional === undefined)
    return issue(out, 'DAILY_NOTIONAL', `cannot value the order: ${noMid(f)}`, 'quantity');
  const after = f.notional.plus(stats.notional);
  if (!after.greaterThan(max)) return;
  issue(
    out,
    'DAILY_NOTIONAL',
    `${strategyName(f)} would trade ${show(after)} ${f.quote} today (UTC): ${show(stats.notional)} so far + ` +
      `${show(f.notional)}${valuation(f)}; the limit is ${show(max)} ${f.quote} a day`,
    'quantity',
  );
};

const openOrderLimit: Rule = (f, out) => {
  const max = f.limits.maxOpenOrders;
  if (max === undefined) return;
  const open = f.context.openOrders;
  const where = `${f.order.symbol} at ${f.order.venue}`;
  if (open === undefined)
    return issue(out, 'OPEN_ORDER_LIMIT', `the number of orders working on ${where} is unknown`);
  if (open + 1 <= max) return;
  issue(out, 'OPEN_ORDER_LIMIT', `${open} orders already working on ${where}; the cap is ${max}`);
};

/**
 * Only orders with a strategy are signals; a parent's children are exempt (equal slices of one
 * parent are not a strategy firing twice, and the parent owns their idempotency).
 */
const duplicateOrder: Rule = (f, out) => {
  const window = f.limits.duplicateWindowMs;
  const { order } = f;
  if (window === undefined || order.strategyId === undefined || order.parentId !== undefined) return;
  const fingerprint = signalHash(order);
  for (const earlier of f.context.recentOrders ?? []) {
    if (earlier.fingerprint !== fingerprint || earlier.orderId === order.orderId) continue;
    const ageMs = f.nowMs - Date.parse(earlier.at);
    if (ageMs >= window) continue;
    return issue(
      out,
      'DUPLICATE_ORDER',
      `same strategy, symbol, side and quantity (${fingerprint}) as order ${earlier.orderId} ` +
        `${Math.max(0, ageMs)} ms ago; the duplicate window is ${window} ms`,
    );
  }
};

const staleSignal: Rule = (f, out) => {
  const ttl = f.limits.signalTtlMs;
  const decided = f.order.decisionTime;
  if (ttl === undefined || decided === undefined) return;
  const ageMs = f.nowMs - Date.parse(decided);
  if (ageMs <= ttl) return;
  issue(
    out,
    'STALE_SIGNAL',
    `the decision was made ${ageMs} ms ago (at ${decided}); signals expire after ${ttl} ms`,
    'decisionTime',
  );
};

/** A reduce-only order may shrink the position towards zero, never grow or flip it. */
const reduceOnly: Rule = (f, out) => {
  if (f.order.reduceOnly !== true) return;
  if (f.position === undefined)
    return issue(out, 'REDUCE_ONLY', `cannot check: ${noPosition(f)}`, 'reduceOnly');
  const buy = f.order.side === 'buy';
  const working = new Dec((buy ? f.context.workingBuy : f.context.workingSell) ?? 0);
  const reducible = buy ? f.position.negated() : f.position;
  if (reducible.greaterThanOrEqualTo(working.plus(f.quantity)) && reducible.isPositive()) return;
  const after = f.position.plus(buy ? working : working.negated()).plus(f.signed);
  issue(
    out,
    'REDUCE_ONLY',
    `a reduce-only ${f.order.side} of ${show(f.quantity)} ${f.base} would take the position ` +
      `${show(f.position)} to ${show(after)} (working ${f.order.side}s ${show(working)})`,
    'reduceOnly',
  );
};

/** A buy spends the quote currency (at the order's valuation price), a sell the base asset. */
const insufficientBalance: Rule = (f, out) => {
  if (f.limits.checkBalance !== true) return;
  const balances = f.context.balances;
  if (balances === undefined)
    return issue(out, 'INSUFFICIENT_BALANCE', `the balances at ${f.order.venue} are unknown`);
  const buy = f.order.side === 'buy';
  const currency = buy ? f.quote : f.base;
  const needed = buy ? f.notional : f.quantity;
  if (needed === undefined)
    return issue(out, 'INSUFFICIENT_BALANCE', `cannot value the order: ${noMid(f)}`, 'quantity');
  const free = new Dec(balances[currency] ?? 0);
  if (!needed.greaterThan(free)) return;
  issue(
    out,
    'INSUFFICIENT_BALANCE',
    `the order needs ${show(needed)} ${currency}${buy ? valuation(f) : ''}; ${show(free)} ${currency} ` +
      `free at ${f.order.venue}`,
    'quantity',
  );
};

/** Every rule, in the reporting order of RISK_CODES. */
export const RULES: readonly Rule[] = [
  maxOrderQuantity,
  maxNotional,
  priceCollar,
  positionLimit,
  grossExposure,
  netExposure,
  dailyOrderCount,
  dailyNotional,
  openOrderLimit,
  duplicateOrder,
  staleSignal,
  reduceOnly,
  insufficientBalance,
];
