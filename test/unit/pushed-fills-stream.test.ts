/**
 * The order stream's loop on a scripted pro exchange: updates handed over with the venue's words,
 * down on a dropped watch, back up after a backoff (counted as a reconnect), and a clean stop that
 * closes the exchange even while it waits to reconnect.
 */
import {
  OrderStream,
  type OrderWatchingExchange,
  type PushedOrderUpdate,
  type StreamHealth,
  type WatchedOrder,
} from '../../src/venues/order-stream';

type Step = { orders: WatchedOrder[] } | { fail: Error };

/** watchOrders answers the scripted steps in order; past the script it waits until closed. */
class ScriptedExchange implements OrderWatchingExchange {
  closed = false;
  authentications = 0;
  private pending: ((step: Step) => void)[] = [];
  private script: Step[] = [];

  constructor(
    readonly id: string,
    private readonly refuseAuthentications = 0,
  ) {}

  push(step: Step): void {
    const waiting = this.pending.shift();
    if (waiting === undefined) this.script.push(step);
    else waiting(step);
  }

  async authenticate(): Promise<void> {
    this.authentications++;
    if (this.authentications <= this.refuseAuthentications) throw new Error('NetworkError: refused');
  }

  async watchOrders(): Promise<WatchedOrder[]> {
    const step = this.script.shift() ?? (await new Promise<Step>((resolve) => this.pending.push(resolve)));
    if ('fail' in step) throw step.fail;
    return step.orders;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiting of this.pending.splice(0)) waiting({ fail: new Error('closedByUser') });
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!check()) throw new Error(`never: ${what}`);
}

function streamOn(
  exchange: OrderWatchingExchange,
  onUpdate: (u: PushedOrderUpdate) => void = () => undefined,
) {
  const states: StreamHealth['state'][] = [];
  const stream = new OrderStream({
    venue: 'sim',
    exchange,
    onUpdate,
    onState: (health) => states.push(health.state),
    reconnectMinMs: 10,
    reconnectMaxMs: 40,
  });
  return { stream, states };
}

const binanceOrder = (x: string, status: string, filled: number): WatchedOrder => ({
  id: '101',
  clientOrderId: 'ord-1',
  status,
  filled,
  info: { e: 'executionReport', x, X: status === 'closed' ? 'FILLED' : 'PARTIALLY_FILLED' },
});

describe('OrderStream', () => {
  it('is up once Binance confirms the subscription, and hands every update over', async () => {
    const exchange = new ScriptedExchange('binance');
    const updates: PushedOrderUpdate[] = [];
    const { stream, states } = streamOn(exchange, (u) => updates.push(u));
    stream.start();
    await until(() => stream.isUp(), 'up');
    expect(stream.health()).toMatchObject({ venue: 'sim', state: 'up', reconnects: 0 });
    expect(stream.health().lastMessageAt).toBeUndefined();

    exchange.push({ orders: [binanceOrder('TRADE', 'open', 0.4), binanceOrder('TRADE', 'closed', 1)] });
    await until(() => updates.length === 2, 'two updates');
    expect(updates).toEqual([
      {
        venue: 'sim',
        venueOrderId: '101',
        clientOrderId: 'ord-1',
        status: 'open',
        filled: '0.4',
        event: 'executionReport TRADE',
      },
      {
        venue: 'sim',
        venueOrderId: '101',
        clientOrderId: 'ord-1',
        status: 'closed',
        filled: '1',
        event: 'executionReport TRADE',
      },
    ]);
    expect(stream.health().lastMessageAt).toBeDefined();
    await stream.stop();
    expect(exchange.closed).toBe(true);
    expect(states).toEqual(['up', 'stopped']);
  });

  it('goes down when the watch is dropped and comes back up, counting the reconnect', async () => {
    const exchange = new ScriptedExchange('binance', 0);
    const { stream, states } = streamOn(exchange);
    stream.start();
    await until(() => stream.isUp(), 'up');
    exchange.push({ fail: new Error('connection closed by remote server, closing code 1006') });
    await until(() => stream.health().reconnects === 1, 'reconnected');
    expect(stream.health()).toMatchObject({
      state: 'up',
      reconnects: 1,
      lastError: 'Error: connection closed by remote server, closing code 1006',
    });
    expect(exchange.authentications).toBe(2);
    expect(states).toEqual(['up', 'down', 'up']);
    await stream.stop();
  });

  it('keeps retrying a refused subscription with backoff, and stops cleanly while waiting', async () => {
    const exchange = new ScriptedExchange('binance', 1_000);
    const { stream, states } = streamOn(exchange);
    stream.start();
    await until(() => exchange.authentications >= 3, 'three attempts');
    expect(stream.health()).toMatchObject({
      state: 'down',
      reconnects: 0,
      lastError: 'Error: NetworkError: refused',
    });
    await stream.stop();
    const attempts = exchange.authentications;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(exchange.authentications).toBe(attempts); // no attempt after stop
    expect(states).toEqual(['down', 'stopped']);
  });

  it('a venue without a confirmed subscription is up from its first update; a failing listener is survived', async () => {
    const exchange = new ScriptedExchange('kraken');
    let calls = 0;
    const { stream } = streamOn(exchange, () => {
      calls++;
      throw new Error('listener bug');
    });
    stream.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stream.health().state).toBe('starting');
    exchange.push({ orders: [{ id: '7', status: 'canceled', info: {} }] });
    exchange.push({ orders: [{ id: '8' }] });
    await until(() => calls === 2, 'both updates delivered');
    expect(stream.isUp()).toBe(true);
    await stream.stop();
  });
});
