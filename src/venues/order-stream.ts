/**
 * A venue's order stream: a loop on a ccxt pro exchange calling `watchOrders()` and handing each
 * pushed order change to a listener. ccxt rejects the pending watch when the connection drops;
 * the loop then reports the stream down and reconnects with a capped exponential backoff, until
 * stop() closes the exchange.
 *
 * The stream is a shortcut, never the only way an order change arrives: while it is down the
 * follow activities poll at their normal pace, and what was pushed during a drop is missed but
 * polled (src/workers/pushed-fills.ts).
 */
import { dec } from '../domain/decimal';

/** One order's change as the venue pushed it. */
export interface PushedOrderUpdate {
  venue: string;
  venueOrderId?: string;
  clientOrderId?: string;
  /** ccxt's unified state: open, closed, canceled, expired, rejected. */
  status?: string;
  /** Cumulative filled quantity, decimal string. */
  filled?: string;
  /** The venue's own words for the event, e.g. "executionReport TRADE". */
  event: string;
}

export type StreamState = 'starting' | 'up' | 'down' | 'stopped';

export interface StreamHealth {
  venue: string;
  state: StreamState;
  /** ISO-8601: when the stream entered this state. */
  since: string;
  /** ISO-8601: the last batch of order updates received. */
  lastMessageAt?: string;
  /** Times the stream came back up after being down. */
  reconnects: number;
  lastError?: string;
}

/** The order fields the stream reads from a ccxt order (ccxt's `Order`, loosely typed). */
export interface WatchedOrder {
  id?: string;
  clientOrderId?: string;
  status?: string;
  filled?: number;
  info?: unknown;
}

/** What the stream needs of a ccxt pro exchange (unit tests give a scripted one). */
export interface OrderWatchingExchange {
  id: string;
  watchOrders(): Promise<WatchedOrder[]>;
  close(): Promise<unknown>;
  /** Binance: subscribes the user-data stream and resolves once the venue confirmed it. */
  authenticate?(params?: Record<string, unknown>): Promise<unknown>;
}

/** What the stream touches of a ccxt WebSocket client: its pending futures. */
interface CcxtClient {
  connected?: Promise<unknown>;
  futures?: Record<string, Promise<unknown> | undefined>;
}

export interface OrderStreamOptions {
  venue: string;
  exchange: OrderWatchingExchange;
  onUpdate(update: PushedOrderUpdate): void;
  /** Every change of state (up, down, stopped), with the health at that moment. */
  onState?(health: StreamHealth): void;
  /** First reconnect delay; doubles per failed attempt up to reconnectMaxMs. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

export class OrderStream {
  private state: StreamState = 'starting';
  private since = new Date();
  private lastMessageAt: Date | undefined;
  private reconnects = 0;
  private lastError: string | undefined;
  private wasUp = false;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wakeBackoff: (() => void) | undefined;
  private readonly quieted = new WeakSet<Promise<unknown>>();

  constructor(private readonly options: OrderStreamOptions) {}

  get venue(): string {
    return this.options.venue;
  }

  start(): void {
    this.loop ??= this.run();
  }

  isUp(): boolean {
    return this.state === 'up';
  }

  health(): StreamHealth {
    return {
      venue: this.options.venue,
      state: this.state,
      since: this.since.toISOString(),
      ...(this.lastMessageAt === undefined ? {} : { lastMessageAt: this.lastMessageAt.toISOString() }),
      reconnects: this.reconnects,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  /** Closes the exchange's connections and waits for the loop to end. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeBackoff?.();
    await this.options.exchange.close().catch(() => undefined);
    await this.loop;
    this.enter('stopped');
  }

  private async run(): Promise<void> {
    const { exchange } = this.options;
    let failures = 0;
    while (!this.stopping) {
      try {
        await this.subscribe();
        for (;;) {
          const watching = exchange.watchOrders();
          this.quietFutures();
          const orders = await watching;
          if (this.stopping) return;
          failures = 0;
          this.lastMessageAt = new Date();
          if (this.state !== 'up') this.enter('up'); // venues without a confirmed subscribe
          for (const order of orders) this.deliver(order);
        }
      } catch (err) {
        if (this.stopping) return;
        this.lastError = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        this.enter('down');
        failures++;
        await this.backoff(this.delayAfter(failures));
      }
    }
  }

  /**
   * Binance confirms the user-data subscription (userDataStream.subscribe.signature): the stream
   * is up from then on. Other venues count as up once their first update arrives; until then
   * orders are polled at the normal pace, which is the safe side.
   */
  private async subscribe(): Promise<void> {
    const { exchange } = this.options;
    if (exchange.id === 'binance' && exchange.authenticate !== undefined) {
      const subscribing = exchange.authenticate();
      this.quietFutures();
      await subscribing;
      if (!this.stopping) this.enter('up');
    }
  }

  /**
   * A dropped connection makes ccxt reject every pending future of it, some of which it created
   * for itself and nobody awaits (Binance: "authenticate:signature:spot"): unhandled rejections,
   * fatal to a Node process. The loop hears of the drop through its own watch, so each future is
   * marked handled (once) as soon as ccxt has created it.
   */
  private quietFutures(): void {
    const clients = (this.options.exchange as { clients?: Record<string, CcxtClient | undefined> }).clients;
    for (const client of Object.values(clients ?? {})) {
      const futures = [client?.connected, ...Object.values(client?.futures ?? {})];
      for (const future of futures) {
        if (future === undefined || this.quieted.has(future)) continue;
        this.quieted.add(future);
        future.catch(() => undefined);
      }
    }
  }

  private deliver(order: WatchedOrder): void {
    const info = (typeof order.info === 'object' && order.info !== null ? order.info : {}) as Record<
      string,
      unknown
    >;
    const words = [info['e'], info['x'] ?? order.status].filter((w) => typeof w === 'string');
    const update: PushedOrderUpdate = {
      venue: this.options.venue,
      event: words.length > 0 ? words.join(' ') : 'order update',
      ...(order.id === undefined ? {} : { venueOrderId: String(order.id) }),
      ...(order.clientOrderId === undefined ? {} : { clientOrderId: order.clientOrderId }),
      ...(order.status === undefined ? {} : { status: order.status }),
      ...(typeof order.filled === 'number' ? { filled: dec(order.filled).toFixed() } : {}),
    };
    try {
      this.options.onUpdate(update);
    } catch {
      // A listener's failure is its own; the stream carries on (polling covers what it missed).
    }
  }

  private enter(state: StreamState): void {
    if (state === this.state) return;
    if (state === 'up') {
      if (this.wasUp) this.reconnects++;
      this.wasUp = true;
    }
    this.state = state;
    this.since = new Date();
    this.options.onState?.(this.health());
  }

  private delayAfter(failures: number): number {
    const min = this.options.reconnectMinMs ?? 250;
    const max = this.options.reconnectMaxMs ?? 5_000;
    return Math.min(max, min * 2 ** Math.min(failures - 1, 20));
  }

  private backoff(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeBackoff = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeBackoff = done;
    });
  }
}
