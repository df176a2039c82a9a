/**
 * autoOrderWorkflow on the dev server and the simulator: the choice is made from the venue's live
 * quote and the order continues, under the same id, as the orderWorkflow or twapWorkflow that
 * trades it.
 */
import type { OrderState } from '../../src/domain/order-state';
import type { ParentProgress } from '../../src/workflows/parent-messages';
import { type TestOrdo, startTestOrdo, testWorkerConfig, uniqueOrderId } from '../support/ordo-worker';
import { TEST_BALANCES, createSimAccount } from '../support/simulator-admin';

jest.setTimeout(90_000);

let ordo: TestOrdo;

beforeAll(async () => {
  const account = await createSimAccount(TEST_BALANCES);
  ordo = await startTestOrdo(testWorkerConfig({ ...account }));
});

afterAll(async () => {
  await ordo?.shutdown();
});

async function finalRun(orderId: string) {
  const choice = await ordo.orders.autoChoiceOf(orderId);
  const result = await ordo.client.workflow.getHandle(orderId).result();
  return { choice, result };
}

test('a small urgent order becomes a market order under the same id', async () => {
  const orderId = uniqueOrderId('auto-mkt');
  await ordo.orders.submitAuto({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    quantity: '0.01',
    venue: 'sim',
    urgency: 'high',
  });
  const { choice, result } = await finalRun(orderId);
  expect(choice.workflowType).toBe('orderWorkflow');
  expect(choice.reason).toMatch(/high urgency/);
  const state = result as OrderState;
  expect(state.request.type).toBe('market');
  expect(state.status).toBe('FILLED');
  expect(state.orderId).toBe(orderId);
});

test('a patient order with a wide-enough spread rests as a limit at the own side', async () => {
  const orderId = uniqueOrderId('auto-lmt');
  await ordo.orders.submitAuto({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    quantity: '0.01',
    venue: 'sim',
    urgency: 'low',
    maxSpreadBpsForMarket: 0, // any spread is too wide for a market order here
  });
  const choice = await ordo.orders.autoChoiceOf(orderId);
  expect(choice.workflowType).toBe('orderWorkflow');
  const state = await ordo.orders.waitFor(orderId, (s) => s.status !== 'PENDING' && s.status !== 'SUBMITTED');
  expect(state.request.type).toBe('limit');
  expect(Number(state.request.limitPrice)).toBeGreaterThan(0);
  await ordo.orders.cancel(orderId, 'test done').catch(() => undefined);
  const final = (await ordo.client.workflow.getHandle(orderId).result()) as OrderState;
  expect(['CANCELLED', 'FILLED']).toContain(final.status);
});

test('a large notional becomes a TWAP under the same id, its slices children of that id', async () => {
  const orderId = uniqueOrderId('auto-twap');
  await ordo.orders.submitAuto({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    quantity: '0.03',
    venue: 'sim',
    twapNotionalThreshold: '1000', // 0.03 BTC at ~60000 is ~1800
    twapDuration: '4s',
    twapInterval: '2s',
  });
  const { choice, result } = await finalRun(orderId);
  expect(choice.workflowType).toBe('twapWorkflow');
  expect(choice.reason).toMatch(/TWAP threshold 1000/);
  const progress = result as ParentProgress;
  expect(progress.parentId).toBe(orderId);
  expect(progress.status).toBe('COMPLETED');
  expect(progress.filledQuantity).toBe('0.03');
  expect(progress.slices.filter((s) => s.childId !== undefined).map((s) => s.childId)).toEqual([
    `${orderId}-1`,
    `${orderId}-2`,
  ]);
});

test('a bad automatic order is refused before anything starts', async () => {
  await expect(
    ordo.orders.submitAuto({
      symbol: 'BTC/USDT',
      side: 'buy',
      quantity: '0.01',
      venue: 'sim',
      type: 'market',
    }),
  ).rejects.toMatchObject({ code: 'UNEXPECTED_TYPE' });
});
