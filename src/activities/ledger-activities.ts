/**
 * recordFills: writes an order's fills to the trades ledger, then publishes what they did to
 * positions (POSITION_OPENED / POSITION_CLOSED). Idempotent by construction: each fill's key is
 * derived from the venue, venue order and venue trade id (ledgerTradeId), and the ledger skips
 * keys it has. So the order workflow may hand the same fills again (a retry after a timeout, a
 * worker killed between the write and the workflow learning of it) and each lands once.
 *
 * Position events, exactly once per fact: every attempt derives the events of every fill of the
 * batch from the ledger (not only of the rows this attempt inserted: after a crash between the
 * insert and the delivery, the retry inserts nothing yet still owes the events). Their ids are
 * the facts' identities, so a redelivery is a duplicate the receiver drops (Idempotency-Key).
 * Delivery goes through the same code as publishEvents: a sink that is unavailable fails this
 * activity retryably — the insert is idempotent, so the retry only redelivers — and a sink that
 * refuses an event for good is logged and skipped.
 *
 * A malformed fill (bad decimal, unknown side) would be refused on every retry: it fails the
 * activity for good with INVALID_TRADE. A store that is down fails it retryably.
 */
import { ApplicationFailure } from '@temporalio/common';
import { positionEvents } from '../domain/events';
import { positionChangesOf } from '../domain/position-changes';
import type { EventSink, OrdoEvent } from '../events/types';
import { ledgerTradeId } from '../ledger/trade-id';
import { type Ledger, LedgerError, type LedgerTrade } from '../ledger/types';
import { createEventActivities } from './event-activities';
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

/**
 * The position events of `batch` (trades already in the ledger): each trade's position replayed
 * from all of that position's trades in the ledger.
 */
export async function positionEventsOf(ledger: Ledger, batch: readonly LedgerTrade[]): Promise<OrdoEvent[]> {
  const positions = new Map<string, Pick<LedgerTrade, 'venue' | 'symbol' | 'strategyId'>>();
  for (const t of batch) positions.set(JSON.stringify([t.venue, t.symbol, t.strategyId ?? null]), t);
  const trades: LedgerTrade[] = [];
  for (const { venue, symbol, strategyId } of positions.values()) {
    // Without a strategy the filter would match every strategy's trades: keep the unassigned ones.
    const found = await ledger.trades({ venue, symbol, ...(strategyId === undefined ? {} : { strategyId }) });
    trades.push(...found.filter((t) => t.strategyId === strategyId));
  }
  const changes = positionChangesOf(trades, new Set(batch.map((t) => t.tradeId)));
  return changes.flatMap(positionEvents);
}

/**
 * `sinks` get the position events (the worker's: the log and the configured webhooks); none
 * given, nothing is published (tests of the ledger alone).
 */
export function createLedgerActivities(ledger: Ledger, sinks: readonly EventSink[] = []): LedgerActivities {
  const { publishEvents } = createEventActivities(sinks);
  return {
    async recordFills(input: RecordFillsInput): Promise<{ inserted: number }> {
      if (input.order.side !== 'buy' && input.order.side !== 'sell') {
        throw ApplicationFailure.create({
          type: 'INVALID_TRADE',
          message: `order ${input.order.orderId}: side must be buy or sell, got ${String(input.order.side)}`,
          nonRetryable: true,
        });
      }
      const batch = ledgerTradesOf(input);
      let result: { inserted: number };
      let events: OrdoEvent[];
      try {
        result = await ledger.recordTrades(batch);
        events = sinks.length === 0 ? [] : await positionEventsOf(ledger, batch);
      } catch (err) {
        if (err instanceof LedgerError) {
          throw ApplicationFailure.create({ type: err.code, message: err.message, nonRetryable: true });
        }
        throw err; // the store: retried by Temporal
      }
      // Unavailable sinks fail the activity retryably (EVENT_DELIVERY_FAILED): the retry's insert
      // finds the rows there and redelivers the same events.
      if (events.length > 0) await publishEvents({ events });
      return result;
    },
  };
}
