/**
 * The HTTP API (src/api) through Fastify's `inject`, on the run's Temporal dev server and the
 * simulator, through the real client library: orders, parents, the kill switch, the ledger, the
 * operational endpoints, auth and the typed refusals. The worker has its own task queue and trading
 * control workflow, so the kill here halts no other test file.
 */
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/api/app';
import type { OrderState } from '../../src/domain/order-state';
import { createLogger } from '../../src/workers/logger';
import { createVenueRegistry } from '../../src/venues/factory';
import {
  type TestOrdo,
  startTestOrdoOn,
  testEventSinks,
  testWorkerConfig,
  uniqueOrderId,
} from '../support/ordo-worker';
import { TEST_BALANCES, createSimAccount, midOf } from '../support/simulator-admin';

jest.setTimeout(120_000);

const TOKEN = 'test-token-3f9a';
let ordo: TestOrdo;
let app: FastifyInstance;

beforeAll(async () => {
  const account = await createSimAccount(TEST_BALANCES);
  const config = testWorkerConfig({ ...account });
  ordo = await startTestOrdoOn(createVenueRegistry(config), testEventSinks(config));
  app = buildApi({
    client: ordo.client,
    taskQueue: ordo.taskQueue,
    ledger: ordo.ledger,
    logger: createLogger('api-test', process.env['ORDO_TEST_LOG_LEVEL'] ?? 'silent'),
    token: TOKEN,
    tradingControlId: ordo.tradingControlId,
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await ordo?.shutdown();
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
  list: Record<string, unknown>[];
}

async function call(method: 'GET' | 'POST', url: string, payload?: unknown, token = TOKEN): Promise<Answer> {
  const res = await app.inject({
    method,
    url,
    headers: token === '' ? {} : { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  const parsed = res.body === '' ? {} : (JSON.parse(res.body) as unknown);
  return {
    status: res.statusCode,
    body: parsed as Record<string, unknown>,
    list: Array.isArray(parsed) ? (parsed as Record<string, unknown>[]) : [],
  };
}

/** Polls `get` until `done` holds (visibility and the ledger catch up a little later). */
async function eventually<T>(
  get: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const codes = (answer: Answer) => (answer.body['issues'] as { code: string }[]).map((i) => i.code);
const status = async (orderId: string) =>
  (await call('GET', `/orders/${orderId}`)).body as unknown as OrderState;

test('no token or a wrong one: 401; the OpenAPI document is public', async () => {
  for (const token of ['', 'wrong-token']) {
    const answer = await call('GET', '/orders', undefined, token);
    expect(answer.status).toBe(401);
    expect(answer.body['code']).toBe('UNAUTHORIZED');
  }
  const raw = await app.inject({ method: 'GET', url: '/trading', headers: { authorization: TOKEN } });
  expect(raw.statusCode).toBe(401); // the token without "Bearer "
  expect((await call('GET', '/openapi.json', undefined, '')).status).toBe(200);
});

test('/openapi.json: OpenAPI 3.1 with every route, schemas from the zod schemas', async () => {
  const { status: code, body } = await call('GET', '/openapi.json');
  expect(code).toBe(200);
  expect(body['openapi']).toBe('3.1.0');
  const paths = Object.keys(body['paths'] as object);
  for (const path of [
    '/orders',
    '/orders/{id}',
    '/orders/{id}/cancel',
    '/orders/{id}/amend',
    '/parents/{algo}',
    '/parents/{id}',
    '/parents/{id}/pause',
    '/trading/kill',
    '/trading/resume',
    '/positions',
    '/trades',
    '/health',
    '/venues',
    '/stats',
  ])
    expect(paths).toContain(path);
  const schemas = (body['components'] as { schemas: Record<string, { properties: Record<string, unknown> }> })
    .schemas;
  expect(schemas['OrderRequest']?.properties['side']).toEqual({ type: 'string', enum: ['buy', 'sell'] });
  expect(Object.keys(schemas['ParentRequest_twap']?.properties ?? {})).toEqual(
    expect.arrayContaining(['symbol', 'quantity', 'duration', 'interval']),
  );
});

test('a bad order is refused 400 with the CLI issue codes; malformed JSON and bad filters too', async () => {
  const bad = await call('POST', '/orders', { symbol: 'btc', side: 'hold', type: 'market', quantity: '-1' });
  expect(bad.status).toBe(400);
  expect(codes(bad)).toEqual(expect.arrayContaining(['INVALID_SYMBOL', 'INVALID_SIDE', 'INVALID_QUANTITY']));
  const limitWithoutPrice = await call('POST', '/orders', {
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.001',
  });
  expect(codes(limitWithoutPrice)).toEqual(['MISSING_LIMIT_PRICE']);

  const malformed = await app.inject({
    method: 'POST',
    url: '/orders',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    payload: '{"symbol": ',
  });
  expect(malformed.statusCode).toBe(400);
  expect((JSON.parse(malformed.body) as { code: string }).code).toBe('INVALID_JSON');

  expect(codes(await call('GET', '/orders?status=NOPE'))).toEqual(['INVALID_STATUS']);
  expect(codes(await call('GET', '/trades?since=yesterday'))).toEqual(['INVALID_SINCE']);
  expect(codes(await call('POST', '/orders/x/amend', { quantity: 'lots' }))).toEqual(['INVALID_QUANTITY']);
});

test('unknown ids: 404 ORDER_NOT_FOUND / PARENT_NOT_FOUND', async () => {
  const order = await call('GET', `/orders/${uniqueOrderId('nothing')}`);
  expect(order.status).toBe(404);
  expect(order.body['code']).toBe('ORDER_NOT_FOUND');
  const cancel = await call('POST', `/orders/${uniqueOrderId('nothing')}/cancel`, {});
  expect(cancel.body['code']).toBe('ORDER_NOT_FOUND');
  const parent = await call('GET', `/parents/${uniqueOrderId('nothing')}`);
  expect([parent.status, parent.body['code']]).toEqual([404, 'PARENT_NOT_FOUND']);
  expect((await call('POST', '/parents/moonshot', {})).body['code']).toBe('UNKNOWN_ALGO');
});

test('submit → status → list by filter → cancel; amending the ended order is refused 409', async () => {
  const orderId = uniqueOrderId('api-limit');
  const strategy = uniqueOrderId('api-strategy');
  const resting = String(Math.floor((await midOf('BTC/USDT')) * 0.8));
  const submitted = await call('POST', '/orders', {
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.001',
    limitPrice: resting,
    strategyId: strategy,
  });
  expect(submitted.status).toBe(202);
  expect(submitted.body['orderId']).toBe(orderId);
  const working = await eventually(
    () => status(orderId),
    (s) => s.status === 'ACCEPTED',
  );
  expect(working).toMatchObject({
    orderId,
    status: 'ACCEPTED',
    request: { venue: 'sim', limitPrice: resting },
  });

  const listed = await eventually(
    () => call('GET', `/orders?strategy=${strategy}&side=buy`),
    (a) => a.list.length > 0,
  );
  expect(listed.list.map((o) => o['orderId'])).toEqual([orderId]);
  expect((await call('GET', `/orders?strategy=${strategy}&side=sell`)).list).toEqual([]);

  const cancelled = await call('POST', `/orders/${orderId}/cancel`, { reason: 'api test' });
  expect(cancelled.status).toBe(200);
  expect(cancelled.body).toMatchObject({ accepted: true });
  expect(
    (
      await eventually(
        () => status(orderId),
        (s) => s.status === 'CANCELLED',
      )
    ).status,
  ).toBe('CANCELLED');

  const amend = await call('POST', `/orders/${orderId}/amend`, { quantity: '0.002' });
  expect(amend.status).toBe(409);
  expect(amend.body['code']).toBe('ORDER_ENDED');
});

test('kill → a new order is DENIED TRADING_HALTED → resume → orders trade again', async () => {
  expect(codes(await call('POST', '/trading/kill', {}))).toEqual(['REASON_REQUIRED']);
  const kill = await call('POST', '/trading/kill', { reason: 'api test halt', cancelAll: true });
  expect(kill.status).toBe(202);
  const halted = await eventually(
    () => call('GET', '/trading'),
    (a) => a.body['state'] === 'HALTED',
  );
  expect(halted.body).toMatchObject({ state: 'HALTED', reason: 'api test halt' });

  const market = { symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: '0.001' };
  const denied = uniqueOrderId('api-halted');
  expect((await call('POST', '/orders', { ...market, orderId: denied })).status).toBe(202);
  const deniedState = await eventually(
    () => status(denied),
    (s) => s.status === 'DENIED',
  );
  expect(deniedState.status).toBe('DENIED');
  expect(deniedState.reason).toMatch(/^TRADING_HALTED/);

  const resumed = await call('POST', '/trading/resume', { reason: 'api test over' });
  expect(resumed.status).toBe(200);
  expect(resumed.body['state']).toBe('ACTIVE');
  const filled = uniqueOrderId('api-resumed');
  await call('POST', '/orders', { ...market, orderId: filled });
  expect(
    (
      await eventually(
        () => status(filled),
        (s) => s.status === 'FILLED',
      )
    ).status,
  ).toBe('FILLED');

  // Its fill reaches the ledger: GET /trades and GET /positions read it.
  const trades = await eventually(
    () => call('GET', `/trades?order=${filled}`),
    (a) => a.list.length > 0,
  );
  expect(trades.list[0]).toMatchObject({ orderId: filled, symbol: 'BTC/USDT', direction: 'BUY' });
  const positions = await call('GET', '/positions?symbol=BTC/USDT&venue=sim');
  expect(positions.status).toBe(200);
  expect(positions.list.length).toBeGreaterThan(0);
  expect(positions.list[0]).toMatchObject({ symbol: 'BTC/USDT', venue: 'sim' });
});

test('a TWAP starts, shows its progress, pauses and cancels', async () => {
  const parentId = uniqueOrderId('api-twap');
  const started = await call('POST', '/parents/twap', {
    parentId,
    symbol: 'BTC/USDT',
    side: 'buy',
    quantity: '0.004',
    duration: '60s',
    interval: '15s',
  });
  expect(started.status).toBe(202);
  expect(started.body['parentId']).toBe(parentId);
  const progress = await call('GET', `/parents/${parentId}`);
  expect(progress.status).toBe(200);
  expect(progress.body).toMatchObject({ parentId, algo: 'twap', quantity: '0.004' });
  const paused = await call('POST', `/parents/${parentId}/pause`, { reason: 'api test' });
  expect(paused.body).toMatchObject({ accepted: true, status: 'PAUSED' });
  const cancelled = await call('POST', `/parents/${parentId}/cancel`, {});
  expect(cancelled.body['accepted']).toBe(true);
  const bad = await call('POST', '/parents/twap', { symbol: 'BTC/USDT', side: 'buy', quantity: '0' });
  expect(bad.status).toBe(400);
  expect(codes(bad)).toContain('INVALID_QUANTITY');
});

test('/health: Temporal, venues (a worker answers) and the ledger are up; /stats counts; /venues lists sim', async () => {
  const health = await call('GET', '/health');
  expect(health.status).toBe(200);
  expect(health.body).toMatchObject({
    status: 'ok',
    temporal: { ok: true },
    venues: { ok: true },
    ledger: { ok: true },
  });
  // This file's queue holds exactly one DENIED order (the kill test's) and one CANCELLED one at least.
  const stats = await eventually(
    () => call('GET', '/stats'),
    (a) => (a.body['orders'] as { byStatus: Record<string, number> }).byStatus['DENIED'] === 1,
  );
  const orders = stats.body['orders'] as { total: number; byStatus: Record<string, number> };
  expect(orders.byStatus['DENIED']).toBe(1);
  expect(orders.byStatus['CANCELLED']).toBeGreaterThanOrEqual(1);
  expect(orders.total).toBe(Object.values(orders.byStatus).reduce((a, b) => a + b, 0));
  expect((stats.body['parents'] as { total: number }).total).toBeGreaterThanOrEqual(1);
  const venues = await call('GET', '/venues');
  expect(venues.list.map((v) => v['venue'])).toContain('sim');
});
