/** Small statistics helpers for benchmarks: percentiles and a printed table. */

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export interface Row {
  name: string;
  samples: number[];
}

/** Prints p50/p90/p99 (ms) per row, and each median's ratio to the baseline row's median. */
export function printLatencyTable(rows: Row[], baseline: string): void {
  const base = rows.find((r) => r.name === baseline);
  const baseMedian = base === undefined ? Number.NaN : percentile(base.samples, 50);
  const header = ['measure', 'n', 'p50 ms', 'p90 ms', 'p99 ms', 'p50 / floor'];
  const lines = rows.map((r) => {
    const p50 = percentile(r.samples, 50);
    return [
      r.name,
      String(r.samples.length),
      p50.toFixed(1),
      percentile(r.samples, 90).toFixed(1),
      percentile(r.samples, 99).toFixed(1),
      (p50 / baseMedian).toFixed(1) + '×',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ') + ' |';
  console.log(fmt(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const l of lines) console.log(fmt(l));
}

/** Prints a Markdown table: a header row and lines of cells, columns padded to their widest cell. */
export function printTable(header: string[], lines: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ') + ' |';
  console.log(fmt(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const l of lines) console.log(fmt(l));
}
