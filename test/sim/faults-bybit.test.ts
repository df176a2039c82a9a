/**
 * The Bybit v5 rendering of injected faults: first fed straight through ccxt.bybit's own
 * response handling (handleRestResponse: parse, handleErrors, HTTP status), then end to end —
 * an unmodified ccxt.bybit on the running simulator — to pin the class each becomes in 4.5.84.
 */
import * as ccxt from 'ccxt';
import { simBybitOptions } from '../../src/sim/ccxt-client';
import type { VenueError } from '../../src/sim/faults/fault-renderer';
import { BYBIT_FAULTS } from '../../src/sim/faults/bybit-faults';
import type { RunningSimulator } from '../../src/sim/server';
import { CLIENT_TIMEOUT_MS, HOLD_MS, ordersWithClientId, setFaults, thrownBy } from './faults-harness';
import { admin, clientId, startTestSimulator } from './harness';

const NOW = 1_700_000_000_000;
const bybit = new ccxt.bybit();

/** What ccxt.bybit throws for this answer, exactly as if it had come over the wire. */
async function classFor(error: VenueError): Promise<{ className: string; status: number }> {
  const answer = BYBIT_FAULTS.venueError(error, NOW);
  const text = answer.rawBody ?? JSON.stringify(answer.body);
  const lowerCaseHeaders = Object.fromEntries(
    Object.entries({ 'content-type': 'application/json', ...answer.headers }).map(([k, v]) => [
      k.toLowerCase(),
      v,
    ]),
  );
  const response = {
    status: answer.status,
    statusText: '',
    headers: lowerCaseHeaders,
    text: async () => text,
  };
  try {
    await bybit.handleRestResponse(response, 'https://api.bybit.com/v5/order/create', 'POST');
  } catch (thrown) {
    return { className: (thrown as Error).constructor.name, status: answer.status };
  }
  throw new Error(`ccxt.bybit accepted the answer for ${error.kind}`);
}

it.each<[VenueError, number, string]>([
  [{ kind: 'internalError' }, 200, 'ExchangeError'],
  [{ kind: 'disconnected' }, 200, 'ExchangeError'],
  [{ kind: 'unexpectedResponse' }, 200, 'ExchangeError'],
  [{ kind: 'backendTimeout' }, 200, 'RequestTimeout'],
  [{ kind: 'rateLimited', retryAfterSeconds: 2 }, 200, 'RateLimitExceeded'],
  [{ kind: 'orderRateLimited', retryAfterSeconds: 2 }, 200, 'InvalidOrder'],
  [{ kind: 'ipBanned', retryAfterSeconds: 600, until: NOW + 600_000 }, 403, 'RateLimitExceeded'],
  [{ kind: 'shuttingDown' }, 503, 'ExchangeNotAvailable'],
  [{ kind: 'maintenance', until: NOW + 60_000, retryAfterSeconds: 60 }, 503, 'ExchangeNotAvailable'],
])('%j → HTTP %i → %s', async (error, status, className) => {
  expect(await classFor(error)).toEqual({ className, status });
});

it('answers carry the v5 envelope with the venue time', () => {
  const answer = BYBIT_FAULTS.venueError({ kind: 'rateLimited', retryAfterSeconds: 2 }, NOW);
  expect(answer.body).toMatchObject({ retCode: 10006, retMsg: 'Too many visits!', time: NOW });
  expect(answer.headers).toMatchObject({ 'X-Bapi-Limit-Reset-Timestamp': String(NOW + 2_000) });
});

it('only retCode 0 counts as success, so a refused order is never "accepted then lost"', () => {
  const refused = { status: 200, body: { retCode: 170131, retMsg: 'Insufficient balance.' } };
  expect(BYBIT_FAULTS.succeeded?.(refused)).toBe(false);
  expect(BYBIT_FAULTS.succeeded?.({ status: 200, body: { retCode: 0, result: {} } })).toBe(true);
});

describe('through the simulator', () => {
  let sim: RunningSimulator;
  let exchange: ccxt.bybit;

  beforeAll(async () => {
    sim = await startTestSimulator();
    exchange = new ccxt.bybit({ ...simBybitOptions(sim.url), timeout: CLIENT_TIMEOUT_MS });
    await exchange.loadMarkets();
  });

  afterAll(async () => {
    await sim.close();
  });

  beforeEach(async () => {
    await admin(sim, 'POST', '/admin/reset');
  });

  const restingBuy = (orderLinkId: string): Promise<ccxt.Order> =>
    exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 50_000, { clientOrderId: orderLinkId });

  it.each([
    ['internalError', 'ExchangeError'],
    ['backendTimeout', 'RequestTimeout'],
    ['rateLimited', 'RateLimitExceeded'],
    ['orderRateLimited', 'InvalidOrder'],
    ['ipBanned', 'RateLimitExceeded'],
    ['badGateway', 'ExchangeNotAvailable'],
  ])('%s on order placement → %s', async (kind, className) => {
    await setFaults(sim, { errors: [{ kind, scope: ['@placeOrder'] }] });
    expect((await thrownBy(restingBuy(clientId(kind)))).className).toBe(className);
    await exchange.fetchBalance(); // scoped: the rest stays healthy
  });

  it('nonJsonBody → ccxt.bybit throws nothing: createOrder and cancelOrder "succeed" without an id', async () => {
    await setFaults(sim, { errors: [{ kind: 'nonJsonBody' }] });
    const placed = await restingBuy(clientId('bybit-nonjson'));
    expect(placed.id).toBeUndefined();
    expect((await exchange.cancelOrder('1', 'BTC/USDT')).id).toBeUndefined();
    expect(await exchange.fetchOpenOrders('BTC/USDT')).toEqual([]);
    // ...and a look-up reports the order missing, though nothing was looked up.
    expect((await thrownBy(exchange.fetchOrder('1', 'BTC/USDT'))).className).toBe('OrderNotFound');
  });

  it('maintenance → ExchangeNotAvailable (ccxt.bybit knows no maintenance answer)', async () => {
    await setFaults(sim, { maintenance: { forMs: 60_000 } });
    expect((await thrownBy(exchange.fetchBalance())).className).toBe('ExchangeNotAvailable');
  });

  it('clock skew → 10002 → InvalidNonce; a resync recovers', async () => {
    // Its own client: the resynced time difference must not leak into the other tests.
    const skewed = new ccxt.bybit({ ...simBybitOptions(sim.url), timeout: CLIENT_TIMEOUT_MS });
    await skewed.loadMarkets();
    await setFaults(sim, { clockSkewMs: -5_000 });
    expect((await thrownBy(skewed.fetchBalance())).className).toBe('InvalidNonce');
    await skewed.loadTimeDifference();
    await skewed.fetchBalance();
  });

  it('timeout after accept → RequestTimeout; the order is there once, found by orderLinkId', async () => {
    await setFaults(sim, { timeoutAfterAccept: { holdMs: HOLD_MS, times: 1 } });
    const id = clientId('bybit-held');
    expect((await thrownBy(restingBuy(id))).className).toBe('RequestTimeout');
    expect(await ordersWithClientId(sim, id)).toHaveLength(1);
    expect(await exchange.fetchOrder('', 'BTC/USDT', { clientOrderId: id })).toMatchObject({
      status: 'open',
    });
  });

  it('a refused order (HTTP 200, retCode ≠ 0) does not use up timeout-after-accept', async () => {
    await setFaults(sim, { timeoutAfterAccept: { holdMs: HOLD_MS, times: 1 } });
    const refused = exchange.createOrder('BTC/USDT', 'limit', 'buy', 100, 50_000);
    expect((await thrownBy(refused)).className).toBe('InsufficientFunds');
    expect(
      (await admin<{ timeoutAfterAccept: { fired: number } }>(sim, 'GET', '/admin/faults')).timeoutAfterAccept
        .fired,
    ).toBe(0);
  });
});
