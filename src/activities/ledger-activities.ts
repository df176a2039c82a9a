/**
 * recordFills: writes an order's fills to the trades ledger. Idempotent by construction: each
 * fill's key is derived from the venue, venue order and venue trade id (ledgerTradeId), and the
 * ledger skips keys it has. So the order workflow may hand the same fills again (a retry after a
 * timeout, a worker killed between the write and the workflow learning of it) and each lands once.
 *
 * A malformed fill (bad decimal, unknown side) would be refused on every retry: it fails the
 * activity for good with INVALID_TRADE. A store that is down fails it retryably.
 */
import { ApplicationFailure } from '@temporalio/common';
import { ledgerTradeId } from '../ledger/trade-id';
import { type Ledger, LedgerError, type LedgerTrade } from '../ledger/types';
import type { LedgerActivities, RecordFillsInput } from './types';

/** The ledger rows of an order's fills. */
export function ledgerTradesOf({ order, fills }: RecordFillsInput): LedgerTrade[] {
  return fills.map((fill) => {
    const trade: LedgerTrade = {
      tradeId: ledgerTradeId(order.venue, fill),
      venueTradeId: fill.tradeId,
      timestamp: fill.timestamp,
      symbol: order.symbol,
      direction: order.side === 'sell' ? 'SELL' : 'BUY',
      size: fill.quantity,
      price: fill.price,
      fee: fill.fee,
      feeCurrency: fill.feeCurrency,
      orderId: order.orderId,
      clientOrderId: order.clientOrderId,
      venue: order.venue,
    };
    const optionals = {
      venueOrderId: fill.venueOrderId,
      strategyId: order.strategyId,
      decisionId: order.decisionId,
      parentId: order.parentId,
    };
    for (const [key, value] of Object.entries(optionals))
      if (value !== undefined) Object.assign(trade, { [key]: value });
    return trade;
  });
}

export function createLedgerActivities(ledger: Ledger): LedgerActivities {
  return {
    async recordFills(input: RecordFillsInput): Promise<{ inserted: number }> {
      if (input.order.side !== 'buy' && input.order.side !== 'sell') {
        throw ApplicationFailure.create({
          type: 'INVALID_TRADE',
          message: `order ${input.order.orderId}: side must be buy or sell, got ${String(input.order.side)}`,
          nonRetryable: true,
        });
      }
      try {
        return await ledger.recordTrades(ledgerTradesOf(input));
      } catch (err) {
        if (err instanceof LedgerError) {
          throw ApplicationFailure.create({ type: err.code, message: err.message, nonRetryable: true });
        }
        throw err; // the store: retried by Temporal
      }
    },
  };
}
