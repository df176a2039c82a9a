/** The human-readable plan of `ordo rebalance` (--json prints the result itself). */
import type { RebalanceResult } from '../workflows/rebalance-workflow';
import type { OrderOutcome } from './rebalance';

/** Left-aligned columns two spaces apart, numbers right-aligned (as format-ledger.ts's tables). */
function table(header: string[], rows: string[][], numeric: ReadonlySet<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const HEADER = [
  'VENUE',
  'SYMBOL',
  'STRATEGY',
  'POSITION',
  'WORKING',
  'TARGET',
  'ACTION',
  'QUANTITY',
  'KIND',
  'ORDER / REASON',
];

function rowsOf(result: RebalanceResult): string[][] {
  return result.targets.flatMap((t) => {
    const facts = [t.venue, t.symbol, t.strategyId ?? '-', t.position ?? '-', t.working ?? '-', t.target];
    const blank = facts.map(() => '');
    const actions = [
      ...t.orders.map((o) => [
        o.side,
        o.quantity,
        `${o.kind === 'parent' ? 'parent' : 'market'}${o.reduceOnly ? ' reduce-only' : ''}`,
        o.orderId,
      ]),
      ...t.skips.map((s) => [
        'skip',
        s.code === 'ZERO_DELTA' ? '' : `${s.side ?? ''} ${s.quantity}`.trim(),
        s.code,
        s.message,
      ]),
      ...t.issues.map((i) => ['issue', '', i.code, i.message]),
    ];
    return (actions.length === 0 ? [['', '', '', '']] : actions).map((action, i) => [
      ...(i === 0 ? facts : blank),
      ...action,
    ]);
  });
}

export function formatRebalance(result: RebalanceResult): string {
  const orders = result.orders.length;
  const head =
    `rebalance ${result.rebalanceId} (positions from ${result.from}): ${result.status}` +
    (result.status === 'PLANNED' ? ` — ${orders} order(s), nothing started (--plan)` : '');
  const lines = [head];
  if (result.targets.length > 0) lines.push(table(HEADER, rowsOf(result), new Set([3, 4, 5, 7])));
  // Issues the table cannot place (the file itself was refused) are listed on their own.
  if (result.targets.length === 0)
    for (const i of result.issues)
      lines.push(`issue ${i.field ?? ''} ${i.code}: ${i.message}`.replace('  ', ' '));
  const fresh = result.started.filter((s) => !s.alreadyStarted);
  const again = result.started.filter((s) => s.alreadyStarted);
  if (result.status === 'STARTED')
    lines.push(
      `started ${fresh.length} order(s)` +
        (again.length === 0
          ? ''
          : `; ${again.length} already started by an earlier run: ${again.map((s) => s.orderId).join(' ')}`),
    );
  return lines.join('\n');
}

export function formatOutcomes(outcomes: readonly OrderOutcome[]): string {
  return table(
    ['ORDER', 'STATUS', 'FILLED', 'AVG PRICE', 'REASON'],
    outcomes.map((o) => [
      o.orderId,
      o.status,
      o.filledQuantity ?? '-',
      o.averagePrice ?? '-',
      o.reason ?? '',
    ]),
    new Set([2, 3]),
  );
}
