/**
 * The TCA routes of the HTTP API through Fastify's `inject`, on the run's Temporal dev server and
 * the simulator: GET /tca/orders/{orderId} (an order, a parent order, 404 unknown, 409 an order
 * that cannot be measured) and GET /tca/day (the day's summary; 400 for a bad date or limit, or
 * more orders than the limit), and both in the OpenAPI document.
 */
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/api/app';
import type { OrderState } from '../../src/domain/order-state';
import type { ParentProgress } from '../../src/workflows/parent-messages';
import { createLogger } from '../../src/workers/logger';
import { type TestOrdo, startTestOrdo, testWorkerConfig, uniqueOrderId } from '../support/ordo-worker';
import { TEST_BALANCES, createSimAccount } from '../support/simulator-admin';

jest.setTimeout(120_000);

const TOKEN = 'test-token-tca-77c1';
let ordo: TestOrdo;
let app: FastifyInstance;
const strategy = uniqueOrderId('api-tca');
const filled = uniqueOrderId('api-tca-fill');
const denied = uniqueOrderId('api-tca-deny');
const parent = uniqueOrderId('api-tca-twap');
let day = '';

beforeAll(async () => {
  const account = await createSimAccount(TEST_BALANCES);
  ordo = await startTestOrdo(testWorkerConfig({ ...account }));
  app = buildApi({
    client: ordo.client,
    taskQueue: ordo.taskQueue,
    ledger: ordo.ledger,
    logger: createLogger('api-tca-test', process.env['ORDO_TEST_LOG_LEVEL'] ?? 'silent'),
    token: TOKEN,
    tradingControlId: ordo.tradingControlId,
  });
  await app.ready();
  const order = { strategyId: strategy, side: 'buy', type: 'market', quantity: '0.01', venue: 'sim' };
  await ordo.orders.submit({ ...order, orderId: filled, symbol: 'BTC/USDT' });
  // Denied before the venue's mid was known: a market the venue does not list.
  await ordo.orders.submit({ ...order, orderId: denied, symbol: 'NOPE/USDT' });
  const started = await call(`/parents/twap`, 'POST', {
    parentId: parent,
    strategyId: strategy,
    symbol: 'BTC/USDT',
    side: 'buy',
    quantity: '0.02',
    duration: '4s',
    interval: '2s',
  });
  expect(started.status).toBe(202);
  const state = (await ordo.client.workflow.getHandle(filled).result()) as OrderState;
  expect(state.status).toBe('FILLED');
  day = state.history[0]?.at.slice(0, 10) ?? '';
  const deniedState = (await ordo.client.workflow.getHandle(denied).result()) as OrderState;
  expect(deniedState.status).toBe('DENIED');
  const progress = (await ordo.client.workflow.getHandle(parent).result()) as ParentProgress;
  expect(progress.status).toBe('COMPLETED');
});

afterAll(async () => {
  await app?.close();
  await ordo?.shutdown();
});

async function call(
  url: string,
  method: 'GET' | 'POST' = 'GET',
  payload?: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${TOKEN}` },
    ...(payload === undefined ? {} : { payload }),
  });
  return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, unknown> };
}

test("GET /tca/orders/{orderId}: an order's report, as the client library's", async () => {
  const { status, body } = await call(`/tca/orders/${filled}`);
  expect(status).toBe(200);
  expect(body).toMatchObject({ kind: 'order', orderId: filled, status: 'FILLED', fillRate: '1' });
  const state = (await ordo.orders.status(filled)) as OrderState;
  expect(body['arrivalPrice']).toBe(state.arrivalMid);
  expect(body['averagePrice']).toBe(state.averagePrice);
  expect((body['fills'] as unknown[]).length).toBe(state.fills.length);
});

test('GET /tca/orders/{orderId} of a parent order: its children pooled', async () => {
  const { status, body } = await call(`/tca/orders/${parent}`);
  expect(status).toBe(200);
  expect(body).toMatchObject({ kind: 'parent', orderId: parent, status: 'COMPLETED', fillRate: '1' });
  expect(body['children']).toBeGreaterThan(0);
});

test('GET /tca/orders/{orderId}: 404 for an unknown order, 409 for one that cannot be measured', async () => {
  const unknown = uniqueOrderId('api-tca-none');
  expect(await call(`/tca/orders/${unknown}`)).toEqual({
    status: 404,
    body: { code: 'ORDER_NOT_FOUND', message: `no order ${unknown}` },
  });
  const refused = await call(`/tca/orders/${denied}`);
  expect(refused.status).toBe(409);
  expect(refused.body['code']).toBe('NO_ARRIVAL_PRICE');
});

test("GET /tca/day: the strategy's day, counted once per order, the denied one kept", async () => {
  const url = `/tca/day?date=${day}&strategy=${strategy}&venue=sim`;
  let answer = await call(url);
  // Visibility is eventually consistent: ask again until the parent's children are listed too.
  for (let i = 0; i < 40 && (answer.body['counts'] as { listed: number }).listed < 4; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    answer = await call(url);
  }
  expect(answer.status).toBe(200);
  const report = answer.body as {
    day: string;
    strategyId: string;
    venue: string;
    counts: { listed: number };
    strategies: Array<{ strategyId: string; orders: number; filledOrders: number }>;
    venues: Array<{ venue: string; orders: number }>;
    notAnalysed: Array<{ orderId: string; code: string }>;
  };
  expect(report).toMatchObject({ day, strategyId: strategy, venue: 'sim' });
  // The filled order and the parent make the strategy's row; the denied order is listed apart.
  expect(report.strategies.map((s) => [s.strategyId, s.orders, s.filledOrders])).toEqual([[strategy, 2, 2]]);
  const children = report.counts.listed - 3;
  expect(children).toBeGreaterThan(0);
  expect(report.venues).toEqual([expect.objectContaining({ venue: 'sim', orders: 1 + children })]);
  expect(report.notAnalysed).toEqual([
    expect.objectContaining({ orderId: denied, code: 'NO_ARRIVAL_PRICE' }),
  ]);
});

test('GET /tca/day: 400 for a bad, impossible or missing date, a bad limit, or too many orders', async () => {
  const code = async (url: string) => {
    const { status, body } = await call(url);
    return [status, body['code']];
  };
  expect(await code('/tca/day?date=21-11-2026')).toEqual([400, 'INVALID_DATE']);
  expect(await code('/tca/day?date=2026-02-30')).toEqual([400, 'INVALID_DATE']);
  expect(await code('/tca/day')).toEqual([400, 'MISSING_DATE']);
  expect(await code(`/tca/day?date=${day}&limit=0`)).toEqual([400, 'INVALID_LIMIT']);
  expect(await code(`/tca/day?date=${day}&limit=5000`)).toEqual([400, 'INVALID_LIMIT']);
  expect(await code(`/tca/day?date=${day}&nope=1`)).toEqual([400, 'UNKNOWN_FIELD']);
  expect(await code(`/tca/day?date=${day}&strategy=${strategy}&limit=1`)).toEqual([400, 'TOO_MANY_ORDERS']);
});

test('both routes are in the OpenAPI document, the day query from its zod schema', async () => {
  const doc = (await call('/openapi.json')).body as {
    paths: Record<string, { get?: { parameters?: Array<{ name: string; required: boolean }> } }>;
  };
  expect(doc.paths['/tca/orders/{orderId}']?.get).toBeDefined();
  const params = doc.paths['/tca/day']?.get?.parameters ?? [];
  expect(params.map((p) => [p.name, p.required])).toEqual([
    ['date', true],
    ['strategy', false],
    ['venue', false],
    ['limit', false],
  ]);
});
