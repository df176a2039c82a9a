/**
 * Several workers (issue 3, item 7): two Ordo worker PROCESSES poll one task queue.
 *
 *  1. They share the load: each process runs activities (counted per process from the workflow
 *     histories, where every ActivityTaskStarted carries the identity `<pid>@<host>` of the worker
 *     that ran it) and workflow tasks (each process's own log lines carry the order ids it drove).
 *  2. SIGKILL one of them while orders are in flight — it is running venue calls at that moment,
 *     which the test checks from the server's pending-activity view before killing — and the
 *     survivor finishes everything: every order reaches its terminal state, the venue accepted
 *     each client order id once, the workflows' fills equal the venue's trades.
 *
 * Runs on a private simulator (test/support/chaos-sim.ts): the in-flight window is made with
 * injected latency, and faults are venue-wide.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { OrdoOrders } from '../../src/client/orders';
import { fillProblems, outcomeProblems, venueOrderProblems, venueTrades } from '../support/chaos-checks';
import { type Outcome, OrderTracker, collectOutcomes, driveOrders } from '../support/chaos-driver';
import { activitiesRunningOn, mapLimit, summarizeHistory, workerIdentity } from '../support/chaos-history';
import { CHAOS_SYMBOLS, type PlannedOrder, orderRequest, planOrders, rests } from '../support/chaos-orders';
import { type ChaosSimulator, type SimAccount, startChaosSimulator } from '../support/chaos-sim';
import { type ChaosVenues, simulatedVenues } from '../support/chaos-venues';
import { temporalAddress } from '../support/ordo-worker';
import { type WorkerProcess, startWorkerProcess } from '../support/worker-process';

jest.setTimeout(240_000);

let sim: ChaosSimulator;
let account: SimAccount;
let venues: ChaosVenues;
let connection: Connection;
let client: Client;
const workers: WorkerProcess[] = [];

const identityOf = (w: WorkerProcess) => workerIdentity(w.child.pid);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function startWorkers(taskQueue: string, count: number): Promise<WorkerProcess[]> {
  const started = await Promise.all(
    Array.from({ length: count }, () =>
      startWorkerProcess({ temporalAddress: temporalAddress(), taskQueue, config: venues.config }),
    ),
  );
  workers.push(...started);
  return started;
}

/** Order ids that appear in a worker process's own JSON log lines. */
function orderIdsLoggedBy(worker: WorkerProcess, ours: ReadonlySet<string>): Set<string> {
  const ids = new Set<string>();
  for (const line of worker.output().split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { orderId?: unknown; workflowId?: unknown };
      const id = typeof entry.orderId === 'string' ? entry.orderId : entry.workflowId;
      if (typeof id === 'string' && ours.has(id)) ids.add(id);
    } catch {
      // Not a log record (e.g. a partial line): ignore.
    }
  }
  return ids;
}

async function checkEverything(outcomes: Outcome[]): Promise<void> {
  const records = await sim.admin.orders({ apiKey: account.apiKey });
  const trades = await venueTrades(sim.url, account, CHAOS_SYMBOLS);
  expect(outcomeProblems(outcomes)).toEqual([]);
  expect(outcomes.filter((o) => o.state?.status === 'DEAD_LETTER').map((o) => o.plan.orderId)).toEqual([]);
  expect(venueOrderProblems(outcomes, records)).toEqual([]);
  expect(fillProblems(outcomes, records, trades)).toEqual([]);
}

beforeAll(async () => {
  sim = await startChaosSimulator(11);
  connection = await Connection.connect({ address: temporalAddress() });
  client = new Client({ connection, namespace: 'default' });
});

beforeEach(async () => {
  // A fresh account per test: the venue-side checks then see this test's orders and trades only.
  account = await sim.admin.createAccount();
  venues = simulatedVenues({ simulatorUrl: sim.url, account, timeoutMs: 3_000 });
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill('SIGTERM')));
  await sim.admin.clearFaults();
});

afterAll(async () => {
  await connection?.close();
  await sim?.close();
});

test('two worker processes on one task queue both run activities and workflow tasks', async () => {
  const taskQueue = `workers-share-${randomUUID()}`;
  const [a, b] = (await startWorkers(taskQueue, 2)) as [WorkerProcess, WorkerProcess];
  const plans = planOrders({
    count: 40,
    prefix: `share-${randomUUID().slice(0, 8)}`,
    venues: venues.venues,
    seed: 3,
  }).filter((p) => !rests(p.kind));
  const orders = new OrdoOrders(client, taskQueue);
  for (const plan of plans) await orders.submit(orderRequest(plan, await sim.admin.mid(plan.symbol)));

  const tracker = new OrderTracker(client, taskQueue);
  const ids = plans.map((p) => p.orderId);
  await tracker.until(ids, (p) => p !== undefined && !p.running, 90_000);
  const outcomes = await collectOutcomes(client, tracker, plans);
  await checkEverything(outcomes);

  const histories = await mapLimit(ids, 8, (id) => summarizeHistory(client, id));
  const activitiesBy = (w: WorkerProcess) =>
    histories.flatMap((h) => h.activities).filter((r) => r.identity === identityOf(w)).length;
  const workflowTasksBy = (w: WorkerProcess) =>
    histories.flatMap((h) => h.workflowTaskIdentities).filter((i) => i === identityOf(w)).length;
  const ours = new Set(ids);
  const perProcess = [a, b].map((w) => ({
    identity: identityOf(w),
    activities: activitiesBy(w),
    workflowTasks: workflowTasksBy(w),
    ordersInLog: orderIdsLoggedBy(w, ours).size,
  }));
  console.log(`${plans.length} orders on two worker processes:\n${JSON.stringify(perProcess, null, 1)}`);
  const total = histories.flatMap((h) => h.activities).length;
  // Every activity ran on one of the two processes, and each process ran some.
  expect(perProcess.reduce((sum, p) => sum + p.activities, 0)).toBe(total);
  for (const p of perProcess) {
    expect(p.activities).toBeGreaterThan(0);
    expect(p.workflowTasks).toBeGreaterThan(0);
    expect(p.ordersInLog).toBeGreaterThan(0);
  }
});

test('SIGKILL one of two worker processes while orders are in flight: nothing is lost or doubled', async () => {
  const taskQueue = `workers-kill-${randomUUID()}`;
  const [victim, survivor] = (await startWorkers(taskQueue, 2)) as [WorkerProcess, WorkerProcess];
  const plans: PlannedOrder[] = planOrders({
    count: 40,
    prefix: `kill-${randomUUID().slice(0, 8)}`,
    venues: venues.venues,
    seed: 5,
  });
  const ids = plans.map((p) => p.orderId);
  // Every venue answer takes 0.4–1.5 s: the workers always have venue calls in flight.
  await sim.admin.setFaults({ latency: { distribution: 'uniform', minMs: 400, maxMs: 1_500 } });

  let inFlightAtKill: { workflowId: string; activityType: string }[] = [];
  const killWhileBusy = async () => {
    // Wait (bounded) until the victim is running several venue calls, an order submission among
    // them (the call that must never happen twice), then kill it at once.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      inFlightAtKill = await activitiesRunningOn(client, ids, identityOf(victim));
      const submitting = inFlightAtKill.some((a) => a.activityType === 'submitOrder');
      if (submitting && inFlightAtKill.length >= 3) break;
      await sleep(100);
    }
    await victim.kill('SIGKILL');
    console.log(`killed ${identityOf(victim)} running ${JSON.stringify(inFlightAtKill)}`);
    await sim.admin.setFaults({ latency: null });
  };

  const { outcomes } = await driveOrders({
    client,
    taskQueue,
    admin: sim.admin,
    plans,
    submitIntervalMs: 50,
    maxOpen: 30,
    events: [{ beforeOrder: 25, name: 'SIGKILL a worker with venue calls in flight', run: killWhileBusy }],
    phaseTimeoutMs: 60_000,
    log: (m) => console.log(m),
  });

  expect(victim.child.signalCode).toBe('SIGKILL');
  expect(inFlightAtKill.map((a) => a.activityType)).toContain('submitOrder');
  await checkEverything(outcomes);

  // The survivor took over what the victim was doing when it died: the activities it was running
  // finished on the survivor, on a later attempt, after the dead attempt timed out.
  const taken = await mapLimit(inFlightAtKill, 8, async ({ workflowId, activityType }) => {
    const history = await summarizeHistory(client, workflowId);
    return history.activities.some(
      (r) =>
        r.activityType === activityType &&
        r.identity === identityOf(survivor) &&
        r.attempt > 1 &&
        r.lastFailureIsTimeout,
    );
  });
  // An in-flight follow may instead have been cancelled by its workflow (the order changed): the
  // submits and most follows are retried, so at least one takeover must show in the histories.
  expect(taken.some(Boolean)).toBe(true);
  console.log(
    `${taken.filter(Boolean).length} of ${inFlightAtKill.length} in-flight activities retried on the survivor`,
  );
});
