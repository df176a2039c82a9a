/**
 * `ordo tca` on the dev server and the simulator: orders trade for real, then a worker measures
 * them (tcaWorkflow) and the numbers are checked against the fills themselves: the shortfall's
 * components add up to its total, the trading part and the fees are what the fills say, the
 * arrival mid is the one the order kept, and the CLI prints it (or refuses an unknown id, exit 2).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import type { OrderTcaReport } from '../../src/activities/tca-types';
import { OrdoTca, TcaRefusedError } from '../../src/client/tca';
import { Dec, dec } from '../../src/domain/decimal';
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

jest.setTimeout(90_000);

const ORDO = path.join(__dirname, '..', '..', 'bin', 'ordo.js');

let ordo: TestOrdo;
let tca: OrdoTca;

beforeAll(async () => {
  const account = await createSimAccount(TEST_BALANCES);
  ordo = await startTestOrdo(testWorkerConfig({ ...account }));
  tca = new OrdoTca(ordo.client, ordo.taskQueue);
});

afterAll(async () => {
  await ordo?.shutdown();
});

async function resultOf(orderId: string): Promise<OrderState> {
  return (await ordo.client.workflow.getHandle(orderId).result()) as OrderState;
}

function price(value: number): string {
  return value.toFixed(2);
}

/** The shortfall's components add up to its total, in the quote currency and in bps. */
function expectIdentity(r: OrderTcaReport): void {
  for (const unit of ['quote', 'bps'] as const) {
    const c = r.shortfall[unit];
    const sum = dec(c.delay).plus(c.trading).plus(c.opportunity).plus(c.fees);
    expect({ unit, sum: sum.toFixed() }).toEqual({ unit, sum: dec(c.total).toFixed() });
  }
}

/** What the fills say, computed here from the order's own state: s·(Σqp − X·P_a), and fees in USDT. */
function fromFills(state: OrderState, arrival: string) {
  const s = state.request.side === 'buy' ? 1 : -1;
  let filled = new Dec(0);
  let paid = new Dec(0);
  let fees = new Dec(0);
  for (const f of state.fills) {
    filled = filled.plus(f.quantity);
    paid = paid.plus(dec(f.quantity).times(f.price));
    if (f.feeCurrency === 'USDT') fees = fees.plus(f.fee);
    else if (f.feeCurrency === 'BTC') fees = fees.plus(dec(f.fee).times(f.price));
  }
  return { filled, trading: paid.minus(filled.times(arrival)).times(s), fees };
}

function expectConsistentFill(report: OrderTcaReport, state: OrderState): void {
  expect(report).toMatchObject({
    kind: 'order',
    orderId: state.orderId,
    status: 'FILLED',
    fillRate: '1',
    unfilledQuantity: '0',
    filledQuantity: state.filledQuantity,
    averagePrice: state.averagePrice,
  });
  expect(report.fills).toHaveLength(state.fills.length);
  // The arrival mid is the one the order kept, and near what it traded at (a small order on a deep book).
  expect(state.arrivalMid).toBeDefined();
  expect(report.arrivalPrice).toBe(state.arrivalMid);
  const gap = dec(state.averagePrice as string)
    .minus(report.arrivalPrice)
    .abs()
    .dividedBy(report.arrivalPrice);
  expect(gap.lessThan(0.01)).toBe(true);
  // No decision price: the benchmark is the arrival mid, so nothing is lost to delay.
  expect(report.benchmarkPrice).toBe(report.arrivalPrice);
  expect(report.shortfall.quote.delay).toBe('0');
  expect(report.shortfall.quote.opportunity).toBe('0');
  const expected = fromFills(state, report.arrivalPrice);
  expect(dec(report.shortfall.quote.trading).equals(expected.trading)).toBe(true);
  expect(dec(report.shortfall.quote.fees).equals(expected.fees)).toBe(true);
  expectIdentity(report);
  expect(report.latencyMs).toBeGreaterThanOrEqual(0);
  // The order's own trades are public trades of the interval, so the market had a VWAP.
  expect(report.marketTrades).toBeGreaterThanOrEqual(state.fills.length);
  expect(report.marketVwap).toBeDefined();
  const s = state.request.side === 'buy' ? 1 : -1;
  const vwapCost = expected.filled
    .times(dec(state.averagePrice as string).minus(report.marketVwap as string))
    .times(s);
  expect(
    dec(report.vwapPerformance?.quote ?? 'NaN')
      .minus(vwapCost)
      .abs()
      .lessThan('1e-8'),
  ).toBe(true);
}

function runOrdo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, TEMPORAL_ADDRESS: temporalAddress(), ORDO_TASK_QUEUE: ordo.taskQueue };
  return new Promise((resolve) => {
    execFile('node', [ORDO, ...args], { timeout: 30_000, env }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

test('a market buy: the analysis agrees with its fills, and `ordo tca` prints it', async () => {
  const orderId = uniqueOrderId('tca-mkt');
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    quantity: '0.02',
    venue: 'sim',
  });
  const state = await resultOf(orderId);
  expect(state.status).toBe('FILLED');
  const report = await tca.order(orderId);
  expectConsistentFill(report, state);

  const text = await runOrdo(['tca', orderId]);
  expect(text).toMatchObject({ code: 0, stderr: '' });
  expect(text.stdout).toContain(`TCA of order ${orderId}: buy 0.02 BTC/USDT on sim, FILLED`);
  expect(text.stdout).toMatch(new RegExp(`arrival mid +${report.arrivalPrice.replace('.', '\\.')}\\n`));
  expect(text.stdout).toMatch(/fill rate 1\)/);
  expect(text.stdout).toMatch(/ {2}total +\S+ +\S+\n/);

  const json = await runOrdo(['tca', orderId, '--json']);
  expect(json.code).toBe(0);
  const parsed = JSON.parse(json.stdout) as OrderTcaReport;
  expect({ ...parsed, endAt: report.endAt }).toEqual(report); // endAt is fixed: the order ended
});

test('a limit sell that fills: same checks with the sell sign', async () => {
  const orderId = uniqueOrderId('tca-sell');
  const mid = await midOf('BTC/USDT');
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'sell',
    type: 'limit',
    quantity: '0.02',
    limitPrice: price(mid * 0.99), // marketable: it fills at the book's bids
    venue: 'sim',
  });
  const state = await resultOf(orderId);
  expect(state.status).toBe('FILLED');
  expectConsistentFill(await tca.order(orderId), state);
});

test("with the strategy's decision price: the market's move before arrival is the delay cost", async () => {
  const orderId = uniqueOrderId('tca-decided');
  // Canonical decimal text, as Ordo keeps it ("59908.70" comes back "59908.7").
  const decisionPrice = dec(price((await midOf('BTC/USDT')) * 0.999)).toFixed();
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    quantity: '0.01',
    venue: 'sim',
    decisionPrice,
  });
  const state = await resultOf(orderId);
  expect(state.status).toBe('FILLED');
  expect(state.request.decisionPrice).toBe(decisionPrice);
  const report = await tca.order(orderId);
  expect(report).toMatchObject({ decisionPrice, benchmarkPrice: decisionPrice, fillRate: '1' });
  // delay = s·X·(P_a − P_d); trading is still measured from the arrival mid.
  const delay = dec(state.filledQuantity).times(dec(report.arrivalPrice).minus(decisionPrice));
  expect(dec(report.shortfall.quote.delay).equals(delay)).toBe(true);
  expect(report.shortfall.quote.delay).not.toBe('0'); // the decision was 0.1% below the mid
  expect(dec(report.shortfall.quote.trading).equals(fromFills(state, report.arrivalPrice).trading)).toBe(
    true,
  );
  expect(report.paperNotional).toBe(dec('0.01').times(decisionPrice).toFixed());
  expectIdentity(report);
});

test('an order that fills nothing: the whole quantity is opportunity cost, marked at the end price', async () => {
  const orderId = uniqueOrderId('tca-ioc');
  const mid = await midOf('BTC/USDT');
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.01',
    limitPrice: price(mid * 0.8),
    timeInForce: 'IOC',
    venue: 'sim',
  });
  const state = await resultOf(orderId);
  expect(state.status).toBe('EXPIRED');
  const report = await tca.order(orderId);
  expect(report).toMatchObject({ fillRate: '0', filledQuantity: '0', unfilledQuantity: '0.01', fills: [] });
  expect(report.latencyMs).toBeUndefined();
  expect(report.averagePrice).toBeUndefined();
  expect(report.endPrice).toBeDefined();
  expect(['last-trade', 'mid-now']).toContain(report.endPriceSource);
  const opportunity = dec('0.01').times(dec(report.endPrice as string).minus(report.arrivalPrice));
  expect(dec(report.shortfall.quote.opportunity).equals(opportunity)).toBe(true);
  expect(report.shortfall.quote.total).toBe(report.shortfall.quote.opportunity);
  expectIdentity(report);
});

test('a working order is measured up to now, its rest marked at the mid now', async () => {
  const orderId = uniqueOrderId('tca-rest');
  const mid = await midOf('BTC/USDT');
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.01',
    limitPrice: price(mid * 0.8),
    venue: 'sim',
  });
  await ordo.orders.waitFor(orderId, (s) => s.status === 'ACCEPTED');
  const report = await tca.order(orderId);
  await ordo.orders.cancel(orderId, 'test over');
  expect(report).toMatchObject({ status: 'ACCEPTED', fillRate: '0', endPriceSource: 'mid-now' });
  const state = await resultOf(orderId);
  expect(report.arrivalPrice).toBe(state.arrivalMid);
  expect(Date.parse(report.endAt)).toBeGreaterThan(Date.parse(report.requestedAt));
  expectIdentity(report);
});

test('an order denied before it met the venue has no arrival price: NO_ARRIVAL_PRICE', async () => {
  const orderId = uniqueOrderId('tca-denied');
  // Straight to the workflow (the client library would refuse it first): denied on validation.
  const handle = await ordo.client.workflow.start('orderWorkflow', {
    taskQueue: ordo.taskQueue,
    workflowId: orderId,
    args: [{ symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: '-1', venue: 'sim' }],
  });
  expect(((await handle.result()) as OrderState).status).toBe('DENIED');
  await expect(tca.order(orderId)).rejects.toMatchObject({ code: 'NO_ARRIVAL_PRICE' });
});

test('a parent order: its children pooled against its own arrival price', async () => {
  const parentId = uniqueOrderId('tca-twap');
  const handle = await ordo.client.workflow.start('twapWorkflow', {
    taskQueue: ordo.taskQueue,
    workflowId: parentId,
    args: [
      { symbol: 'BTC/USDT', side: 'buy', quantity: '0.02', venue: 'sim', duration: '4s', interval: '2s' },
    ],
  });
  const progress = (await handle.result()) as ParentProgress;
  expect(progress.status).toBe('COMPLETED');
  const childIds = progress.slices.flatMap((s) => (s.childId === undefined ? [] : [s.childId]));
  const children = await Promise.all(childIds.map(resultOf));
  const report = await tca.order(parentId);
  expect(report).toMatchObject({
    kind: 'parent',
    status: 'COMPLETED',
    children: childIds.length,
    arrivalPrice: progress.arrivalPrice,
    filledQuantity: progress.filledQuantity,
    fillRate: '1',
  });
  expect(report.fills).toHaveLength(children.reduce((n, c) => n + c.fills.length, 0));
  expectIdentity(report);
  expect(report.latencyMs).toBeGreaterThanOrEqual(0);
});

test('an unknown order id is refused ORDER_NOT_FOUND; the CLI exits 2 with the code', async () => {
  const orderId = uniqueOrderId('tca-none');
  await expect(tca.order(orderId)).rejects.toThrow(TcaRefusedError);
  await expect(tca.order(orderId)).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
  const run = await runOrdo(['tca', orderId]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(`ORDER_NOT_FOUND: no order ${orderId}`);
  expect(run.stdout).toBe('');
});
