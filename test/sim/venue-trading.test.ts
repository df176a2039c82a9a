/**
 * The CcxtVenue adapter trading on the simulator through both dialects (ccxt.binance and
 * ccxt.bybit, unmodified), built from config/venues.json: the same calls, the same answers.
 */
import type { RunningSimulator } from '../../src/sim/server';
import { add, cmp, sub } from '../../src/domain/decimal';
import { createCcxtVenue } from '../../src/venues/factory';
import { admin, clientId, startTestSimulator } from './harness';
import { DIALECTS, restingBuy, testVenue, venueConfig, type TestVenue } from './venue-harness';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startTestSimulator();
});

afterAll(async () => {
  await sim.close();
});

const sum = (quantities: string[]) => quantities.reduce((a, b) => add(a, b), '0');

describe.each(DIALECTS)('%s (%s dialect)', (name) => {
  let t: TestVenue;

  beforeAll(() => {
    t = testVenue(sim, name);
  });

  afterAll(async () => {
    await t.venue.close();
  });

  beforeEach(async () => {
    await admin(sim, 'POST', '/admin/reset');
  });

  it('market rules: lot, tick, minimums, order types', async () => {
    const rules = await t.venue.marketRules('BTC/USDT');
    expect(rules).toMatchObject({
      venue: name,
      symbol: 'BTC/USDT',
      base: 'BTC',
      quote: 'USDT',
      amountStep: '0.00001',
      priceStep: '0.01',
      minAmount: '0.00001',
      minNotional: '5',
    });
    expect(rules.orderTypes).toEqual(expect.arrayContaining(['market', 'limit']));
  });

  it('submit a resting limit order: open, with the ids, amounts and price we sent', async () => {
    const order = restingBuy(`${name}-rest`);
    const placed = await t.venue.submitOrder(order);
    expect(placed).toMatchObject({
      clientOrderId: order.clientOrderId,
      symbol: 'BTC/USDT',
      side: 'buy',
      state: 'open',
      quantity: '0.01',
      filledQuantity: '0',
      limitPrice: '50000',
      fills: [],
    });
    expect(placed.venueOrderId).toMatch(/^\d+$/);
  });

  it('fetch by client order id finds that order, even with newer orders around', async () => {
    const first = await t.venue.submitOrder(restingBuy(`${name}-first`));
    await t.venue.submitOrder(restingBuy(`${name}-second`, { limitPrice: '50001' }));
    const found = await t.venue.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: first.clientOrderId });
    expect(found).toMatchObject({ venueOrderId: first.venueOrderId, clientOrderId: first.clientOrderId });
    const byId = await t.venue.fetchOrder({ symbol: 'BTC/USDT', venueOrderId: first.venueOrderId });
    expect(byId).toMatchObject({ venueOrderId: first.venueOrderId, state: 'open' });
  });

  it('a client order id the venue does not know is undefined, not an error', async () => {
    await t.venue.submitOrder(restingBuy(`${name}-other`));
    expect(await t.venue.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: clientId('never-sent') })).toBe(
      undefined,
    );
    expect(await t.venue.fetchOrder({ symbol: 'BTC/USDT', venueOrderId: '987654321' })).toBe(undefined);
  });

  it('cancel: the answer is the cancelled order, and so is a later look-up', async () => {
    const placed = await t.venue.submitOrder(restingBuy(`${name}-cancel`));
    const cancelled = await t.venue.cancelOrder({ symbol: 'BTC/USDT', venueOrderId: placed.venueOrderId });
    expect(cancelled).toMatchObject({
      venueOrderId: placed.venueOrderId,
      state: 'canceled',
      quantity: '0.01',
    });
    expect(
      await t.venue.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: placed.clientOrderId }),
    ).toMatchObject({
      state: 'canceled',
    });
  });

  it('a market order fills: closed, and its fills add up to the quantity', async () => {
    const placed = await t.venue.submitOrder({
      clientOrderId: clientId(`${name}-mkt`),
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      quantity: '0.02',
      timeInForce: 'GTC',
    });
    expect(placed).toMatchObject({ state: 'closed', quantity: '0.02', filledQuantity: '0.02' });
    const fills = await t.venue.fetchOrderFills({ symbol: 'BTC/USDT', venueOrderId: placed.venueOrderId });
    expect(sum(fills.map((f) => f.quantity))).toBe('0.02');
    for (const fill of fills) {
      expect(fill).toMatchObject({ venueOrderId: placed.venueOrderId, feeCurrency: 'BTC' });
      expect(cmp(fill.fee, '0')).toBe(1);
    }
    const since = await t.venue.fetchFillsSince('BTC/USDT', new Date(Date.now() - 60_000));
    expect(since.map((f) => f.tradeId)).toEqual(expect.arrayContaining(fills.map((f) => f.tradeId)));
  });

  it('an IOC that fills in part ends expired with the part filled (never "closed")', async () => {
    const book = await t.venue.fetchOrderBook('BTC/USDT', 5);
    const best = book.asks[0];
    if (best === undefined) throw new Error('no ask');
    const placed = await t.venue.submitOrder({
      clientOrderId: clientId(`${name}-ioc`),
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      quantity: add(best.quantity, '1'),
      limitPrice: best.price,
      timeInForce: 'IOC',
    });
    expect(placed.state).toBe('expired');
    expect(placed.filledQuantity).toBe(best.quantity);
    expect(await t.venue.fetchOrder({ symbol: 'BTC/USDT', venueOrderId: placed.venueOrderId })).toMatchObject(
      {
        state: 'expired',
        filledQuantity: best.quantity,
      },
    );
  });

  it('an IOC that cannot fill at all ends expired, in both dialects', async () => {
    const placed = await t.venue.submitOrder(restingBuy(`${name}-ioc0`, { timeInForce: 'IOC' }));
    expect(placed).toMatchObject({ state: 'expired', filledQuantity: '0' });
  });

  it('open orders: all of them, past the venue page size', async () => {
    const placed = [];
    for (let i = 0; i < 25; i++) {
      placed.push(
        await t.venue.submitOrder(restingBuy(`${name}-open${i}`, { limitPrice: String(40000 + i) })),
      );
    }
    const open = await t.venue.fetchOpenOrders('BTC/USDT');
    expect(open.map((o) => o.venueOrderId).sort()).toEqual(placed.map((o) => o.venueOrderId).sort());
    expect(open.every((o) => o.state === 'open')).toBe(true);
    expect((await t.venue.fetchOpenOrders()).length).toBe(25);
  });

  it('fills: every one of an order that traded more often than a page holds', async () => {
    const book = await t.venue.fetchOrderBook('BTC/USDT', 1);
    const [bid, ask] = [book.bids[0]?.price, book.asks[0]?.price];
    if (bid === undefined || ask === undefined) throw new Error('no book');
    // A sell inside the spread: the best ask, so every synthetic buy below hits it first.
    const price = String((Number(bid) + Number(ask)) / 2).replace(/(\.\d\d)\d+$/, '$1');
    const placed = await t.venue.submitOrder({
      ...restingBuy(`${name}-many`),
      side: 'sell',
      quantity: '0.1',
      limitPrice: price,
    });
    for (let i = 0; i < 60; i++) {
      await admin(sim, 'POST', '/admin/trade', { symbol: 'BTC/USDT', side: 'buy', quantity: '0.001' });
    }
    const order = await t.venue.fetchOrder({ symbol: 'BTC/USDT', venueOrderId: placed.venueOrderId });
    expect(order?.filledQuantity).toBe('0.06');
    const fills = await t.venue.fetchOrderFills({ symbol: 'BTC/USDT', venueOrderId: placed.venueOrderId });
    expect(fills).toHaveLength(60);
    expect(sum(fills.map((f) => f.quantity))).toBe('0.06');
  });

  it('amend: the order works at the new price and quantity', async () => {
    const placed = await t.venue.submitOrder(restingBuy(`${name}-amend`));
    const amended = await t.venue.amendOrder({
      order: { symbol: 'BTC/USDT', venueOrderId: placed.venueOrderId },
      side: 'buy',
      type: 'limit',
      newClientOrderId: clientId(`${name}-amended`),
      quantity: '0.02',
      limitPrice: '50500',
      timeInForce: 'GTC',
    });
    expect(amended).toMatchObject({
      state: 'open',
      quantity: '0.02',
      filledQuantity: '0',
      limitPrice: '50500',
    });
    const open = await t.venue.fetchOpenOrders('BTC/USDT');
    expect(open.map((o) => [o.venueOrderId, o.limitPrice])).toEqual([[amended.venueOrderId, '50500']]);
  });

  it('amend of a partly filled order: what remains to trade is the amended quantity', async () => {
    const book = await t.venue.fetchOrderBook('BTC/USDT', 1);
    const [bid, ask] = [book.bids[0]?.price, book.asks[0]?.price];
    if (bid === undefined || ask === undefined) throw new Error('no book');
    const price = String((Number(bid) + Number(ask)) / 2).replace(/(\.\d\d)\d+$/, '$1');
    const placed = await t.venue.submitOrder({
      ...restingBuy(`${name}-part`),
      side: 'sell',
      quantity: '0.1',
      limitPrice: price,
    });
    await admin(sim, 'POST', '/admin/trade', { symbol: 'BTC/USDT', side: 'buy', quantity: '0.03' });
    const amended = await t.venue.amendOrder({
      order: { symbol: 'BTC/USDT', venueOrderId: placed.venueOrderId },
      side: 'sell',
      type: 'limit',
      newClientOrderId: clientId(`${name}-part2`),
      quantity: '0.05',
      limitPrice: '90000',
      timeInForce: 'GTC',
    });
    // Binance: a new order for 0.05. Bybit: the same order, 0.08 in all with 0.03 filled.
    expect(sub(amended.quantity, amended.filledQuantity)).toBe('0.05');
    expect(amended).toMatchObject({ state: 'open', limitPrice: '90000' });
  });

  it('balances: decimal strings, funds locked by a resting order show as used', async () => {
    await t.venue.submitOrder(restingBuy(`${name}-bal`));
    const balances = await t.venue.fetchBalances();
    expect(balances['BTC']).toEqual({ free: '10', used: '0', total: '10' });
    expect(balances['USDT']?.used).toBe('500');
    expect(add(balances['USDT']?.free ?? '0', '500')).toBe(balances['USDT']?.total);
  });

  it('candles and the mid price', async () => {
    const candles = await t.venue.fetchCandles('BTC/USDT', '1m', undefined, 3);
    expect(candles).toHaveLength(3);
    const mid = await t.venue.midPrice('BTC/USDT');
    expect(Number(mid)).toBeGreaterThan(50_000);
  });

  it('createCcxtVenue builds the same venue straight from configuration', async () => {
    const venue = createCcxtVenue(name, venueConfig(sim, name));
    try {
      const placed = await venue.submitOrder(restingBuy(`${name}-config`));
      expect(
        await venue.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: placed.clientOrderId }),
      ).toMatchObject({
        venueOrderId: placed.venueOrderId,
      });
    } finally {
      await venue.close();
    }
  });
});

describe('amend across dialects', () => {
  it('Binance replaces (new ids); Bybit amends in place (same ids, quantity as the new total)', async () => {
    await admin(sim, 'POST', '/admin/reset');
    const results: Record<string, { sameId: boolean; sameClientId: boolean }> = {};
    for (const [name] of DIALECTS) {
      const { venue } = testVenue(sim, name);
      const placed = await venue.submitOrder(restingBuy(`${name}-x`));
      const amended = await venue.amendOrder({
        order: { symbol: 'BTC/USDT', venueOrderId: placed.venueOrderId },
        side: 'buy',
        type: 'limit',
        newClientOrderId: clientId(`${name}-y`),
        quantity: '0.03',
        limitPrice: '49000',
        timeInForce: 'GTC',
      });
      expect(amended.quantity).toBe('0.03');
      results[name] = {
        sameId: amended.venueOrderId === placed.venueOrderId,
        sameClientId: amended.clientOrderId === placed.clientOrderId,
      };
      await venue.close();
    }
    expect(results).toEqual({
      sim: { sameId: false, sameClientId: false },
      'sim-bybit': { sameId: true, sameClientId: true },
    });
  });
});
