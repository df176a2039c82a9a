/**
 * Every refusal of the Bybit v5 dialect as an unmodified ccxt 4.5.84 bybit sees it: condition →
 * retCode (and HTTP status) → exact ccxt error class. ccxt.bybit classifies by the body alone —
 * a few broad message matches first, then the exact retCode, whatever the host — so this table
 * holds against the real venue as far as the codes are Bybit's. Injected faults go through the
 * same dialect (their wording is faults/bybit-faults.ts).
 */
import type { RunningSimulator } from '../../src/sim/server';
import { bybitOn, ccxt, expectFailure, recordAnswers, type LastAnswer } from './bybit-harness';
import { admin, clientId, startTestSimulator, type AdminOrder } from './harness';

let sim: RunningSimulator;
let exchange: ccxt.bybit;
let last: LastAnswer;

beforeAll(async () => {
  sim = await startTestSimulator();
  exchange = bybitOn(sim);
  last = recordAnswers(exchange);
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

/** POST /v5/order/create with raw parameters, past ccxt's own rounding and checks. */
function rawCreate(order: Record<string, unknown>): Promise<unknown> {
  return exchange.privatePostV5OrderCreate({ category: 'spot', symbol: 'BTCUSDT', side: 'Buy', ...order });
}

describe('order refusals', () => {
  it('post-only that would take → 170218 → InvalidOrder', async () => {
    const price = await bestAsk();
    await expectFailure(
      last,
      () => exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, price, { postOnly: true }),
      {
        errorClass: ccxt.InvalidOrder,
        retCode: 170218,
        httpStatus: 200,
        message: 'The LIMIT-MAKER order is rejected due to invalid price.',
      },
    );
  });

  it('insufficient balance → 170131 → InsufficientFunds', async () => {
    await expectFailure(last, () => exchange.createOrder('BTC/USDT', 'limit', 'buy', 100, 60000), {
      errorClass: ccxt.InsufficientFunds,
      retCode: 170131,
      httpStatus: 200,
      message: 'Insufficient balance.',
    });
  });

  it('order value below minOrderAmt → 170140 → InvalidOrder', async () => {
    await expectFailure(last, () => exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.00001, 55000), {
      errorClass: ccxt.InvalidOrder,
      retCode: 170140,
      message: 'Order value exceeded lower limit.',
    });
  });

  it('duplicate orderLinkId, of an open or a finished order → 170141 → InvalidOrder', async () => {
    const linkId = clientId('dup');
    await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 55000, { clientOrderId: linkId });
    await expectFailure(
      last,
      () => exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 55000, { clientOrderId: linkId }),
      { errorClass: ccxt.InvalidOrder, retCode: 170141, message: 'Duplicate clientOrderId' },
    );
    const filledId = clientId('dup-filled');
    await exchange.createOrder('BTC/USDT', 'market', 'sell', 0.01, undefined, { clientOrderId: filledId });
    await expectFailure(
      last,
      () => exchange.createOrder('ETH/USDT', 'market', 'sell', 0.01, undefined, { clientOrderId: filledId }),
      { errorClass: ccxt.InvalidOrder, retCode: 170141 },
    );
    const records = await admin<AdminOrder[]>(sim, 'GET', `/admin/orders?clientOrderId=${linkId}`);
    expect(records.map((record) => record.status)).toEqual(['NEW', 'REJECTED']);
  });

  it.each<[string, number, Record<string, unknown>, string]>([
    [
      'quantity below minOrderQty',
      170136,
      { orderType: 'Limit', qty: '0', price: '55000' },
      'Order quantity lower than the minimum.',
    ],
    [
      'quantity off basePrecision',
      170137,
      { orderType: 'Limit', qty: '0.000015', price: '55000' },
      'Order volume decimal too long',
    ],
    [
      'quantity above maxOrderQty',
      170135,
      { orderType: 'Limit', qty: '9001', price: '1' },
      'Order quantity too large.',
    ],
    [
      'price off tickSize',
      170134,
      { orderType: 'Limit', qty: '0.01', price: '55000.001' },
      'Order price decimal too long.',
    ],
    [
      'market qty above maxMarketOrderQty',
      170135,
      { orderType: 'Market', qty: '101', marketUnit: 'baseCoin' },
      'Order quantity too large.',
    ],
    [
      'market buy by value below minOrderAmt',
      170140,
      { orderType: 'Market', qty: '4' },
      'Order value exceeded lower limit.',
    ],
    ['unknown orderType', 170116, { orderType: 'Stop', qty: '0.01' }, 'Invalid orderType.'],
    [
      'unknown timeInForce',
      170115,
      { orderType: 'Limit', qty: '0.01', price: '55000', timeInForce: 'GTD' },
      'Invalid timeInForce.',
    ],
    [
      'price zero',
      170133,
      { orderType: 'Limit', qty: '0.01', price: '0' },
      'Order price lower than the minimum.',
    ],
    [
      'price above the maximum',
      170132,
      { orderType: 'Limit', qty: '0.00001', price: '1000001' },
      'Order price too high.',
    ],
    ['unknown side', 170117, { side: 'Hold', orderType: 'Market', qty: '10' }, 'Invalid side.'],
    [
      'unlisted symbol',
      170121,
      { symbol: 'DOGEUSDT', orderType: 'Limit', qty: '1', price: '1' },
      'Invalid symbol.',
    ],
  ])('%s → %i → InvalidOrder', async (_condition, retCode, order, message) => {
    await expectFailure(last, () => rawCreate(order), { errorClass: ccxt.InvalidOrder, retCode, message });
  });

  it.each<[string, Record<string, unknown>, number, typeof ccxt.BaseError]>([
    [
      'limit without price → 170105 → BadRequest',
      { orderType: 'Limit', qty: '0.01' },
      170105,
      ccxt.BadRequest,
    ],
    [
      'malformed qty → 10001 → BadRequest',
      { orderType: 'Limit', qty: '1e-3', price: '55000' },
      10001,
      ccxt.BadRequest,
    ],
    [
      'orderLinkId of 37 characters → 10001 → BadRequest',
      { orderType: 'Market', qty: '10', orderLinkId: 'x'.repeat(37) },
      10001,
      ccxt.BadRequest,
    ],
    [
      'a linear order → 10001 → BadRequest',
      { category: 'linear', orderType: 'Market', qty: '1' },
      10001,
      ccxt.BadRequest,
    ],
    [
      'a conditional order → 170227 → ExchangeError',
      { orderType: 'Market', qty: '10', triggerPrice: '1' },
      170227,
      ccxt.ExchangeError,
    ],
  ])('%s', async (_condition, order, retCode, errorClass) => {
    await expectFailure(last, () => rawCreate(order), { errorClass, retCode });
  });
});

describe('cancel, amend, lookups', () => {
  it('cancel of an unknown or finished order → 170213 → OrderNotFound', async () => {
    await expectFailure(last, () => exchange.cancelOrder('123', 'BTC/USDT'), {
      errorClass: ccxt.OrderNotFound,
      retCode: 170213,
      message: 'Order does not exist.',
    });
    const filled = await exchange.createOrder('BTC/USDT', 'market', 'sell', 0.01);
    await expectFailure(last, () => exchange.cancelOrder(filled.id!, 'BTC/USDT'), {
      errorClass: ccxt.OrderNotFound,
      retCode: 170213,
    });
  });

  it('amend of an unknown order → 170213 → OrderNotFound', async () => {
    await expectFailure(last, () => exchange.editOrder('123', 'BTC/USDT', 'limit', 'buy', 0.01, 55000), {
      errorClass: ccxt.OrderNotFound,
      retCode: 170213,
    });
  });

  it('amend that changes nothing → 10001 → BadRequest', async () => {
    const order = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 55000);
    await expectFailure(last, () => exchange.editOrder(order.id!, 'BTC/USDT', 'limit', 'buy', 0.01, 55000), {
      errorClass: ccxt.BadRequest,
      retCode: 10001,
    });
  });

  it('amend to a quantity not above the filled one → 170313 → ExchangeError (not in ccxt’s table)', async () => {
    const ask = await bestAsk();
    const order = await exchange.createOrder('BTC/USDT', 'limit', 'sell', 1, ask - 0.5);
    await admin(sim, 'POST', '/admin/trade', { symbol: 'BTC/USDT', side: 'BUY', quantity: '0.4' });
    await expectFailure(
      last,
      () => exchange.editOrder(order.id!, 'BTC/USDT', 'limit', 'sell', 0.4, ask - 0.5),
      {
        errorClass: ccxt.ExchangeError,
        retCode: 170313,
      },
    );
  });

  it('amend beyond the balance → 170131 → InsufficientFunds, and the order stays as it was', async () => {
    const order = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 1, 50000);
    await expectFailure(last, () => exchange.editOrder(order.id!, 'BTC/USDT', 'limit', 'buy', 30, 50000), {
      errorClass: ccxt.InsufficientFunds,
      retCode: 170131,
    });
    expect(await exchange.fetchOrder(order.id!, 'BTC/USDT')).toMatchObject({ status: 'open', amount: 1 });
  });

  it('amend of a post-only order across the book → 170218 → InvalidOrder, and the order stays', async () => {
    const ask = await bestAsk();
    const order = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, ask - 100, { postOnly: true });
    await expectFailure(last, () => exchange.editOrder(order.id!, 'BTC/USDT', 'limit', 'buy', 0.01, ask), {
      errorClass: ccxt.InvalidOrder,
      retCode: 170218,
    });
    expect((await exchange.fetchOpenOrders('BTC/USDT')).map((open) => open.id)).toEqual([order.id]);
  });

  it('fetchOrder of an unknown id → empty list → OrderNotFound (thrown by ccxt)', async () => {
    await expectFailure(last, () => exchange.fetchOrder('123', 'BTC/USDT'), {
      errorClass: ccxt.OrderNotFound,
      retCode: 0,
    });
  });

  it('fetchOrder with ccxt’s unified clientOrderId param does not look up by orderLinkId', async () => {
    // ccxt.bybit's fetchOrder forwards params as they are and Bybit ignores unknown ones: the
    // request names no order, so the answer is the open orders (none here) — OrderNotFound for an
    // order that exists. Look up by { orderLinkId } instead (see bybit-trading.test.ts).
    const linkId = clientId('unified');
    await exchange.createOrder('BTC/USDT', 'market', 'sell', 0.01, undefined, { clientOrderId: linkId });
    await expectFailure(last, () => exchange.fetchOrder('', 'BTC/USDT', { clientOrderId: linkId }), {
      errorClass: ccxt.OrderNotFound,
    });
    // Worse, with any order open, ccxt returns the first one listed: another order, silently.
    const other = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 55000);
    const wrong = await exchange.fetchOrder('', 'BTC/USDT', { clientOrderId: linkId });
    expect(wrong.id).toBe(other.id);
  });

  it('an unlisted symbol in market data → 10001 "Not supported symbols" → BadSymbol (by message)', async () => {
    await expectFailure(
      last,
      () => exchange.publicGetV5MarketTickers({ category: 'spot', symbol: 'DOGEUSDT' }),
      {
        errorClass: ccxt.BadSymbol,
        retCode: 10001,
      },
    );
  });

  it('an endpoint the simulator does not serve → 404, 10017 → BadRequest', async () => {
    await expectFailure(last, () => exchange.privateGetV5PositionList({ category: 'linear' }), {
      errorClass: ccxt.BadRequest,
      retCode: 10017,
      httpStatus: 404,
    });
  });
});

describe('authentication', () => {
  it('bad signature → 401, 10004 → AuthenticationError', async () => {
    const wrongSecret = bybitOn(sim, { apiKey: 'sim-key', secret: 'not-the-secret' });
    const answers = recordAnswers(wrongSecret);
    await wrongSecret.loadMarkets();
    await expectFailure(answers, () => wrongSecret.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 55000), {
      errorClass: ccxt.AuthenticationError,
      retCode: 10004,
      httpStatus: 401,
      message: 'error sign!',
    });
    const records = await admin<AdminOrder[]>(sim, 'GET', '/admin/orders');
    expect(records).toEqual([
      expect.objectContaining({ status: 'REJECTED', rejectCode: 10004, httpStatus: 401 }),
    ]);
  });

  it('unknown API key → 401, 10003 → AuthenticationError', async () => {
    const stranger = bybitOn(sim, { apiKey: 'nobody', secret: 'x' });
    const answers = recordAnswers(stranger);
    await expectFailure(answers, () => stranger.fetchBalance(), {
      errorClass: ccxt.AuthenticationError,
      retCode: 10003,
      httpStatus: 401,
    });
  });

  it('timestamp outside recvWindow → 10002 → InvalidNonce', async () => {
    const late = bybitOn(sim);
    const answers = recordAnswers(late);
    late.options['timeDifference'] = 10_000; // ccxt stamps requests 10 s in the past
    await expectFailure(answers, () => late.fetchBalance(), {
      errorClass: ccxt.InvalidNonce,
      retCode: 10002,
      message: 'recv_window[5000]',
    });
  });
});

describe('injected faults, in Bybit’s words', () => {
  afterEach(async () => {
    await admin(sim, 'DELETE', '/admin/faults');
  });

  it('rate limit → 10006 → RateLimitExceeded, with the reset time in X-Bapi-Limit-Reset-Timestamp', async () => {
    await admin(sim, 'POST', '/admin/faults', { rateLimitEvery: 1, retryAfterSeconds: 3 });
    const before = Date.now();
    await expectFailure(last, () => exchange.fetchBalance(), {
      errorClass: ccxt.RateLimitExceeded,
      retCode: 10006,
      httpStatus: 200,
    });
    const reset = Number(exchange.last_response_headers?.['X-Bapi-Limit-Reset-Timestamp']);
    expect(reset).toBeGreaterThanOrEqual(before + 3000);
  });

  it('internal error → 10016 → ExchangeError (a Binance -1000 is OperationFailed)', async () => {
    await admin(sim, 'POST', '/admin/faults', { errorRate: 1 });
    await expectFailure(last, () => exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 55000), {
      errorClass: ccxt.ExchangeError,
      retCode: 10016,
    });
    const records = await admin<AdminOrder[]>(sim, 'GET', '/admin/orders');
    expect(records).toEqual([
      expect.objectContaining({ status: 'REJECTED', fault: 'error', rejectCode: 10016 }),
    ]);
  });

  it('answer held after the order was accepted → RequestTimeout, yet the order exists', async () => {
    await admin(sim, 'POST', '/admin/faults', { timeoutAfterAcceptRate: 1, holdMs: 2000 });
    const impatient = bybitOn(sim, undefined, { timeout: 300 });
    await impatient.loadMarkets();
    const linkId = clientId('held');
    await expectFailure(
      {},
      () => impatient.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 55000, { clientOrderId: linkId }),
      { errorClass: ccxt.RequestTimeout },
    );
    await admin(sim, 'DELETE', '/admin/faults');
    const found = await exchange.fetchOrder('', 'BTC/USDT', { orderLinkId: linkId });
    expect(found).toMatchObject({ clientOrderId: linkId, status: 'open' });
    const records = await admin<AdminOrder[]>(sim, 'GET', `/admin/orders?clientOrderId=${linkId}`);
    expect(records).toEqual([expect.objectContaining({ status: 'NEW', fault: 'timeoutAfterAccept' })]);
  });

  it('venue clock skew → 10002 → InvalidNonce, until ccxt resyncs from /v5/market/time', async () => {
    await admin(sim, 'POST', '/admin/faults', { clockSkewMs: 60_000 });
    const skewed = bybitOn(sim);
    const answers = recordAnswers(skewed);
    await expectFailure(answers, () => skewed.fetchBalance(), {
      errorClass: ccxt.InvalidNonce,
      retCode: 10002,
    });
    await skewed.loadTimeDifference();
    expect(skewed.options['timeDifference']).toBeLessThan(-55_000);
    await expect(skewed.fetchBalance()).resolves.toBeDefined();
  });
});
