/**
 * Where the riskCheck activity gets what the venue's order book and balances do not tell it:
 * Ordo's own bookkeeping of orders (working orders, the day's counts, recent signal hashes) and
 * positions. Interfaces, so a ledger or an order store can back them; the defaults here read the
 * venue (working orders, spot positions from balances).
 */
import { Dec, toDecimalString } from '../domain/decimal';
import type { Side } from '../domain/order-request';
import type { RecentOrder } from '../domain/risk/types';
import type { VenueRegistry } from '../venues/registry';
import type { Balance, Venue } from '../venues/types';

/** One order working at a venue: what of it may still trade. */
export interface WorkingOrder {
  symbol: string;
  side: Side;
  remaining: string;
}

export interface DayStats {
  orders: number;
  /** Quote-currency notional, valued as the risk check valued each order. */
  notional: string;
}

/** An order that passed its risk check, as the bookkeeping keeps it. */
export interface RecordedOrder {
  orderId: string;
  venue: string;
  symbol: string;
  side: Side;
  quantity: string;
  strategyId?: string;
  /** Absent when the order could not be valued (a market order, no mid gathered). */
  notional?: string;
  fingerprint: string;
  /** When it passed (ISO-8601); its UTC date is the day it counts on. */
  at: string;
}

export interface OrderBookkeeping {
  /** Orders working now at a venue, on one symbol or every symbol. */
  openOrders(venue: string, symbol?: string): Promise<WorkingOrder[]>;
  /**
   * A strategy's orders and notional on one UTC day ("YYYY-MM-DD"); orders without a strategy
   * count together. `excludeOrderId`: leave that order out (a retried check counting itself).
   */
  dayStats(query: { strategyId?: string; day: string; excludeOrderId?: string }): Promise<DayStats>;
  /** Orders recorded at or after `since` with this signal hash. */
  recentFingerprints(query: { fingerprint: string; since: Date }): Promise<RecentOrder[]>;
  /** Records an order that passed its risk check; idempotent by orderId (retries record once). */
  record(order: RecordedOrder): Promise<void>;
}

export interface PositionSource {
  /**
   * Signed base-asset positions at a venue by symbol ("BTC/USDT": "1.5"), of the symbols quoted in
   * `quote`; a symbol left out is flat. `strategyId`: the order's strategy, for a source that
   * keeps positions per strategy (the ledger); the venue's balances ignore it.
   */
  positions(query: { venue: string; quote: string; strategyId?: string }): Promise<Record<string, string>>;
}

/** A venue's balances, with concurrent reads of one venue sharing one request. */
export type BalanceReader = (venue: Venue) => Promise<Record<string, Balance>>;

export function sharedBalanceReader(): BalanceReader {
  const inFlight = new Map<string, Promise<Record<string, Balance>>>();
  return (venue) => {
    const running = inFlight.get(venue.name);
    if (running !== undefined) return running;
    const read = venue.fetchBalances().finally(() => inFlight.delete(venue.name));
    inFlight.set(venue.name, read);
    return read;
  };
}

/** Working orders as the venue lists them (the account's truth, whoever placed them). */
export function venueOpenOrders(registry: VenueRegistry): OrderBookkeeping['openOrders'] {
  return async (venue, symbol) => {
    const orders = await registry.get(venue).venue.fetchOpenOrders(symbol);
    return orders.map((o) => ({
      symbol: o.symbol,
      side: o.side,
      remaining: toDecimalString(new Dec(o.quantity).minus(o.filledQuantity)),
    }));
  };
}

/**
 * Spot positions from balances: what the account holds of each asset (free and locked) is its
 * long position against `quote`. Until the ledger's positions back this, the best a spot account
 * can say; it counts holdings Ordo did not trade too, which is what exposure limits are about.
 */
export function venueBalancePositions(
  registry: VenueRegistry,
  read: BalanceReader = sharedBalanceReader(),
): PositionSource {
  return {
    async positions({ venue, quote }) {
      const balances = await read(registry.get(venue).venue);
      const positions: Record<string, string> = {};
      for (const [asset, balance] of Object.entries(balances)) {
        if (asset === quote || new Dec(balance.total).isZero()) continue;
        positions[`${asset}/${quote}`] = toDecimalString(balance.total);
      }
      return positions;
    },
  };
}
