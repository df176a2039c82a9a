/**
 * Every failure the simulator can answer, as ccxt 4.5.84 sees it: Binance code, HTTP status and
 * the exact ccxt error class. The venue adapter's error policy relies on this table.
 *
 * Note: ccxt applies its Binance *spot-specific* error table only to https://api.binance.com
 * URLs; against the simulator (like any non-Binance host) only the common table applies, which
 * is what these tests pin down.
 */
import type { RunningSimulator } from '../../src/sim/server';
import { binanceOn, ccxt } from './ccxt-harness';
import { admin, clientId, errorOf, startTestSimulator } from './harness';

type ErrorClass = new (...args: never[]) => Error;

let sim: RunningSimulator;
let exchange: ccxt.binance;
let lastHttpStatus: number | undefined;
let lastBody: string | undefined;

/** Records the HTTP status and body of every answer ccxt inspects for errors. */
function recordStatuses(target: ccxt.binance): void {
  const original = target.handleErrors.bind(target);
  target.handleErrors = (...args: Parameters<typeof original>) => {
    lastHttpStatus = args[0];
    lastBody = args[5];
    return original(...args);
  };
}

async function expectFailure(
  call: () => Promise<unknown>,
  expected: { errorClass: ErrorClass; code?: number; httpStatus?: number; message?: string },
): Promise<Error> {
  lastHttpStatus = undefined;
  lastBody = undefined;
  const error = await errorOf(call());
  expect(error.constructor.name).toBe(expected.errorClass.name);
  // ccxt's message holds the whole body only when it matched by code; by message it is just the msg.
  if (expected.code !== undefined) expect(lastBody).toContain(`"code":${expected.code}`);
  if (expected.httpStatus !== undefined) expect(lastHttpStatus).toBe(expected.httpStatus);
  if (expected.message !== undefined) expect(error.message).toContain(expected.message);
  return error;
}

beforeAll(async () => {
  sim = await startTestSimulator();
  exchange = binanceOn(sim);
  recordStatuses(exchange);
  await exchange.loadMarkets();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await admin(sim, 'POST', '/admin/reset');
});

async function bestAsk(): Promise<number> {
  const book = await exchange.fetchOrderBook('BTC/USDT', 1);
  return (book.asks[0] as [number, number])[0];
}

describe('order rejections', () => {
  it('post-only that would take → -2010 / 400 → OrderImmediatelyFillable', async () => {
    const price = await bestAsk();
    await expectFailure(
      () => exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, price, { postOnly: true }),
      {
        errorClass: ccxt.OrderImmediatelyFillable,
        code: -2010,
        httpStatus: 400,
        message: 'Order would immediately match and take.',
      },
    );
  });

  it('insufficient balance → -2010 / 400 → InsufficientFunds', async () => {
    await expectFailure(() => exchange.createOrder('BTC/USDT', 'limit', 'buy', 100, 60000), {
      errorClass: ccxt.InsufficientFunds,
      code: -2010,
      httpStatus: 400,
      message: 'Account has insufficient balance for requested action.',
    });
  });

  it('duplicate client order id of an open order → -2010 / 400 → InvalidOrder', async () => {
    const id = clientId('dup');
    await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 50000, { clientOrderId: id });
    await expectFailure(
      () => exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 50000, { clientOrderId: id }),
      {
        errorClass: ccxt.InvalidOrder,
        code: -2010,
        httpStatus: 400,
        message: 'Duplicate order sent.',
      },
    );
  });

  it('stop that would trigger immediately → -2010 / 400 → OrderImmediatelyFillable', async () => {
    await expectFailure(
      () => exchange.createOrder('BTC/USDT', 'limit', 'sell', 0.01, 60500, { stopPrice: 61000 }),
      {
        errorClass: ccxt.OrderImmediatelyFillable,
        code: -2010,
        httpStatus: 400,
        message: 'Stop price would trigger immediately.',
      },
    );
  });

  it('below minimum notional → -1013 NOTIONAL / 400 → BadRequest', async () => {
    await expectFailure(() => exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.00001, 60000), {
      errorClass: ccxt.BadRequest,
      code: -1013,
      httpStatus: 400,
      message: 'Filter failure: NOTIONAL',
    });
  });

  it('quantity off the lot step → -1013 LOT_SIZE / 400 → InvalidOrder', async () => {
    // ccxt rounds amounts to the step itself, so send the raw request.
    const request = {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.000015',
      price: '60000',
    };
    await expectFailure(() => exchange.privatePostOrder(request), {
      errorClass: ccxt.InvalidOrder,
      code: -1013,
      httpStatus: 400,
      message: 'Filter failure: LOT_SIZE',
    });
  });

  it('price outside the price filter → -1013 PRICE_FILTER / 400 → InvalidOrder', async () => {
    await expectFailure(() => exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 2_000_000), {
      errorClass: ccxt.InvalidOrder,
      code: -1013,
      httpStatus: 400,
      message: 'Filter failure: PRICE_FILTER',
    });
  });

  it('unknown symbol → -1121 / 400 → BadSymbol', async () => {
    await expectFailure(() => exchange.publicGetDepth({ symbol: 'DOGEUSDT' }), {
      errorClass: ccxt.BadSymbol,
      code: -1121,
      httpStatus: 400,
    });
  });
});

describe('unknown orders', () => {
  it('cancel of an unknown (or closed) order → -2011 / 400 → OrderNotFound', async () => {
    await expectFailure(() => exchange.cancelOrder('424242', 'BTC/USDT'), {
      errorClass: ccxt.OrderNotFound,
      code: -2011,
      httpStatus: 400,
      message: 'Unknown order sent.',
    });
  });

  it('query of an unknown order → -2013 / 400 → OrderNotFound', async () => {
    await expectFailure(() => exchange.fetchOrder('', 'BTC/USDT', { clientOrderId: 'never-sent' }), {
      errorClass: ccxt.OrderNotFound,
      code: -2013,
      httpStatus: 400,
      message: 'Order does not exist.',
    });
  });
});

describe('authentication and clock', () => {
  it('bad signature → -1022 / 400 → AuthenticationError', async () => {
    const wrongSecret = binanceOn(sim, { apiKey: 'sim-key', secret: 'not-the-secret' });
    recordStatuses(wrongSecret);
    await expectFailure(() => wrongSecret.fetchBalance(), {
      errorClass: ccxt.AuthenticationError,
      code: -1022,
      httpStatus: 400,
    });
  });

  it('unknown API key → -2015 / 401 → AuthenticationError (on a client that never authenticated)', async () => {
    const stranger = binanceOn(sim, { apiKey: 'nobody', secret: 'x' });
    recordStatuses(stranger);
    await expectFailure(() => stranger.fetchBalance(), {
      errorClass: ccxt.AuthenticationError,
      code: -2015,
      httpStatus: 401,
    });
  });

  it('unknown API key after a successful private call → -2015 / 401 → DDoSProtection (ccxt reads it as a ban)', async () => {
    const client = binanceOn(sim);
    recordStatuses(client);
    await client.fetchBalance();
    client.apiKey = 'revoked';
    await expectFailure(() => client.fetchBalance(), {
      errorClass: ccxt.DDoSProtection,
      code: -2015,
      httpStatus: 401,
    });
  });

  it('timestamp older than recvWindow → -1021 / 400 → InvalidNonce', async () => {
    const lagging = binanceOn(sim);
    recordStatuses(lagging);
    lagging.options['timeDifference'] = 20_000; // ccxt stamps requests 20 s in the past (recvWindow 10 s)
    await expectFailure(() => lagging.fetchBalance(), {
      errorClass: ccxt.InvalidNonce,
      code: -1021,
      httpStatus: 400,
      message: 'outside of the recvWindow',
    });
  });

  it('timestamp more than 1 s ahead → -1021 / 400 → InvalidNonce', async () => {
    const leading = binanceOn(sim);
    recordStatuses(leading);
    leading.options['timeDifference'] = -5_000;
    await expectFailure(() => leading.fetchBalance(), {
      errorClass: ccxt.InvalidNonce,
      code: -1021,
      httpStatus: 400,
      message: "ahead of the server's time",
    });
  });
});

describe('malformed requests', () => {
  const limitOrder = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000' };

  it('missing mandatory parameter → -1102 / 400 → BadRequest', async () => {
    await expectFailure(() => exchange.privatePostOrder(limitOrder), {
      errorClass: ccxt.BadRequest,
      code: -1102,
      httpStatus: 400,
      message: "Mandatory parameter 'quantity'",
    });
  });

  it('malformed number → -1100 / 400 → BadRequest', async () => {
    await expectFailure(() => exchange.privatePostOrder({ ...limitOrder, quantity: '1e-3' }), {
      errorClass: ccxt.BadRequest,
      code: -1100,
      httpStatus: 400,
    });
  });

  it('parameter the order type does not take → -1106 / 400 → BadRequest', async () => {
    await expectFailure(
      () =>
        exchange.privatePostOrder({
          symbol: 'BTCUSDT',
          side: 'BUY',
          type: 'MARKET',
          quantity: '0.01',
          timeInForce: 'GTC',
        }),
      { errorClass: ccxt.BadRequest, code: -1106, httpStatus: 400 },
    );
  });

  it('unknown parameter → -1104 / 400 → BadRequest', async () => {
    await expectFailure(() => exchange.privateGetAccount({ colour: 'blue' }), {
      errorClass: ccxt.BadRequest,
      code: -1104,
      httpStatus: 400,
    });
  });

  it('endpoint the simulator does not implement → -1020 / 404 → BadRequest', async () => {
    await expectFailure(() => exchange.sapiGetCapitalConfigGetall(), {
      errorClass: ccxt.BadRequest,
      code: -1020,
      httpStatus: 404,
    });
  });
});

describe('editOrder (cancelReplace) failures', () => {
  it('cancel fails → -2022 / 400 → ExchangeError, nothing placed', async () => {
    const error = await expectFailure(
      () => exchange.editOrder('424242', 'BTC/USDT', 'limit', 'buy', 0.01, 50000),
      {
        errorClass: ccxt.ExchangeError,
        code: -2022,
        httpStatus: 400,
        message: 'Order cancel-replace failed.',
      },
    );
    expect(error.message).toContain('"newOrderResult":"NOT_ATTEMPTED"');
    expect(await exchange.fetchOpenOrders('BTC/USDT')).toEqual([]);
  });

  it('new order refused → -2021 / 409 → ExchangeError, and the old order is gone', async () => {
    const original = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 50000);
    const error = await expectFailure(
      () => exchange.editOrder(original.id!, 'BTC/USDT', 'limit', 'buy', 100, 50000),
      {
        errorClass: ccxt.ExchangeError,
        code: -2021,
        httpStatus: 409,
        message: 'Order cancel-replace partially failed.',
      },
    );
    expect(error.message).toContain('Account has insufficient balance for requested action.');
    expect((await exchange.fetchOrder(original.id!, 'BTC/USDT')).status).toBe('canceled');
  });
});

describe('injected faults', () => {
  afterEach(async () => {
    await admin(sim, 'POST', '/admin/reset');
  });

  it('rate limit → -1003 / 429 with Retry-After → DDoSProtection', async () => {
    await admin(sim, 'POST', '/admin/faults', { rateLimitEvery: 1, retryAfterSeconds: 7 });
    const error = await expectFailure(() => exchange.fetchTicker('BTC/USDT'), {
      errorClass: ccxt.DDoSProtection,
      code: -1003,
      httpStatus: 429,
    });
    expect(
      exchange.last_response_headers?.['retry-after'] ?? exchange.last_response_headers?.['Retry-After'],
    ).toBe('7');
    expect(error).not.toBeInstanceOf(ccxt.RateLimitExceeded);
  });

  it('internal error → -1000 / 500 → OperationFailed', async () => {
    await admin(sim, 'POST', '/admin/faults', { errorRate: 1 });
    await expectFailure(() => exchange.fetchBalance(), {
      errorClass: ccxt.OperationFailed,
      code: -1000,
      httpStatus: 500,
    });
  });

  it('answer held after the order was accepted → RequestTimeout, yet the order exists', async () => {
    await admin(sim, 'POST', '/admin/faults', { timeoutAfterAcceptRate: 1, holdMs: 5_000 });
    const impatient = binanceOn(sim, undefined, { timeout: 300 });
    await impatient.loadMarkets();
    const id = clientId('held');
    await expectFailure(
      () => impatient.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 50000, { clientOrderId: id }),
      {
        errorClass: ccxt.RequestTimeout,
      },
    );
    await admin(sim, 'POST', '/admin/faults', { timeoutAfterAcceptRate: 0 });
    expect(await exchange.fetchOrder('', 'BTC/USDT', { clientOrderId: id })).toMatchObject({
      status: 'open',
    });
  });
});
