/**
 * `ordo tca --day` as text: the counts, the daily summary per strategy, the venue comparison
 * (bps are notional-weighted; positive = a cost), then the orders still working (figures so far,
 * not in the summaries) and those that could not be measured, with the reason.
 */
import type { DayTcaReport } from '../activities/tca-types';
import type { DayOrderLine } from '../domain/tca/day';
import type { Measure, TcaAggregate } from '../domain/tca/types';

const COLUMNS = [
  'orders',
  'filled',
  'fill rate',
  'shortfall bp',
  'slippage bp',
  'spread bp',
  'vs VWAP bp',
  'latency p50/p90 ms',
  'notional',
] as const;

function bpsOf(m: Measure | undefined): string {
  return m === undefined ? '-' : m.bps;
}

function cells(a: TcaAggregate): string[] {
  const { p50, p90 } = a.latencyMs;
  return [
    String(a.orders),
    String(a.filledOrders),
    a.fillRate,
    a.shortfall.bps.total,
    bpsOf(a.slippage),
    bpsOf(a.effectiveSpread),
    bpsOf(a.vwapPerformance),
    p50 === undefined ? '-' : `${p50} / ${p90 ?? '-'}`,
    `${a.requestedNotional} ${a.quoteCurrency}`,
  ];
}

/** Left-aligned first column, the rest right-aligned, two spaces apart. */
export function table(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function workingLine(l: DayOrderLine): string {
  const who = [l.strategyId ?? '(no strategy)', l.venue ?? '-'].join(' on ');
  const what = `${l.side} ${l.requestedQuantity} ${l.symbol}`;
  return `  ${l.orderId}  ${l.kind === 'parent' ? 'parent ' : ''}${l.status}  ${who}  ${what}  filled ${l.filledQuantity} (fill rate ${l.fillRate})`;
}

export function formatTcaDay(r: DayTcaReport): string {
  const scope = [
    r.strategyId === undefined ? undefined : `strategy ${r.strategyId}`,
    r.venue === undefined ? undefined : `venue ${r.venue}`,
  ].filter((s): s is string => s !== undefined);
  const c = r.counts;
  const lines = [
    `TCA of ${r.day} (UTC), task queue ${r.taskQueue}${scope.length === 0 ? '' : `, ${scope.join(', ')}`}: ` +
      `${c.listed} listed, ${c.ended} ended, ${c.working} working, ${c.notAnalysed} not analysed`,
    '',
    'by strategy (ended orders and parent orders)',
    ...(r.strategies.length === 0
      ? ['  none ended']
      : table(
          ['strategy', ...COLUMNS],
          r.strategies.map((s) => [s.strategyId ?? '(none)', ...cells(s)]),
        ).map((l) => `  ${l}`)),
    '',
    "by venue (ended orders, parents' children included)",
    ...(r.venues.length === 0
      ? ['  none ended']
      : table(
          ['venue', ...COLUMNS],
          r.venues.map((v) => [v.venue ?? '(none)', ...cells(v)]),
        ).map((l) => `  ${l}`)),
  ];
  if (r.working.length > 0)
    lines.push('', `still working (figures so far, as of ${r.measuredAt})`, ...r.working.map(workingLine));
  if (r.notAnalysed.length > 0)
    lines.push(
      '',
      'not analysed',
      ...r.notAnalysed.map((n) => `  ${n.orderId}  ${n.status ?? '-'}  ${n.code}: ${n.message}`),
    );
  return lines.join('\n');
}
