/**
 * The error policy, one test per row the simulator can produce, through the adapter on the Binance
 * dialect: set the fault, call the venue, check the VenueError's action, code and retryAfterMs.
 * (What ccxt.binance itself throws for each fault is pinned in faults-errors.test.ts.)
 */
import type { RunningSimulator } from '../../src/sim/server';
import type { VenueErrorAction } from '../../src/venues/errors';
import { admin, startTestSimulator } from './harness';
import { restingBuy, setFaults, testVenue, venueErrorOf, type TestVenue } from './venue-harness';

let sim: RunningSimulator;
let t: TestVenue;

beforeAll(async () => {
  sim = await startTestSimulator();
  t = testVenue(sim, 'sim');
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

type Call = 'submit' | 'balances' | 'openOrders';

function run(call: Call): Promise<unknown> {
  if (call === 'submit') return t.venue.submitOrder(restingBuy('bn-policy'));
  if (call === 'balances') return t.venue.fetchBalances();
  return t.venue.fetchOpenOrders('BTC/USDT');
}

interface Row {
  /** ccxt class (and venue code) → action code, as in docs/error-policy.md. */
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
    row: 'OperationFailed (-1000 internal error)',
    faults: { errors: [{ kind: 'internalError' }] },
    call: 'submit',
    action: 'unknown_outcome',
    code: 'VENUE_UNKNOWN_ERROR',
    origin: 'OperationFailed',
  },
  {
    row: 'OperationFailed (-1001 disconnected)',
    faults: { errors: [{ kind: 'disconnected' }] },
    call: 'submit',
    action: 'unknown_outcome',
    code: 'VENUE_UNKNOWN_ERROR',
    origin: 'OperationFailed',
  },
  {
    row: 'OperationFailed (-1006 execution status unknown)',
    faults: { errors: [{ kind: 'unexpectedResponse' }] },
    call: 'submit',
    action: 'unknown_outcome',
    code: 'VENUE_UNKNOWN_ERROR',
    origin: 'OperationFailed',
  },
  {
    row: 'RequestTimeout (-1007 backend timeout)',
    faults: { errors: [{ kind: 'backendTimeout' }] },
    call: 'submit',
    action: 'unknown_outcome',
    code: 'VENUE_TIMEOUT',
    origin: 'RequestTimeout',
  },
  {
    row: 'DDoSProtection (429 -1003) + Retry-After',
    faults: { errors: [{ kind: 'rateLimited', retryAfterSeconds: 3 }] },
    call: 'balances',
    action: 'retry',
    code: 'RATE_LIMITED',
    origin: 'DDoSProtection',
    retryAfterMs: 3000,
  },
  {
    row: 'DDoSProtection (429 -1015 order rate) + Retry-After',
    faults: { errors: [{ kind: 'orderRateLimited', retryAfterSeconds: 2 }] },
    call: 'submit',
    action: 'retry',
    code: 'RATE_LIMITED',
    origin: 'DDoSProtection',
    retryAfterMs: 2000,
  },
  {
    row: 'DDoSProtection (418 IP banned) + Retry-After',
    faults: { errors: [{ kind: 'ipBanned', retryAfterSeconds: 7 }] },
    call: 'submit',
    action: 'retry',
    code: 'IP_BANNED',
    origin: 'DDoSProtection',
    retryAfterMs: 7000,
  },
  {
    row: 'BadRequest -1016 (shutting down) refined to retry',
    faults: { errors: [{ kind: 'shuttingDown' }] },
    call: 'submit',
    action: 'retry',
    code: 'VENUE_SHUTTING_DOWN',
    origin: 'BadRequest',
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
    call: 'submit',
    action: 'unknown_outcome',
    code: 'NETWORK_ERROR',
    origin: 'NetworkError',
  },
  {
    row: 'BadResponse (non-JSON 200 on createOrder; ccxt itself throws a TypeError)',
    faults: { errors: [{ kind: 'nonJsonBody' }] },
    call: 'submit',
    action: 'unknown_outcome',
    code: 'BAD_RESPONSE',
    origin: 'BadResponse',
  },
  {
    row: 'BadResponse (non-JSON 200 on fetchBalance; ccxt itself returns an empty balance)',
    faults: { errors: [{ kind: 'nonJsonBody' }] },
    call: 'balances',
    action: 'unknown_outcome',
    code: 'BAD_RESPONSE',
    origin: 'BadResponse',
  },
  {
    row: 'BadResponse (non-JSON 200 on fetchOpenOrders; ccxt itself returns bogus orders)',
    faults: { errors: [{ kind: 'nonJsonBody' }] },
    call: 'openOrders',
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

it('OnMaintenance (maintenance window) → retry VENUE_MAINTENANCE, waiting as long as the venue says', async () => {
  await setFaults(sim, { maintenance: { forMs: 30_000 } });
  const err = await venueErrorOf(t.venue.fetchBalances());
  expect([err.action, err.code, err.origin]).toEqual(['retry', 'VENUE_MAINTENANCE', 'OnMaintenance']);
  expect(err.retryAfterMs).toBe(30_000);
});

it('RequestTimeout (answer held past the timeout) → unknown_outcome; the order is there', async () => {
  await setFaults(sim, { timeoutAfterAccept: { holdMs: 1_500, times: 1 } });
  const order = restingBuy('bn-held');
  const err = await venueErrorOf(t.venue.submitOrder(order));
  expect([err.action, err.code, err.origin]).toEqual(['unknown_outcome', 'VENUE_TIMEOUT', 'RequestTimeout']);
  expect(await t.venue.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: order.clientOrderId })).toMatchObject({
    state: 'open',
  });
});

it('NetworkError (connection dropped after the order was placed) → unknown_outcome; the order is there', async () => {
  await setFaults(sim, { timeoutAfterAccept: { mode: 'drop', times: 1 } });
  const order = restingBuy('bn-dropped');
  const err = await venueErrorOf(t.venue.submitOrder(order));
  expect([err.action, err.code]).toEqual(['unknown_outcome', 'NETWORK_ERROR']);
  expect(await t.venue.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: order.clientOrderId })).toBeDefined();
});

it('non-JSON 200 after the order was placed → unknown_outcome BAD_RESPONSE; the order is there', async () => {
  await setFaults(sim, {
    errors: [{ kind: 'nonJsonBody', phase: 'after', scope: ['@placeOrder'], times: 1 }],
  });
  const order = restingBuy('bn-garbled');
  const err = await venueErrorOf(t.venue.submitOrder(order));
  expect([err.action, err.code]).toEqual(['unknown_outcome', 'BAD_RESPONSE']);
  expect(await t.venue.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: order.clientOrderId })).toMatchObject({
    clientOrderId: order.clientOrderId,
  });
});

it('InvalidNonce (-1021 clock skew) → resync_clock CLOCK_SKEW; the adapter resynced, the next call works', async () => {
  // Its own venue: the resynced clock offset must not carry into the other tests.
  const skewed = testVenue(sim, 'sim');
  await skewed.venue.marketRules('BTC/USDT');
  await setFaults(sim, { clockSkewMs: -5_000 });
  const err = await venueErrorOf(skewed.venue.fetchBalances());
  expect([err.action, err.code, err.origin]).toEqual(['resync_clock', 'CLOCK_SKEW', 'InvalidNonce']);
  expect(skewed.exchange.options['timeDifference']).toBeGreaterThan(4_000);
  await expect(skewed.venue.fetchBalances()).resolves.toHaveProperty('USDT');
  await expect(skewed.venue.submitOrder(restingBuy('bn-after-skew'))).resolves.toMatchObject({
    state: 'open',
  });
  await skewed.venue.close();
});

it('InvalidOrder -2010 duplicate client order id → unknown_outcome DUPLICATE_CLIENT_ORDER_ID', async () => {
  const order = restingBuy('bn-dup');
  await t.venue.submitOrder(order);
  const err = await venueErrorOf(t.venue.submitOrder(order));
  expect([err.action, err.code, err.origin]).toEqual([
    'unknown_outcome',
    'DUPLICATE_CLIENT_ORDER_ID',
    'InvalidOrder',
  ]);
});

it('InsufficientFunds → reject INSUFFICIENT_FUNDS', async () => {
  const err = await venueErrorOf(t.venue.submitOrder(restingBuy('bn-poor', { quantity: '100' })));
  expect([err.action, err.code, err.origin]).toEqual(['reject', 'INSUFFICIENT_FUNDS', 'InsufficientFunds']);
});

it('OrderImmediatelyFillable (post-only would take) → reject POST_ONLY_WOULD_TAKE', async () => {
  const err = await venueErrorOf(
    t.venue.submitOrder(restingBuy('bn-maker', { limitPrice: '70000', postOnly: true })),
  );
  expect([err.action, err.code, err.origin]).toEqual([
    'reject',
    'POST_ONLY_WOULD_TAKE',
    'OrderImmediatelyFillable',
  ]);
});

it('BadRequest -1013 NOTIONAL → reject MIN_NOTIONAL', async () => {
  const err = await venueErrorOf(t.venue.submitOrder(restingBuy('bn-small', { quantity: '0.00005' })));
  expect([err.action, err.code, err.origin]).toEqual(['reject', 'MIN_NOTIONAL', 'BadRequest']);
});

it('OrderNotFound (cancel of an unknown order) → not_found ORDER_NOT_FOUND', async () => {
  const err = await venueErrorOf(t.venue.cancelOrder({ symbol: 'BTC/USDT', venueOrderId: '987654321' }));
  expect([err.action, err.code, err.origin]).toEqual(['not_found', 'ORDER_NOT_FOUND', 'OrderNotFound']);
});

it('AuthenticationError (unknown key, bad signature) → reject AUTHENTICATION_FAILED', async () => {
  for (const credentials of [{ apiKey: 'nobody' }, { secret: 'wrong-secret' }]) {
    const other = testVenue(sim, 'sim', credentials);
    const err = await venueErrorOf(other.venue.fetchBalances());
    expect([err.action, err.code, err.origin]).toEqual([
      'reject',
      'AUTHENTICATION_FAILED',
      'AuthenticationError',
    ]);
    await other.venue.close();
  }
});

it('BadSymbol (-1121, a market the venue no longer lists) → reject BAD_SYMBOL', async () => {
  const other = testVenue(sim, 'sim');
  await other.venue.marketRules('BTC/USDT');
  const markets = other.exchange.markets as Record<string, Record<string, unknown>>;
  markets['XRP/USDT'] = { ...markets['BTC/USDT'], symbol: 'XRP/USDT', id: 'XRPUSDT', base: 'XRP' };
  const err = await venueErrorOf(
    other.venue.submitOrder({ ...restingBuy('bn-xrp'), symbol: 'XRP/USDT', quantity: '10', limitPrice: '1' }),
  );
  expect([err.action, err.code, err.origin]).toEqual(['reject', 'BAD_SYMBOL', 'BadSymbol']);
  await other.venue.close();
});

it('a fault on the read-back does not hide an order: the look-up still finds it', async () => {
  // Binance answers with the full order: no read-back, so a fault on GET /order does not matter.
  await setFaults(sim, { errors: [{ kind: 'internalError', scope: ['GET /api/v3/order'], times: 1 }] });
  const placed = await t.venue.submitOrder(restingBuy('bn-full'));
  expect(placed.state).toBe('open');
});
