/**
 * The per-venue circuit breaker: persistent failures (a maintenance window) open it; new orders
 * are then DENIED with VENUE_UNAVAILABLE, or wait (bounded) for it, per configuration; a probe
 * after the cool-down closes it again; working orders keep being tracked throughout. This file
 * runs its own simulator, so its maintenance window does not reach other test files.
 */
import { venueReports } from '../../src/client/venues';
import type { OrderState } from '../../src/domain/order-state';
import { type RunningSimulator, startSimulator } from '../../src/sim/server';
import { type TestOrdo, startTestOrdo, testWorkerConfig, uniqueOrderId } from '../support/ordo-worker';

jest.setTimeout(120_000);

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 21, tickMs: 0 });
});

afterAll(async () => {
  await sim?.close();
});

async function maintenance(forMs: number): Promise<void> {
  const response = await fetch(`${sim.url}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ maintenance: { forMs } }),
  });
  if (!response.ok) throw new Error(`faults: HTTP ${response.status}`);
}

function breakerConfig(whenOpen: 'deny' | 'wait', cooldownMs: number) {
  return testWorkerConfig({
    simulatorUrl: sim.url,
    maxAttempts: 50,
    breaker: { failureThreshold: 3, windowMs: 10_000, cooldownMs, whenOpen, maxWaitMs: 30_000 },
  });
}

const marketBuy = (orderId: string) => ({
  orderId,
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'market',
  quantity: '0.001',
  venue: 'sim',
});

async function resultOf(ordo: TestOrdo, orderId: string): Promise<OrderState> {
  return (await ordo.client.workflow.getHandle(orderId).result()) as OrderState;
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function breakerMode(ordo: TestOrdo): Promise<string | undefined> {
  const reports = await venueReports(ordo.client, ordo.taskQueue);
  return reports.find((r) => r.venue === 'sim')?.mode;
}

test('opens under a maintenance window, denies new orders, tracks working ones, closes after recovery', async () => {
  // A cool-down longer than the maintenance window: the breaker stays open until the venue is seen
  // answering again (by a working order's poll, or the probe).
  const ordo = await startTestOrdo(breakerConfig('deny', 6_000));
  try {
    const resting = uniqueOrderId('cb-resting');
    await ordo.orders.submit({ ...marketBuy(resting), type: 'limit', limitPrice: '40000' });
    expect((await ordo.orders.waitFor(resting, (s) => s.status === 'ACCEPTED')).status).toBe('ACCEPTED');
    expect(await breakerMode(ordo)).toBe('closed');

    await maintenance(3_000);
    // Three orders meet the maintenance at once: three failures open the breaker.
    const first = [1, 2, 3].map((n) => uniqueOrderId(`cb-first-${n}`));
    await Promise.all(first.map((id) => ordo.orders.submit(marketBuy(id))));
    expect(await eventually(async () => (await breakerMode(ordo)) === 'open')).toBe(true);

    // While it is open, a new order is refused at once, without reaching the venue.
    const whileOpen = uniqueOrderId('cb-open');
    await ordo.orders.submit(marketBuy(whileOpen));
    expect((await resultOf(ordo, whileOpen)).history.at(-1)).toMatchObject({
      status: 'DENIED',
      reason: 'VENUE_UNAVAILABLE',
    });

    // The first three retry when the venue said to (Retry-After): each is refused while the breaker
    // is open, or goes through once a working order's poll has shown the venue answers again.
    for (const id of first) {
      const final = await resultOf(ordo, id);
      expect(['DENIED VENUE_UNAVAILABLE', 'FILLED undefined']).toContain(
        `${final.status} ${final.history.at(-1)?.reason}`,
      );
    }

    // After the window and the cool-down, the next order is the probe: it goes through and closes it.
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    const probe = uniqueOrderId('cb-probe');
    await ordo.orders.submit(marketBuy(probe));
    expect((await resultOf(ordo, probe)).status).toBe('FILLED');
    expect(await breakerMode(ordo)).toBe('closed');

    // The order that rested through it all is still tracked, and cancels normally.
    expect(await ordo.orders.cancel(resting)).toEqual({ accepted: true, status: 'CANCELLED' });
  } finally {
    await ordo.shutdown();
  }
});

test('with whenOpen "wait", a new order waits for the breaker and completes after recovery', async () => {
  const ordo = await startTestOrdo(breakerConfig('wait', 1_500));
  try {
    await maintenance(4_000);
    const orderId = uniqueOrderId('cb-wait');
    await ordo.orders.submit(marketBuy(orderId));
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await ordo.orders.status(orderId)).status).toBe('PENDING'); // held, not sent, not denied
    const final = await resultOf(ordo, orderId);
    expect(final.status).toBe('FILLED');
    expect(await breakerMode(ordo)).toBe('closed');
  } finally {
    await ordo.shutdown();
  }
});
