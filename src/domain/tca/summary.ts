/**
 * Many orders' TCA combined: a daily summary per strategy, and a venue comparison. Amounts are
 * summed and then divided, so every bps figure is the notional-weighted average of the orders'
 * own (shortfall over paper notional, slippage over filled notional at arrival, and so on), with
 * nothing lost to the per-order rounding. Latency is p50/p90 (nearest rank) over the orders that
 * filled. Orders must share a quote currency (MIXED_QUOTE_CURRENCIES otherwise): sums of USDT and
 * BTC mean nothing.
 *
 * Pass standalone orders and parents (not their children) for the strategy summary, so nothing
 * counts twice; pass the children (each with its own venue) for the venue comparison.
 */
import { Dec, dec, toDecimalString } from '../decimal';
import { latencyStats } from './latency';
import { rate, sumMeasures } from './math';
import { componentsInBps } from './shortfall';
import {
  type FeeAmount,
  type Measure,
  type StrategyDaySummary,
  TcaError,
  type TcaAggregate,
  type TcaOrderResult,
  type VenueSummary,
} from './types';

const defined = <T>(values: ReadonlyArray<T | undefined>): T[] =>
  values.filter((v): v is T => v !== undefined);

function sumFees(lists: ReadonlyArray<readonly FeeAmount[]>): FeeAmount[] {
  const sums = new Map<string, Dec>();
  for (const list of lists)
    for (const f of list) sums.set(f.currency, (sums.get(f.currency) ?? new Dec(0)).plus(f.amount));
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, amount]) => ({ currency, amount: toDecimalString(amount) }));
}

function withMeasure<K extends string>(key: K, m: Measure | undefined): Partial<Record<K, Measure>> {
  return m === undefined ? {} : ({ [key]: m } as Record<K, Measure>);
}

/** The orders combined; throws MIXED_QUOTE_CURRENCIES or INVALID_TCA_INPUT (no orders). */
export function aggregate(results: readonly TcaOrderResult[]): TcaAggregate {
  const first = results[0];
  if (first === undefined) throw new TcaError('INVALID_TCA_INPUT', 'nothing to aggregate');
  const quoteCurrency = first.quoteCurrency;
  const other = results.find((r) => r.quoteCurrency !== quoteCurrency);
  if (other !== undefined)
    throw new TcaError(
      'MIXED_QUOTE_CURRENCIES',
      `cannot combine ${quoteCurrency} and ${other.quoteCurrency} amounts; aggregate each quote currency apart`,
    );

  const total = {
    delay: new Dec(0),
    trading: new Dec(0),
    opportunity: new Dec(0),
    fees: new Dec(0),
    all: new Dec(0),
  };
  let paper = new Dec(0);
  let filledAtBenchmark = new Dec(0);
  for (const r of results) {
    total.delay = total.delay.plus(r.shortfall.quote.delay);
    total.trading = total.trading.plus(r.shortfall.quote.trading);
    total.opportunity = total.opportunity.plus(r.shortfall.quote.opportunity);
    total.fees = total.fees.plus(r.shortfall.quote.fees);
    total.all = total.all.plus(r.shortfall.quote.total);
    paper = paper.plus(r.paperNotional);
    filledAtBenchmark = filledAtBenchmark.plus(dec(r.filledQuantity).times(r.benchmarkPrice));
  }
  const quote = {
    delay: toDecimalString(total.delay),
    trading: toDecimalString(total.trading),
    opportunity: toDecimalString(total.opportunity),
    fees: toDecimalString(total.fees),
  };

  return {
    orders: results.length,
    filledOrders: results.filter((r) => !dec(r.filledQuantity).isZero()).length,
    quoteCurrency,
    requestedNotional: toDecimalString(paper),
    fillRate: rate(filledAtBenchmark, paper),
    shortfall: {
      quote: { ...quote, total: toDecimalString(total.all) },
      bps: componentsInBps(quote, paper),
    },
    ...withMeasure('slippage', sumMeasures(defined(results.map((r) => r.slippage)))),
    ...withMeasure('vwapPerformance', sumMeasures(defined(results.map((r) => r.vwapPerformance)))),
    ...withMeasure('effectiveSpread', sumMeasures(defined(results.map((r) => r.effectiveSpread)))),
    latencyMs: latencyStats(defined(results.map((r) => r.latencyMs))),
    unconvertedFees: sumFees(results.map((r) => r.unconvertedFees)),
  };
}

function groupBy<K>(
  results: readonly TcaOrderResult[],
  keyOf: (r: TcaOrderResult) => K,
  id: (k: K) => string,
): Array<[K, TcaOrderResult[]]> {
  const groups = new Map<string, [K, TcaOrderResult[]]>();
  for (const r of results) {
    const key = keyOf(r);
    const group = groups.get(id(key));
    if (group === undefined) groups.set(id(key), [key, [r]]);
    else group[1].push(r);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}

/** UTC calendar day of an ISO time. */
const utcDay = (iso: string): string => new Date(Date.parse(iso)).toISOString().slice(0, 10);

/** One summary per UTC day (of requestedAt) and strategy, sorted by day then strategy. */
export function dailyStrategySummary(results: readonly TcaOrderResult[]): StrategyDaySummary[] {
  return groupBy(
    results,
    (r) => ({ day: utcDay(r.requestedAt), strategyId: r.strategyId }),
    // Orders without a strategy sort first within their day (\u0000 before any id).
    (k) => `${k.day}\u0001${k.strategyId === undefined ? '\u0000' : `\u0001${k.strategyId}`}`,
  ).map(([k, group]) => ({
    day: k.day,
    ...(k.strategyId === undefined ? {} : { strategyId: k.strategyId }),
    ...aggregate(group),
  }));
}

/** One summary per venue (orders without a venue grouped first), sorted by venue. */
export function venueComparison(results: readonly TcaOrderResult[]): VenueSummary[] {
  return groupBy(
    results,
    (r) => r.venue,
    (venue) => (venue === undefined ? '\u0000' : `\u0001${venue}`),
  ).map(([venue, group]) => ({ ...(venue === undefined ? {} : { venue }), ...aggregate(group) }));
}
