/** Human-readable tables for `ordo trades` and `ordo positions` (--json prints the data itself). */
import type { Position } from '../domain/positions';
import type { LedgerTrade } from '../ledger/types';

/** Left-aligned columns, two spaces apart; numbers right-aligned so decimals line up by magnitude. */
function table(header: string[], rows: string[][], numeric: ReadonlySet<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function formatTrades(trades: readonly LedgerTrade[]): string {
  if (trades.length === 0) return 'no trades';
  return table(
    ['TIME', 'SIDE', 'SIZE', 'SYMBOL', 'PRICE', 'FEE', 'VENUE', 'ORDER', 'STRATEGY', 'PARENT'],
    trades.map((t) => [
      t.timestamp,
      t.direction,
      t.size,
      t.symbol,
      t.price,
      `${t.fee}${t.feeCurrency ? ` ${t.feeCurrency}` : ''}`,
      t.venue,
      t.orderId,
      t.strategyId ?? '-',
      t.parentId ?? '-',
    ]),
    new Set([2, 4]),
  );
}

export function formatPositions(positions: readonly Position[]): string {
  if (positions.length === 0) return 'no positions';
  return table(
    ['SYMBOL', 'VENUE', 'STRATEGY', 'QUANTITY', 'AVG COST', 'REALIZED PNL', 'FEES', 'TRADES', 'LAST TRADE'],
    positions.map((p) => [
      p.symbol,
      p.venue,
      p.strategyId ?? '-',
      p.quantity,
      p.averageCost,
      p.realizedPnl,
      Object.entries(p.fees)
        .map(([currency, amount]) => `${amount}${currency ? ` ${currency}` : ''}`)
        .join(', ') || '-',
      String(p.trades),
      p.lastTradeAt,
    ]),
    new Set([3, 4, 5, 7]),
  );
}
