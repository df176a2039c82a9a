import { EventEmitter } from 'node:events';
import type { Account, AccountBook } from './accounts';
import { ZERO, type Decimal } from './decimal';
import { checkFilters } from './filters';
import type { Instrument } from './instrument';
import { canFillCompletely, lockForTriggeredBuy, lotStepFor, reserveFunds } from './funds';
import { crosses, quantityForQuote } from './matching';
import { OrderBook, type DepthLevel } from './order-book';
import { INITIAL_DOMAIN_STATUS, isOpen, moveOrderStatus } from './order-status';
import { OrderStore, type FillQuery, type OrderRef } from './order-store';
import { reject, RejectionError } from './rejections';
import { releaseRemainingLock, settleTradeSide } from './settlement';
import { isTriggered, PendingStops } from './stop-triggers';
import { TradeTape } from './trade-tape';
import {
  isConditionalType,
  isMarketLikeType,
  oppositeSide,
  remainingQty,
  type Fill,
  type NewOrderRequest,
  type Order,
  type PublicTrade,
  type VenueOrderStatus,
} from './types';

export type Clock = () => number;

export type ExecutionType = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED' | 'TRIGGERED';

export interface OrderEvent {
  order: Order;
  execution: ExecutionType;
  fill?: Fill;
}

/** Emitted once a top-level operation (with every stop it triggered) is complete. */
export interface SettledEvent {
  /** symbol → accounts whose resting orders traded (or were removed by self-trade prevention). */
  liquidityTaken: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The engine's events, for user-data streams and the synthetic market. Listeners run synchronously. */
export interface ExchangeEventMap {
  order: [OrderEvent];
  trade: [PublicTrade];
  settled: [SettledEvent];
}

export interface PlacementResult {
  order: Order;
  /** The fills this placement produced immediately (what Binance's FULL response lists). */
  fills: Fill[];
}

type MatchEnd = 'complete' | 'exhausted' | 'limit' | 'budget' | 'self-trade';

const FIRST_ORDER_ID = 1_000_001;
const FIRST_TRADE_ID = 1;

/**
 * The venue-neutral exchange core: accounts' funds, one price-time priority book per symbol,
 * matching with maker/taker fees, conditional orders triggered by the last trade price, and
 * self-trade prevention. It knows nothing of HTTP or any venue's wire format.
 *
 * Every order status change goes through the domain state machine (see order-status.ts).
 * Everything is synchronous, so each public call is atomic with respect to every other.
 */
export class Exchange extends EventEmitter<ExchangeEventMap> {
  private readonly instrumentsBySymbol = new Map<string, Instrument>();
  private readonly books = new Map<string, OrderBook>();
  private readonly tapes = new Map<string, TradeTape>();
  private readonly store = new OrderStore();
  private readonly pendingStops = new PendingStops();
  private nextOrderId = FIRST_ORDER_ID;
  private nextTradeId = FIRST_TRADE_ID;
  private operationDepth = 0;
  /** Counts mutations; Binance's depth `lastUpdateId` only needs to grow with changes. */
  private version = 0;
  private readonly symbolsToCheckForTriggers = new Set<string>();
  private liquidityTaken = new Map<string, Set<string>>();

  constructor(
    instruments: readonly Instrument[],
    openingPrices: ReadonlyMap<string, Decimal>,
    private readonly accounts: AccountBook,
    readonly clock: Clock,
  ) {
    super();
    for (const instrument of instruments) {
      const openingPrice = openingPrices.get(instrument.symbol);
      if (!openingPrice) throw new Error(`no opening price for ${instrument.symbol}`);
      this.instrumentsBySymbol.set(instrument.symbol, instrument);
      this.books.set(instrument.symbol, new OrderBook(instrument.symbol));
      this.tapes.set(instrument.symbol, new TradeTape(openingPrice));
    }
  }

  // ---- orders -------------------------------------------------------------------------------

  /** Validates, accepts and works a new order. Throws RejectionError when refused. */
  placeOrder(request: NewOrderRequest): PlacementResult {
    return this.operation(() => {
      const instrument = this.instrumentOrReject(request.symbol);
      const account = this.accounts.get(request.accountId);
      const order = this.createOrder(request, account);
      try {
        this.validate(order, request, instrument);
        reserveFunds(order, account, instrument, this.bookOf(order.symbol), this.clock());
      } catch (error) {
        if (error instanceof RejectionError) moveOrderStatus(order, 'REJECTED', this.clock());
        throw error;
      }
      this.store.add(order);
      moveOrderStatus(order, 'NEW', this.clock());
      this.emit('order', { order, execution: 'NEW' });
      const fills: Fill[] = [];
      if (isConditionalType(order.type)) this.pendingStops.add(order);
      else this.work(order, fills);
      return { order, fills };
    });
  }

  /** Cancels an open order (working or waiting for its trigger). Unknown or closed → UNKNOWN_ORDER. */
  cancelOrder(accountId: string, symbol: string, ref: OrderRef): Order {
    return this.operation(() => {
      this.instrumentOrReject(symbol);
      const order = this.store.find(accountId, symbol, ref);
      if (!order || !isOpen(order)) reject({ kind: 'UNKNOWN_ORDER' });
      this.finish(order, 'CANCELED');
      return order;
    });
  }

  /** Cancels every open order of the account on the symbol; none open → UNKNOWN_ORDER. */
  cancelOpenOrders(accountId: string, symbol: string): Order[] {
    return this.operation(() => {
      this.instrumentOrReject(symbol);
      const open = this.store.openOrdersOf(accountId, symbol);
      if (open.length === 0) reject({ kind: 'UNKNOWN_ORDER' });
      for (const order of open) this.finish(order, 'CANCELED');
      return open;
    });
  }

  findOrder(accountId: string, symbol: string, ref: OrderRef): Order | undefined {
    this.instrumentOrReject(symbol);
    return this.store.find(accountId, symbol, ref);
  }

  openOrders(accountId: string, symbol?: string): Order[] {
    if (symbol !== undefined) this.instrumentOrReject(symbol);
    return this.store.openOrdersOf(accountId, symbol);
  }

  orderHistory(accountId: string, symbol: string): Order[] {
    this.instrumentOrReject(symbol);
    return this.store.ordersOf(accountId, symbol);
  }

  fills(accountId: string, query: FillQuery): Fill[] {
    this.instrumentOrReject(query.symbol);
    return this.store.fillsOf(accountId, query);
  }

  // ---- market data --------------------------------------------------------------------------

  instruments(): Instrument[] {
    return [...this.instrumentsBySymbol.values()];
  }

  instrument(symbol: string): Instrument | undefined {
    return this.instrumentsBySymbol.get(symbol);
  }

  instrumentOrReject(symbol: string): Instrument {
    return this.instrumentsBySymbol.get(symbol) ?? reject({ kind: 'UNKNOWN_SYMBOL' });
  }

  depth(symbol: string, limit: number): { bids: DepthLevel[]; asks: DepthLevel[] } {
    return this.bookOf(symbol).depth(limit);
  }

  bestBid(symbol: string): Decimal | undefined {
    return this.bookOf(symbol).bestBid();
  }

  bestAsk(symbol: string): Decimal | undefined {
    return this.bookOf(symbol).bestAsk();
  }

  /** Grows with every change to any book. */
  updateId(): number {
    return this.version;
  }

  lastPrice(symbol: string): Decimal {
    return this.tapeOf(symbol).lastPrice();
  }

  lastTrade(symbol: string): PublicTrade | undefined {
    return this.tapeOf(symbol).lastTrade();
  }

  recentTrades(symbol: string, limit: number): PublicTrade[] {
    return this.tapeOf(symbol).recent(limit);
  }

  // ---- order lifecycle ----------------------------------------------------------------------

  private createOrder(request: NewOrderRequest, account: Account): Order {
    const now = this.clock();
    return {
      orderId: this.nextOrderId++,
      accountId: account.id,
      symbol: request.symbol,
      clientOrderId: request.clientOrderId,
      side: request.side,
      type: request.type,
      timeInForce: request.timeInForce,
      price: request.price,
      stopPrice: request.stopPrice,
      origQty: request.quantity ?? ZERO,
      origQuoteOrderQty: request.quoteOrderQty ?? ZERO,
      executedQty: ZERO,
      cumulativeQuoteQty: ZERO,
      domainStatus: INITIAL_DOMAIN_STATUS,
      time: now,
      updateTime: now,
      workingTime: -1,
      isWorking: false,
      lockedAmount: ZERO,
      selfTradePreventionMode:
        request.selfTradePreventionMode ?? (account.internal ? 'NONE' : 'EXPIRE_MAKER'),
      internal: account.internal,
    };
  }

  private validate(order: Order, request: NewOrderRequest, instrument: Instrument): void {
    const lastPrice = this.lastPrice(order.symbol);
    if (!order.internal) {
      const failure = checkFilters(instrument, request, lastPrice);
      if (failure) reject(failure);
      if (this.store.openWithClientId(order.accountId, order.clientOrderId)) {
        reject({ kind: 'DUPLICATE_CLIENT_ORDER_ID' });
      }
    }
    if (order.type === 'LIMIT_MAKER' && order.price !== undefined) {
      const best = this.bookOf(order.symbol).sideOf(oppositeSide(order.side)).best();
      if (best && crosses(order.side, order.price, best.price)) reject({ kind: 'WOULD_TAKE' });
    }
    if (isConditionalType(order.type) && order.stopPrice !== undefined) {
      if (isTriggered(order.type, order.side, order.stopPrice, lastPrice))
        reject({ kind: 'STOP_WOULD_TRIGGER' });
    }
  }

  /** Puts an accepted, non-waiting order to work: match, then rest or expire the remainder. */
  private work(order: Order, fills: Fill[]): void {
    const instrument = this.instrumentOrReject(order.symbol);
    order.isWorking = true;
    order.workingTime = this.clock();
    if (order.timeInForce === 'FOK' && !canFillCompletely(order, instrument, this.bookOf(order.symbol))) {
      this.finish(order, 'EXPIRED');
      return;
    }
    const end = this.matchTaker(order, instrument, fills);
    if (!isOpen(order)) return;
    if (order.origQuoteOrderQty.gt(0)) {
      // Quote-sized market orders report the base quantity they actually bought or sold.
      order.origQty = order.executedQty;
      this.finish(order, end === 'budget' && order.executedQty.gt(0) ? 'FILLED' : 'EXPIRED');
    } else if (isMarketLikeType(order.type) || order.timeInForce === 'IOC' || order.timeInForce === 'FOK') {
      this.finish(order, 'EXPIRED');
    } else {
      this.bookOf(order.symbol).add(order);
    }
  }

  /** Trades the taker against the opposite side, best price first, oldest order first. */
  private matchTaker(taker: Order, instrument: Instrument, fills: Fill[]): MatchEnd {
    const opposite = this.bookOf(taker.symbol).sideOf(oppositeSide(taker.side));
    const limitPrice = isMarketLikeType(taker.type) ? undefined : taker.price;
    const quoteSized = taker.origQuoteOrderQty.gt(0);
    for (;;) {
      if (!quoteSized && remainingQty(taker).lte(0)) return 'complete';
      const level = opposite.best();
      if (!level) return 'exhausted';
      if (limitPrice !== undefined && !crosses(taker.side, limitPrice, level.price)) return 'limit';
      const maker = level.orders[0] as Order;
      if (maker.accountId === taker.accountId && taker.selfTradePreventionMode !== 'NONE') {
        if (this.preventSelfTrade(taker, maker)) return 'self-trade';
        continue;
      }
      let qty = remainingQty(maker);
      if (quoteSized) {
        const budget = taker.origQuoteOrderQty.minus(taker.cumulativeQuoteQty);
        const affordable = quantityForQuote(budget, level.price, lotStepFor(instrument));
        if (affordable.lte(0)) return 'budget';
        if (affordable.lt(qty)) qty = affordable;
      } else if (remainingQty(taker).lt(qty)) {
        qty = remainingQty(taker);
      }
      this.executeTrade(maker, taker, instrument, level.price, qty, fills);
    }
  }

  /** Applies the taker's self-trade prevention mode; returns true when the taker is done. */
  private preventSelfTrade(taker: Order, maker: Order): boolean {
    const mode = taker.selfTradePreventionMode;
    if (mode === 'EXPIRE_MAKER' || mode === 'EXPIRE_BOTH') {
      this.noteLiquidityTaken(maker);
      this.finish(maker, 'EXPIRED_IN_MATCH');
    }
    if (mode === 'EXPIRE_TAKER' || mode === 'EXPIRE_BOTH') {
      this.finish(taker, 'EXPIRED_IN_MATCH');
      return true;
    }
    return false;
  }

  private executeTrade(
    maker: Order,
    taker: Order,
    instrument: Instrument,
    price: Decimal,
    qty: Decimal,
    takerFills: Fill[],
  ): void {
    const at = this.clock();
    const tradeId = this.nextTradeId++;
    const quoteQty = price.mul(qty);
    for (const [order, isMaker] of [
      [maker, true],
      [taker, false],
    ] as const) {
      const account = this.accounts.get(order.accountId);
      const { commission, commissionAsset } = settleTradeSide(account, order, instrument, {
        price,
        qty,
        quoteQty,
        isMaker,
        at,
      });
      order.executedQty = order.executedQty.plus(qty);
      order.cumulativeQuoteQty = order.cumulativeQuoteQty.plus(quoteQty);
      // A quote-sized order does not know its final quantity yet; work() closes it.
      const complete = order.origQuoteOrderQty.isZero() && remainingQty(order).isZero();
      moveOrderStatus(order, complete ? 'FILLED' : 'PARTIALLY_FILLED', at);
      const fill: Fill = {
        tradeId,
        orderId: order.orderId,
        accountId: order.accountId,
        symbol: order.symbol,
        side: order.side,
        price,
        qty,
        quoteQty,
        commission,
        commissionAsset,
        isMaker,
        time: at,
      };
      if (!order.internal) this.store.addFill(fill);
      if (!isMaker) takerFills.push(fill);
      this.emit('order', { order, execution: 'TRADE', fill });
      if (complete) this.closeOut(order);
    }
    this.noteLiquidityTaken(maker);
    const trade: PublicTrade = {
      id: tradeId,
      symbol: taker.symbol,
      price,
      qty,
      quoteQty,
      time: at,
      isBuyerMaker: maker.side === 'BUY',
    };
    this.tapeOf(taker.symbol).record(trade);
    this.symbolsToCheckForTriggers.add(taker.symbol);
    this.emit('trade', trade);
  }

  /** Moves an order to a terminal status and lets go of everything it held. */
  private finish(order: Order, status: Exclude<VenueOrderStatus, 'NEW' | 'PARTIALLY_FILLED'>): void {
    moveOrderStatus(order, status, this.clock());
    this.closeOut(order);
    if (status === 'CANCELED') this.emit('order', { order, execution: 'CANCELED' });
    else if (status !== 'FILLED') this.emit('order', { order, execution: 'EXPIRED' });
  }

  private closeOut(order: Order): void {
    releaseRemainingLock(this.accounts.get(order.accountId), order, this.clock());
    if (order.price !== undefined && order.isWorking) this.bookOf(order.symbol).remove(order);
    if (!order.isWorking) this.pendingStops.remove(order);
    this.store.finished(order);
  }

  // ---- conditional orders -------------------------------------------------------------------

  /** Works every conditional order the trades so far have triggered, until none is left. */
  private runTriggers(): void {
    while (this.symbolsToCheckForTriggers.size > 0) {
      const symbol = this.symbolsToCheckForTriggers.values().next().value as string;
      const triggered = this.pendingStops.takeTriggered(symbol, this.lastPrice(symbol));
      if (!triggered) {
        this.symbolsToCheckForTriggers.delete(symbol);
        continue;
      }
      this.activate(triggered);
    }
  }

  private activate(order: Order): void {
    this.emit('order', { order, execution: 'TRIGGERED' });
    const instrument = this.instrumentOrReject(order.symbol);
    if (order.side === 'BUY' && isMarketLikeType(order.type)) {
      const account = this.accounts.get(order.accountId);
      if (!lockForTriggeredBuy(order, account, instrument, this.bookOf(order.symbol), this.clock())) {
        this.finish(order, 'EXPIRED');
        return;
      }
    }
    this.work(order, []);
  }

  // ---- plumbing -----------------------------------------------------------------------------

  /**
   * Runs one public mutation. The outermost one also works triggered stops and then announces
   * `settled`, so listeners (the market maker) react once per operation, never mid-match.
   */
  private operation<T>(body: () => T): T {
    this.operationDepth++;
    this.version++;
    let result: T;
    try {
      result = body();
      if (this.operationDepth === 1) this.runTriggers();
    } finally {
      this.operationDepth--;
    }
    if (this.operationDepth === 0 && this.liquidityTaken.size > 0) {
      const liquidityTaken = this.liquidityTaken;
      this.liquidityTaken = new Map();
      this.emit('settled', { liquidityTaken });
    }
    return result;
  }

  private noteLiquidityTaken(maker: Order): void {
    let accounts = this.liquidityTaken.get(maker.symbol);
    if (!accounts) {
      accounts = new Set();
      this.liquidityTaken.set(maker.symbol, accounts);
    }
    accounts.add(maker.accountId);
  }

  private bookOf(symbol: string): OrderBook {
    return this.books.get(symbol) ?? reject({ kind: 'UNKNOWN_SYMBOL' });
  }

  private tapeOf(symbol: string): TradeTape {
    return this.tapes.get(symbol) ?? reject({ kind: 'UNKNOWN_SYMBOL' });
  }
}
