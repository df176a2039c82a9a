/** `ordo monitor` as text: limits, metrics per scope, active and recent alerts, working orders. */
import { formatDuration } from '../domain/algos/duration';
import type { AlertTransition, MonitorLimits, ScopeMetrics } from '../domain/monitor/types';
import type { MonitorSnapshot } from './monitor';

const percent = (rate: number) => `${(rate * 100).toFixed(2)}%`;
const ms = (value: number) => value.toFixed(1);
const bp = (value: number) => value.toFixed(2);

/** Columns padded to their widest cell; with `numbers`, all but the first column right-aligned. */
function table(rows: string[][], numbers = true): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => (i === 0 || !numbers ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

const SCOPE_WORDS: Record<MonitorLimits['alertScopes'][number], string> = {
  venue: 'each venue',
  all: 'all venues together',
};

function limitsLine(l: MonitorLimits): string {
  return (
    `limits: rejection rate ≤ ${percent(l.maxRejectionRate)}, mean latency ≤ ${ms(l.maxLatencyMs)} ms, ` +
    `mean shortfall ≤ ${bp(l.maxShortfallBps)} bp (alerts after ${l.minSamples} samples, ` +
    `clear at ${Math.round(l.clearRatio * 100)}% of a limit, for ${l.alertScopes.map((k) => SCOPE_WORDS[k]).join(' and ')})`
  );
}

function metricsTable(metrics: readonly ScopeMetrics[]): string[] {
  const header = [
    'SCOPE',
    'ORDERS',
    'REJECTED',
    'REJ RATE',
    'DENIED',
    'FILLED',
    'LATENCY mean/p50/p95 ms',
    'SHORTFALL mean/max bp',
  ];
  const rows = metrics.map((m) => [
    m.scope,
    String(m.orders),
    String(m.rejected),
    m.rejectionRate === null ? '-' : percent(m.rejectionRate),
    String(m.denied),
    String(m.filled),
    m.latency === null ? '-' : `${ms(m.latency.meanMs)} / ${m.latency.p50Ms} / ${m.latency.p95Ms}`,
    m.shortfall === null ? '-' : `${bp(m.shortfall.meanBps)} / ${bp(m.shortfall.maxBps)}`,
  ]);
  return table([header, ...rows]);
}

function transitionLine(t: AlertTransition): string {
  return `  ${t.at}  ${t.state.padEnd(7)}  ${t.severity.padEnd(6)}  ${t.type}  ${t.scope}  ${t.message}`;
}

export function formatMonitor(s: MonitorSnapshot): string {
  const lines: string[] = [];
  const m = s.monitor;
  if (m === undefined) {
    lines.push(
      `no execution monitor runs for task queue ${s.taskQueue} (start a worker with the monitor enabled)`,
    );
  } else {
    lines.push(
      `execution monitor ${m.workflowId} (task queue ${s.taskQueue}), window ${formatDuration(m.limits.windowMs)}, as of ${m.asOf}`,
      limitsLine(m.limits),
      `window: ${m.window.observations} observations${m.window.oldestAt === undefined ? '' : ` since ${m.window.oldestAt}`}` +
        (m.window.overflowed + m.window.stale > 0
          ? ` (${m.window.overflowed} dropped for room, ${m.window.stale} arrived too late)`
          : ''),
      '',
      ...(m.metrics.length === 0 ? ['no orders in the window'] : metricsTable(m.metrics)),
      '',
    );
    if (m.activeAlerts.length === 0) lines.push('active alerts: none');
    else {
      lines.push(`active alerts (${m.activeAlerts.length}):`);
      for (const a of m.activeAlerts)
        lines.push(`  ${a.severity.padEnd(6)}  ${a.type}  ${a.scope}  since ${a.raisedAt}  ${a.message}`);
    }
    const recent = m.recentAlerts.slice(-10);
    if (recent.length > 0) {
      lines.push(
        `recent alerts (latest ${recent.length} of ${m.recentAlerts.length}):`,
        ...recent.map(transitionLine),
      );
    }
    if (m.undeliveredAlerts > 0)
      lines.push(`(${m.undeliveredAlerts} alert events not delivered to the sinks yet)`);
    lines.push('');
  }
  const listed = s.working.orders.length;
  lines.push(
    `working orders: ${s.working.count}${listed < s.working.count ? ` (latest ${listed} listed)` : ''}`,
  );
  if (listed > 0) {
    const header = ['ORDER', 'STATUS', 'SIDE', 'SYMBOL', 'VENUE', 'STRATEGY', 'STARTED'];
    const rows = s.working.orders.map((o) => [
      o.orderId,
      o.status ?? '-',
      o.side ?? '-',
      o.symbol ?? '-',
      o.venue ?? '-',
      o.strategyId ?? '-',
      o.startedAt,
    ]);
    lines.push(...table([header, ...rows], false).map((l) => `  ${l}`));
  }
  return lines.join('\n');
}
