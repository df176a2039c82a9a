/**
 * Chaos (issue 3): 200 orders — market, GTC limit (crossing, resting then filled, resting then
 * cancelled) and IOC (crossing, missing), buys and sells, on every simulated venue of the default
 * configuration — through two worker processes while the venue throws ~20% transient errors,
 * answers 10% of order placements only after the client gave up, drops connections, and has two
 * 429 bursts; one worker process is SIGKILLed mid-run and started again.
 *
 * Then:
 *  - every order reached the terminal status its kind must reach (filled in full, cancelled or
 *    expired with nothing filled), or is parked in DEAD_LETTER with a reason — and parking is
 *    rare (≤ 1%): at 20% errors a 12-attempt budget per venue call is next to never spent;
 *  - no client order id was accepted twice by the venue, no two live/done venue orders share one;
 *  - the fills the workflows recorded are exactly the account's trades at the venue (trade ids
 *    and quantities, via GET /api/v3/myTrades through ccxt with the account's keys).
 *
 * A private simulator (faults are venue-wide, so they must not reach other test files) and a
 * fresh account on it. Every wait is bounded (chaos-driver.ts, 330 s in all): the file takes
 * 30–70 s on 2 cores when Ordo copes; orders that stall show up as failures, with what their
 * workflows were doing, not as a jest timeout. CHAOS_SEED and CHAOS_VENUE_OVERRIDES (below)
 * vary the run.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { fillProblems, outcomeProblems, venueOrderProblems, venueTrades } from '../support/chaos-checks';
import { type Outcome, driveOrders } from '../support/chaos-driver';
import {
  CHAOS_CCXT_TIMEOUT_MS,
  DROP_AFTER_ACCEPT,
  chaosFaults,
  rateLimitBurst,
} from '../support/chaos-faults';
import {
  type InFlightActivity,
  activitiesRunningOn,
  mapLimit,
  pendingActivitiesOf,
  summarizeHistory,
  workerIdentity,
} from '../support/chaos-history';
import { CHAOS_SYMBOLS, planOrders } from '../support/chaos-orders';
import { type ChaosSimulator, type SimAccount, startChaosSimulator } from '../support/chaos-sim';
import { simulatedVenues } from '../support/chaos-venues';
import { temporalAddress } from '../support/ordo-worker';
import { type WorkerProcess, startWorkerProcess } from '../support/worker-process';

jest.setTimeout(420_000);

const ORDERS = 200;
/** Seeds the order plan, the fault draws and the market; CHAOS_SEED=n explores other runs. */
const SEED = Number(process.env['CHAOS_SEED'] ?? 42);
/**
 * Extra settings for every venue, as JSON, to look at one thing at a time — e.g. with the retry
 * budget and the breaker out of the way:
 *   CHAOS_VENUE_OVERRIDES='{"maxAttempts":1000,"breaker":{"failureThreshold":1000000}}'
 * The default (none) is the shipped configuration, which is what the test is about.
 */
const VENUE_OVERRIDES = JSON.parse(process.env['CHAOS_VENUE_OVERRIDES'] ?? '{}') as Record<string, unknown>;

let sim: ChaosSimulator;
let account: SimAccount;
let connection: Connection;
let client: Client;
const workers: WorkerProcess[] = [];
const identityOf = (w: WorkerProcess) => workerIdentity(w.child.pid);

beforeAll(async () => {
  sim = await startChaosSimulator(SEED);
  account = await sim.admin.createAccount();
  connection = await Connection.connect({ address: temporalAddress() });
  client = new Client({ connection, namespace: 'default' });
});

afterAll(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill('SIGTERM')));
  await connection?.close();
  await sim?.close();
});

function summarize(outcomes: readonly Outcome[]): string {
  const count = new Map<string, number>();
  for (const o of outcomes) {
    const key = `${o.plan.kind} on ${o.plan.venue} → ${o.state?.status ?? 'no state'}`;
    count.set(key, (count.get(key) ?? 0) + 1);
  }
  return [...count.entries()]
    .sort()
    .map(([key, n]) => `  ${String(n).padStart(3)}  ${key}`)
    .join('\n');
}

test(`${ORDERS} orders under transient errors, timeouts after accept, 429 bursts and a worker SIGKILL`, async () => {
  const { config, venues } = simulatedVenues({
    simulatorUrl: sim.url,
    account,
    timeoutMs: CHAOS_CCXT_TIMEOUT_MS,
    overrides: VENUE_OVERRIDES,
  });
  if (!venues.includes('sim-bybit'))
    console.warn(
      `no venue sim-bybit in config/venues.json yet: the chaos mix runs on ${venues.join(', ')} only`,
    );
  const taskQueue = `chaos-${randomUUID()}`;
  const start = () => startWorkerProcess({ temporalAddress: temporalAddress(), taskQueue, config });
  const [first, second] = await Promise.all([start(), start()]);
  workers.push(first, second);

  const plans = planOrders({
    count: ORDERS,
    prefix: `chaos-${randomUUID().slice(0, 8)}`,
    venues,
    seed: SEED,
  });
  await sim.admin.setFaults(chaosFaults(SEED));
  let restarted: Promise<WorkerProcess> | undefined;
  let inFlightAtKill: InFlightActivity[] = [];

  const { outcomes, timeline } = await driveOrders({
    client,
    taskQueue,
    admin: sim.admin,
    plans,
    submitIntervalMs: 60,
    maxOpen: 40,
    phaseTimeoutMs: 90_000,
    submitPhaseMs: 150_000,
    totalTimeoutMs: 330_000, // leaves the checks time within jest's 420 s
    log: (m) => console.log(m),
    events: [
      {
        beforeOrder: 50,
        name: '429 burst on order placements (25 in a row)',
        run: async () => void (await sim.admin.setFaults(rateLimitBurst(['@placeOrder'], 25))),
      },
      {
        beforeOrder: 100,
        name: 'SIGKILL one worker process while it runs venue calls (started again at once)',
        run: async () => {
          // Kill it while it is doing something (bounded wait): the point is losing work in flight.
          const deadline = Date.now() + 10_000;
          const submittedSoFar = plans.slice(0, 100).map((p) => p.orderId);
          for (;;) {
            inFlightAtKill = await activitiesRunningOn(client, submittedSoFar, identityOf(first));
            if (inFlightAtKill.length > 0 || Date.now() > deadline) break;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          await first.kill('SIGKILL');
          console.log(`killed ${identityOf(first)} running ${JSON.stringify(inFlightAtKill)}`);
          // Started in the background: orders keep flowing to the other worker meanwhile.
          restarted = start();
          restarted.then((w) => workers.push(w)).catch(() => undefined);
        },
      },
      {
        beforeOrder: 125,
        name: 'timeouts after accept now drop the connection',
        run: async () => void (await sim.admin.setFaults(DROP_AFTER_ACCEPT)),
      },
      {
        beforeOrder: 150,
        name: '429 burst on every signed request (40 in a row)',
        run: async () => void (await sim.admin.setFaults(rateLimitBurst(['@signed'], 40))),
      },
    ],
  });
  // Orders that did not end: what their workflow is doing, and what the venue says (read now,
  // while the faults are still on, so nothing moves in between).
  const unfinished = outcomes.filter((o) => !o.ended);
  for (const o of unfinished) {
    const pending = await pendingActivitiesOf(client, o.plan.orderId).catch((e: unknown) => [String(e)]);
    const atVenue = await sim.admin.orders({ clientOrderId: o.state?.clientOrderId ?? o.plan.orderId });
    console.log(
      `unfinished ${o.plan.orderId} (${o.plan.kind} on ${o.plan.venue}): Ordo ${o.state?.status ?? '?'} ` +
        `${o.state?.reason ?? ''}; pending ${JSON.stringify(pending)}; venue ${JSON.stringify(
          atVenue.map((r) => ({ status: r.status, executedQty: r.executedQty, fault: r.fault })),
        )}`,
    );
  }
  const faultsFired = await sim.admin.faults();
  await sim.admin.clearFaults();
  expect(restarted).toBeDefined();
  await expect(restarted).resolves.toBeDefined(); // the restarted worker came up
  expect(first.child.signalCode).toBe('SIGKILL');
  expect(inFlightAtKill.length).toBeGreaterThan(0); // it died with venue calls in flight

  // Venue-side truth, read without faults.
  const records = await sim.admin.orders({ apiKey: account.apiKey });
  const trades = await venueTrades(sim.url, account, CHAOS_SYMBOLS);
  const histories = await mapLimit(
    outcomes.map((o) => o.plan.orderId),
    8,
    (id) => summarizeHistory(client, id),
  );
  const attempts = histories.map((h) => h.activities.reduce((sum, a) => sum + a.attempt, 0));
  const retried = histories.flatMap((h) => h.activities).filter((a) => a.attempt > 1).length;
  const parked = outcomes.filter((o) => o.state?.status === 'DEAD_LETTER');
  console.log(
    [
      `chaos (seed ${SEED}): ${ORDERS} orders on ${venues.join(', ')}; timeline ${JSON.stringify(timeline)}`,
      `outcomes:\n${summarize(outcomes)}`,
      `parked in DEAD_LETTER: ${parked.map((o) => `${o.plan.orderId} (${o.state?.reason ?? ''})`).join('; ') || 'none'}`,
      `activity attempts per order: mean ${(attempts.reduce((a, b) => a + b, 0) / attempts.length).toFixed(2)}, max ${Math.max(...attempts)}; ${retried} activities needed more than one attempt`,
      `venue: ${records.length} placement requests, ${records.filter((r) => r.orderId !== null).length} accepted; ${trades.length} trades`,
      `faults fired: ${JSON.stringify(faultsFired)}`,
    ].join('\n'),
  );

  expect(outcomeProblems(outcomes)).toEqual([]);
  // DEAD_LETTER is for retries exhausted; with a per-call budget of 12 attempts, a 20% error rate
  // exhausts it for about one call in a million: parking must stay rare (≤ 1% of the orders).
  expect(parked.length).toBeLessThanOrEqual(Math.floor(ORDERS / 100));
  expect(venueOrderProblems(outcomes, records)).toEqual([]);
  expect(fillProblems(outcomes, records, trades)).toEqual([]);
  // The chaos really happened: order requests were faulted at the venue, and activities retried.
  expect(records.some((r) => r.fault !== undefined)).toBe(true);
  expect(retried).toBeGreaterThan(0);
});
