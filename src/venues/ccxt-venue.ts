/**
 * A venue backed by any ccxt exchange. One instance per venue per worker: it keeps the exchange
 * object (markets, rate limiter, clock offset) for the life of the process and closes it on
 * shutdown. Every ccxt error becomes a VenueError through the error policy; every answer is
 * checked before it counts (a garbled success is an unknown outcome, never a success). Where
 * exchanges differ, the dialect (ccxt-dialects.ts) says how: there is no branch on the exchange id.
 */
import type * as ccxt from 'ccxt';
import { add, roundToStep, toDecimalString } from '../domain/decimal';
import type { MarketRules } from '../domain/market-rules';
import type { Fill } from '../domain/order-state';
import { answerOf, watchAnswers } from './ccxt-answers';
import { dialectFor, type CcxtDialect } from './ccxt-dialects';
import { classifyCcxtError } from './ccxt-error-policy';
import { marketRulesOf } from './ccxt-markets';
import {
  badResponse,
  ccxtOrderArguments,
  iso,
  num,
  orderIdOf,
  toFill,
  toPublicTrade,
  toVenueOrder,
} from './ccxt-orders';
import { ExchangeUpkeep, type UpkeepOptions } from './ccxt-upkeep';
import { VenueError } from './errors';
import { tradesInWindow } from './trade-pages';
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

export interface CcxtVenueOptions {
  name: string;
  /** The constructed exchange (see createCcxtExchange in factory.ts for configuration). */
  exchange: ccxt.Exchange;
  /** How this exchange's ccxt class behaves; default: by its id (ccxt-dialects.ts). */
  dialect?: CcxtDialect;
  /** Markets and clock upkeep (ccxt-upkeep.ts defaults: markets 15 min, clock 10 min). */
  upkeep?: Partial<UpkeepOptions>;
  /**
   * Send a new order's deadline to the venue as Binance's `timestamp` + `recvWindow`, so the venue
   * itself refuses an order that arrives late (Binance dialect only: other venues ignore or refuse
   * these parameters, hence configuration, not a branch on the exchange id).
   */
  recvWindowDeadline?: boolean;
}

const BALANCE_KEYS: ReadonlySet<string> = new Set([
  'info',
  'free',
  'used',
  'total',
  'timestamp',
  'datetime',
  'debt',
]);

export class CcxtVenue implements Venue {
  readonly name: string;
  private readonly exchange: ccxt.Exchange;
  private readonly dialect: CcxtDialect;
  private readonly upkeep: ExchangeUpkeep;
  private readonly recvWindowDeadline: boolean;
  private closed = false;

  constructor(options: CcxtVenueOptions) {
    this.name = options.name;
    this.exchange = options.exchange;
    this.dialect = options.dialect ?? dialectFor(options.exchange.id);
    this.upkeep = new ExchangeUpkeep(options.exchange, options.upkeep);
    this.recvWindowDeadline = options.recvWindowDeadline ?? false;
    watchAnswers(this.exchange, { jsonAnswers: this.dialect.jsonAnswers });
  }

  /** Every call goes through here: closed check, markets, clock, and the error policy. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed)
      throw new VenueError('retry', 'VENUE_CLOSED', `${this.name} is closed (worker shutting down)`);
    try {
      await this.upkeep.ensureMarkets();
      this.upkeep.syncClockIfDue();
      return await fn();
    } catch (err) {
      const error = classifyCcxtError(err, {
        exchange: this.exchange.id,
        headers: answerOf(err)?.headers,
        timeDifferenceMs: this.upkeep.timeDifferenceMs(),
      });
      // The venue refused our timestamp: resync before Temporal's retry, which then signs right.
      if (error.action === 'resync_clock') await this.upkeep.syncClock();
      // ccxt or the venue does not know a symbol: listings may have changed since the last load.
      // (Our own BAD_SYMBOL from market() comes after a reload already.)
      if (error.code === 'BAD_SYMBOL' && !(err instanceof VenueError)) this.upkeep.marketsStale();
      throw error;
    }
  }

  /** A call about one market: the symbol is checked (and the markets reloaded if unknown) first. */
  private onMarket<T>(symbol: string, fn: () => Promise<T>): Promise<T> {
    return this.call(async () => {
      await this.market(symbol);
      return fn();
    });
  }

  /** The market, reloading the markets once if the symbol is not (yet) in them. */
  private async market(symbol: string): Promise<ccxt.MarketInterface> {
    const find = () => this.exchange.markets?.[symbol] as ccxt.MarketInterface | undefined;
    let market = find();
    if (market === undefined && (await this.upkeep.reloadForUnknownSymbol())) market = find();
    if (market === undefined || market.spot !== true) {
      throw new VenueError('reject', 'BAD_SYMBOL', `${this.name} has no spot market ${symbol}`);
    }
    return market;
  }

  async marketRules(symbol: string): Promise<MarketRules> {
    const market = await this.call(() => this.market(symbol));
    return marketRulesOf(this.exchange, market, this.name, symbol);
  }

  async submitOrder(order: NewVenueOrder): Promise<VenueOrder> {
    const { type, price, params } = ccxtOrderArguments(order);
    const created = await this.onMarket(order.symbol, () =>
      this.exchange.createOrder(order.symbol, type, order.side, num(order.quantity), price, {
        ...params,
        ...this.deadlineParams(order.sendBy),
        clientOrderId: order.clientOrderId,
      }),
    );
    return this.complete(created, order.symbol, 'placed');
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

  /**
   * The order an order-changing answer is about. A venue whose answers carry ids only (Bybit) is
   * asked for the order itself; if that read fails, the change happened but its result is not
   * known: unknown outcome (the activities resolve it by look-up).
   */
  private async complete(answer: ccxt.Order, symbol: string, what: string): Promise<VenueOrder> {
    const id = orderIdOf(answer, this.name);
    if (!this.dialect.thinOrderAnswers) return toVenueOrder(answer, symbol, this.name);
    try {
      const order = await this.onMarket(symbol, () => this.exchange.fetchOrder(id, symbol));
      return this.checked(order, { symbol, venueOrderId: id });
    } catch (err) {
      const cause = err instanceof VenueError ? err : classifyCcxtError(err);
      throw new VenueError(
        'unknown_outcome',
        'ORDER_UNCONFIRMED',
        `${this.name}: order ${id} was ${what} but could not be read back: ${cause.message}`,
        cause.retryAfterMs,
        cause.origin,
      );
    }
  }

  /** An order answer, checked to be the order asked for (ids), then converted. */
  private checked(o: ccxt.Order, ref: OrderRef): VenueOrder {
    const order = toVenueOrder(o, ref.symbol, this.name);
    if (ref.venueOrderId !== undefined && order.venueOrderId !== ref.venueOrderId)
      throw badResponse(this.name, `asked for order ${ref.venueOrderId}, got ${order.venueOrderId}`);
    if (
      ref.clientOrderId !== undefined &&
      order.clientOrderId !== undefined &&
      order.clientOrderId !== ref.clientOrderId
    )
      throw badResponse(
        this.name,
        `asked for client order id ${ref.clientOrderId}, got ${order.clientOrderId}`,
      );
    return order;
  }

  async cancelOrder(ref: OrderRef & { venueOrderId: string }): Promise<VenueOrder> {
    const cancelled = await this.onMarket(ref.symbol, () =>
      this.exchange.cancelOrder(ref.venueOrderId, ref.symbol),
    );
    return this.complete(cancelled, ref.symbol, 'cancelled');
  }

  async amendOrder(a: Amendment): Promise<VenueOrder> {
    const { type, price, params } = ccxtOrderArguments(a);
    const amount = this.dialect.amendAmountIsTotal ? await this.amendedTotal(a) : a.quantity;
    const idParam = this.dialect.amendClientOrderIdParam;
    const replaced = await this.onMarket(a.order.symbol, () =>
      this.exchange.editOrder(a.order.venueOrderId, a.order.symbol, type, a.side, num(amount), price, {
        ...params,
        ...(idParam === null ? {} : { [idParam]: a.newClientOrderId }),
      }),
    );
    return this.complete(replaced, a.order.symbol, 'amended');
  }

  /** For venues that amend to a new total: what already filled plus what is to remain. */
  private async amendedTotal(a: Amendment): Promise<string> {
    const current = await this.fetchOrder(a.order);
    if (current === undefined)
      throw new VenueError(
        'not_found',
        'ORDER_NOT_FOUND',
        `${this.name} does not know order ${a.order.venueOrderId}`,
      );
    return add(current.filledQuantity, a.quantity);
  }

  async fetchOrder(ref: OrderRef): Promise<VenueOrder | undefined> {
    if (ref.venueOrderId === undefined && ref.clientOrderId === undefined)
      throw new VenueError('reject', 'BAD_REQUEST', `${this.name}: an order look-up needs an id`);
    const params =
      ref.venueOrderId === undefined ? { [this.dialect.clientOrderIdLookupParam]: ref.clientOrderId } : {};
    try {
      // '' rather than undefined: ccxt.bybit formats the id into its not-found message.
      const order = await this.onMarket(ref.symbol, () =>
        this.exchange.fetchOrder(ref.venueOrderId ?? '', ref.symbol, params),
      );
      return this.checked(order, ref);
    } catch (err) {
      if (err instanceof VenueError && err.action === 'not_found') return undefined;
      throw err;
    }
  }

  async fetchOpenOrders(symbol?: string): Promise<VenueOrder[]> {
    const list = () =>
      this.exchange.fetchOpenOrders(symbol, undefined, undefined, { ...this.dialect.listParams });
    const orders = await (symbol === undefined ? this.call(list) : this.onMarket(symbol, list));
    // Pages can overlap when orders arrive between page requests.
    const byId = new Map(orders.map((o) => [orderIdOf(o, this.name), o]));
    return [...byId.values()].map((o) => toVenueOrder(o, o.symbol ?? symbol ?? '', this.name));
  }

  async fetchOrderFills(ref: OrderRef & { venueOrderId: string }): Promise<Fill[]> {
    const trades = await this.onMarket(ref.symbol, () =>
      this.exchange.fetchOrderTrades(ref.venueOrderId, ref.symbol, undefined, undefined, {
        ...this.dialect.listParams,
      }),
    );
    return uniqueFills(trades.map((t) => toFill(t, ref.venueOrderId)));
  }

  async fetchFillsSince(symbol: string, since: Date): Promise<Fill[]> {
    const trades = await this.onMarket(symbol, () =>
      this.exchange.fetchMyTrades(symbol, since.getTime(), undefined, { ...this.dialect.listParams }),
    );
    return uniqueFills(trades.map((t) => toFill(t)));
  }

  async fetchBalances(): Promise<Record<string, Balance>> {
    const balance = await this.call(() => this.exchange.fetchBalance());
    const out: Record<string, Balance> = {};
    for (const [asset, entry] of Object.entries(balance)) {
      if (BALANCE_KEYS.has(asset)) continue;
      const account = entry as ccxt.BalanceAccount;
      out[asset] = {
        free: toDecimalString(String(account.free ?? 0)),
        used: toDecimalString(String(account.used ?? 0)),
        total: toDecimalString(String(account.total ?? 0)),
      };
    }
    return out;
  }

  async fetchOrderBook(symbol: string, depth = 20): Promise<OrderBook> {
    const book = await this.onMarket(symbol, () => this.exchange.fetchOrderBook(symbol, depth));
    const level = ([price, quantity]: ccxt.Num[]) => ({
      price: toDecimalString(String(price)),
      quantity: toDecimalString(String(quantity)),
    });
    const result: OrderBook = { symbol, bids: book.bids.map(level), asks: book.asks.map(level) };
    const timestamp = iso(book.timestamp);
    return timestamp === undefined ? result : { ...result, timestamp };
  }

  async fetchCandles(
    symbol: string,
    timeframe: string,
    since?: Date,
    limit?: number,
    until?: Date,
  ): Promise<Candle[]> {
    // ccxt's unified `until` is inclusive (Binance endTime, Bybit end); ours is exclusive.
    const params = until === undefined ? {} : { until: until.getTime() - 1 };
    const rows = await this.onMarket(symbol, () =>
      this.exchange.fetchOHLCV(symbol, timeframe, since?.getTime(), limit, params),
    );
    return rows.map(([t, o, h, l, c, v]) => ({
      openTime: new Date(Number(t)).toISOString(),
      open: toDecimalString(String(o)),
      high: toDecimalString(String(h)),
      low: toDecimalString(String(l)),
      close: toDecimalString(String(c)),
      volume: toDecimalString(String(v)),
    }));
  }

  async fetchTrades(symbol: string, since: Date, until: Date = new Date()): Promise<PublicTrade[]> {
    return this.onMarket(symbol, () =>
      tradesInWindow(
        this.name,
        this.dialect,
        async (from, to, limit) => {
          const params = to === undefined ? {} : { until: to };
          const trades = await this.exchange.fetchTrades(symbol, from, limit, params);
          return trades.map((t) => toPublicTrade(t, this.name));
        },
        since.getTime(),
        until.getTime(),
      ),
    );
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

  /** Closes the exchange (its connections); later calls fail retryably, for another worker. */
  async close(): Promise<void> {
    this.closed = true;
    await this.exchange.close();
  }
}

/** A trade listed twice (overlapping pages) counts once. */
function uniqueFills(fills: Fill[]): Fill[] {
  return [...new Map(fills.map((f) => [f.tradeId, f])).values()];
}
