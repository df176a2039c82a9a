/**
 * `ordo tca` as text: the order, its prices, its fills, then the shortfall split (quote currency
 * and bps of the paper notional) and the other measures. Positive = a cost, for buys and sells.
 */
import type { OrderTcaReport } from '../activities/tca-types';
import type { Measure } from '../domain/tca/types';

const LABEL = 20;

function row(label: string, value: string): string {
  return `${label.padEnd(LABEL)}${value}`;
}

function bpsOf(m: Measure | undefined): string {
  return m === undefined ? '-' : `${m.bps} bp  (${m.quote} over ${m.notional})`;
}

export function formatTca(r: OrderTcaReport): string {
  const q = r.quoteCurrency;
  const what =
    r.kind === 'parent'
      ? `parent ${r.orderId ?? ''} (${r.children ?? 0} children)`
      : `order ${r.orderId ?? ''}`;
  const lines = [
    `TCA of ${what}: ${r.side} ${r.requestedQuantity} ${r.symbol}${r.venue === undefined ? '' : ` on ${r.venue}`}, ${r.status}`,
    row('interval', `${r.requestedAt} → ${r.endAt} (${r.marketTrades} market trades)`),
    row('arrival mid', r.arrivalPrice),
    row('decision price', r.decisionPrice ?? '- (none: the benchmark is the arrival mid)'),
    row('average price', r.averagePrice ?? '-'),
    row('market VWAP', r.marketVwap ?? '- (no market trades in the interval)'),
    ...(r.endPrice === undefined ? [] : [row('end price', `${r.endPrice} (${r.endPriceSource ?? 'given'})`)]),
    row('filled', `${r.filledQuantity} of ${r.requestedQuantity} (fill rate ${r.fillRate})`),
    row('latency', r.latencyMs === undefined ? '- (no fill)' : `${r.latencyMs} ms to the first fill`),
    row('fills', r.fills.length === 0 ? 'none' : `${r.fills.length}`),
    ...r.fills.map((f) =>
      `  ${f.timestamp}  ${f.quantity} @ ${f.price}  fee ${f.fee} ${f.feeCurrency}`.trimEnd(),
    ),
    '',
    `${'shortfall'.padEnd(LABEL)}${q.padEnd(24)}bps of ${r.paperNotional} ${q}`,
    ...(['delay', 'trading', 'opportunity', 'fees', 'total'] as const).map((k) =>
      row(`  ${k}`, `${r.shortfall.quote[k].padEnd(24)}${r.shortfall.bps[k]}`),
    ),
    '',
    row('VWAP performance', bpsOf(r.vwapPerformance)),
    row('slippage', bpsOf(r.slippage)),
    row(
      'effective spread',
      r.effectiveSpread === undefined ? '-' : `${bpsOf(r.effectiveSpread)} vs ${r.effectiveSpread.reference}`,
    ),
  ];
  if (r.unconvertedFees.length > 0)
    lines.push(
      row(
        'fees not in total',
        r.unconvertedFees.map((f) => `${f.amount} ${f.currency || '(no currency)'}`).join(', '),
      ),
    );
  return lines.join('\n');
}
