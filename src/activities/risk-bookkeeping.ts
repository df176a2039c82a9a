/**
 * Order bookkeeping for pre-trade risk, in the worker's memory: the day's order counts and
 * notionals per strategy and the recent signal hashes, fed by the riskCheck activity when an
 * order passes. Working orders come from elsewhere (by default the venue). One worker's view,
 * lost on restart: a store shared by the workers (the order store or the ledger) replaces it
 * behind the same OrderBookkeeping interface.
 */
import { Dec, toDecimalString } from '../domain/decimal';
import type { RecentOrder } from '../domain/risk/types';
import type { DayStats, OrderBookkeeping, RecordedOrder } from './risk-sources';

const DAY_MS = 86_400_000;

export interface InMemoryBookkeepingOptions {
  openOrders: OrderBookkeeping['openOrders'];
  /** How long signal hashes are kept; the longest duplicate window it can serve (default 1 day). */
  retainMs?: number;
}

interface DayTotal {
  orders: number;
  notional: Dec;
}

export class InMemoryOrderBookkeeping implements OrderBookkeeping {
  readonly openOrders: OrderBookkeeping['openOrders'];
  private readonly retainMs: number;
  private readonly byId = new Map<string, RecordedOrder>();
  /** Oldest first (records arrive in time order): pruning takes from the front. */
  private readonly queue: RecordedOrder[] = [];
  private readonly byFingerprint = new Map<string, RecordedOrder[]>();
  private readonly days = new Map<string, DayTotal>();

  constructor(options: InMemoryBookkeepingOptions) {
    this.openOrders = options.openOrders;
    this.retainMs = options.retainMs ?? DAY_MS;
  }

  async dayStats({
    strategyId,
    day,
    excludeOrderId,
  }: {
    strategyId?: string;
    day: string;
    excludeOrderId?: string;
  }): Promise<DayStats> {
    const total = this.days.get(dayKey(day, strategyId));
    if (total === undefined) return { orders: 0, notional: '0' };
    const own = excludeOrderId === undefined ? undefined : this.byId.get(excludeOrderId);
    const counted = own !== undefined && own.at.slice(0, 10) === day && own.strategyId === strategyId;
    return {
      orders: total.orders - (counted ? 1 : 0),
      notional: toDecimalString(counted ? total.notional.minus(own.notional ?? 0) : total.notional),
    };
  }

  async recentFingerprints({
    fingerprint,
    since,
  }: {
    fingerprint: string;
    since: Date;
  }): Promise<RecentOrder[]> {
    const from = since.getTime();
    return (this.byFingerprint.get(fingerprint) ?? [])
      .filter((r) => Date.parse(r.at) >= from)
      .map((r) => ({ orderId: r.orderId, fingerprint: r.fingerprint, at: r.at }));
  }

  async record(order: RecordedOrder): Promise<void> {
    if (this.byId.has(order.orderId)) return;
    this.prune(Date.parse(order.at));
    this.byId.set(order.orderId, order);
    this.queue.push(order);
    const same = this.byFingerprint.get(order.fingerprint);
    if (same === undefined) this.byFingerprint.set(order.fingerprint, [order]);
    else same.push(order);
    const key = dayKey(order.at.slice(0, 10), order.strategyId);
    const total = this.days.get(key) ?? { orders: 0, notional: new Dec(0) };
    this.days.set(key, { orders: total.orders + 1, notional: total.notional.plus(order.notional ?? 0) });
  }

  /** Forgets orders older than retainMs and days before yesterday (UTC). */
  private prune(nowMs: number): void {
    while (this.queue.length > 0 && Date.parse((this.queue[0] as RecordedOrder).at) < nowMs - this.retainMs) {
      const old = this.queue.shift() as RecordedOrder;
      this.byId.delete(old.orderId);
      const same = this.byFingerprint.get(old.fingerprint)?.filter((r) => r !== old) ?? [];
      if (same.length === 0) this.byFingerprint.delete(old.fingerprint);
      else this.byFingerprint.set(old.fingerprint, same);
    }
    const yesterday = new Date(nowMs - DAY_MS).toISOString().slice(0, 10);
    for (const key of this.days.keys()) if (key.slice(0, 10) < yesterday) this.days.delete(key);
  }
}

/** Orders without a strategy count together, under a key no strategy id can take. */
function dayKey(day: string, strategyId: string | undefined): string {
  return `${day}\u001f${strategyId ?? ''}`;
}
