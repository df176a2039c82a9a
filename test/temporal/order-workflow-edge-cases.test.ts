/**
 * orderWorkflow's hard cases, found in code review: each on the real dev server, with the real
 * simulator through real ccxt, or a scripted venue where a race must be exact. Each of these
 * failed on the first version of the workflow (double send after a late attempt, a workflow
 * failed with its order live, over-fill on an amend race, wedged status moves, dropped fills …).
 */
import { WorkflowHandle } from '@temporalio/client';
import * as ccxt from 'ccxt';
import { dec, toDecimalString } from '../../src/domain/decimal';
import type { MarketRules } from '../../src/domain/market-rules';
import type { Fill, OrderState } from '../../src/domain/order-state';
import { isTerminal } from '../../src/domain/status';
import { CcxtVenue } from '../../src/venues/ccxt-venue';
import { startSimulator } from '../../src/sim/server';
import { createCcxtExchange, registeredVenue } from '../../src/venues/factory';
import { type RegisteredVenue, VenueRegistry } from '../../src/venues/registry';
import type { Amendment, NewVenueOrder, OrderRef, Venue, VenueOrder } from '../../src/venues/types';
import type { CcxtVenueConfig } from '../../src/workers/config';
import { amendUpdate } from '../../src/workflows/messages';
import { type TestOrdo, startTestOrdoOn, testWorkerConfig, uniqueOrderId } from '../support/ordo-worker';
import { midOf, simOrdersFor } from '../support/simulator-admin';

jest.setTimeout(90_000);

type Rig = TestOrdo;

/** A worker on its own task queue with the given venues (so a test can reach into a venue). */
function startRig(venues: Map<string, RegisteredVenue>): Promise<Rig> {
  return startTestOrdoOn(new VenueRegistry(venues));
}

const settings = (pollIntervalMs: number) => ({ pollIntervalMs });

/** The `sim` venue as the worker builds it, but with its ccxt exchange in the test's hands. */
function simVenue(
  pollIntervalMs = 100,
  simulatorUrl?: string,
): { exchange: ccxt.Exchange; venues: Map<string, RegisteredVenue> } {
  const overrides = simulatorUrl === undefined ? { pollIntervalMs } : { pollIntervalMs, simulatorUrl };
  const config = testWorkerConfig(overrides).venues['sim'] as CcxtVenueConfig;
  const exchange = createCcxtExchange(config);
  const venue = new CcxtVenue({ name: 'sim', exchange });
  return { exchange, venues: new Map([['sim', registeredVenue(venue, settings(pollIntervalMs))]]) };
}

const isWorking = (s: OrderState) => s.status === 'ACCEPTED' || s.status === 'PARTIALLY_FILLED';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const price = (v: number) => v.toFixed(2);

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | 'TIMED_OUT'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'TIMED_OUT'>((resolve) => {
    timer = setTimeout(() => resolve('TIMED_OUT'), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Messages of WorkflowTaskFailed events: a workflow stuck on a throwing task shows them. */
async function workflowTaskFailures(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? [])
    .map((e) => e.workflowTaskFailedEventAttributes?.failure?.message)
    .filter((m): m is string => typeof m === 'string');
}

// ---------------------------------------------------------------------------------------------

describe('on the simulator', () => {
  let rig: Rig;
  let exchange: ccxt.Exchange;

  beforeAll(async () => {
    const sim = simVenue(100);
    exchange = sim.exchange;
    rig = await startRig(sim.venues);
  });
  afterAll(async () => {
    await rig?.shutdown();
  });

  test('a price-only amend after a quantity amend keeps the amended quantity', async () => {
    const orderId = uniqueOrderId('rv-qty');
    const mid = await midOf('ETH/USDT');
    await rig.orders.submit({
      orderId,
      symbol: 'ETH/USDT',
      side: 'buy',
      type: 'limit',
      quantity: '0.5',
      limitPrice: price(mid * 0.8),
      venue: 'sim',
    });
    await rig.orders.waitFor(orderId, isWorking);
    expect(await rig.orders.amend(orderId, { quantity: '0.7' })).toMatchObject({ accepted: true });
    expect(await rig.orders.amend(orderId, { limitPrice: price(mid * 0.79) })).toMatchObject({
      accepted: true,
    });
    const state = await rig.orders.status(orderId);
    await rig.orders.cancel(orderId);
    const sent = await simOrdersFor(orderId);
    // Before the fix: the second amend sends the ORIGINAL 0.5 (order-workflow.ts uses the run's first
    // `request.quantity`), and the order's quantity silently goes back to 0.5.
    expect(state.request.quantity).toBe('0.7');
    expect(Number(sent.at(-1)?.origQty)).toBe(0.7);
  });

  test('an amend off the lot size is refused, not truncated by ccxt into an order that never ends', async () => {
    const orderId = uniqueOrderId('rv-lot');
    const mid = await midOf('ETH/USDT');
    await rig.orders.submit({
      orderId,
      symbol: 'ETH/USDT',
      side: 'buy',
      type: 'limit',
      quantity: '0.5',
      limitPrice: price(mid * 0.8),
      venue: 'sim',
    });
    await rig.orders.waitFor(orderId, isWorking);
    // ETH/USDT lot size is 0.0001: ccxt truncates 0.50001 to 0.5 without a word; the price crosses,
    // so the venue order fills 0.5 and closes, while Ordo waits for 0.50001 forever.
    const amended = await rig.orders
      .amend(orderId, { quantity: '0.50001', limitPrice: price(mid * 1.02) })
      .catch((err: Error) => ({ accepted: false, reason: err.message }));
    if (amended.accepted) {
      const final = await rig.orders.waitFor(orderId, (s) => isTerminal(s.status), 15_000);
      const venue = await simOrdersFor(orderId);
      if (!isTerminal(final.status)) await rig.client.workflow.getHandle(orderId).terminate('review');
      // Before the fix: PARTIALLY_FILLED with remaining 0.00001, its venue order FILLED (closed) long ago.
      expect({ status: final.status, venue: venue.at(-1)?.status }).toEqual({
        status: 'FILLED',
        venue: 'FILLED',
      });
    } else {
      expect(amended.reason).toMatch(/QUANTITY_PRECISION/);
    }
  });

  test('a venue-side expiry seen first by an amend does not wedge the workflow (PENDING_REPLACE -> EXPIRED)', async () => {
    // A slow poll so the workflow has not seen the expiry yet when the amend arrives; a private,
    // still market (no synthetic takers) so nothing but our own sell can reach our bid.
    const stillMarket = await startSimulator({ port: 0, seed: 3, tickMs: 0 });
    const slow = simVenue(6_000, stillMarket.url);
    const exchange = slow.exchange;
    const slowRig = await startRig(slow.venues);
    const orderId = uniqueOrderId('rv-stp');
    try {
      const book = await exchange.fetchOrderBook('SOL/USDT', 20);
      const bestBid = Number(book.bids[0]?.[0]);
      const bestAsk = Number(book.asks[0]?.[0]);
      const limit = bestAsk - bestBid > 0.011 ? bestBid + 0.01 : bestBid;
      await slowRig.orders.submit({
        orderId,
        symbol: 'SOL/USDT',
        side: 'buy',
        type: 'limit',
        quantity: '1',
        limitPrice: price(limit),
        venue: 'sim',
      });
      const working = await slowRig.orders.waitFor(orderId, isWorking);
      expect(working.venueOrderId).toBeDefined();
      // Our own account sells into our bid: Binance self-trade prevention (EXPIRE_MAKER, the
      // default) expires our resting order — a venue-side end Ordo learns about later.
      const now = await exchange.fetchOrderBook('SOL/USDT', 50);
      const ahead = now.bids.filter(([p]) => Number(p) >= limit).reduce((sum, [, q]) => sum + Number(q), 0);
      await exchange.createOrder('SOL/USDT', 'limit', 'sell', Math.ceil(ahead + 5), limit, {
        timeInForce: 'IOC',
      });
      const atVenue = await exchange.fetchOrder(working.venueOrderId ?? '', 'SOL/USDT');
      expect(atVenue.status).toBe('expired');

      const handle = slowRig.client.workflow.getHandle(orderId);
      const answer = await withTimeout(
        handle.executeUpdate(amendUpdate, { args: [{ limitPrice: price(limit - 0.05) }] }),
        12_000,
      );
      const failures = await workflowTaskFailures(handle);
      // Before the fix: the update never returns; the workflow task fails on every attempt with
      // "order status cannot move from PENDING_REPLACE to EXPIRED".
      expect(failures).toEqual([]);
      expect(answer).toMatchObject({ accepted: false, status: 'EXPIRED' });
    } finally {
      await slowRig.client.workflow
        .getHandle(orderId)
        .terminate('review cleanup')
        .catch(() => undefined);
      await slowRig.shutdown();
      await stillMarket.close();
    }
  });

  test('a final venue error while following (API key rotated) does not fail the workflow with the order live', async () => {
    const own = simVenue(100);
    const ownRig = await startRig(own.venues);
    const orderId = uniqueOrderId('rv-auth');
    const secret = own.exchange.secret;
    try {
      const mid = await midOf('BTC/USDT');
      await ownRig.orders.submit({
        orderId,
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        quantity: '0.001',
        limitPrice: price(mid * 0.8),
        venue: 'sim',
      });
      const working = await ownRig.orders.waitFor(orderId, isWorking);
      own.exchange.secret = 'rotated-by-ops'; // -1022 → AuthenticationError → nonRetryable
      await sleep(4_000);
      const description = await ownRig.client.workflow.getHandle(orderId).describe();
      const atVenue = await exchange.fetchOrder(working.venueOrderId ?? '', 'BTC/USDT');
      // Before the fix: the workflow is FAILED (ActivityFailure from followOrder) while the order still
      // rests at the venue: nobody follows it, cancels it or expires it any more.
      expect(atVenue.status).toBe('open');
      expect(description.status.name).toBe('RUNNING');
      // And the client cannot even show it: status() calls result(), which throws for FAILED.
      await expect(ownRig.orders.status(orderId)).resolves.toMatchObject({ orderId });
    } finally {
      own.exchange.secret = secret;
      const state = await ownRig.orders.status(orderId).catch(() => undefined);
      if (state?.venueOrderId)
        await exchange.cancelOrder(state.venueOrderId, 'BTC/USDT').catch(() => undefined);
      await ownRig.client.workflow
        .getHandle(orderId)
        .terminate('review cleanup')
        .catch(() => undefined);
      await ownRig.shutdown();
    }
  });

  test('a malformed request with a non-string strategyId ends DENIED instead of wedging', async () => {
    const orderId = uniqueOrderId('rv-deny');
    const handle = await rig.client.workflow.start('orderWorkflow', {
      taskQueue: rig.taskQueue,
      workflowId: orderId,
      args: [
        {
          orderId,
          symbol: 'BTC/USDT',
          side: 'buy',
          type: 'market',
          quantity: '0.01',
          venue: 'sim',
          strategyId: 42,
        },
      ],
    });
    const result = await withTimeout(handle.result() as Promise<OrderState>, 8_000);
    const failures = await workflowTaskFailures(handle);
    if (result === 'TIMED_OUT') await handle.terminate('review cleanup');
    // Before the fix: rawEcho() feeds strategyId 42 to upsertSearchAttributes as a Keyword: every workflow
    // task fails, the order never reaches DENIED.
    expect(failures).toEqual([]);
    expect(result).toMatchObject({ status: 'DENIED' });
  });
});

// ---------------------------------------------------------------------------------------------

/**
 * A scripted venue: orders rest until the test fills them; an amend can be given a fill that
 * lands on the old order between the activity's look-up and its cancel (the race every
 * cancel/replace has), whether the replace is done by cancelOrder or amendOrder.
 */
class ScriptedVenue implements Venue {
  readonly name = 'scripted';
  readonly orders: VenueOrder[] = [];
  private nextId = 1;
  private nextTrade = 1;
  raceFillOnAmend: string | undefined;
  /** The venue's trade endpoint lags its order endpoint by this much (fills show up late). */
  fillLagMs = 0;

  async marketRules(symbol: string): Promise<MarketRules> {
    return {
      venue: this.name,
      symbol,
      base: 'BTC',
      quote: 'USDT',
      amountStep: '0.01',
      priceStep: '0.01',
      orderTypes: ['market', 'limit'],
    };
  }
  async midPrice(): Promise<string> {
    return '100';
  }
  async submitOrder(o: NewVenueOrder): Promise<VenueOrder> {
    const order: VenueOrder = {
      venueOrderId: String(this.nextId++),
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      side: o.side,
      state: 'open',
      quantity: o.quantity,
      filledQuantity: '0',
      fills: [],
      ...(o.limitPrice === undefined ? {} : { limitPrice: o.limitPrice }),
    };
    this.orders.push(order);
    return this.copy(order);
  }
  fill(venueOrderId: string, quantity: string): void {
    const order = this.orders.find((o) => o.venueOrderId === venueOrderId);
    if (order === undefined || order.state !== 'open') throw new Error(`no open order ${venueOrderId}`);
    const f: Fill = {
      tradeId: `t${this.nextTrade++}`,
      quantity,
      price: order.limitPrice ?? '100',
      fee: '0',
      feeCurrency: 'USDT',
      timestamp: new Date().toISOString(),
      venueOrderId,
    };
    order.fills.push(f);
    order.filledQuantity = toDecimalString(dec(order.filledQuantity).plus(quantity));
    if (dec(order.filledQuantity).gte(order.quantity)) order.state = 'closed';
  }
  async cancelOrder(ref: OrderRef & { venueOrderId: string }): Promise<VenueOrder> {
    if (this.raceFillOnAmend !== undefined) this.fill(ref.venueOrderId, this.raceFillOnAmend);
    this.raceFillOnAmend = undefined;
    const order = this.find(ref);
    if (order?.state === 'open') order.state = 'canceled';
    return this.copy(order as VenueOrder);
  }
  async amendOrder(a: Amendment): Promise<VenueOrder> {
    const old = this.find(a.order) as VenueOrder;
    if (this.raceFillOnAmend !== undefined) this.fill(old.venueOrderId, this.raceFillOnAmend);
    this.raceFillOnAmend = undefined;
    old.state = 'canceled';
    const { order: _old, newClientOrderId, ...rest } = a;
    return this.submitOrder({ ...rest, symbol: a.order.symbol, clientOrderId: newClientOrderId });
  }
  async fetchOrder(ref: OrderRef): Promise<VenueOrder | undefined> {
    const order = this.find(ref);
    return order === undefined ? undefined : this.copy(order);
  }
  async fetchOpenOrders(): Promise<VenueOrder[]> {
    return this.orders.filter((o) => o.state === 'open').map((o) => this.copy(o));
  }
  async fetchOrderFills(ref: OrderRef & { venueOrderId: string }): Promise<Fill[]> {
    return this.visible(this.find(ref)?.fills ?? []);
  }
  private visible(fills: Fill[]): Fill[] {
    return fills.filter((f) => Date.now() - Date.parse(f.timestamp) >= this.fillLagMs);
  }
  async fetchFillsSince(): Promise<Fill[]> {
    return [];
  }
  async fetchBalances() {
    return {};
  }
  async fetchOrderBook(symbol: string) {
    return { symbol, bids: [], asks: [] };
  }
  async fetchCandles() {
    return [];
  }
  async fetchTrades() {
    return [];
  }
  async close(): Promise<void> {}
  private find(ref: OrderRef): VenueOrder | undefined {
    return this.orders.find((o) =>
      ref.venueOrderId !== undefined
        ? o.venueOrderId === ref.venueOrderId
        : o.clientOrderId === ref.clientOrderId,
    );
  }
  private copy(o: VenueOrder): VenueOrder {
    return { ...o, fills: this.visible(o.fills) };
  }
}

test('a fill racing a quantity amend neither over-fills nor leaves a live venue order behind a FILLED order', async () => {
  const venue = new ScriptedVenue();
  const rig = await startRig(new Map([['scripted', registeredVenue(venue, settings(50))]]));
  const orderId = uniqueOrderId('rv-race');
  try {
    await rig.orders.submit({
      orderId,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      quantity: '1',
      limitPrice: '100',
      venue: 'scripted',
    });
    const working = await rig.orders.waitFor(orderId, isWorking);
    venue.fill(working.venueOrderId ?? '', '0.4');
    await rig.orders.waitFor(orderId, (s) => s.filledQuantity === '0.4');
    // Reduce to 0.8: the activity sizes the replacement as 0.8 - 0.4 = 0.4, but 0.2 more fills on
    // the old order before its cancel lands, so the venue ends up with 0.6 + 0.4 = 1.0 working.
    venue.raceFillOnAmend = '0.2';
    expect(await rig.orders.amend(orderId, { quantity: '0.8' })).toMatchObject({ accepted: true });
    const replacement = (await rig.orders.status(orderId)).venueOrderId ?? '';
    venue.fill(replacement, '0.2');
    const final = await rig.orders.waitFor(orderId, (s) => isTerminal(s.status), 10_000);
    const stillOpen = venue.orders.filter((o) => o.state === 'open');
    const venueTotal = venue.orders.reduce(
      (sum, o) => sum.plus(o.state === 'open' ? o.quantity : o.filledQuantity),
      dec(0),
    );
    // Before the fix: FILLED at 0.8 and the workflow ends, while the replacement still works 0.2 more at
    // the venue (1.0 exposure for a 0.8 order) with nobody following it.
    expect(final.status).toBe('FILLED');
    expect(stillOpen).toEqual([]);
    expect(venueTotal.lte(0.8)).toBe(true);
  } finally {
    await rig.client.workflow
      .getHandle(orderId)
      .terminate('review cleanup')
      .catch(() => undefined);
    await rig.shutdown();
  }
});

test('fills the venue reports late are not dropped when the order ends (cancel after a lagging fill)', async () => {
  const venue = new ScriptedVenue();
  venue.fillLagMs = 4_000;
  const rig = await startRig(new Map([['scripted', registeredVenue(venue, settings(50))]]));
  const orderId = uniqueOrderId('rv-lag');
  try {
    await rig.orders.submit({
      orderId,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      quantity: '1',
      limitPrice: '100',
      venue: 'scripted',
    });
    const working = await rig.orders.waitFor(orderId, isWorking);
    venue.fill(working.venueOrderId ?? '', '0.4'); // executedQty 0.4 at once, its trade 4 s later
    await sleep(200);
    await rig.orders.cancel(orderId);
    const final = (await rig.client.workflow.getHandle(orderId).result()) as OrderState;
    // Before the fix: CANCELLED with filledQuantity 0 — snapshotOf() gives up after ~1.5 s and a terminal
    // venue state ends the workflow with the 0.4 the venue executed missing from Ordo's books.
    expect(final.status).toBe('CANCELLED');
    expect(final.filledQuantity).toBe('0.4');
  } finally {
    await rig.client.workflow
      .getHandle(orderId)
      .terminate('review cleanup')
      .catch(() => undefined);
    await rig.shutdown();
  }
});

test('a submit attempt that outlives its start-to-close timeout cannot send the order a second time', async () => {
  // Something in the worker delays the first send past the 15 s attempt timeout: ccxt's in-process
  // rate-limit queue under a burst, or a markets reload (loadMarkets(true) after the TTL, up to
  // timeoutMs) before createOrder. The attempt is not cancellable, so it still sends afterwards.
  const sim = simVenue(100);
  const registered = sim.venues.get('sim') as RegisteredVenue;
  let delayed = false;
  const slowOnce = new Proxy(registered.venue, {
    get(target, prop) {
      if (prop === 'submitOrder') {
        return async (o: NewVenueOrder) => {
          if (!delayed) {
            delayed = true;
            await sleep(16_000);
          }
          return target.submitOrder(o);
        };
      }
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const rig = await startRig(new Map([['sim', { ...registered, venue: slowOnce }]]));
  const orderId = uniqueOrderId('rv-zombie');
  try {
    await rig.orders.submit({
      orderId,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      quantity: '0.001',
      venue: 'sim',
    });
    const final = (await rig.client.workflow.getHandle(orderId).result()) as OrderState;
    expect(final.status).toBe('FILLED');
    await sleep(3_000); // the first attempt wakes up and sends
    const sent = await simOrdersFor(orderId);
    // Before the fix: two market orders with the same client order id, both FILLED (Binance refuses a
    // duplicate client order id only while the first order is still open).
    expect(sent.map((o) => o.status)).toEqual(['FILLED']);
  } finally {
    await rig.shutdown();
  }
});
