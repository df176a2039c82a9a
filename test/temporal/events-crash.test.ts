/**
 * Business events across a worker crash: a worker in its own process publishes to a webhook
 * receiver every event type Ordo's orders, positions and trading state produce — ORDER_PLACED,
 * ORDER_FILLED, ORDER_CANCELLED, ORDER_REJECTED (a DENIED order), ORDER_EXPIRED, POSITION_OPENED,
 * POSITION_CLOSED, TRADING_STATE_CHANGED. Mid-way the receiver holds every delivery; the worker is
 * SIGKILLed while it waits on a held POSITION_CLOSED (recordFills, after its insert) and a held
 * TRADING_STATE_CHANGED (the control workflow's publish), and a new worker process takes over.
 *
 * The receiver must end with each fact exactly once by eventId: every expected id present, no
 * other id (a fact derived twice under two ids would show here), the same body each time an id
 * was redelivered, and the right correlation ids.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { OrdoOrders } from '../../src/client/orders';
import { OrdoTrading } from '../../src/client/trading';
import { add, cmp, isZero, sub } from '../../src/domain/decimal';
import { type OrderState, fillKey } from '../../src/domain/order-state';
import type { OrdoEvent } from '../../src/events/types';
import { openLedger } from '../../src/ledger/open-ledger';
import type { LedgerTrade } from '../../src/ledger/types';
import { recordHistory } from '../support/histories';
import { createVenueRegistry } from '../../src/venues/factory';
import {
  startTestOrdoOn,
  temporalAddress,
  testEventSinks,
  testWorkerConfig,
  uniqueOrderId,
} from '../support/ordo-worker';
import { TEST_BALANCES, createSimAccount, midOf } from '../support/simulator-admin';
import { type WebhookReceiver, startWebhookReceiver, webhookEventsConfig } from '../support/webhook-receiver';
import { type WorkerProcess, startWorkerProcess } from '../support/worker-process';

jest.setTimeout(240_000);

const STRATEGY = `events-${randomUUID().slice(0, 8)}`;
const POSITION = `sim/BTC/USDT/${STRATEGY}`;

let receiver: WebhookReceiver;
let client: Client;
let orders: OrdoOrders;
let trading: OrdoTrading;
let worker: WorkerProcess | undefined;
let ledgerDir: string;
/** Trading control workflows the test started: they run for ever unless terminated. */
const controls: string[] = [];

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  const connection = await Connection.connect({ address: temporalAddress() });
  client = new Client({ connection, namespace: 'default' });
  ledgerDir = mkdtempSync(path.join(os.tmpdir(), 'ordo-events-ledger-'));
});

afterAll(async () => {
  for (const id of controls)
    await client.workflow
      .getHandle(id)
      .terminate('test done')
      .catch(() => undefined);
  await worker?.kill('SIGTERM');
  await receiver?.close();
  await client?.connection.close();
  rmSync(ledgerDir, { recursive: true, force: true });
});

async function result(orderId: string): Promise<OrderState> {
  return (await client.workflow.getHandle(orderId).result()) as OrderState;
}

/** The event bodies the receiver got (answered or not), by Idempotency-Key. */
function bodiesByKey(): Map<string, OrdoEvent[]> {
  const byKey = new Map<string, OrdoEvent[]>();
  for (const r of receiver.requests) {
    const key = String(r.headers['idempotency-key']);
    byKey.set(key, [...(byKey.get(key) ?? []), JSON.parse(r.body) as OrdoEvent]);
  }
  return byKey;
}

/** A held (never answered) delivery of an event that satisfies `match`. */
function held(match: (e: OrdoEvent) => boolean): boolean {
  return receiver.requests.some((r) => r.answered === undefined && match(JSON.parse(r.body) as OrdoEvent));
}

/**
 * The position facts of the strategy's trades, worked out here from the ledger's rows (time
 * order, then trade id): a move from flat opens, a move to flat closes, a move through zero does
 * both.
 */
function expectedPositionEvents(trades: LedgerTrade[]): { eventId: string; orderId: string }[] {
  const expected: { eventId: string; orderId: string }[] = [];
  let quantity = '0';
  const ordered = [...trades].sort(
    (a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp) || (a.tradeId < b.tradeId ? -1 : 1),
  );
  for (const t of ordered) {
    const before = quantity;
    quantity = t.direction === 'BUY' ? add(quantity, t.size) : sub(quantity, t.size);
    const flipped = !isZero(before) && !isZero(quantity) && cmp(before, 0) !== cmp(quantity, 0);
    const id = (what: string) => ({
      eventId: `${POSITION}:${what}:${t.orderId}:${t.tradeId}`,
      orderId: t.orderId,
    });
    if ((!isZero(before) && isZero(quantity)) || flipped) expected.push(id('CLOSED'));
    if ((isZero(before) && !isZero(quantity)) || flipped) expected.push(id('OPENED'));
  }
  return expected;
}

test('each event type reaches the webhook exactly once per fact, across a worker SIGKILL', async () => {
  const taskQueue = `events-crash-${randomUUID()}`;
  orders = new OrdoOrders(client, taskQueue);
  // A private trading control workflow: its halt stops nobody else's orders (the worker's submit
  // gate reads the default one), and it runs on this test's worker.
  const controlId = `trading-control-${taskQueue}`;
  trading = new OrdoTrading(client, taskQueue, controlId);
  controls.push(controlId);
  const account = await createSimAccount(TEST_BALANCES);
  const config = {
    ...testWorkerConfig({ ...account }),
    // Long enough that a held delivery is still in flight when the worker is killed.
    events: webhookEventsConfig(receiver.url, { timeoutMs: 60_000 }),
  };
  // One ledger for both worker processes: the retried recordFills finds its rows there.
  const ledgerUrl = `sqlite:${path.join(ledgerDir, 'ledger.sqlite')}`;
  const start = () =>
    startWorkerProcess({ temporalAddress: temporalAddress(), taskQueue, config, ledgerUrl });
  worker = await start();
  const mid = await midOf('BTC/USDT');
  const ids = {
    resting: uniqueOrderId('ev-rest'),
    ioc: uniqueOrderId('ev-ioc'),
    denied: uniqueOrderId('ev-deny'),
    open: uniqueOrderId('ev-open'),
    flip: uniqueOrderId('ev-flip'),
    close: uniqueOrderId('ev-close'),
  };
  const market = (orderId: string, side: 'buy' | 'sell', quantity: string) => ({
    orderId,
    symbol: 'BTC/USDT',
    side,
    type: 'market',
    quantity,
    venue: 'sim',
    strategyId: STRATEGY,
  });

  // Before the crash: a resting limit order, an IOC that cannot fill, a denied order, a long.
  await orders.submit({
    orderId: ids.resting,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.001',
    limitPrice: (mid * 0.8).toFixed(2),
    venue: 'sim',
  });
  await orders.submit({
    orderId: ids.ioc,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.001',
    limitPrice: (mid * 0.8).toFixed(2),
    timeInForce: 'IOC',
    venue: 'sim',
  });
  await orders.submit(market(ids.denied, 'buy', '0.00001')); // below the minimum notional
  await orders.submit(market(ids.open, 'buy', '0.01'));
  expect((await orders.waitFor(ids.resting, (s) => s.status === 'ACCEPTED')).status).toBe('ACCEPTED');
  expect((await result(ids.ioc)).status).toBe('EXPIRED');
  expect((await result(ids.denied)).status).toBe('DENIED');
  expect((await result(ids.open)).status).toBe('FILLED');
  await receiver.waitFor(() => receiver.uniqueEvents().some((e) => e.type === 'POSITION_OPENED'), 30_000);

  // The receiver holds every delivery from here. A sell of twice the long flips it to a short
  // (POSITION_CLOSED + POSITION_OPENED from recordFills, after the insert), and a halt changes
  // the trading state: the worker dies while both deliveries are held.
  receiver.behave({ delayMs: 600_000 });
  await orders.submit(market(ids.flip, 'sell', '0.02'));
  await trading.halt({ reason: 'events crash test' });
  const controlEvents = await controlEventPrefix(client, controlId);
  await receiver.waitFor(
    () =>
      held((e) => e.type === 'POSITION_CLOSED' && e.orderId === ids.flip) &&
      held((e) => e.type === 'TRADING_STATE_CHANGED'),
    30_000,
  );
  await worker.kill('SIGKILL');
  receiver.behave({ delayMs: 0 });

  // A new worker process: the dead worker's activities time out and run again here.
  worker = await start();
  await trading.resume('events crash test done');
  expect((await orders.cancel(ids.resting, 'events crash test')).accepted).toBe(true);
  expect((await result(ids.resting)).status).toBe('CANCELLED');
  expect((await result(ids.flip)).status).toBe('FILLED');
  await orders.submit(market(ids.close, 'buy', '0.01')); // buys the short back: flat
  expect((await result(ids.close)).status).toBe('FILLED');

  // What must have been published, from the orders' final states and the ledger.
  const finals = new Map<string, OrderState>();
  for (const id of Object.values(ids)) finals.set(id, await result(id));
  const expected = new Map<string, { type: string; correlationId: string }>();
  const expectOrder = (id: string, suffix: string, type: string) =>
    expected.set(`${id}:${suffix}`, { type, correlationId: id });
  for (const [id, final] of finals) {
    if (id !== ids.denied) expectOrder(id, 'PLACED', 'ORDER_PLACED');
    for (const f of final.fills) expectOrder(id, `FILLED:${fillKey(f)}`, 'ORDER_FILLED');
  }
  expectOrder(ids.resting, 'CANCELLED', 'ORDER_CANCELLED');
  expectOrder(ids.ioc, 'EXPIRED', 'ORDER_EXPIRED');
  expectOrder(ids.denied, 'DENIED', 'ORDER_REJECTED');
  // The resume's event is the last one out (orders publish theirs before they end).
  await receiver.waitFor(
    () => receiver.uniqueEvents().some((e) => e.eventId === `${controlEvents}2`),
    60_000,
  );
  await worker.kill('SIGTERM'); // closes the ledger file
  worker = undefined;
  const ledger = await openLedger(ledgerUrl);
  let trades: LedgerTrade[];
  try {
    trades = await ledger.trades({ strategyId: STRATEGY });
  } finally {
    await ledger.close();
  }
  const positionFacts = expectedPositionEvents(trades);
  for (const p of positionFacts) {
    const type = p.eventId.includes(':OPENED:') ? 'POSITION_OPENED' : 'POSITION_CLOSED';
    expected.set(p.eventId, { type, correlationId: p.orderId });
  }
  // The trading control's own changes, numbered from 1 within its chain; correlated by its id.
  expected.set(`${controlEvents}1`, { type: 'TRADING_STATE_CHANGED', correlationId: controlId });
  expected.set(`${controlEvents}2`, { type: 'TRADING_STATE_CHANGED', correlationId: controlId });

  // Long opened, long closed, short opened, short closed: four position facts however the
  // venue split the fills.
  expect(positionFacts.map((p) => p.eventId.includes(':OPENED:'))).toEqual([true, false, true, false]);

  // Reconciliation (run at each worker's start-up) reports on its own; its events are not these facts.
  const unique = receiver.uniqueEvents().filter((e) => e.type !== 'RECONCILIATION_MISMATCH');
  // Exactly the expected facts: none missing, none extra (a second id for one fact would show).
  expect(unique.map((e) => e.eventId).sort()).toEqual([...expected.keys()].sort());
  for (const e of unique) {
    expect({ eventId: e.eventId, type: e.type, correlationId: e.correlationId }).toEqual({
      eventId: e.eventId,
      ...expected.get(e.eventId),
    });
  }
  expect(new Set(unique.map((e) => e.type))).toEqual(
    new Set([
      'ORDER_PLACED',
      'ORDER_FILLED',
      'ORDER_CANCELLED',
      'ORDER_REJECTED',
      'ORDER_EXPIRED',
      'POSITION_OPENED',
      'POSITION_CLOSED',
      'TRADING_STATE_CHANGED',
    ]),
  );
  expect(
    unique.filter((e) => e.type === 'TRADING_STATE_CHANGED').map((e) => [e.data['from'], e.data['to']]),
  ).toEqual([
    ['ACTIVE', 'HALTED'],
    ['HALTED', 'ACTIVE'],
  ]);

  // Each key carried its own event, and a redelivered key carried the same event each time.
  const byKey = bodiesByKey();
  for (const [key, bodies] of byKey) {
    for (const body of bodies) expect({ key, body }).toEqual({ key, body: bodies[0] });
    expect(bodies[0]?.eventId).toBe(key);
  }
  // The crash did cause redeliveries (held, then sent again by the new worker).
  const redelivered = [...byKey]
    .filter(([, bodies]) => bodies.length > 1)
    .map(([, bodies]) => bodies[0]?.type);
  expect(redelivered).toEqual(expect.arrayContaining(['POSITION_CLOSED', 'TRADING_STATE_CHANGED']));

  await recordHistory(client, controlId, 'trading-state-events');
});

test('a kill switch does not wait on a held TRADING_STATE_CHANGED delivery; the event still arrives once', async () => {
  const hook = await startWebhookReceiver({ delayMs: 600_000 });
  const account = await createSimAccount(TEST_BALANCES);
  const base = testWorkerConfig({ ...account });
  // Each request gives up after 1 s and is sent again: the receiver holds them all for now.
  const config = { ...base, events: webhookEventsConfig(hook.url, { timeoutMs: 1_000, maxAttempts: 20 }) };
  const ordo = await startTestOrdoOn(createVenueRegistry(config), testEventSinks(config));
  const control = new OrdoTrading(ordo.client, ordo.taskQueue, ordo.tradingControlId);
  controls.push(ordo.tradingControlId);
  try {
    const { requestId } = await control.halt({ reason: 'kill while the webhook hangs', cancelAll: true });
    const killEvents = await controlEventPrefix(ordo.client, ordo.tradingControlId);
    const kill = await control.waitForKill(requestId, 60_000);
    expect(kill.done).toBe(true);
    // The kill is done, and the change's event has not been delivered yet (only held requests).
    await hook.waitFor((requests) => requests.length > 0);
    expect(hook.requests.every((r) => r.answered === undefined)).toBe(true);
    expect(JSON.parse(hook.requests[0]?.body ?? '{}')).toMatchObject({
      eventId: `${killEvents}1`,
      type: 'TRADING_STATE_CHANGED',
      data: { sequence: 1, from: 'ACTIVE', to: 'HALTED', reason: 'kill while the webhook hangs' },
    });

    hook.behave({ delayMs: 0 });
    await control.resume('done');
    await hook.waitFor(() => hook.uniqueEvents().length >= 2, 60_000);
    expect(hook.uniqueEvents().map((e) => [e.eventId, e.data['to']])).toEqual([
      [`${killEvents}1`, 'HALTED'],
      [`${killEvents}2`, 'ACTIVE'],
    ]);
  } finally {
    await ordo.shutdown();
    await hook.close();
  }
});

/** A trading control's event ids: its workflow id and its chain's first run, then the sequence. */
async function controlEventPrefix(client: Client, controlId: string): Promise<string> {
  const described = await client.workflow.getHandle(controlId).describe();
  const firstRunId = described.raw.workflowExecutionInfo?.firstRunId || described.runId;
  return `${controlId}:${firstRunId}:`;
}
