/**
 * `ordo tca --day` on the dev server and the simulator: two strategies trade for real (market
 * orders, a TWAP with its children, a resting limit order, an order denied before it met the
 * venue), then a worker lists the day from visibility and measures it (tcaDayWorkflow). The
 * summary counts each order once in the right place, its figures are the per-order TCA's summed,
 * the working order is reported as working, the denied one as not analysed; the CLI prints it.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import type { DayTcaReport } from '../../src/activities/tca-types';
import { OrdoAlgos } from '../../src/client/algos';
import { OrdoTca } from '../../src/client/tca';
import { Dec } from '../../src/domain/decimal';
import type { OrderState } from '../../src/domain/order-state';
import type { ParentProgress } from '../../src/workflows/parent-messages';
import {
  type TestOrdo,
  startTestOrdo,
  temporalAddress,
  testWorkerConfig,
  uniqueOrderId,
} from '../support/ordo-worker';
import { TEST_BALANCES, createSimAccount, midOf } from '../support/simulator-admin';

jest.setTimeout(120_000);

const ORDO = path.join(__dirname, '..', '..', 'bin', 'ordo.js');

let ordo: TestOrdo;
let tca: OrdoTca;
const alpha = uniqueOrderId('alpha');
const beta = uniqueOrderId('beta');
const ids = {
  a1: uniqueOrderId('day-a1'),
  a2: uniqueOrderId('day-a2'),
  twap: uniqueOrderId('day-twap'),
  b1: uniqueOrderId('day-b1'),
  resting: uniqueOrderId('day-rest'),
  denied: uniqueOrderId('day-denied'),
};
let childIds: string[] = [];
let day = '';

beforeAll(async () => {
  const account = await createSimAccount(TEST_BALANCES);
  ordo = await startTestOrdo(testWorkerConfig({ ...account }));
  tca = new OrdoTca(ordo.client, ordo.taskQueue);
  const market = (orderId: string, strategyId: string, side: 'buy' | 'sell') =>
    ordo.orders.submit({
      orderId,
      strategyId,
      side,
      symbol: 'BTC/USDT',
      type: 'market',
      quantity: '0.01',
      venue: 'sim',
    });
  await market(ids.a1, alpha, 'buy');
  await market(ids.a2, alpha, 'buy');
  await market(ids.b1, beta, 'sell');
  await new OrdoAlgos(ordo.client, ordo.taskQueue).start('twap', {
    parentId: ids.twap,
    strategyId: alpha,
    symbol: 'BTC/USDT',
    side: 'buy',
    quantity: '0.02',
    venue: 'sim',
    duration: '4s',
    interval: '2s',
  });
  await ordo.orders.submit({
    orderId: ids.resting,
    strategyId: beta,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.01',
    limitPrice: ((await midOf('BTC/USDT')) * 0.8).toFixed(2),
    venue: 'sim',
  });
  // Denied by the workflow before the venue's mid was known: a market the venue does not list.
  await ordo.orders.submit({
    orderId: ids.denied,
    strategyId: beta,
    symbol: 'NOPE/USDT',
    side: 'buy',
    type: 'market',
    quantity: '1',
    venue: 'sim',
  });
  const result = <T>(id: string) => ordo.client.workflow.getHandle(id).result() as Promise<T>;
  const states = await Promise.all([ids.a1, ids.a2, ids.b1, ids.denied].map((id) => result<OrderState>(id)));
  expect(states.map((s) => s.status)).toEqual(['FILLED', 'FILLED', 'FILLED', 'DENIED']);
  const progress = await result<ParentProgress>(ids.twap);
  expect(progress.status).toBe('COMPLETED');
  childIds = progress.slices.flatMap((s) => (s.childId === undefined ? [] : [s.childId]));
  expect(childIds.length).toBeGreaterThan(0);
  await ordo.orders.waitFor(ids.resting, (s) => s.status === 'ACCEPTED');
  day = (states[0] as OrderState).history[0]?.at.slice(0, 10) ?? '';
});

afterAll(async () => {
  await ordo?.orders.cancel(ids.resting, 'test over').catch(() => undefined);
  await ordo?.shutdown();
});

/** Visibility is eventually consistent: asks again until every order of the test is listed. */
async function dayReport(
  filter: { strategyId?: string; venue?: string },
  listed: number,
): Promise<DayTcaReport> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const report = await tca.day({ date: day, ...filter });
    if (report.counts.listed >= listed || Date.now() > deadline) return report;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function sum(values: ReadonlyArray<string | undefined>): string {
  return values.reduce((s, v) => s.plus(v ?? 'NaN'), new Dec(0)).toFixed();
}

test("one strategy's day: standalone orders and the parent per strategy, children per venue", async () => {
  const report = await dayReport({ strategyId: alpha }, 3 + childIds.length);
  expect(report.counts).toEqual({
    listed: 3 + childIds.length,
    ended: 3 + childIds.length,
    working: 0,
    notAnalysed: 0,
  });
  expect(report.strategies).toHaveLength(1);
  const row = report.strategies[0];
  expect(row).toMatchObject({
    day,
    strategyId: alpha,
    orders: 3,
    filledOrders: 3,
    fillRate: '1',
    quoteCurrency: 'USDT',
  });
  // The day's figures are the orders' own, summed: slippage and shortfall of a1, a2 and the parent.
  const own = await Promise.all([ids.a1, ids.a2, ids.twap].map((id) => tca.order(id)));
  expect(row?.slippage?.quote).toBe(sum(own.map((r) => r.slippage?.quote)));
  expect(row?.shortfall.quote.total).toBe(sum(own.map((r) => r.shortfall.quote.total)));
  expect(row?.requestedNotional).toBe(sum(own.map((r) => r.paperNotional)));
  expect(row?.latencyMs.count).toBe(3);
  // Per venue: the two orders and the parent's children, not the parent.
  expect(report.venues.map((v) => [v.venue, v.orders])).toEqual([['sim', 2 + childIds.length]]);
  const kinds = Object.fromEntries(report.orders.map((o) => [o.orderId, o.parentId ?? o.kind]));
  expect(kinds).toEqual({
    [ids.a1]: 'order',
    [ids.a2]: 'order',
    [ids.twap]: 'parent',
    ...Object.fromEntries(childIds.map((id) => [id, ids.twap])),
  });
});

test('the whole day on the task queue: both strategies, the working order as working, the denied one kept', async () => {
  const listed = 6 + childIds.length;
  const report = await dayReport({}, listed);
  expect(report.counts).toEqual({ listed, ended: 4 + childIds.length, working: 1, notAnalysed: 1 });
  expect(report.strategies.map((s) => [s.strategyId, s.orders])).toEqual([
    [alpha, 3],
    [beta, 1],
  ]);
  expect(report.working).toEqual([
    expect.objectContaining({ orderId: ids.resting, status: 'ACCEPTED', strategyId: beta, fillRate: '0' }),
  ]);
  expect(report.notAnalysed).toEqual([
    expect.objectContaining({ orderId: ids.denied, status: 'DENIED', code: 'NO_ARRIVAL_PRICE' }),
  ]);
  expect(report.venues.map((v) => [v.venue, v.orders])).toEqual([['sim', 3 + childIds.length]]);
});

test('a limit below the day: TOO_MANY_ORDERS; a bad date: INVALID_DATE, before any workflow', async () => {
  await expect(tca.day({ date: day, strategyId: alpha, limit: 2 })).rejects.toMatchObject({
    code: 'TOO_MANY_ORDERS',
  });
  await expect(tca.day({ date: '2026-02-30' })).rejects.toMatchObject({ code: 'INVALID_DATE' });
});

function runOrdo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, TEMPORAL_ADDRESS: temporalAddress(), ORDO_TASK_QUEUE: ordo.taskQueue };
  return new Promise((resolve) => {
    execFile('node', [ORDO, ...args], { timeout: 60_000, env }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

test('`ordo tca --day` prints the tables; --json the report; a bad date exits 2', async () => {
  await dayReport({}, 6 + childIds.length);
  const text = await runOrdo(['tca', '--day', day]);
  expect(text).toMatchObject({ code: 0, stderr: '' });
  expect(text.stdout).toContain(`TCA of ${day} (UTC), task queue ${ordo.taskQueue}: `);
  expect(text.stdout).toMatch(new RegExp(`\\n {2}${alpha} +3 +3 +1 `));
  expect(text.stdout).toMatch(new RegExp(`\\n {2}${beta} +1 +1 +1 `));
  expect(text.stdout).toContain(`  ${ids.resting}  ACCEPTED  ${beta} on sim`);
  expect(text.stdout).toContain(`  ${ids.denied}  DENIED  NO_ARRIVAL_PRICE: `);

  const json = await runOrdo(['--json', 'tca', '--day', day, '--strategy', beta]);
  expect(json.code).toBe(0);
  const parsed = JSON.parse(json.stdout) as DayTcaReport;
  expect(parsed).toMatchObject({ day, strategyId: beta, counts: { listed: 3, ended: 1, working: 1 } });

  const bad = await runOrdo(['tca', '--day', '2026-13-01']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('INVALID_DATE: ');
});
