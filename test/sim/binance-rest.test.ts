/**
 * The Binance dialect at the HTTP level (no ccxt): what is signed, how requests that are not
 * properly signed are refused, and the response shapes ccxt does not expose directly.
 */
import { createHmac } from 'node:crypto';
import type { RunningSimulator } from '../../src/sim/server';
import { startTestSimulator } from './harness';

const API_KEY = 'sim-key';
const SECRET = 'sim-secret';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startTestSimulator({ historyDays: 0 });
});

afterAll(async () => {
  await sim.close();
});

function hmac(payload: string, secret = SECRET): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

async function call(
  method: string,
  path: string,
  options: { query?: string; body?: string; apiKey?: string | null } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (options.apiKey !== null) headers['X-MBX-APIKEY'] = options.apiKey ?? API_KEY;
  if (options.body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(`${sim.url}${path}${options.query ? `?${options.query}` : ''}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

it('signs the query string concatenated with the body, as Binance does', async () => {
  const query = `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC`;
  const body = `quantity=0.01&price=50000&newClientOrderId=mixed-1&timestamp=${Date.now()}`;
  const signature = hmac(query + body);

  const placed = await call('POST', '/api/v3/order', { query, body: `${body}&signature=${signature}` });

  expect(placed.status).toBe(200);
  expect(placed.body).toMatchObject({
    symbol: 'BTCUSDT',
    clientOrderId: 'mixed-1',
    status: 'NEW',
    type: 'LIMIT',
  });
});

it('lets a query-string parameter win over the same one in the body', async () => {
  const query = `symbol=BTCUSDT&side=SELL`;
  const body = `symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=70000&timestamp=${Date.now()}`;
  const placed = await call('POST', '/api/v3/order', {
    query,
    body: `${body}&signature=${hmac(query + body)}`,
  });
  expect(placed.status).toBe(200);
  expect(placed.body).toMatchObject({ symbol: 'BTCUSDT', side: 'SELL' });
});

it('refuses a signature over anything else', async () => {
  const query = `timestamp=${Date.now()}`;
  const tampered = await call('GET', '/api/v3/account', {
    query: `${query}&signature=${hmac(`${query}&x=1`)}`,
  });
  expect(tampered).toEqual({
    status: 400,
    body: { code: -1022, msg: 'Signature for this request is not valid.' },
  });
});

it('refuses a request without API key (-2014, 401) or without signature (-1102)', async () => {
  const query = `timestamp=${Date.now()}`;
  const anonymous = await call('GET', '/api/v3/account', {
    query: `${query}&signature=${hmac(query)}`,
    apiKey: null,
  });
  expect(anonymous).toEqual({ status: 401, body: { code: -2014, msg: 'API-key format invalid.' } });

  const unsigned = await call('GET', '/api/v3/account', { query });
  expect(unsigned.status).toBe(400);
  expect(unsigned.body).toMatchObject({ code: -1102 });
});

it('refuses a receive window over 60 s (-1131)', async () => {
  const query = `timestamp=${Date.now()}&recvWindow=60001`;
  const refused = await call('GET', '/api/v3/account', { query: `${query}&signature=${hmac(query)}` });
  expect(refused).toEqual({ status: 400, body: { code: -1131, msg: 'recvWindow must be less than 60000' } });
});

it('accepts a timestamp within the receive window and refuses one outside it', async () => {
  const sign = (query: string) => `${query}&signature=${hmac(query)}`;
  const inside = await call('GET', '/api/v3/account', { query: sign(`timestamp=${Date.now() - 4000}`) });
  expect(inside.status).toBe(200);
  const outside = await call('GET', '/api/v3/account', { query: sign(`timestamp=${Date.now() - 6000}`) });
  expect(outside.body).toMatchObject({ code: -1021 });
  const widened = await call('GET', '/api/v3/account', {
    query: sign(`timestamp=${Date.now() - 6000}&recvWindow=10000`),
  });
  expect(widened.status).toBe(200);
});

describe('new order response types', () => {
  const place = (extra: string) => {
    const body = `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=50000&${extra}&timestamp=${Date.now()}`;
    return call('POST', '/api/v3/order', { body: `${body}&signature=${hmac(body)}` });
  };

  it('ACK: ids only', async () => {
    const { body } = await place('newOrderRespType=ACK');
    expect(Object.keys(body).sort()).toEqual([
      'clientOrderId',
      'orderId',
      'orderListId',
      'symbol',
      'transactTime',
    ]);
  });

  it('RESULT: the order without fills; FULL (default for LIMIT and MARKET): with fills', async () => {
    const result = await place('newOrderRespType=RESULT');
    expect(result.body).toMatchObject({ status: 'NEW', price: '50000.00000000', origQty: '0.01000000' });
    expect(result.body).not.toHaveProperty('fills');
    const full = await place('newClientOrderId=full-default');
    expect(full.body).toMatchObject({ clientOrderId: 'full-default', fills: [] });
  });

  it('refuses a malformed client order id (-1100)', async () => {
    const { status, body } = await place('newClientOrderId=has%20space');
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: -1100 });
  });
});
