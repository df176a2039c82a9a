/**
 * The order planner end to end: rebalanceWorkflow on the dev server, its activities against the
 * simulator (a private account holding only USDT, so the venue's BTC is what Ordo bought) and an
 * in-memory ledger, through the typed client the CLI uses. Each test has its own strategy, so its
 * ledger position and working orders are its own.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { add, cmp, roundToStep, sub } from '../../src/domain/decimal';
import { OrderRequestError } from '../../src/domain/order-request';
import { OrdoRebalance } from '../../src/client/rebalance';
import { createVenueRegistry } from '../../src/venues/factory';
import { parentCancelUpdate } from '../../src/workflows/parent-messages';
import type { RebalanceResult } from '../../src/workflows/rebalance-workflow';
import { type TestOrdo, startTestOrdoOn, testWorkerConfig, uniqueOrderId } from '../support/ordo-worker';
import { createSimAccount } from '../support/simulator-admin';

jest.setTimeout(120_000);

const LOT = '0.00001'; // the simulator's BTC/USDT lot size

let ordo: TestOrdo;
let planner: OrdoRebalance;

beforeAll(async () => {
  const account = await createSimAccount({ USDT: '100000' });
  ordo = await startTestOrdoOn(createVenueRegistry(testWorkerConfig({ ...account })));
  planner = new OrdoRebalance(ordo.client, ordo.taskQueue);
});

afterAll(async () => {
  await ordo?.shutdown();
});

function btc(strategyId: string, quantity: string, extra: Record<string, unknown> = {}) {
  return { strategyId, ...extra, targets: [{ venue: 'sim', symbol: 'BTC/USDT', quantity }] };
}

/** The strategy's BTC/USDT position in the worker's ledger (the book quantity, fees aside). */
async function ledgerPosition(strategyId: string): Promise<string> {
  const positions = await ordo.ledger.positions({ venue: 'sim', symbol: 'BTC/USDT', strategyId });
  return positions.reduce((sum, p) => add(sum, p.quantity), '0');
}

async function exists(workflowId: string): Promise<boolean> {
  try {
    await ordo.client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

const skipCodes = (result: RebalanceResult) => result.targets.flatMap((t) => t.skips.map((s) => s.code));

test('--plan shows the orders and starts nothing', async () => {
  const id = uniqueOrderId('rb-plan');
  const result = await planner.run(btc('rb-plan', '0.01'), { id, planOnly: true });
  expect(result).toMatchObject({
    rebalanceId: id,
    status: 'PLANNED',
    from: 'ledger',
    planOnly: true,
    started: [],
  });
  expect(result.orders).toEqual([
    expect.objectContaining({
      orderId: `${id}-sim-BTC-USDT-rb-plan`,
      side: 'buy',
      quantity: '0.01',
      reduceOnly: false,
      kind: 'order',
      strategyId: 'rb-plan',
    }),
  ]);
  expect(result.targets[0]).toMatchObject({ position: '0', working: '0', target: '0.01' });
  expect(await exists(`${id}-sim-BTC-USDT-rb-plan`)).toBe(false);
});

test('a real run reaches the target; a reducing run is reduce-only; the same targets again start nothing', async () => {
  const strategy = 'rb-run';
  const first = await planner.run(btc(strategy, '0.01'), { id: uniqueOrderId('rb-run') });
  expect(first.status).toBe('STARTED');
  expect(first.started).toEqual([
    { orderId: first.orders[0]?.orderId, workflowType: 'orderWorkflow', alreadyStarted: false },
  ]);
  const [bought] = await planner.waitForOrders(first.started);
  expect(bought).toMatchObject({ status: 'FILLED', filledQuantity: '0.01' });
  const position = await ledgerPosition(strategy);
  expect(cmp(sub(position, '0.01'), LOT)).toBeLessThanOrEqual(0);
  expect(cmp(sub('0.01', position), LOT)).toBeLessThanOrEqual(0);
  const status = await ordo.orders.status(bought?.orderId ?? '');
  expect(status.request).toMatchObject({
    decisionId: first.rebalanceId,
    strategyId: strategy,
    type: 'market',
  });

  // The venue took its buyer's fee in BTC: what is held is about a lot short of the target, too
  // small to buy (below the minimum notional, or the lot size when the fee was rounded up).
  const again = await planner.run(btc(strategy, '0.01'), { id: uniqueOrderId('rb-run') });
  expect(again).toMatchObject({ status: 'NOTHING_TO_DO', orders: [], started: [] });
  expect(skipCodes(again).length).toBeGreaterThan(0);
  expect(skipCodes(again).every((c) => c === 'BELOW_MIN_NOTIONAL' || c === 'BELOW_LOT_SIZE')).toBe(true);

  // Down to 0.004: a sell of what is held above it, reduce-only.
  const reduceId = uniqueOrderId('rb-reduce');
  const reduce = await planner.run(btc(strategy, '0.004', { decisionId: 'desk-1' }), { id: reduceId });
  expect(reduce.status).toBe('STARTED');
  expect(reduce.orders).toEqual([
    expect.objectContaining({
      side: 'sell',
      quantity: roundToStep(sub(reduce.targets[0]?.position ?? '', '0.004'), LOT),
      reduceOnly: true,
    }),
  ]);
  const [sold] = await planner.waitForOrders(reduce.started);
  expect(sold?.status).toBe('FILLED');
  const sell = await ordo.orders.status(sold?.orderId ?? '');
  expect(sell.request).toMatchObject({ side: 'sell', reduceOnly: true, decisionId: 'desk-1' });

  // A seller's fee is in USDT: at the target now (within a lot). Again, under a new id or the same.
  for (const id of [uniqueOrderId('rb-again'), reduceId]) {
    const same = await planner.run(btc(strategy, '0.004'), { id });
    expect(same).toMatchObject({ status: 'NOTHING_TO_DO', orders: [], started: [] });
    expect(skipCodes(same).every((c) => c === 'ZERO_DELTA' || c === 'BELOW_LOT_SIZE')).toBe(true);
    expect(cmp(sub(same.targets[0]?.position ?? '', '0.004'), LOT)).toBe(-1);
  }
});

test('a re-run of a rebalance id never starts one of its order ids twice', async () => {
  const strategy = 'rb-idem';
  const id = uniqueOrderId('rb-idem');
  const first = await planner.run(btc(strategy, '0.002'), { id });
  const [filled] = await planner.waitForOrders(first.started);
  expect(filled?.status).toBe('FILLED');
  // A bigger target under the same id plans an order under the same id: it is not started again.
  const rerun = await planner.run(btc(strategy, '0.004'), { id });
  expect(rerun.status).toBe('STARTED');
  expect(rerun.orders.map((o) => o.orderId)).toEqual([first.orders[0]?.orderId]);
  expect(rerun.started).toEqual([
    { orderId: first.orders[0]?.orderId, workflowType: 'orderWorkflow', alreadyStarted: true },
  ]);
  expect(await ledgerPosition(strategy)).toBe('0.002');
});

test('a working order counts toward the target: planning again does not double-send', async () => {
  const strategy = 'rb-work';
  const orderId = uniqueOrderId('rb-resting');
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    limitPrice: '30000', // far below the market: it rests
    quantity: '0.002',
    venue: 'sim',
    strategyId: strategy,
  });
  try {
    expect((await ordo.orders.waitFor(orderId, (s) => s.status === 'ACCEPTED')).status).toBe('ACCEPTED');
    // Visibility is eventually consistent: wait until the listing the planner uses shows the order.
    for (let i = 0; i < 100 && (await ordo.orders.list({ strategyId: strategy })).length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));

    const result = await planner.run(btc(strategy, '0.003'), {
      planOnly: true,
      id: uniqueOrderId('rb-work'),
    });
    expect(result.targets[0]).toMatchObject({
      position: '0',
      working: '0.002',
      projected: '0.002',
      delta: '0.001',
    });
    expect(result.targets[0]?.workingOrders).toEqual([
      { orderId, workflowType: 'orderWorkflow', side: 'buy', remaining: '0.002' },
    ]);
    expect(result.orders.map((o) => [o.side, o.quantity])).toEqual([['buy', '0.001']]);

    // The working order is the whole target: nothing to send.
    const covered = await planner.run(btc(strategy, '0.002'), {
      planOnly: true,
      id: uniqueOrderId('rb-work'),
    });
    expect(covered).toMatchObject({ status: 'NOTHING_TO_DO', orders: [] });
    expect(skipCodes(covered)).toEqual(['ZERO_DELTA']);
  } finally {
    await ordo.orders.cancel(orderId, 'test done');
  }
});

test('above the TWAP threshold the order goes as a parent, and counts as working while it runs', async () => {
  const strategy = 'rb-parent';
  const file = btc(strategy, '0.01', { twapNotionalThreshold: '100' }); // 600 USDT ≥ 100
  const result = await planner.run(file, { id: uniqueOrderId('rb-parent') });
  expect(result.status).toBe('STARTED');
  expect(result.orders).toEqual([expect.objectContaining({ kind: 'parent', quantity: '0.01' })]);
  const parentId = result.started[0]?.orderId ?? '';
  expect(result.started[0]?.workflowType).toBe('autoOrderWorkflow');
  try {
    expect((await ordo.orders.autoChoiceOf(parentId)).workflowType).toBe('twapWorkflow');
    const replan = await planner.run(file, { planOnly: true, id: uniqueOrderId('rb-parent') });
    expect(replan.orders).toEqual([]);
    expect(replan.targets[0]?.workingOrders?.map((w) => [w.orderId, w.workflowType, w.side])).toEqual([
      [parentId, 'twapWorkflow', 'buy'],
    ]);
  } finally {
    await ordo.client.workflow
      .getHandle(parentId)
      .executeUpdate(parentCancelUpdate, { args: [{ reason: 'test done' }] });
  }
});

test('a difference below the venue minimum is skipped with its reason', async () => {
  const result = await planner.run(btc('rb-min', '0.00005'), { id: uniqueOrderId('rb-min') }); // ≈ 3 USDT < 5
  expect(result).toMatchObject({ status: 'NOTHING_TO_DO', orders: [], started: [] });
  expect(result.targets[0]?.skips).toEqual([
    expect.objectContaining({ code: 'BELOW_MIN_NOTIONAL', side: 'buy', quantity: '0.00005' }),
  ]);
});

test('bad input: typed issues, nothing started', async () => {
  // Refused by the client before anything is sent.
  await expect(
    planner.run({ targets: [{ venue: 'sim', symbol: 'BTC/USDT', quantity: 'lots' }] }),
  ).rejects.toThrow(OrderRequestError);
  const refused = planner.run({ targets: [] }).catch((err: unknown) => err);
  expect(await refused).toMatchObject({ code: 'NO_TARGETS' });

  // Found in the worker: a short on a spot venue, an unknown symbol, an unknown venue. The one good
  // target is not started either.
  const id = uniqueOrderId('rb-bad');
  const result = await planner.run(
    {
      strategyId: 'rb-bad',
      targets: [
        { venue: 'sim', symbol: 'BTC/USDT', quantity: '0.001' },
        { venue: 'sim', symbol: 'ETH/USDT', quantity: '-1' },
        { venue: 'sim', symbol: 'NOPE/USDT', quantity: '1' },
        { venue: 'elsewhere', symbol: 'BTC/USDT', quantity: '1' },
      ],
    },
    { id },
  );
  expect(result.status).toBe('REFUSED');
  expect(result.issues.map((i) => [i.field, i.code])).toEqual([
    ['targets[1]', 'SHORT_NOT_SUPPORTED'],
    ['targets[2]', 'BAD_SYMBOL'],
    ['targets[3]', 'UNKNOWN_VENUE'],
  ]);
  expect(result.started).toEqual([]);
  expect(result.orders.map((o) => o.orderId)).toEqual([`${id}-sim-BTC-USDT-rb-bad`]);
  expect(await exists(`${id}-sim-BTC-USDT-rb-bad`)).toBe(false);

  // The workflow validates the file itself too (a caller that skips the client's check).
  const direct = await ordo.client.workflow.execute('rebalanceWorkflow', {
    taskQueue: ordo.taskQueue,
    workflowId: uniqueOrderId('rb-direct'),
    args: [{ request: { targets: [{ venue: 'sim', symbol: 'BTC/USDT', quantity: '1', colour: 'red' }] } }],
  });
  expect(direct).toMatchObject({
    status: 'REFUSED',
    issues: [{ code: 'UNKNOWN_FIELD', field: 'targets[0].colour' }],
    started: [],
  });
});
