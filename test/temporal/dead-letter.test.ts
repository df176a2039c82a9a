/**
 * Dead letter as workflow logic: an order whose venue calls keep failing parks in DEAD_LETTER
 * (state kept, reason recorded, visible to a visibility query) and waits for an operator's
 * `retry` or `abandon`. This file runs its own simulator: its faults must not reach other files.
 */
import type { OrderState } from '../../src/domain/order-state';
import { type RunningSimulator, startSimulator } from '../../src/sim/server';
import type { OrderStatus } from '../../src/domain/status';
import { recordHistory } from '../support/histories';
import { type TestOrdo, startTestOrdo, testWorkerConfig, uniqueOrderId } from '../support/ordo-worker';

jest.setTimeout(90_000);

let sim: RunningSimulator;
let ordo: TestOrdo;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 11, tickMs: 0 });
  // Two attempts per venue call, so retries are spent in about a second.
  ordo = await startTestOrdo(testWorkerConfig({ simulatorUrl: sim.url, maxAttempts: 2 }));
});

afterAll(async () => {
  await ordo?.shutdown();
  await sim?.close();
});

afterEach(async () => {
  await fetch(`${sim.url}/admin/faults`, { method: 'DELETE' });
});

async function setFaults(faults: unknown): Promise<void> {
  const response = await fetch(`${sim.url}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!response.ok) throw new Error(`faults: HTTP ${response.status} ${await response.text()}`);
}

interface SimOrder {
  clientOrderId: string;
  status: string;
}

async function ordersAtVenue(clientOrderId: string): Promise<SimOrder[]> {
  const response = await fetch(`${sim.url}/admin/orders?clientOrderId=${encodeURIComponent(clientOrderId)}`);
  const body = (await response.json()) as SimOrder[] | { orders: SimOrder[] };
  return (Array.isArray(body) ? body : body.orders).filter((o) => o.clientOrderId === clientOrderId);
}

async function untilStatus(orderId: string, status: OrderStatus): Promise<OrderState> {
  const state = await ordo.orders.waitFor(orderId, (s) => s.status === status, 60_000);
  expect(state.status).toBe(status);
  return state;
}

async function listedInDeadLetter(orderId: string): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    const listed = await ordo.orders.list({ status: 'DEAD_LETTER' });
    if (listed.some((o) => o.orderId === orderId)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

const placementFails = { errors: [{ kind: 'internalError', scope: ['@placeOrder'], rate: 1 }] };

test('an unresolved submit parks, is listed, and an operator retry completes it — sent once', async () => {
  await setFaults(placementFails);
  const orderId = uniqueOrderId('dlq-retry');
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    quantity: '0.001',
    venue: 'sim',
  });
  const parked = await untilStatus(orderId, 'DEAD_LETTER');
  expect(parked.reason).toMatch(/^SUBMIT_UNRESOLVED: .*RETRIES_EXHAUSTED|^SUBMIT_UNRESOLVED/);
  expect(parked.history.at(-1)).toMatchObject({ status: 'DEAD_LETTER' });
  expect(await listedInDeadLetter(orderId)).toBe(true);
  await expect(ordo.orders.cancel(orderId)).rejects.toThrow(/ORDER_PARKED/);

  await fetch(`${sim.url}/admin/faults`, { method: 'DELETE' });
  expect(await ordo.orders.retry(orderId, 'venue is back')).toEqual({ accepted: true, status: 'SUBMITTED' });
  const final = (await ordo.client.workflow.getHandle(orderId).result()) as OrderState;
  expect(final.status).toBe('FILLED');
  expect(final.filledQuantity).toBe('0.001');
  expect((await ordersAtVenue(orderId)).filter((o) => o.status === 'FILLED')).toHaveLength(1);
  await recordHistory(ordo.client, orderId, 'dead-letter-retry');
});

test('abandoning an order the venue never received ends it CANCELLED without a venue order', async () => {
  await setFaults(placementFails);
  const orderId = uniqueOrderId('dlq-abandon');
  await ordo.orders.submit({
    orderId,
    symbol: 'ETH/USDT',
    side: 'sell',
    type: 'market',
    quantity: '0.01',
    venue: 'sim',
  });
  await untilStatus(orderId, 'DEAD_LETTER');
  await fetch(`${sim.url}/admin/faults`, { method: 'DELETE' });

  expect(await ordo.orders.abandon(orderId, 'desk decided')).toEqual({ accepted: true, status: 'CANCELLED' });
  const final = (await ordo.client.workflow.getHandle(orderId).result()) as OrderState;
  expect(final.status).toBe('CANCELLED');
  expect(final.reason).toContain('ABANDONED: desk decided');
  expect((await ordersAtVenue(orderId)).filter((o) => o.status !== 'REJECTED')).toEqual([]);
});

test('a live order whose following fails parks; abandon cancels it at the venue', async () => {
  const orderId = uniqueOrderId('dlq-live');
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.001',
    limitPrice: '40000',
    venue: 'sim',
  });
  await untilStatus(orderId, 'ACCEPTED');
  await setFaults({ errors: [{ kind: 'internalError', scope: ['GET /api/v3/order'], rate: 1 }] });
  const parked = await untilStatus(orderId, 'DEAD_LETTER');
  expect(parked.reason).toContain('VENUE_CALL_FAILED');
  expect(parked.venueOrderId).toBeDefined();
  expect(await ordo.orders.retry(orderId)).toEqual({ accepted: true, status: 'ACCEPTED' }); // following again …
  await untilStatus(orderId, 'DEAD_LETTER'); // … which fails again: parked again, nothing lost

  await fetch(`${sim.url}/admin/faults`, { method: 'DELETE' });
  expect(await ordo.orders.abandon(orderId, 'stop it')).toEqual({ accepted: true, status: 'CANCELLED' });
  const [atVenue, ...more] = await ordersAtVenue(orderId);
  expect(more).toEqual([]);
  expect(atVenue?.status).toBe('CANCELED');
  await recordHistory(ordo.client, orderId, 'dead-letter-live-abandon');
});

test('retry and abandon are refused for an order that is not parked', async () => {
  const orderId = uniqueOrderId('dlq-not-parked');
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.001',
    limitPrice: '40000',
    venue: 'sim',
  });
  await untilStatus(orderId, 'ACCEPTED');
  await expect(ordo.orders.retry(orderId)).rejects.toThrow(/ORDER_NOT_PARKED/);
  await expect(ordo.orders.abandon(orderId)).rejects.toThrow(/ORDER_NOT_PARKED/);
  await ordo.orders.cancel(orderId);
});
