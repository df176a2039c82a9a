/**
 * The kill switch and the trading state on a real Temporal dev server and the run's simulator,
 * through real ccxt, on two venues (`sim`, Binance dialect; `sim-bybit`, Bybit v5) of one account.
 *
 * Working limit orders (KILL_TEST_ORDERS, default 100, half per venue) and a running TWAP; then
 * `ordo kill --wait`: the venues list no open order of the account, every order workflow ends
 * CANCELLED, the TWAP is PAUSED. While halted, a new order is never sent (refused TRADING_HALTED,
 * by the order workflow's own check or by the submit activity's gate, which is also tested alone),
 * nor is one whose workflow started before the halt. REDUCING lets a sell of the held base asset
 * through and refuses a buy; `ordo resume` lets orders through again. The signal sweep alone, in
 * both modes; commands applied in the order sent; continue-as-new.
 *
 * Each test worker has its own trading control workflow (trading-control-<task queue>) and the
 * kill switch only selects workflows of its task queue, so other test files are not halted.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Command } from 'commander';
import { createOrderActivities } from '../../src/activities/order-activities';
import { createTradingActivities, createTradingGateFor } from '../../src/activities/trading-activities';
import { registerTradingCommands } from '../../src/client/cli-trading';
import { OrdoTrading, type TradingStatus } from '../../src/client/trading';
import type { OrderState } from '../../src/domain/order-state';
import { isTerminal } from '../../src/domain/status';
import { createVenueRegistry } from '../../src/venues/factory';
import type { VenueRegistry } from '../../src/venues/registry';
import type { ParentProgress } from '../../src/workflows/parent-messages';
import { progressQuery } from '../../src/workflows/parent-messages';
import type { KillReport } from '../../src/workflows/trading-messages';
import { simulatedVenues } from '../support/chaos-venues';
import { workflowSource } from '../../src/workers/workflow-bundle';
import {
  type TestOrdo,
  simulatorUrl,
  startTestOrdoOn,
  temporalAddress,
  testEventSinks,
  uniqueOrderId,
} from '../support/ordo-worker';
import {
  type SimAccount,
  TEST_BALANCES,
  createSimAccount,
  midOf,
  simOrdersFor,
} from '../support/simulator-admin';

jest.setTimeout(300_000);

const ORDERS = Number(process.env['KILL_TEST_ORDERS'] ?? 100);
const VENUES = ['sim', 'sim-bybit'] as const;

let account: SimAccount;
let ordo: TestOrdo;
/** The worker's venues (the test holds new ETH/USDT orders in prepare through it). */
let registry: VenueRegistry;
/** A second set of venues on the same account: what the test itself asks the venues. */
let probe: VenueRegistry;
let trading: OrdoTrading;
let prepareLatch: Latch | undefined;

beforeAll(async () => {
  account = await createSimAccount(TEST_BALANCES);
  const { config, venues } = simulatedVenues({ simulatorUrl: simulatorUrl(), account, timeoutMs: 5000 });
  for (const name of VENUES) expect(venues).toContain(name);
  registry = createVenueRegistry(config);
  holdEthPrepares(registry);
  probe = createVenueRegistry(config);
  ordo = await startTestOrdoOn(registry, testEventSinks(config));
  trading = new OrdoTrading(ordo.client, ordo.taskQueue, ordo.tradingControlId);
});

afterAll(async () => {
  await ordo?.shutdown();
  await probe?.close();
});

/** The limit orders of the kill, started by the first test; every one must end CANCELLED. */
const working: string[] = [];
let twapId = '';

test(`the kill switch cancels ${ORDERS} working orders on two venues and pauses a TWAP`, async () => {
  const mid = await midOf('BTC/USDT');
  const resting = (mid * 0.8).toFixed(2);
  const submitted = await inBatches(
    Array.from({ length: ORDERS }, (_, i) => i),
    20,
    async (i) => {
      const orderId = uniqueOrderId(`kill${i}`);
      await ordo.orders.submit({
        orderId,
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        quantity: '0.001',
        limitPrice: resting,
        venue: VENUES[i % VENUES.length],
      });
      return orderId;
    },
  );
  working.push(...submitted);
  twapId = uniqueOrderId('kill-twap');
  await ordo.client.workflow.start('twapWorkflow', {
    taskQueue: ordo.taskQueue,
    workflowId: twapId,
    args: [
      {
        symbol: 'BTC/USDT',
        side: 'buy',
        quantity: '0.004',
        venue: 'sim',
        duration: '10m',
        interval: '2m',
        aggression: 'passive',
        limitPrice: resting,
        parentId: twapId,
      },
    ],
  });
  const states = await waitForAll(working, (s) => s.status === 'ACCEPTED', 'every order ACCEPTED');
  expect(states.every((s) => s.status === 'ACCEPTED')).toBe(true);
  await twapWhen((p) => p.slices.some((s) => s.status === 'ACCEPTED'), 'the TWAP slice working');
  const openBefore = await openOrderIds();
  // Every order and the TWAP's slice rest at the venues now.
  expect(openBefore.size).toBeGreaterThanOrEqual(ORDERS + 1);

  const { out, exitCode } = await ordoCli([
    '--json',
    'kill',
    '--reason',
    'test: desk halt',
    '--flatten',
    '--wait',
  ]);
  const kill = JSON.parse(out) as KillReport;
  logKill(kill);
  expect(exitCode).toBeUndefined();
  expect(kill).toMatchObject({ reason: 'test: desk halt', done: true, rounds: 2, errors: [] });
  // The venues' cancel-all goes first, so most orders have ended before the signals go out (the
  // signal path alone is tested below); the TWAP is reached only by its signal.
  expect(kill.ordersSignalled + (kill.alreadyClosed ?? 0)).toBeLessThanOrEqual(ORDERS + 1);
  expect(kill.parentsPaused).toBe(1); // once, though both rounds find the paused TWAP running
  expect(kill.venuesCancelled.map((v) => v.venue).sort()).toEqual([...VENUES].sort());
  for (const v of kill.venuesCancelled) expect(v).toMatchObject({ remaining: 0 });
  // Flatten reads Ordo's ledger, where nothing filled (every order rested): nothing to close.
  expect(kill.flatten).toEqual({ status: 'NOTHING_TO_FLATTEN', orders: [] });

  // No open order of the account at either venue, as each venue itself lists them.
  expect([...(await openOrderIds())]).toEqual([]);
  const finals = await Promise.all(working.map((id) => resultOf(id)));
  const notCancelled = finals.filter((s) => s.status !== 'CANCELLED');
  expect(notCancelled.map((s) => `${s.orderId} ${s.status} ${s.reason ?? ''}`)).toEqual([]);
  // Each ended by the kill: its own signal, or the venue backstop's cancel seen by its follow.
  for (const s of finals) expect(s.reason ?? '').toMatch(/KILL_SWITCH: test: desk halt|CANCELLED_BY_VENUE/);

  const twap = await twapWhen((p) => p.status === 'PAUSED', 'the TWAP paused');
  expect(twap.reason).toMatch(/KILL_SWITCH/);
  const status = await trading.state();
  expect(status).toMatchObject({ state: 'HALTED', reason: 'test: desk halt', running: true });
  expect(status.history.map((h) => h.state)).toEqual(['HALTED']);
});

test('while halted a new order is not sent: TRADING_HALTED', async () => {
  const orderId = uniqueOrderId('halted');
  await ordo.orders.submit(restingBuy(orderId, 'sim', await midOf('BTC/USDT')));
  const final = await resultOf(orderId);
  expect(['DENIED', 'REJECTED']).toContain(final.status);
  expect(final.reason).toMatch(/^TRADING_HALTED: trading is halted \(test: desk halt\)/);
  expect(await simOrdersFor(orderId)).toEqual([]);
  expect(await simOrdersFor(final.clientOrderId)).toEqual([]);
});

test('the submit activity itself refuses while halted: final failure TRADING_HALTED, nothing sent', async () => {
  const gate = createTradingGateFor({
    client: ordo.client,
    registry: probe,
    taskQueue: ordo.taskQueue,
    namespace: 'default',
    controlWorkflowId: ordo.tradingControlId,
  });
  const clientOrderId = `gate-${randomUUID().slice(0, 8)}`;
  const mid = await midOf('BTC/USDT');
  const failure = await createOrderActivities(probe, { gate })
    .submitOrder({
      venue: 'sim',
      order: {
        clientOrderId,
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        quantity: '0.001',
        limitPrice: (mid * 0.8).toFixed(2),
        timeInForce: 'GTC',
      },
    })
    .then(
      () => undefined,
      (err: unknown) => err,
    );
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({ type: 'TRADING_HALTED', nonRetryable: true });
  expect(await simOrdersFor(clientOrderId)).toEqual([]);
  // Without a gate the same activity sends (the refusal above was the gate's).
  const sent = await createOrderActivities(probe).submitOrder({
    venue: 'sim',
    order: {
      clientOrderId,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      quantity: '0.001',
      limitPrice: (mid * 0.8).toFixed(2),
      timeInForce: 'GTC',
    },
  });
  expect(sent.order.state).toBe('open');
  await probe.get('sim').venue.cancelOrder({ symbol: 'BTC/USDT', venueOrderId: sent.order.venueOrderId });
});

test('an order whose workflow started before a halt, sending after it, is not sent', async () => {
  expect((await ordoCli(['resume', '--reason', 'test: reopen'])).exitCode).toBeUndefined();
  const latch = newLatch();
  prepareLatch = latch;
  const orderId = uniqueOrderId('racer');
  const mid = await midOf('ETH/USDT');
  await ordo.orders.submit({ ...restingBuy(orderId, 'sim', mid), symbol: 'ETH/USDT', quantity: '0.01' });
  await latch.wait; // the order workflow is in prepare: started, not sent
  // A plain halt: no kill sweep, so only the checks before sending can stop this order (the order
  // workflow's own, then the submit activity's gate: tested alone above).
  await trading.halt({ reason: 'test: race' });
  expect((await trading.state()).state).toBe('HALTED');
  // Past the gate's shared-read window, so no read from before the halt can serve.
  await sleep(400);
  latch.release();
  const final = await resultOf(orderId);
  expect(['DENIED', 'REJECTED']).toContain(final.status);
  expect(final.reason).toMatch(/^TRADING_HALTED/);
  expect(await simOrdersFor(orderId)).toEqual([]);
  expect(await simOrdersFor(final.clientOrderId)).toEqual([]);
});

test('reduce-only lets a reducing sell through and refuses a buy; resume lets orders through again', async () => {
  expect((await ordoCli(['reduce-only', '--reason', 'test: unwind'])).exitCode).toBeUndefined();
  const mid = await midOf('BTC/USDT');
  const buyId = uniqueOrderId('reduce-buy');
  await ordo.orders.submit(restingBuy(buyId, 'sim', mid));
  const buy = await resultOf(buyId);
  expect(['DENIED', 'REJECTED']).toContain(buy.status);
  expect(buy.reason).toMatch(/^TRADING_REDUCING: .*adds to the position/);
  expect(await simOrdersFor(buyId)).toEqual([]);

  // The spot account holds BTC (its position by default): a small resting sell reduces it.
  const sellId = uniqueOrderId('reduce-sell');
  await ordo.orders.submit({
    ...restingBuy(sellId, 'sim', mid),
    side: 'sell',
    limitPrice: (mid * 1.2).toFixed(2),
  });
  expect((await ordo.orders.waitFor(sellId, (s) => s.status === 'ACCEPTED')).status).toBe('ACCEPTED');
  await ordo.orders.cancel(sellId, 'test cleanup');

  const resumed = await ordoCli(['resume', '--reason', 'test: all clear']);
  expect(resumed).toEqual({ out: 'trading ACTIVE\n', exitCode: undefined });
  const againId = uniqueOrderId('resumed');
  await ordo.orders.submit(restingBuy(againId, 'sim-bybit', mid));
  expect((await ordo.orders.waitFor(againId, (s) => s.status === 'ACCEPTED')).status).toBe('ACCEPTED');
  expect(await openOrderIds()).toContain((await ordo.orders.status(againId)).venueOrderId);
  await ordo.orders.cancel(againId, 'test cleanup');

  const { out } = await ordoCli(['--json', 'trading']);
  const status = JSON.parse(out) as TradingStatus;
  expect(status.state).toBe('ACTIVE');
  expect(status.history.map((h) => [h.state, h.reason])).toEqual([
    ['HALTED', 'test: desk halt'],
    ['ACTIVE', 'test: reopen'],
    ['HALTED', 'test: race'],
    ['REDUCING', 'test: unwind'],
    ['ACTIVE', 'test: all clear'],
  ]);
  expect(status.lastKill?.done).toBe(true);
  // Paused by the kill, the TWAP waits for a person: resuming trading does not restart it.
  expect((await twapWhen(() => true, 'progress')).status).toBe('PAUSED');
  await ordo.client.workflow
    .getHandle(twapId)
    .executeUpdate('cancel', { args: [{ reason: 'test cleanup' }] });
});

test('a command without a reason is refused before anything is sent', async () => {
  await expect(ordoCli(['kill'])).rejects.toMatchObject({ code: 'REASON_REQUIRED' });
  await expect(ordoCli(['kill', '--reason', '   '])).rejects.toMatchObject({ code: 'REASON_REQUIRED' });
  await expect(trading.resume('')).rejects.toMatchObject({ code: 'REASON_REQUIRED' });
  expect((await trading.state()).state).toBe('ACTIVE');
});

test.each(['list', 'batch'] as const)(
  'the signal sweep (%s) reaches exactly the working orders of its task queue',
  async (mode) => {
    const mid = await midOf('BTC/USDT');
    const ids = [uniqueOrderId(`sweep-${mode}`), uniqueOrderId(`sweep-${mode}`)];
    for (const [i, id] of ids.entries()) await ordo.orders.submit(restingBuy(id, VENUES[i] as string, mid));
    await waitForAll(ids, (s) => s.status === 'ACCEPTED', 'the sweep orders ACCEPTED');
    const sweep = await createTradingActivities({
      client: ordo.client,
      registry: probe,
      taskQueue: ordo.taskQueue,
      namespace: 'default',
      controlWorkflowId: ordo.tradingControlId,
      signalMode: mode,
    }).signalWorkingOrders({ reason: `test sweep ${mode}` });
    // Only this worker's task queue: other test files' orders are not touched (nor counted).
    expect(sweep).toMatchObject({ mode, orders: 2, parents: 0, failed: 0 });
    if (mode === 'list') expect(sweep.orderIds?.sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const final = await resultOf(id);
      expect(final.status).toBe('CANCELLED');
      expect(final.reason).toBe(`KILL_SWITCH: test sweep ${mode}`);
    }
  },
);

test('commands that reach a new run before its first task are applied in the order sent', async () => {
  // The run is started on a task queue no worker polls yet, so all six signals land in its first
  // task together (as after a continue-as-new under load); then a worker comes.
  const taskQueue = `${ordo.taskQueue}-late`;
  const id = `trading-control-order-${randomUUID().slice(0, 8)}`;
  const late = new OrdoTrading(ordo.client, taskQueue, id);
  await late.halt({ reason: 'a' });
  await late.resume('b');
  await late.reduceOnly('c');
  await late.halt({ reason: 'd' });
  await late.resume('e');
  await late.halt({ reason: 'f' });
  const connection = await NativeConnection.connect({ address: temporalAddress() });
  try {
    const worker = await Worker.create({
      connection,
      namespace: 'default',
      taskQueue,
      ...(await workflowSource()),
    });
    const status = await worker.runUntil(async () => {
      for (;;) {
        const s = await late.state().catch(() => undefined);
        if (s !== undefined && s.history.length >= 6) return s;
        await sleep(100);
      }
    });
    expect(status.history.map((h) => `${h.state} ${h.reason}`)).toEqual([
      'HALTED a',
      'ACTIVE b',
      'REDUCING c',
      'HALTED d',
      'ACTIVE e',
      'HALTED f',
    ]);
    expect(status).toMatchObject({ state: 'HALTED', reason: 'f' });
  } finally {
    await ordo.client.workflow.getHandle(id).terminate('test done');
    await connection.close();
  }
});

test('the control workflow continues as new and carries its state and history', async () => {
  const id = `trading-control-can-${randomUUID().slice(0, 8)}`;
  const small = new OrdoTrading(ordo.client, ordo.taskQueue, id);
  await ordo.client.workflow.start('tradingControlWorkflow', {
    taskQueue: ordo.taskQueue,
    workflowId: id,
    args: [{ historyEventsLimit: 12 }],
  });
  const firstRun = (await ordo.client.workflow.getHandle(id).describe()).runId;
  const reasons = Array.from({ length: 10 }, (_, i) => `step ${i}`);
  for (const [i, reason] of reasons.entries()) {
    if (i % 2 === 0) await small.reduceOnly(reason);
    else await small.resume(reason);
  }
  const deadline = Date.now() + 20_000;
  while ((await ordo.client.workflow.getHandle(id).describe()).runId === firstRun) {
    if (Date.now() > deadline) throw new Error('the control workflow never continued as new');
    await sleep(100);
  }
  const status = await small.state();
  expect(status.state).toBe('ACTIVE');
  expect(status.history.map((h) => h.reason)).toEqual(reasons);
  await ordo.client.workflow.getHandle(id).terminate('test done');
});

// ---- helpers -----------------------------------------------------------------------------------

function restingBuy(orderId: string, venue: string, mid: number) {
  return {
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.001',
    limitPrice: (mid * 0.8).toFixed(2),
    venue,
  };
}

/** Runs `ordo <args>` in-process against this worker's trading control workflow. */
async function ordoCli(args: string[]): Promise<{ out: string; exitCode: number | undefined }> {
  let out = '';
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    const program = new Command('ordo').option('--json').exitOverride();
    registerTradingCommands(program, {
      write: (text) => {
        out += text;
      },
      connect: async () => ({ trading, close: async () => undefined }),
    });
    await program.parseAsync(args, { from: 'user' });
    const exitCode = process.exitCode === undefined ? undefined : Number(process.exitCode);
    return { out, exitCode };
  } finally {
    process.exitCode = before;
  }
}

/** Every open order of the test's account, by venue order id, as both venues list them. */
async function openOrderIds(): Promise<Set<string>> {
  const lists = await Promise.all(VENUES.map((name) => probe.get(name).venue.fetchOpenOrders()));
  return new Set(lists.flat().map((o) => o.venueOrderId));
}

function resultOf(orderId: string): Promise<OrderState> {
  return ordo.client.workflow.getHandle(orderId).result() as Promise<OrderState>;
}

async function waitForAll(
  ids: string[],
  done: (s: OrderState) => boolean,
  what: string,
  timeoutMs = 120_000,
): Promise<OrderState[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await inBatches(ids, 25, (id) => ordo.orders.status(id));
    const pending = states.filter((s) => !done(s));
    if (pending.length === 0) return states;
    if (Date.now() > deadline || pending.some((s) => isTerminal(s.status))) {
      throw new Error(
        `timed out waiting for ${what}: ${pending.map((s) => `${s.orderId} ${s.status}`).join(', ')}`,
      );
    }
    await sleep(500);
  }
}

async function twapWhen(check: (p: ParentProgress) => boolean, what: string): Promise<ParentProgress> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const progress = await ordo.client.workflow.getHandle(twapId).query(progressQuery);
    if (check(progress)) return progress;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(progress)}`);
    await sleep(200);
  }
}

async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

/**
 * New ETH/USDT orders wait in prepare (the venue's market rules) while a latch is set: the order
 * workflow has started, and has not sent anything.
 */
function holdEthPrepares(venues: VenueRegistry): void {
  const venue = venues.get('sim').venue;
  const marketRules = venue.marketRules.bind(venue);
  venue.marketRules = async (symbol: string) => {
    const latch = prepareLatch;
    if (symbol === 'ETH/USDT' && latch?.held) {
      latch.reached();
      await new Promise<void>((resolve) => latch.onRelease(resolve));
    }
    return marketRules(symbol);
  };
}

type Latch = ReturnType<typeof newLatch>;

function newLatch() {
  let reached!: () => void;
  const wait = new Promise<void>((resolve) => (reached = resolve));
  const waiters: (() => void)[] = [];
  const latch = {
    held: true,
    wait,
    reached: () => reached(),
    onRelease: (fn: () => void) => {
      if (latch.held) waiters.push(fn);
      else fn();
    },
    release: () => {
      latch.held = false;
      for (const fn of waiters.splice(0)) fn();
    },
  };
  return latch;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function logKill(kill: KillReport): void {
  const ms = Date.parse(kill.doneAt ?? '') - Date.parse(kill.requestedAt);
  console.log(
    `kill ${kill.killId}: ${kill.ordersSignalled} orders signalled (${kill.alreadyClosed ?? 0} closed first), ` +
      `${kill.parentsPaused ?? 0} parents, ` +
      `${kill.venuesCancelled.map((v) => `${v.venue} ${v.cancelled} cancelled/${v.alreadyGone} gone`).join(', ')}; ` +
      `done in ${ms} ms (${kill.rounds} rounds, incl. the ${2000} ms settle)`,
  );
}
