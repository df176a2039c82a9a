/**
 * An in-process paper venue for unit tests: orders fill at the current price (no book, no fees),
 * limit orders rest until the price crosses them. Not durable — a worker restart forgets it — so
 * anything that must survive a crash is tested against the simulator instead.
 */
import { dec, toDecimalString } from '../domain/decimal';
import type { MarketRules } from '../domain/market-rules';
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

interface PaperOrder extends VenueOrder {
  type: NewVenueOrder['type'];
  timeInForce: NewVenueOrder['timeInForce'];
}

export class PaperVenue implements Venue {
  private readonly orders: PaperOrder[] = [];
  private nextId = 1;
  private nextTradeId = 1;
  /** Errors to throw on the next calls of a method, for tests of retry and unknown outcomes. */
  private readonly faults: Array<{ method: keyof Venue; error: VenueError; afterEffect: boolean }> = [];

  constructor(
    readonly name: string,
    private readonly prices: Record<string, string>,
  ) {}

  /** Makes the next call of `method` fail; with afterEffect, the call takes effect first (lost answer). */
  injectFault(method: keyof Venue, error: VenueError, afterEffect = false): void {
    this.faults.push({ method, error, afterEffect });
  }

  setPrice(symbol: string, price: string): void {
    this.prices[symbol] = price;
    for (const order of this.orders)
      if (order.symbol === symbol && order.state === 'open') this.tryFill(order);
  }

  /** Every order ever placed, in order (like the simulator's /admin/orders). */
  allOrders(): readonly VenueOrder[] {
    return this.orders;
  }

  async marketRules(symbol: string): Promise<MarketRules> {
    const [base, quote] = symbol.split('/');
    if (this.prices[symbol] === undefined || base === undefined || quote === undefined) {
      throw new VenueError('reject', 'BAD_SYMBOL', `paper venue has no market ${symbol}`);
    }
    return {
      venue: this.name,
      symbol,
      base,
      quote,
      amountStep: '0.00001',
      priceStep: '0.01',
      minNotional: '5',
      orderTypes: ['market', 'limit'],
    };
  }

  async submitOrder(order: NewVenueOrder): Promise<VenueOrder> {
    return this.withFaults('submitOrder', () => {
      if (order.sendBy !== undefined && Date.now() >= order.sendBy) {
        throw new VenueError('retry', 'ATTEMPT_TOO_LATE', 'not sending after the attempt deadline');
      }
      if (this.orders.some((o) => o.clientOrderId === order.clientOrderId)) {
        throw new VenueError('unknown_outcome', 'DUPLICATE_CLIENT_ORDER_ID', 'Duplicate order sent.');
      }
      const placed: PaperOrder = {
        venueOrderId: String(this.nextId++),
        clientOrderId: order.clientOrderId,
        symbol: order.symbol,
        side: order.side,
        state: 'open',
        quantity: order.quantity,
        filledQuantity: '0',
        fills: [],
        type: order.type,
        timeInForce: order.timeInForce,
        ...(order.limitPrice === undefined ? {} : { limitPrice: order.limitPrice }),
      };
      this.orders.push(placed);
      this.tryFill(placed);
      if (placed.state === 'open' && (order.type === 'market' || order.timeInForce !== 'GTC'))
        placed.state = 'expired';
      return { ...placed, fills: [...placed.fills] };
    });
  }

  async cancelOrder(ref: OrderRef & { venueOrderId: string }): Promise<VenueOrder> {
    return this.withFaults('cancelOrder', () => {
      const order = this.find(ref);
      if (order === undefined || order.state !== 'open')
        throw new VenueError('not_found', 'ORDER_NOT_FOUND', 'Unknown order sent.');
      order.state = 'canceled';
      return { ...order };
    });
  }

  async amendOrder(a: Amendment): Promise<VenueOrder> {
    const old = this.find(a.order);
    if (old === undefined || old.state !== 'open')
      throw new VenueError('reject', 'OPERATION_REJECTED', 'order is not open');
    old.state = 'canceled';
    const { order: _replaced, newClientOrderId, ...rest } = a;
    return this.submitOrder({ ...rest, symbol: a.order.symbol, clientOrderId: newClientOrderId });
  }

  async fetchOrder(ref: OrderRef): Promise<VenueOrder | undefined> {
    return this.withFaults('fetchOrder', () => {
      const order = this.find(ref);
      return order === undefined ? undefined : { ...order, fills: [...order.fills] };
    });
  }

  async fetchOpenOrders(symbol?: string): Promise<VenueOrder[]> {
    return this.orders.filter((o) => o.state === 'open' && (symbol === undefined || o.symbol === symbol));
  }

  async fetchOrderFills(ref: OrderRef & { venueOrderId: string }): Promise<Fill[]> {
    return [...(this.find(ref)?.fills ?? [])];
  }

  async fetchFillsSince(symbol: string, since: Date): Promise<Fill[]> {
    return this.orders
      .filter((o) => o.symbol === symbol)
      .flatMap((o) => o.fills)
      .filter((f) => Date.parse(f.timestamp) >= since.getTime());
  }

  async fetchBalances(): Promise<Record<string, Balance>> {
    return {};
  }

  async fetchOrderBook(symbol: string): Promise<OrderBook> {
    const price = this.prices[symbol];
    if (price === undefined)
      throw new VenueError('reject', 'BAD_SYMBOL', `paper venue has no market ${symbol}`);
    return { symbol, bids: [{ price, quantity: '1000' }], asks: [{ price, quantity: '1000' }] };
  }

  async fetchCandles(): Promise<Candle[]> {
    return [];
  }

  /**
   * The paper venue's market is its own orders: its public trades are their fills (each order
   * takes at the current price, so the taker's side is the order's).
   */
  async fetchTrades(symbol: string, since: Date, until: Date = new Date()): Promise<PublicTrade[]> {
    await this.marketRules(symbol); // BAD_SYMBOL for a market it does not have
    return this.orders
      .filter((o) => o.symbol === symbol)
      .flatMap((o) => o.fills.map((f) => ({ fill: f, side: o.side })))
      .filter(({ fill }) => {
        const at = Date.parse(fill.timestamp);
        return at >= since.getTime() && at < until.getTime();
      })
      .map(({ fill, side }) => ({
        tradeId: fill.tradeId,
        price: fill.price,
        quantity: fill.quantity,
        timestamp: fill.timestamp,
        side,
      }))
      .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  }

  async midPrice(symbol: string): Promise<string | undefined> {
    return this.prices[symbol];
  }

  async close(): Promise<void> {}

  private find(ref: OrderRef): PaperOrder | undefined {
    return this.orders.find((o) =>
      ref.venueOrderId !== undefined
        ? o.venueOrderId === ref.venueOrderId
        : o.clientOrderId === ref.clientOrderId,
    );
  }

  private tryFill(order: PaperOrder): void {
    const price = this.prices[order.symbol];
    if (price === undefined) return;
    const limit = order.limitPrice;
    const crosses =
      limit === undefined || (order.side === 'buy' ? dec(limit).gte(price) : dec(limit).lte(price));
    if (!crosses) return;
    const quantity = toDecimalString(dec(order.quantity).minus(order.filledQuantity));
    order.fills.push({
      tradeId: `paper-${this.nextTradeId++}`,
      quantity,
      price,
      fee: '0',
      feeCurrency: order.symbol.split('/')[1] ?? '',
      timestamp: new Date().toISOString(),
      venueOrderId: order.venueOrderId,
    });
    order.filledQuantity = order.quantity;
    order.averagePrice = price;
    order.state = 'closed';
  }

  private async withFaults<T>(method: keyof Venue, act: () => T): Promise<T> {
    const index = this.faults.findIndex((f) => f.method === method);
    if (index < 0) return act();
    const [fault] = this.faults.splice(index, 1);
    if (fault === undefined) return act();
    if (fault.afterEffect) act();
    throw fault.error;
  }
}
