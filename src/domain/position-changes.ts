/**
 * What some trades of the ledger did to their positions: for each one, its position (venue,
 * symbol, strategy) just before and just after it, replaying the position's trades in the ledger's
 * order (time, then trade id: compareTradeTime). positionEvents (src/domain/events.ts) turns each
 * change into POSITION_OPENED / POSITION_CLOSED.
 *
 * Pure and deterministic: the same ledger gives the same changes, so a retried recordFills (whose
 * insert found every trade already there) derives the same events with the same ids again.
 */
import { add, cmp, isZero, sub } from './decimal';
import type { PositionChange } from './events';
import { type PositionTrade, compareTradeTime, positionsFromTrades } from './positions';

/** A ledger trade as the derivation needs it: the position's fields plus whose trade it was. */
export interface ChangeTrade extends PositionTrade {
  orderId: string;
  parentId?: string;
}

function positionKey(t: Pick<PositionTrade, 'symbol' | 'venue' | 'strategyId'>): string {
  // JSON keeps the parts apart whatever characters they hold.
  return JSON.stringify([t.venue, t.symbol, t.strategyId ?? null]);
}

function signed(t: PositionTrade): string {
  return t.direction === 'BUY' ? t.size : sub('0', t.size);
}

/** Whether the move opens, closes or flips the position (the only moves with events). */
function opensOrCloses(before: string, after: string): boolean {
  if (isZero(before) || isZero(after)) return isZero(before) !== isZero(after);
  return cmp(before, 0) !== cmp(after, 0);
}

/**
 * The change each trade with an id in `of` made to its position. `trades` must hold every trade
 * of those positions (other positions' trades are ignored); they may come in any order. Changes
 * come back in time order. Average price and realised PnL are worked out only for the trades
 * that open, close or flip a position (the others produce no event).
 */
export function positionChangesOf(trades: readonly ChangeTrade[], of: ReadonlySet<string>): PositionChange[] {
  const wanted = new Set(trades.filter((t) => of.has(t.tradeId)).map(positionKey));
  const byPosition = new Map<string, ChangeTrade[]>();
  for (const t of trades) {
    const key = positionKey(t);
    if (!wanted.has(key)) continue;
    const list = byPosition.get(key) ?? [];
    list.push(t);
    byPosition.set(key, list);
  }
  const changes: { trade: ChangeTrade; change: PositionChange }[] = [];
  for (const list of byPosition.values()) {
    const ordered = [...list].sort(compareTradeTime);
    let quantity = '0';
    ordered.forEach((trade, i) => {
      const before = quantity;
      quantity = add(quantity, signed(trade));
      if (!of.has(trade.tradeId)) return;
      const change: PositionChange = {
        venue: trade.venue,
        symbol: trade.symbol,
        ...(trade.strategyId === undefined ? {} : { strategyId: trade.strategyId }),
        before,
        after: quantity,
        orderId: trade.orderId,
        tradeId: trade.tradeId,
        ...(trade.parentId === undefined ? {} : { parentId: trade.parentId }),
        at: trade.timestamp,
      };
      if (opensOrCloses(before, quantity)) {
        const [was] = positionsFromTrades(ordered.slice(0, i));
        const [now] = positionsFromTrades(ordered.slice(0, i + 1));
        if (now !== undefined) {
          if (!isZero(now.quantity)) change.averagePrice = now.averageCost;
          change.realizedPnl = sub(now.realizedPnl, was?.realizedPnl ?? '0');
        }
      }
      changes.push({ trade, change });
    });
  }
  return changes.sort((a, b) => compareTradeTime(a.trade, b.trade)).map((c) => c.change);
}
