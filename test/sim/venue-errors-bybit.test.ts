/**
 * The error policy, one test per row the simulator can produce, through the adapter on the Bybit v5
 * dialect. ccxt.bybit classifies by retCode, so several transient answers arrive in reject classes
 * (ExchangeError, InvalidOrder) and are refined by their retCode (src/venues/ccxt-venue-codes.ts).
 * (What ccxt.bybit itself throws for each fault is pinned in faults-bybit.test.ts.)
 */
import type { RunningSimulator } from '../../src/sim/server';
import type { VenueErrorAction } from '../../src/venues/errors';
import { admin, startTestSimulator } from './harness';
import { restingBuy, setFaults, testVenue, venueErrorOf, type TestVenue } from './venue-harness';

let sim: RunningSimulator;
let t: TestVenue;

beforeAll(async () => {
  sim = await startTestSimulator();
  t = testVenue(sim, 'sim-bybit');
  await t.venue.marketRules('BTC/USDT'); // markets loaded before any fault
  // One signed call too, so the first row's call pays no one-off cost (first signing, connection)
  // against the venue's 400 ms timeout: on a loaded CI machine it timed out as RequestTimeout.
  await t.venue.fetchBalances();
});

afterAll(async () => {
  await t.venue.close();
  await sim.close();
});

beforeEach(async () => {
  await admin(sim, 'POST', '/admin/reset');
});

type Call = 'submit' | 'balances' | 'openOrders' | 'fetchByClientId';

function run(call: Call): Promise<unknown> {
  if (call === 'submit') return t.venue.submitOrder(restingBuy('by-policy'));
  if (call === 'balances') return t.venue.fetchBalances();
  if (call === 'openOrders') return t.venue.fetchOpenOrders('BTC/USDT');
  return t.venue.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: 'by-any' });
}

interface Row {
  row: string;
  faults: Record<string, unknown>;
  call: Call;
  action: VenueErrorAction;
  code: string;
  origin: string;
  retryAfterMs?: number;
}

const ROWS: Row[] = [
  {
    row: 'ExchangeError 10016 (internal error) refined to unknown outcome',
    faults: { errors: [{ kind: 'internalError' }] },
    call: 'submit',
    action: 'unknown_outcome',
    code: 'VENUE_UNKNOWN_ERROR',
    origin: 'ExchangeError',
  },
  {
    row: 'ExchangeError 10016 (disconnected) refined to unknown outcome',
    faults: { errors: [{ kind: 'disconnected' }] },
    call: 'balances',
    action: 'unknown_outcome',
    code: 'VENUE_UNKNOWN_ERROR',
    origin: 'ExchangeError',
  },
  {
    row: 'ExchangeError 170001 (internal error) refined to unknown outcome',
    faults: { errors: [{ kind: 'unexpectedResponse' }] },
    call: 'submit',
    action: 'unknown_outcome',
    code: 'VENUE_UNKNOWN_ERROR',
    origin: 'ExchangeError',
  },
  {
    row: 'RequestTimeout 170007 (backend timeout)',
    faults: { errors: [{ kind: 'backendTimeout' }] },
    call: 'submit',
    action: 'unknown_outcome',
    code: 'VENUE_TIMEOUT',
    origin: 'RequestTimeout',
  },
  {
    row: 'InvalidOrder 170005 (order-count limit) refined to retry',
    faults: { errors: [{ kind: 'orderRateLimited' }] },
    call: 'submit',
    action: 'retry',
    code: 'RATE_LIMITED',
    origin: 'InvalidOrder',
  },
  {
    row: 'RateLimitExceeded (403 access too frequent) + Retry-After',
    faults: { errors: [{ kind: 'ipBanned', retryAfterSeconds: 7 }] },
    call: 'submit',
    action: 'retry',
    code: 'IP_BANNED',
    origin: 'RateLimitExceeded',
    retryAfterMs: 7000,
  },
  {
    row: 'ExchangeNotAvailable (503, shutting down) + Retry-After (the simulator says 1 s)',
    faults: { errors: [{ kind: 'shuttingDown' }] },
    call: 'submit',
    action: 'unknown_outcome',
    code: 'VENUE_UNAVAILABLE',
    origin: 'ExchangeNotAvailable',
    retryAfterMs: 1000,
  },
  {
    row: 'ExchangeNotAvailable (502 HTML page)',
    faults: { errors: [{ kind: 'badGateway' }] },
    call: 'submit',
    action: 'unknown_outcome',
    code: 'VENUE_UNAVAILABLE',
    origin: 'ExchangeNotAvailable',
  },
  {
    row: 'NetworkError (connection reset)',
    faults: { connectionResets: { rate: 1 } },
    call: 'balances',
    action: 'unknown_outcome',
    code: 'NETWORK_ERROR',
    origin: 'NetworkError',
  },
  {
    row: 'BadResponse (non-JSON 200 on createOrder; ccxt itself returns an order without an id)',
    faults: { errors: [{ kind: 'nonJsonBody' }] },
    call: 'submit',
    action: 'unknown_outcome',
    code: 'BAD_RESPONSE',
    origin: 'BadResponse',
  },
  {
    row: 'BadResponse (non-JSON 200 on fetchOrder; ccxt itself says OrderNotFound)',
    faults: { errors: [{ kind: 'nonJsonBody' }] },
    call: 'fetchByClientId',
    action: 'unknown_outcome',
    code: 'BAD_RESPONSE',
    origin: 'BadResponse',
  },
  {
    row: 'BadResponse (non-JSON 200 on fetchOpenOrders; ccxt itself returns [])',
    faults: { errors: [{ kind: 'nonJsonBody' }] },
    call: 'openOrders',
    action: 'unknown_outcome',
    code: 'BAD_RESPONSE',
    origin: 'BadResponse',
  },
  {
    row: 'BadResponse (non-JSON 200 on fetchBalance)',
    faults: { errors: [{ kind: 'nonJsonBody' }] },
    call: 'balances',
    action: 'unknown_outcome',
    code: 'BAD_RESPONSE',
    origin: 'BadResponse',
  },
];

it.each(ROWS)('$row → $action $code', async (r) => {
  await setFaults(sim, r.faults);
  const err = await venueErrorOf(run(r.call));
  expect({ action: err.action, code: err.code, origin: err.origin, retryAfterMs: err.retryAfterMs }).toEqual({
    action: r.action,
    code: r.code,
    origin: r.origin,
    retryAfterMs: r.retryAfterMs,
  });
});

it('RateLimitExceeded 10006 → retry RATE_LIMITED, until X-Bapi-Limit-Reset-Timestamp', async () => {
  await setFaults(sim, { errors: [{ kind: 'rateLimited', retryAfterSeconds: 3 }] });
  const err = await venueErrorOf(t.venue.submitOrder(restingBuy('by-limited')));
  expect([err.action, err.code, err.origin]).toEqual(['retry', 'RATE_LIMITED', 'RateLimitExceeded']);
  // The reset time is the venue's clock when it answered + 3 s: a little less than 3 s from now.
  expect(err.retryAfterMs).toBeGreaterThan(2_000);
  expect(err.retryAfterMs).toBeLessThanOrEqual(3_000);
});

it('maintenance window → ExchangeNotAvailable (ccxt.bybit knows no maintenance) → unknown_outcome + Retry-After', async () => {
  await setFaults(sim, { maintenance: { forMs: 20_000 } });
  const err = await venueErrorOf(t.venue.fetchBalances());
  expect([err.action, err.code, err.origin]).toEqual([
    'unknown_outcome',
    'VENUE_UNAVAILABLE',
    'ExchangeNotAvailable',
  ]);
  expect(err.retryAfterMs).toBe(20_000);
});

it('RequestTimeout (answer held) → unknown_outcome; the order is found by orderLinkId', async () => {
  await setFaults(sim, { timeoutAfterAccept: { holdMs: 1_500, times: 1 } });
  const order = restingBuy('by-held');
  const err = await venueErrorOf(t.venue.submitOrder(order));
  expect([err.action, err.code]).toEqual(['unknown_outcome', 'VENUE_TIMEOUT']);
  expect(await t.venue.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: order.clientOrderId })).toMatchObject({
    clientOrderId: order.clientOrderId,
    state: 'open',
  });
});

it('placed, but the read-back of the thin answer fails → unknown_outcome ORDER_UNCONFIRMED; the order is there', async () => {
  await setFaults(sim, { errors: [{ kind: 'badGateway', scope: ['GET /v5/order/realtime'], times: 1 }] });
  const order = restingBuy('by-unconfirmed');
  const err = await venueErrorOf(t.venue.submitOrder(order));
  expect([err.action, err.code]).toEqual(['unknown_outcome', 'ORDER_UNCONFIRMED']);
  expect(err.message).toMatch(/was placed but could not be read back/);
  expect(await t.venue.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: order.clientOrderId })).toMatchObject({
    state: 'open',
  });
});

it('InvalidNonce 10002 (clock skew) → resync_clock CLOCK_SKEW; the adapter resynced, the next call works', async () => {
  const skewed = testVenue(sim, 'sim-bybit');
  await skewed.venue.marketRules('BTC/USDT');
  await setFaults(sim, { clockSkewMs: -5_000 });
  const err = await venueErrorOf(skewed.venue.submitOrder(restingBuy('by-skewed')));
  expect([err.action, err.code, err.origin]).toEqual(['resync_clock', 'CLOCK_SKEW', 'InvalidNonce']);
  await expect(skewed.venue.submitOrder(restingBuy('by-after-skew'))).resolves.toMatchObject({
    state: 'open',
  });
  await skewed.venue.close();
});

it('InvalidOrder 170141 (duplicate orderLinkId) → unknown_outcome DUPLICATE_CLIENT_ORDER_ID', async () => {
  const order = restingBuy('by-dup');
  await t.venue.submitOrder(order);
  const err = await venueErrorOf(t.venue.submitOrder(order));
  expect([err.action, err.code, err.origin]).toEqual([
    'unknown_outcome',
    'DUPLICATE_CLIENT_ORDER_ID',
    'InvalidOrder',
  ]);
});

it('InsufficientFunds 170131 → reject INSUFFICIENT_FUNDS', async () => {
  const err = await venueErrorOf(t.venue.submitOrder(restingBuy('by-poor', { quantity: '100' })));
  expect([err.action, err.code, err.origin]).toEqual(['reject', 'INSUFFICIENT_FUNDS', 'InsufficientFunds']);
});

it('InvalidOrder 170218 (post-only would take) → reject POST_ONLY_WOULD_TAKE', async () => {
  const err = await venueErrorOf(
    t.venue.submitOrder(restingBuy('by-maker', { limitPrice: '70000', postOnly: true })),
  );
  expect([err.action, err.code, err.origin]).toEqual(['reject', 'POST_ONLY_WOULD_TAKE', 'InvalidOrder']);
});

it('InvalidOrder 170140 (order value below minOrderAmt) → reject MIN_NOTIONAL', async () => {
  const err = await venueErrorOf(t.venue.submitOrder(restingBuy('by-small', { quantity: '0.00005' })));
  expect([err.action, err.code, err.origin]).toEqual(['reject', 'MIN_NOTIONAL', 'InvalidOrder']);
});

it('ExchangeError 170227 (conditional order) → reject UNSUPPORTED_ORDER_TYPE', async () => {
  const err = await venueErrorOf(
    t.venue.submitOrder({ ...restingBuy('by-stop'), side: 'sell', type: 'stop', stopPrice: '50000' }),
  );
  expect([err.action, err.code, err.origin]).toEqual(['reject', 'UNSUPPORTED_ORDER_TYPE', 'ExchangeError']);
});

it('OrderNotFound 170213 (cancel of an unknown order) → not_found ORDER_NOT_FOUND', async () => {
  const err = await venueErrorOf(t.venue.cancelOrder({ symbol: 'BTC/USDT', venueOrderId: '987654321' }));
  expect([err.action, err.code, err.origin]).toEqual(['not_found', 'ORDER_NOT_FOUND', 'OrderNotFound']);
});

it('AuthenticationError 10003/10004 (unknown key, bad signature) → reject AUTHENTICATION_FAILED', async () => {
  for (const credentials of [{ apiKey: 'nobody' }, { secret: 'wrong-secret' }]) {
    const other = testVenue(sim, 'sim-bybit', credentials);
    const err = await venueErrorOf(other.venue.fetchBalances());
    expect([err.action, err.code, err.origin]).toEqual([
      'reject',
      'AUTHENTICATION_FAILED',
      'AuthenticationError',
    ]);
    await other.venue.close();
  }
});

it('a market the venue no longer lists: 170121 on order entry, 10001 on market data → reject BAD_SYMBOL', async () => {
  const other = testVenue(sim, 'sim-bybit');
  await other.venue.marketRules('BTC/USDT');
  const markets = other.exchange.markets as Record<string, Record<string, unknown>>;
  markets['XRP/USDT'] = { ...markets['BTC/USDT'], symbol: 'XRP/USDT', id: 'XRPUSDT', base: 'XRP' };
  const order = { ...restingBuy('by-xrp'), symbol: 'XRP/USDT', quantity: '10', limitPrice: '1' };
  const onOrder = await venueErrorOf(other.venue.submitOrder(order));
  expect([onOrder.action, onOrder.code, onOrder.origin]).toEqual(['reject', 'BAD_SYMBOL', 'InvalidOrder']);
  const onBook = await venueErrorOf(other.venue.fetchOrderBook('XRP/USDT'));
  expect([onBook.action, onBook.code, onBook.origin]).toEqual(['reject', 'BAD_SYMBOL', 'BadSymbol']);
  await other.venue.close();
});

it("looking an order up with ccxt's unified clientOrderId would return another order: BAD_RESPONSE, never it", async () => {
  // What the dialect's clientOrderIdLookupParam (orderLinkId) is for: without it, ccxt.bybit sends an
  // empty orderId and the venue answers with its newest order. The id check refuses that answer.
  const unified = testVenue(sim, 'sim-bybit', { dialect: { clientOrderIdLookupParam: 'clientOrderId' } });
  const first = restingBuy('by-first');
  await t.venue.submitOrder(first);
  await t.venue.submitOrder(restingBuy('by-newest', { limitPrice: '50001' }));
  const err = await venueErrorOf(
    unified.venue.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: first.clientOrderId }),
  );
  expect([err.action, err.code]).toEqual(['unknown_outcome', 'BAD_RESPONSE']);
  await unified.venue.close();
});
