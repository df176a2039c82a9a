/**
 * Turns the engine's order events into each account's user-data stream and hands them to that
 * account's subscribers (WebSocket API subscriptions and listenKey sockets alike).
 *
 * The engine stays free of any stream code: the hub listens to `Exchange` `order` events. Each event
 * is snapshotted the moment it is emitted (so a partial fill reports the cumulative quantity of
 * that moment), but delivered once the engine operation that caused it is over (a microtask later,
 * since the engine is synchronous): only then are the working time of a new order and the final
 * balances known. After an operation's executionReports, each account touched gets one
 * `outboundAccountPosition` for the assets of the symbols involved.
 */
import { dec, type DecimalValue } from '../engine/decimal';
import type { Exchange, OrderEvent } from '../engine/exchange';
import type { Order } from '../engine/types';
import type { Simulation } from '../simulation';
import {
  balanceUpdate,
  completeWorkingTime,
  executionReport,
  outboundAccountPosition,
  type UserDataEvent,
} from './user-data-stream-events';

export type UserDataListener = (event: UserDataEvent) => void;

interface PendingEvent {
  accountId: string;
  event: UserDataEvent;
  order?: Order;
}

export class UserDataHub {
  private readonly listeners = new Map<string, Set<UserDataListener>>();
  /** Messages delivered per account (one per listener), for GET /admin/stream. */
  private readonly delivered = new Map<string, number>();
  private attachedTo: Exchange | undefined;
  private pending: PendingEvent[] = [];
  /** account → assets whose balances an event of the current operation may have changed. */
  private touched = new Map<string, Set<string>>();
  private flushScheduled = false;
  private nextExecutionId = 1;

  constructor(private readonly getSimulation: () => Simulation) {
    this.attach();
  }

  /** Listens to the simulation's current exchange (a reset builds a new one). Idempotent. */
  attach(): void {
    const exchange = this.getSimulation().exchange;
    if (exchange === this.attachedTo) return;
    this.attachedTo = exchange;
    exchange.on('order', (event) => {
      if (exchange === this.attachedTo) this.onOrder(event);
    });
  }

  /** Starts delivering the account's events to `listener`; returns the unsubscribe function. */
  subscribe(accountId: string, listener: UserDataListener): () => void {
    this.attach();
    let set = this.listeners.get(accountId);
    if (!set) {
      set = new Set();
      this.listeners.set(accountId, set);
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(accountId);
      current?.delete(listener);
      if (current?.size === 0) this.listeners.delete(accountId);
    };
  }

  /** A balance change no order caused (admin deposit/withdrawal): balanceUpdate + position. */
  balanceChanged(accountId: string, asset: string, delta: DecimalValue): void {
    if (!this.listeners.has(accountId)) return;
    this.queue({ accountId, event: balanceUpdate(asset, dec(delta), this.now()) });
    this.touch(accountId, [asset]);
  }

  subscriptionCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  messagesDelivered(): Record<string, number> {
    return Object.fromEntries(this.delivered);
  }

  private onOrder(event: OrderEvent): void {
    const { order } = event;
    if (order.internal || !this.listeners.has(order.accountId)) return;
    const report = executionReport(event, this.now(), this.nextExecutionId++);
    this.queue({ accountId: order.accountId, event: report, order });
    const instrument = this.getSimulation().exchange.instrument(order.symbol);
    if (instrument) this.touch(order.accountId, [instrument.baseAsset, instrument.quoteAsset]);
  }

  private queue(pending: PendingEvent): void {
    this.pending.push(pending);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => this.flush());
  }

  private touch(accountId: string, assets: readonly string[]): void {
    let set = this.touched.get(accountId);
    if (!set) {
      set = new Set();
      this.touched.set(accountId, set);
    }
    for (const asset of assets) set.add(asset);
  }

  private flush(): void {
    this.flushScheduled = false;
    const pending = this.pending;
    const touched = this.touched;
    this.pending = [];
    this.touched = new Map();
    for (const { accountId, event, order } of pending) {
      if (order) completeWorkingTime(event, order);
      this.deliver(accountId, event);
    }
    const sim = this.getSimulation();
    const now = this.now();
    for (const [accountId, assets] of touched) {
      const account = sim.accounts.findByApiKey(accountId);
      if (account) this.deliver(accountId, outboundAccountPosition(account, [...assets].sort(), now));
    }
  }

  private deliver(accountId: string, event: UserDataEvent): void {
    const set = this.listeners.get(accountId);
    if (!set) return;
    for (const listener of [...set]) {
      listener(event);
      this.delivered.set(accountId, (this.delivered.get(accountId) ?? 0) + 1);
    }
  }

  private now(): number {
    return this.getSimulation().clock();
  }
}
