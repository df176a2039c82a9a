/**
 * A real venue the live-trading gates do not let trade (src/domain/live-gates.ts): the factory
 * registers it wrapped in a GatedVenue. What creates exposure (a new order, a replacement) is
 * refused with the gate's code (LIVE_TRADING_DISABLED or LIVE_NOT_CONFIRMED), typed as a final
 * rejection, before anything is sent. Market data and reads pass through, and so do cancels:
 * the gate stops Ordo from adding risk on a real account, never from taking risk off (a kill
 * switch's cancel-all still reaches an order left from an earlier live run).
 *
 * The order activities also check `refuseIfGated` before their first venue call, so a gated order
 * is refused without a single request (not even the look-up a resend starts with).
 */
import type { VenueTradingMode } from '../domain/live-gates';
import type { Fill } from '../domain/order-state';
import { VenueError } from './errors';
import type {
  Amendment,
  Balance,
  Candle,
  NewVenueOrder,
  OrderBook,
  OrderRef,
  PublicTrade,
  Venue,
  VenueOrder,
} from './types';

type Blocked = Extract<VenueTradingMode, { mode: 'blocked' }>;
type PricedVenue = Venue & { midPrice?(symbol: string): Promise<string | undefined> };

export class GatedVenue implements Venue {
  readonly name: string;

  constructor(
    /** The venue itself, used for everything the gate lets through. */
    readonly inner: PricedVenue,
    readonly gate: Blocked,
  ) {
    this.name = inner.name;
  }

  /** The gate's refusal, fresh each time (a final rejection: never retried). */
  refusal(): VenueError {
    return new VenueError('reject', this.gate.code, this.gate.message);
  }

  async submitOrder(_order: NewVenueOrder): Promise<VenueOrder> {
    throw this.refusal();
  }

  async amendOrder(_amendment: Amendment): Promise<VenueOrder> {
    throw this.refusal();
  }

  cancelOrder(ref: OrderRef & { venueOrderId: string }): Promise<VenueOrder> {
    return this.inner.cancelOrder(ref);
  }

  marketRules(symbol: string) {
    return this.inner.marketRules(symbol);
  }

  fetchOrder(ref: OrderRef): Promise<VenueOrder | undefined> {
    return this.inner.fetchOrder(ref);
  }

  fetchOpenOrders(symbol?: string): Promise<VenueOrder[]> {
    return this.inner.fetchOpenOrders(symbol);
  }

  fetchOrderFills(ref: OrderRef & { venueOrderId: string }): Promise<Fill[]> {
    return this.inner.fetchOrderFills(ref);
  }

  fetchFillsSince(symbol: string, since: Date): Promise<Fill[]> {
    return this.inner.fetchFillsSince(symbol, since);
  }

  fetchBalances(): Promise<Record<string, Balance>> {
    return this.inner.fetchBalances();
  }

  fetchOrderBook(symbol: string, depth?: number): Promise<OrderBook> {
    return this.inner.fetchOrderBook(symbol, depth);
  }

  fetchCandles(
    symbol: string,
    timeframe: string,
    since?: Date,
    limit?: number,
    until?: Date,
  ): Promise<Candle[]> {
    return this.inner.fetchCandles(symbol, timeframe, since, limit, until);
  }

  fetchTrades(symbol: string, since: Date, until?: Date): Promise<PublicTrade[]> {
    return this.inner.fetchTrades(symbol, since, until);
  }

  async midPrice(symbol: string): Promise<string | undefined> {
    return this.inner.midPrice === undefined ? undefined : this.inner.midPrice(symbol);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The venue as registered: wrapped when the gates block it, as it is otherwise. */
export function gateVenue<V extends PricedVenue>(venue: V, mode: VenueTradingMode): V | GatedVenue {
  return mode.mode === 'blocked' ? new GatedVenue(venue, mode) : venue;
}

/** Throws the gate's refusal when `venue` may not trade; returns it otherwise. */
export function refuseIfGated<V extends Venue>(venue: V): V {
  if (venue instanceof GatedVenue) throw venue.refusal();
  return venue;
}
