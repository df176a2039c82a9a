/**
 * A venue backed by any ccxt exchange. One instance per venue per worker: it keeps the exchange
 * object (markets, rate limiter, clock offset) and closes it on shutdown. Every ccxt error is
 * turned into a VenueError by the error policy. ccxt hands amounts back as JS numbers parsed from
 * the venue's decimal strings; we turn them straight back into decimal strings (shortest
 * round-trip form), and all arithmetic happens on decimals.
 */
import * as ccxt from 'ccxt';
import { roundToStep, toDecimalString } from '../domain/decimal';
import type { MarketRules } from '../domain/market-rules';
import type { OrderType } from '../domain/order-request';
import type { Fill } from '../domain/order-state';
import { classifyCcxtError } from './ccxt-error-policy';
import { VenueError } from './errors';
import type {
  Amendment,
  Balance,
  Candle,
  NewVenueOrder,
  OrderBook,
  OrderRef,
  Venue,
  VenueOrder,
  VenueOrderState,
} from './types';

export interface CcxtVenueOptions {
  name: string;
  /** The constructed exchange (see venue-factory for configuration). */
  exchange: ccxt.Exchange;
  /** Reload markets this often, so listings and filters stay current. */
  marketsTtlMs?: number;
  /**
   * Send a new order's deadline to the venue as Binance's `timestamp` + `recvWindow`, so the venue
   * itself refuses an order that arrives late (Binance dialect only: other venues ignore or refuse
   * these parameters, hence configuration, not a branch on the exchange id).
   */
  recvWindowDeadline?: boolean;
}

/** ccxt's precision modes (base/functions/number.js); its type declarations do not export them. */
const PRECISION_MODE = { DECIMAL_PLACES: 2, SIGNIFICANT_DIGITS: 3, TICK_SIZE: 4 } as const;

const VENUE_STATES: ReadonlySet<string> = new Set(['open', 'closed', 'canceled', 'expired', 'rejected']);

/** Binance-style order type names in market info, mapped to Ordo's. */
const NATIVE_ORDER_TYPES: Record<string, OrderType> = {
  MARKET: 'market',
  LIMIT: 'limit',
  STOP_LOSS: 'stop',
  STOP_LOSS_LIMIT: 'stop_limit',
};

function num(value: string): number {
  return Number(value);
}

type OrderShape = Pick<NewVenueOrder, 'type' | 'timeInForce' | 'postOnly' | 'limitPrice' | 'stopPrice'>;

/**
 * ccxt's createOrder/editOrder arguments for an order. A market order never carries a price: ccxt
 * binance would turn a price on a market buy into a quote-amount order. A post-only order rests by
 * definition and venues refuse a time in force beside it (Binance's LIMIT_MAKER answers -1106).
 */
function ccxtOrderArguments(order: OrderShape): {
  type: 'market' | 'limit';
  price: number | undefined;
  params: Record<string, unknown>;
} {
  const type = order.type === 'market' || order.type === 'stop' ? 'market' : 'limit';
  const params: Record<string, unknown> = order.postOnly
    ? { postOnly: true }
    : type === 'market'
      ? {}
      : { timeInForce: order.timeInForce };
  if (order.stopPrice !== undefined) params['triggerPrice'] = num(order.stopPrice);
  const price = type === 'limit' && order.limitPrice !== undefined ? num(order.limitPrice) : undefined;
  return { type, price, params };
}

function decimalOrUndefined(value: number | string | undefined | null): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : toDecimalString(String(value));
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined || ms === null ? undefined : new Date(ms).toISOString();
}

export class CcxtVenue implements Venue {
  readonly name: string;
  private readonly exchange: ccxt.Exchange;
  private readonly marketsTtlMs: number;
  private readonly recvWindowDeadline: boolean;
  private marketsLoadedAt = 0;
  private marketsLoading: Promise<void> | undefined;

  constructor(options: CcxtVenueOptions) {
    this.name = options.name;
    this.exchange = options.exchange;
    this.marketsTtlMs = options.marketsTtlMs ?? 15 * 60_000;
    this.recvWindowDeadline = options.recvWindowDeadline ?? false;
  }

  /**
   * Loads markets once, reloads when stale. ccxt caches a failed first load and re-throws it until
   * loadMarkets(true), so every load here is forced: a failure never poisons the instance.
   */
  private async markets(): Promise<void> {
    const fresh = Date.now() - this.marketsLoadedAt < this.marketsTtlMs;
    if (fresh && this.exchange.markets !== undefined) return;
    this.marketsLoading ??= this.exchange
      .loadMarkets(true)
      .then(() => {
        this.marketsLoadedAt = Date.now();
      })
      .finally(() => {
        this.marketsLoading = undefined;
      });
    await this.call(() => this.marketsLoading as Promise<void>);
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const venueError = classifyCcxtError(err);
      if (venueError.code === 'BAD_SYMBOL') this.marketsLoadedAt = 0; // listings may have changed
      throw venueError;
    }
  }

  private market(symbol: string): ccxt.MarketInterface {
    const market = this.exchange.markets?.[symbol];
    if (market === undefined || market.spot !== true) {
      throw new VenueError('reject', 'BAD_SYMBOL', `${this.name} has no spot market ${symbol}`);
    }
    return market;
  }

  /** A precision value as a step: ccxt gives tick sizes, or decimal places on some exchanges. */
  private step(precision: number | undefined, what: string, symbol: string): string {
    if (precision === undefined)
      throw new VenueError('reject', 'BAD_SYMBOL', `${symbol}: no ${what} precision`);
    if (this.exchange.precisionMode === PRECISION_MODE.TICK_SIZE) return toDecimalString(String(precision));
    if (this.exchange.precisionMode === PRECISION_MODE.DECIMAL_PLACES)
      return toDecimalString(`1e-${precision}`);
    throw new VenueError(
      'reject',
      'NOT_SUPPORTED',
      `${this.name}: significant-digit precision is not supported`,
    );
  }

  private orderTypes(market: ccxt.MarketInterface): OrderType[] {
    // Binance-dialect markets list their order types; other ccxt exchanges say it in `has`.
    const native = (market.info as { orderTypes?: unknown }).orderTypes;
    if (Array.isArray(native)) {
      return [...new Set(native.map((t) => NATIVE_ORDER_TYPES[String(t)]).filter((t) => t !== undefined))];
    }
    const types: OrderType[] = ['market', 'limit'];
    if (this.exchange.has['createStopMarketOrder']) types.push('stop');
    if (this.exchange.has['createStopLimitOrder']) types.push('stop_limit');
    return types;
  }

  async marketRules(symbol: string): Promise<MarketRules> {
    await this.markets();
    const market = this.market(symbol);
    const rules: MarketRules = {
      venue: this.name,
      symbol,
      base: market.base,
      quote: market.quote,
      amountStep: this.step(market.precision.amount, 'amount', symbol),
      priceStep: this.step(market.precision.price, 'price', symbol),
      orderTypes: this.orderTypes(market),
    };
    const optional: Partial<MarketRules> = {
      minAmount: decimalOrUndefined(market.limits.amount?.min),
      maxAmount: decimalOrUndefined(market.limits.amount?.max),
      minPrice: decimalOrUndefined(market.limits.price?.min),
      maxPrice: decimalOrUndefined(market.limits.price?.max),
      minNotional: decimalOrUndefined(market.limits.cost?.min),
    };
    for (const [key, value] of Object.entries(optional))
      if (value !== undefined) Object.assign(rules, { [key]: value });
    return rules;
  }

  async submitOrder(order: NewVenueOrder): Promise<VenueOrder> {
    await this.markets();
    this.market(order.symbol);
    const { type, price, params } = ccxtOrderArguments(order);
    const created = await this.call(() =>
      this.exchange.createOrder(order.symbol, type, order.side, num(order.quantity), price, {
        ...params,
        ...this.deadlineParams(order.sendBy),
        clientOrderId: order.clientOrderId,
      }),
    );
    return this.toVenueOrder(created, order.symbol);
  }

  /** Refuses to send past the deadline, and tells the venue the deadline where it can enforce it. */
  private deadlineParams(sendBy: number | undefined): Record<string, number> {
    if (sendBy === undefined) return {};
    const left = sendBy - Date.now();
    if (left <= 0)
      throw new VenueError(
        'retry',
        'ATTEMPT_TOO_LATE',
        `${this.name}: not sending after the attempt's deadline`,
      );
    if (!this.recvWindowDeadline) return {};
    // Binance refuses a request when serverTime - timestamp > recvWindow (at most 60 s).
    return { timestamp: this.exchange.nonce(), recvWindow: Math.max(1, Math.min(60_000, Math.floor(left))) };
  }

  async cancelOrder(ref: OrderRef & { venueOrderId: string }): Promise<VenueOrder> {
    await this.markets();
    const cancelled = await this.call(() => this.exchange.cancelOrder(ref.venueOrderId, ref.symbol));
    return this.toVenueOrder(cancelled, ref.symbol);
  }

  async amendOrder(a: Amendment): Promise<VenueOrder> {
    await this.markets();
    const { type, price, params } = ccxtOrderArguments(a);
    const replaced = await this.call(() =>
      this.exchange.editOrder(a.order.venueOrderId, a.order.symbol, type, a.side, num(a.quantity), price, {
        ...params,
        newClientOrderId: a.newClientOrderId,
      }),
    );
    return this.toVenueOrder(replaced, a.order.symbol);
  }

  async fetchOrder(ref: OrderRef): Promise<VenueOrder | undefined> {
    await this.markets();
    const params = ref.venueOrderId === undefined ? { clientOrderId: ref.clientOrderId } : {};
    try {
      const order = await this.call(() =>
        this.exchange.fetchOrder(ref.venueOrderId ?? '', ref.symbol, params),
      );
      return this.toVenueOrder(order, ref.symbol);
    } catch (err) {
      if (err instanceof VenueError && err.action === 'not_found') return undefined;
      throw err;
    }
  }

  async fetchOpenOrders(symbol?: string): Promise<VenueOrder[]> {
    await this.markets();
    const orders = await this.call(() => this.exchange.fetchOpenOrders(symbol));
    return orders.map((o) => this.toVenueOrder(o, o.symbol ?? symbol ?? ''));
  }

  async fetchOrderFills(ref: OrderRef & { venueOrderId: string }): Promise<Fill[]> {
    await this.markets();
    const trades = await this.call(() => this.exchange.fetchOrderTrades(ref.venueOrderId, ref.symbol));
    return trades.map((t) => this.toFill(t));
  }

  async fetchFillsSince(symbol: string, since: Date): Promise<Fill[]> {
    await this.markets();
    const trades = await this.call(() => this.exchange.fetchMyTrades(symbol, since.getTime()));
    return trades.map((t) => this.toFill(t));
  }

  async fetchBalances(): Promise<Record<string, Balance>> {
    const balance = await this.call(() => this.exchange.fetchBalance());
    const out: Record<string, Balance> = {};
    for (const [asset, entry] of Object.entries(balance)) {
      if (['info', 'free', 'used', 'total', 'timestamp', 'datetime', 'debt'].includes(asset)) continue;
      const account = entry as ccxt.BalanceAccount;
      out[asset] = {
        free: decimalOrUndefined(account.free) ?? '0',
        used: decimalOrUndefined(account.used) ?? '0',
        total: decimalOrUndefined(account.total) ?? '0',
      };
    }
    return out;
  }

  async fetchOrderBook(symbol: string, depth = 20): Promise<OrderBook> {
    await this.markets();
    const book = await this.call(() => this.exchange.fetchOrderBook(symbol, depth));
    const level = ([price, quantity]: ccxt.Num[]) => ({
      price: toDecimalString(String(price)),
      quantity: toDecimalString(String(quantity)),
    });
    const result: OrderBook = { symbol, bids: book.bids.map(level), asks: book.asks.map(level) };
    const timestamp = iso(book.timestamp);
    return timestamp === undefined ? result : { ...result, timestamp };
  }

  async fetchCandles(symbol: string, timeframe: string, since?: Date, limit?: number): Promise<Candle[]> {
    await this.markets();
    const rows = await this.call(() => this.exchange.fetchOHLCV(symbol, timeframe, since?.getTime(), limit));
    return rows.map(([t, o, h, l, c, v]) => ({
      openTime: new Date(Number(t)).toISOString(),
      open: toDecimalString(String(o)),
      high: toDecimalString(String(h)),
      low: toDecimalString(String(l)),
      close: toDecimalString(String(c)),
      volume: toDecimalString(String(v)),
    }));
  }

  /** Mid price from the top of the book, rounded to the tick (used for notional checks). */
  async midPrice(symbol: string): Promise<string | undefined> {
    const book = await this.fetchOrderBook(symbol, 5);
    const bid = book.bids[0]?.price;
    const ask = book.asks[0]?.price;
    if (bid === undefined || ask === undefined) return bid ?? ask;
    const rules = await this.marketRules(symbol);
    return roundToStep(toDecimalString(String((Number(bid) + Number(ask)) / 2)), rules.priceStep, 'nearest');
  }

  async close(): Promise<void> {
    await this.exchange.close();
  }

  private toVenueOrder(o: ccxt.Order, symbol: string): VenueOrder {
    const state = String(o.status ?? 'open');
    if (!VENUE_STATES.has(state)) {
      throw new VenueError(
        'unknown_outcome',
        'BAD_RESPONSE',
        `${this.name}: unknown order status "${state}"`,
      );
    }
    const order: VenueOrder = {
      venueOrderId: String(o.id),
      symbol: o.symbol ?? symbol,
      side: o.side === 'sell' ? 'sell' : 'buy',
      state: state as VenueOrderState,
      quantity: decimalOrUndefined(o.amount) ?? '0',
      filledQuantity: decimalOrUndefined(o.filled) ?? '0',
      // Trades inside an order answer (Binance FULL) carry no time of their own: the order's is theirs.
      fills: (o.trades ?? [])
        .filter((t) => t.id !== undefined)
        .map((t) => this.toFill(t, String(o.id), o.lastTradeTimestamp ?? o.timestamp)),
    };
    const optional = {
      clientOrderId: o.clientOrderId,
      limitPrice: decimalOrUndefined(o.price),
      averagePrice: decimalOrUndefined(o.average),
      updatedAt: iso(o.lastUpdateTimestamp ?? o.timestamp),
    };
    for (const [key, value] of Object.entries(optional))
      if (value !== undefined) Object.assign(order, { [key]: value });
    return order;
  }

  private toFill(t: ccxt.Trade, venueOrderId?: string, fallbackTimestamp?: number): Fill {
    const fill: Fill = {
      tradeId: String(t.id),
      quantity: decimalOrUndefined(t.amount) ?? '0',
      price: decimalOrUndefined(t.price) ?? '0',
      fee: decimalOrUndefined(t.fee?.cost) ?? '0',
      feeCurrency: t.fee?.currency ?? '',
      timestamp: iso(t.timestamp ?? fallbackTimestamp) ?? new Date().toISOString(),
    };
    const orderId = t.order ?? venueOrderId;
    return orderId === undefined ? fill : { ...fill, venueOrderId: String(orderId) };
  }
}
