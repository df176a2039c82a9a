/** Human-readable output of `ordo algo …` (the --json output is the data itself). */
import { formatDuration } from '../domain/algos/duration';
import type { ParentRequest } from '../domain/algos/params';
import { type ParentPlan, plannedTotal } from '../domain/algos/plan';
import type { ParentCommandResult, ParentProgress } from '../workflows/parent-messages';
import type { ParentSummary } from './algos';

/** Left-aligned columns, two spaces apart. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** One line saying what a request does: side, size, symbol, venue, window and price limit. */
export function describeRequest(r: ParentRequest): string {
  const venue = r.algo === 'route' && r.venues !== undefined ? r.venues.join(',') : r.venue || 'every venue';
  const until = r.endAt === undefined ? '' : ` until ${r.endAt}`;
  const limit = r.limitPrice === undefined ? '' : `, limit ${r.limitPrice}`;
  return `${r.side} ${r.quantity} ${r.symbol} on ${venue}, from ${r.startAt}${until}${limit} (${r.aggression})`;
}

/** The algorithm's own knobs, as the normalised request has them. */
function knobs(r: ParentRequest): string {
  switch (r.algo) {
    case 'twap':
      return `every ${formatDuration(r.intervalMs)}, randomization ${r.randomization}, seed ${r.seed}`;
    case 'vwap':
      return `every ${formatDuration(r.intervalMs)}, ${r.profile === undefined ? `profile from ${r.lookbackDays} days of candles` : 'given profile'}${r.maxParticipation === undefined ? '' : `, at most ${r.maxParticipation} of volume`}`;
    case 'pov':
      return `participation ${r.participation} (${r.minParticipation}–${r.maxParticipation}), checked every ${formatDuration(r.checkIntervalMs)}`;
    case 'is':
      return `${r.slices} slices, time unit ${formatDuration(r.timeUnitMs)}`;
    case 'iceberg':
      return `shows ${r.displayQuantity} ±${r.displayRandomization}, seed ${r.seed}`;
    case 'route':
      return `up to ${r.maxRounds} rounds, ${formatDuration(r.retryIntervalMs)} apart`;
  }
}

export function formatPlan(plan: ParentPlan): string {
  const lines = [`${plan.algo}: ${describeRequest(plan.params)}`, `  ${knobs(plan.params)}`];
  if (plan.slices.length === 0) lines.push('  no fixed schedule');
  else {
    const rows = plan.slices.map((s) => [String(s.index), s.at, s.quantity]);
    lines.push(...table(['#', 'at', 'quantity'], rows).map((l) => `  ${l}`));
    lines.push(`  total ${plannedTotal(plan)} in ${plan.slices.length} slices`);
  }
  // Per model interval, so a slice dropped after lot rounding does not shift the others.
  if (plan.holdings !== undefined) lines.push(`  holdings x_0 … x_N: ${plan.holdings.join(', ')}`);
  if (plan.kappa !== undefined)
    lines.push(
      `  κ ${plan.kappa} per time unit, expected cost ${plan.expectedCost}, variance ${plan.variance}`,
    );
  lines.push(...plan.notes.map((n) => `  note: ${n}`));
  return lines.join('\n');
}

export function formatParentProgress(p: ParentProgress): string {
  const average = p.averagePrice === undefined ? '' : `, average ${p.averagePrice}`;
  const arrival = p.arrivalPrice === undefined ? '' : `, arrival ${p.arrivalPrice}`;
  const lines = [
    `${p.parentId}  ${p.algo}  ${p.status}${p.reason ? ` (${p.reason})` : ''}`,
    ...(p.request === undefined ? [] : [`  ${describeRequest(p.request)}`]),
    `  filled ${p.filledQuantity} of ${p.quantity}, remaining ${p.remainingQuantity}${average}${arrival}`,
    `  scheduled by now ${p.scheduledQuantity}${p.behindSchedule ? ', BEHIND SCHEDULE' : ''}`,
  ];
  if (p.slices.length > 0) {
    const rows = p.slices.map((s) => [
      String(s.index),
      s.scheduledAt,
      s.targetQuantity,
      s.filledQuantity,
      s.status,
      s.averagePrice ?? '',
      s.childId ?? '',
      s.note ?? '',
    ]);
    const header = ['#', 'scheduled at', 'target', 'filled', 'status', 'average', 'child', 'note'];
    lines.push(...table(header, rows).map((l) => `  ${l}`));
  }
  lines.push(...p.notes.map((n) => `  note: ${n}`));
  lines.push(...p.history.map((h) => `  ${h.at}  ${h.status}${h.reason ? `  ${h.reason}` : ''}`));
  return lines.join('\n');
}

export function formatParentList(list: ParentSummary[]): string {
  if (list.length === 0) return 'no parent orders';
  const rows = list.map((o) => [
    o.parentId,
    o.algo ?? '-',
    o.status ?? '-',
    o.side ?? '-',
    o.symbol ?? '-',
    o.venue ?? '-',
    o.startedAt,
  ]);
  return table(['id', 'algo', 'status', 'side', 'symbol', 'venue', 'started'], rows).join('\n');
}

/** `paused: PAUSED`, or `not paused (PARENT_ENDED …): COMPLETED`. */
export function formatParentCommand(done: string, result: ParentCommandResult): string {
  return result.accepted
    ? `${done}: ${result.status}`
    : `not ${done} (${result.reason ?? 'refused'}): ${result.status}`;
}
