/**
 * twapWorkflow on a real Temporal dev server, its slices trading on the real simulator.
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

test('a short TWAP completes in slices that sum to the parent', async () => {
  const parentId = uniqueOrderId('twap');
  const handle = await ordo.client.workflow.start('twapWorkflow', {
    taskQueue: ordo.taskQueue,
    workflowId: parentId,
    args: [
      { symbol: 'BTC/USDT', side: 'buy', quantity: '0.05', venue: 'sim', duration: '6s', interval: '2s' },
    ],
  });
  const final = (await handle.result()) as ParentProgress;
  expect(final.status).toBe('COMPLETED');
  expect(final.filledQuantity).toBe('0.05');
  const children = final.slices.filter((s) => s.childId !== undefined);
  expect(children.map((c) => c.childId)).toEqual([1, 2, 3].map((n) => `${parentId}-${n}`));
  expect(children.map((c) => c.targetQuantity)).toEqual(['0.01667', '0.01667', '0.01666']);
  for (const child of children) {
    const state = (await ordo.client.workflow.getHandle(child.childId as string).result()) as OrderState;
    expect(state.request.parentId).toBe(parentId);
  }
});
