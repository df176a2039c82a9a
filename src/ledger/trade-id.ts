/**
 * The ledger's primary key for a fill. Venue trade ids are not unique across venues, and Binance's
 * are only unique per symbol, so the key is scoped like the order workflow's own fill
 * de-duplication (src/domain/order-state.ts): venue, venue order, venue trade id. Everyone who
 * records a fill (the order workflow's activity, reconciliation) builds the key here, so the same
 * fill always lands on the same row.
 */
import type { Fill } from '../domain/order-state';

export function ledgerTradeId(venue: string, fill: Pick<Fill, 'tradeId' | 'venueOrderId'>): string {
  return `${venue}:${fill.venueOrderId ?? ''}:${fill.tradeId}`;
}
