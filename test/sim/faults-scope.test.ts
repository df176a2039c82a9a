/**
 * Scoping and counting: a fault scoped to an endpoint leaves every other endpoint healthy, and a
 * fault with `times` switches itself off after firing that often ("fail only the first order").
 */
import type { RunningSimulator } from '../../src/sim/server';
import {
  faultSettings,
  ordersWithClientId,
  restingBuy,
  setFaults,
  thrownBy,
  watchedBinance,
  type WatchedExchange,
} from './faults-harness';
import { admin, clientId, startTestSimulator } from './harness';

let sim: RunningSimulator;
let client: WatchedExchange;

beforeAll(async () => {
  sim = await startTestSimulator();
  client = watchedBinance(sim);
  await client.exchange.loadMarkets();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await admin(sim, 'POST', '/admin/reset');
});

describe('scope', () => {
  it('a fault on POST /api/v3/order leaves reads, cancels and other endpoints healthy', async () => {
    const resting = await restingBuy(client.exchange, clientId('before-scope'));
    await setFaults(sim, { errors: [{ kind: 'internalError', scope: ['POST /api/v3/order'] }] });

    expect((await thrownBy(restingBuy(client.exchange, clientId('scoped')))).className).toBe(
      'OperationFailed',
    );
    await client.exchange.fetchBalance();
    await client.exchange.fetchTicker('BTC/USDT');
    await client.exchange.fetchOpenOrders('BTC/USDT');
    await client.exchange.fetchOrder(String(resting.id), 'BTC/USDT');
    await client.exchange.cancelOrder(String(resting.id), 'BTC/USDT');
    expect((await faultSettings(sim)).errors[0]?.fired).toBe(1);
  });

  it('a path prefix with a method: "GET /api/v3/*" fails every read, order placement still works', async () => {
    await setFaults(sim, { errors: [{ kind: 'disconnected', scope: ['GET /api/v3/*'] }] });
    expect((await thrownBy(client.exchange.fetchBalance())).className).toBe('OperationFailed');
    expect((await thrownBy(client.exchange.fetchTicker('BTC/USDT'))).className).toBe('OperationFailed');
    await restingBuy(client.exchange, clientId('prefix'));
  });

  it('dialect-neutral tags: @placeOrder hits order placement, @public only unsigned endpoints', async () => {
    await setFaults(sim, {
      errors: [
        { kind: 'orderRateLimited', scope: ['@placeOrder'] },
        { kind: 'badGateway', scope: ['@public'] },
      ],
    });
    expect((await thrownBy(restingBuy(client.exchange, clientId('tag')))).className).toBe('DDoSProtection');
    expect((await thrownBy(client.exchange.fetchTicker('BTC/USDT'))).className).toBe('ExchangeNotAvailable');
    await client.exchange.fetchBalance();
    await client.exchange.fetchOpenOrders('BTC/USDT');
  });
});

describe('times', () => {
  it('times: 1 fails only the first order placement, then switches off', async () => {
    await setFaults(sim, { errors: [{ kind: 'internalError', scope: ['@placeOrder'], times: 1 }] });
    const first = clientId('first');
    expect((await thrownBy(restingBuy(client.exchange, first))).className).toBe('OperationFailed');
    const second = await restingBuy(client.exchange, clientId('second'));
    expect(second.status).toBe('open');
    await restingBuy(client.exchange, clientId('third'));

    const [rule] = (await faultSettings(sim)).errors;
    expect(rule).toMatchObject({ kind: 'internalError', times: 1, fired: 1 });
    expect(await ordersWithClientId(sim, first)).toEqual([
      expect.objectContaining({ status: 'REJECTED', rejectCode: -1000 }),
    ]);
  });

  it('times counts firings, not requests: with every: 2 and times: 2 the 2nd and 4th fail', async () => {
    await setFaults(sim, { errors: [{ kind: 'rateLimited', every: 2, times: 2, scope: ['@signed'] }] });
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      outcomes.push(
        await client.exchange.fetchBalance().then(
          () => 'ok',
          (error: Error) => error.constructor.name,
        ),
      );
    }
    expect(outcomes).toEqual(['ok', 'DDoSProtection', 'ok', 'DDoSProtection', 'ok', 'ok']);
  });

  it('a fault that applies after success is not used up by a request that failed anyway', async () => {
    await setFaults(sim, { timeoutAfterAccept: { mode: 'hold', holdMs: 1_500, times: 1 } });
    // Rejected (5,000,000 USDT of 1,000,000): nothing to hold, so the fault stays armed.
    const refused = client.exchange.createOrder('BTC/USDT', 'limit', 'buy', 100, 50_000);
    expect((await thrownBy(refused)).className).toBe('InsufficientFunds');
    expect((await faultSettings(sim)).timeoutAfterAccept?.fired).toBe(0);
    expect((await thrownBy(restingBuy(client.exchange, clientId('held')))).className).toBe('RequestTimeout');
    expect((await faultSettings(sim)).timeoutAfterAccept?.fired).toBe(1);
  });
});
