/**
 * Reconciliation on the dev server against a private simulator, each case injected through the
 * simulator: a fill while the worker was down, an order placed directly at the venue (adopted,
 * or cancelled), a cancel done directly at the venue, a balance drift; and the schedule's runs
 * handing their balance checkpoints on. The order workflows' own look-ups (GET /api/v3/order) are
 * made to fail where a case needs reconciliation to be the one that notices.
 */
import { ScheduleOverlapPolicy } from '@temporalio/client';
import type { ReconciliationConfig } from '../../src/activities/reconciliation-types';
import { add } from '../../src/domain/decimal';
import type { OrderState } from '../../src/domain/order-state';
import { openLedger } from '../../src/ledger/open-ledger';
import type { Ledger } from '../../src/ledger/types';
import { createVenueRegistry } from '../../src/venues/factory';
import type { VenueRegistry } from '../../src/venues/registry';
import type { WorkerConfig } from '../../src/workers/config';
import { ensureReconciliationSchedule } from '../../src/workers/reconciliation-schedule';
import type {
  FindingOutcome,
  ReconciliationInput,
  ReconciliationReport,
} from '../../src/workflows/reconciliation-messages';
import { type ChaosSimulator, type SimAccount, startChaosSimulator } from '../support/chaos-sim';
import { type TestOrdo, startTestOrdoOn, testEventSinks, uniqueOrderId } from '../support/ordo-worker';
import { simulatedVenues } from '../support/chaos-venues';
import { recordHistory } from '../support/histories';
import { type WebhookReceiver, startWebhookReceiver, webhookEventsConfig } from '../support/webhook-receiver';

jest.setTimeout(120_000);

const SETTINGS: ReconciliationConfig = {
  venues: ['sim'],
  unknownOrders: 'report',
  lookbackMs: 60 * 60_000,
  settleMs: 500,
  graceMs: 0,
  balanceTolerance: {},
  defaultBalanceTolerance: '0',
  symbols: ['BTC/USDT'],
  // Both simulator dialects reach the one private account: reconciled once, through `sim`.
  sharedAccounts: { sim: ['sim-bybit'] },
};
/** The order workflows' look-up of one order; reconciliation reads other endpoints. */
const BLIND_ORDER_LOOKUPS = { errors: [{ kind: 'internalError', rate: 1, scope: ['GET /api/v3/order'] }] };

let sim: ChaosSimulator;
let account: SimAccount;
let receiver: WebhookReceiver;
let config: WorkerConfig;
let ledger: Ledger;
let ordo: TestOrdo;
let registry: VenueRegistry;

async function startOrdo(taskQueue?: string): Promise<TestOrdo> {
  registry = createVenueRegistry(config);
  return startTestOrdoOn(registry, testEventSinks(config), ledger, {
    reconciliation: SETTINGS,
    ...(taskQueue === undefined ? {} : { taskQueue }),
  });
}

beforeAll(async () => {
  sim = await startChaosSimulator(11);
  account = await sim.admin.createAccount();
  receiver = await startWebhookReceiver();
  const venues = simulatedVenues({ simulatorUrl: sim.url, account, timeoutMs: 3_000 }).config;
  config = { ...venues, events: webhookEventsConfig(receiver.url) } as WorkerConfig;
  ledger = await openLedger('sqlite::memory:');
  ordo = await startOrdo();
});

afterAll(async () => {
  await ordo?.shutdown();
  await ledger?.close();
  await receiver?.close();
  await sim?.close();
});

afterEach(async () => {
  await sim.admin.clearFaults();
});

async function reconcile(input: ReconciliationInput = {}): Promise<ReconciliationReport> {
  return ordo.client.workflow.execute('reconciliationWorkflow', {
    taskQueue: ordo.taskQueue,
    workflowId: uniqueOrderId('reconciliation'),
    args: [input],
  });
}

function outcomes(report: ReconciliationReport): FindingOutcome[] {
  return report.venues.flatMap((v) => v.outcomes);
}

async function waitForStatus(orderId: string, statuses: string[], timeoutMs = 30_000): Promise<OrderState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await ordo.orders.status(orderId);
    if (statuses.includes(state.status)) return state;
    if (Date.now() > deadline)
      throw new Error(`${orderId} stayed ${state.status}, wanted ${statuses.join('|')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A buy limit resting 1% under the market. */
async function restingBuy(
  orderId: string,
  quantity = '0.01',
  venue = 'sim',
): Promise<{ state: OrderState; limit: number }> {
  const mid = await sim.admin.mid('BTC/USDT');
  const limit = Math.round(mid * 0.99);
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity,
    limitPrice: String(limit),
    venue,
  });
  return { state: await waitForStatus(orderId, ['ACCEPTED']), limit };
}

test('a fill while the worker was down: recorded once, the order workflow told, reported', async () => {
  const orderId = uniqueOrderId('recon-missed');
  const { state, limit } = await restingBuy(orderId);
  const taskQueue = ordo.taskQueue;
  await ordo.shutdown(); // the worker is down ...
  await sim.admin.setFaults(BLIND_ORDER_LOOKUPS); // ... and, once back, its order look-ups fail
  await sim.admin.setMid('BTC/USDT', String(Math.round(limit * 0.97))); // the market trades through
  const fills = await waitForVenueFills(state.venueOrderId ?? '');
  ordo = await startOrdo(taskQueue);

  const report = await reconcile();
  const missed = outcomes(report).filter((o) => o.finding.kind === 'MISSED_FILL');
  const ended = outcomes(report).filter((o) => o.finding.kind === 'ORDER_ENDED_AT_VENUE');
  expect(ended.map((o) => o.action)).toEqual(['TOLD']);
  expect(missed.length).toBe(fills);
  for (const o of missed) {
    expect(o.action).toBe('RECORDED_AND_TOLD');
    expect(o.finding.kind === 'MISSED_FILL' && o.finding.orderId).toBe(orderId);
  }
  const recorded = await ledger.trades({ orderId });
  expect(recorded.length).toBe(fills);
  expect(recorded.reduce((sum, t) => add(sum, t.size), '0')).toBe('0.01');

  await sim.admin.clearFaults(); // the order workflow catches up: FILLED, the ledger unchanged
  const final = await waitForStatus(orderId, ['FILLED']);
  expect(final.filledQuantity).toBe('0.01');
  expect((await ledger.trades({ orderId })).length).toBe(fills);
  expect(await signalsOf(orderId, 'reconcile')).toBeGreaterThanOrEqual(1);

  await receiver.waitFor(() =>
    receiver.uniqueEvents().some((e) => e.type === 'RECONCILIATION_MISMATCH' && e.orderId === orderId),
  );
  const events = receiver
    .uniqueEvents()
    .filter((e) => e.type === 'RECONCILIATION_MISMATCH' && e.orderId === orderId);
  // Each missed trade, and the order's end that the workflow had not seen: one event per fact.
  const kinds = events.map((e) => (e.data as { kind?: string }).kind).sort();
  expect(kinds).toEqual([...Array<string>(fills).fill('MISSED_FILL'), 'ORDER_ENDED_AT_VENUE']);

  // A second run finds nothing left of it.
  const again = await reconcile();
  expect(outcomes(again).filter((o) => 'orderId' in o.finding && o.finding.orderId === orderId)).toEqual([]);
});

test('an order placed directly at the venue is reported, adopted or cancelled as configured', async () => {
  const venue = registry.get('sim').venue;
  const mid = await sim.admin.mid('BTC/USDT');
  const place = (tag: string) =>
    venue.submitOrder({
      clientOrderId: `manual-${tag}-${Date.now()}`,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      quantity: '0.002',
      limitPrice: String(Math.round(mid * 0.9)),
      timeInForce: 'GTC',
    });

  const reported = await place('report');
  const byReport = unknownOrder(await reconcile({ unknownOrders: 'report' }), reported.venueOrderId);
  expect(byReport?.action).toBe('REPORTED');
  expect((await venue.fetchOrder({ symbol: 'BTC/USDT', venueOrderId: reported.venueOrderId }))?.state).toBe(
    'open',
  );

  const adoption = await reconcile({ unknownOrders: 'adopt' });
  const adopted = unknownOrder(adoption, reported.venueOrderId);
  expect(adopted?.action).toBe('ADOPTED');
  const adoptedId = `adopted-sim-${reported.venueOrderId}`;
  expect(adopted?.detail).toBe(adoptedId);
  const state = await waitForStatus(adoptedId, ['ACCEPTED']);
  expect(state.venueOrderId).toBe(reported.venueOrderId);
  expect(state.request).toMatchObject({
    symbol: 'BTC/USDT',
    side: 'buy',
    quantity: '0.002',
    strategyId: 'adopted',
  });
  // Adopted, it is Ordo's: the next run knows it, and Ordo can cancel it.
  expect(unknownOrder(await reconcile({ unknownOrders: 'adopt' }), reported.venueOrderId)).toBeUndefined();
  await ordo.orders.cancel(adoptedId, 'test over');
  expect((await waitForStatus(adoptedId, ['CANCELLED'])).status).toBe('CANCELLED');

  const stray = await place('cancel');
  const cancelled = unknownOrder(await reconcile({ unknownOrders: 'cancel' }), stray.venueOrderId);
  expect(cancelled?.action).toBe('CANCELLED');
  expect((await venue.fetchOrder({ symbol: 'BTC/USDT', venueOrderId: stray.venueOrderId }))?.state).toBe(
    'canceled',
  );
});

test('a cancel done directly at the venue corrects the order workflow', async () => {
  const orderId = uniqueOrderId('recon-cancelled');
  const { state } = await restingBuy(orderId);
  await sim.admin.setFaults(BLIND_ORDER_LOOKUPS); // the workflow cannot see it for itself
  await registry.get('sim').venue.cancelOrder({ symbol: 'BTC/USDT', venueOrderId: state.venueOrderId ?? '' });

  const report = await reconcile();
  const ended = outcomes(report).find((o) => o.finding.kind === 'ORDER_ENDED_AT_VENUE');
  expect(ended?.action).toBe('TOLD');
  expect(ended?.finding).toMatchObject({ orderId, venueOrderId: state.venueOrderId, ordoStatus: 'ACCEPTED' });

  await sim.admin.clearFaults();
  const final = await waitForStatus(orderId, ['CANCELLED']);
  expect(final.history.at(-1)?.reason).toBe('CANCELLED_BY_VENUE');
  expect(await signalsOf(orderId, 'reconcile')).toBe(1);
  await recordHistory(ordo.client, orderId, 'order-reconcile-signal');
});

test('orders and trades of another venue name on the same account are not mismatches', async () => {
  const orderId = uniqueOrderId('recon-bybit');
  await restingBuy(orderId, '0.002', 'sim-bybit');
  const buyId = uniqueOrderId('recon-bybit-buy');
  await ordo.orders.submit({
    orderId: buyId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    quantity: '0.003',
    venue: 'sim-bybit',
  });
  await waitForStatus(buyId, ['FILLED']);
  const first = await reconcile();
  await pause(2_100);
  const second = await reconcile({ checkpoints: first.checkpoints });
  expect(second.venues.map((v) => v.venue)).toEqual(['sim']);
  expect(outcomes(second)).toEqual([]);
  expect(second.venues[0]?.counts?.ordoWorking).toBeGreaterThanOrEqual(1);
  // Asked for by its other name, the account is still reconciled once, as `sim`.
  const viaBybit = await reconcile({ venues: ['sim-bybit', 'sim'] });
  expect(viaBybit.venues.map((v) => v.venue)).toEqual(['sim']);
  expect(outcomes(viaBybit).filter((o) => o.finding.kind !== 'BALANCE_MISMATCH')).toEqual([]);
  await ordo.orders.cancel(orderId, 'test over');
  await waitForStatus(orderId, ['CANCELLED']);
});

test('a balance drift is reported; trades recorded in the ledger are not a drift', async () => {
  const first = await reconcile();
  const checkpoint = first.checkpoints['sim'];
  expect(checkpoint).toBeDefined();
  expect(outcomes(first).filter((o) => o.finding.kind === 'BALANCE_MISMATCH')).toEqual([]);

  await pause(2_100); // clear of the checkpoint's edge (trades within 2 s of it are not judged)
  const buyId = uniqueOrderId('recon-buy');
  await ordo.orders.submit({
    orderId: buyId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    quantity: '0.01',
    venue: 'sim',
  });
  expect((await waitForStatus(buyId, ['FILLED'])).status).toBe('FILLED');
  await adminBalance('USDT', '-5'); // a withdrawal Ordo did not make
  await pause(2_100);

  const second = await reconcile({ checkpoints: first.checkpoints });
  const drifts = outcomes(second).filter((o) => o.finding.kind === 'BALANCE_MISMATCH');
  expect(drifts.map((o) => o.finding)).toEqual([
    expect.objectContaining({ kind: 'BALANCE_MISMATCH', asset: 'USDT', drift: '-5', tolerance: '0' }),
  ]);
  expect(drifts[0]?.action).toBe('REPORTED');
  // The next run compares with the balances the second one read: the drift is reported once.
  await pause(100);
  const third = await reconcile({ checkpoints: second.checkpoints });
  expect(outcomes(third).filter((o) => o.finding.kind === 'BALANCE_MISMATCH')).toEqual([]);
});

test('the schedule runs reconciliation and hands each run the last one’s checkpoints', async () => {
  const scheduleId = uniqueOrderId('recon-schedule');
  const schedule = await ensureReconciliationSchedule(ordo.client, {
    taskQueue: ordo.taskQueue,
    every: '1h',
    scheduleId,
  });
  try {
    // As the worker does at start-up: overlaps skipped, so the schedule follows each run to its
    // end and hands the result to the next.
    await schedule.trigger(ScheduleOverlapPolicy.SKIP);
    const firstRun = await scheduleRun(scheduleId, 1);
    expect(firstRun.checkpoints['sim']).toBeDefined();
    await pause(100);
    await adminBalance('ETH', '2.5'); // a deposit
    await scheduleIdle(scheduleId);
    await schedule.trigger(ScheduleOverlapPolicy.SKIP);
    const secondRun = await scheduleRun(scheduleId, 2);
    const drift = outcomes(secondRun).find((o) => o.finding.kind === 'BALANCE_MISMATCH');
    expect(drift?.finding).toMatchObject({
      asset: 'ETH',
      drift: '2.5',
      since: firstRun.checkpoints['sim']?.at,
    });
  } finally {
    await schedule.delete();
  }
});

// ---- helpers -----------------------------------------------------------------------------------

function unknownOrder(report: ReconciliationReport, venueOrderId: string): FindingOutcome | undefined {
  return outcomes(report).find(
    (o) => o.finding.kind === 'UNKNOWN_ORDER' && o.finding.order.venueOrderId === venueOrderId,
  );
}

/**
 * Waits until the venue says the order filled (its admin log: the order look-up is failing on
 * purpose); returns how many trades it took. The worker is down, so a venue of the test's own.
 */
async function waitForVenueFills(venueOrderId: string): Promise<number> {
  const venue = createVenueRegistry(config);
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const records = await sim.admin.orders({ apiKey: account.apiKey });
      if (records.some((r) => String(r.orderId) === venueOrderId && r.status === 'FILLED')) {
        const fills = await venue.get('sim').venue.fetchOrderFills({ symbol: 'BTC/USDT', venueOrderId });
        return fills.length;
      }
      if (Date.now() > deadline) throw new Error(`venue order ${venueOrderId} did not fill`);
      await pause(200);
    }
  } finally {
    await venue.close();
  }
}

async function scheduleRun(scheduleId: string, n: number): Promise<ReconciliationReport> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { info } = await ordo.client.schedule.getHandle(scheduleId).describe();
    const runs = info.recentActions.map((a) => a.action.workflow.workflowId);
    const id = runs[n - 1];
    if (id !== undefined) return ordo.client.workflow.getHandle(id).result() as Promise<ReconciliationReport>;
    if (Date.now() > deadline) throw new Error(`schedule ${scheduleId} has ${runs.length} runs, wanted ${n}`);
    await pause(200);
  }
}

/** Until the schedule has seen its last run end (a trigger meanwhile would be skipped). */
async function scheduleIdle(scheduleId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await ordo.client.schedule.getHandle(scheduleId).describe()).info.runningActions.length > 0) {
    if (Date.now() > deadline) throw new Error(`schedule ${scheduleId} still has a run in flight`);
    await pause(100);
  }
}

async function signalsOf(workflowId: string, name: string): Promise<number> {
  const history = await ordo.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === name)
    .length;
}

async function adminBalance(asset: string, delta: string): Promise<void> {
  const response = await fetch(`${sim.url}/admin/balances`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey: account.apiKey, asset, delta }),
  });
  if (!response.ok) throw new Error(`admin balances: HTTP ${response.status} ${await response.text()}`);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
