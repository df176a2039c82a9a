/**
 * `ordo kill --flatten` on the dev server and the simulator, through the client the CLI uses
 * (OrdoTrading.halt + waitForKill): after the cancels, the kill switch closes Ordo's positions —
 * its book in the trades ledger, not the account's balances — with reduce-only market orders of
 * strategy `kill-switch`, exempt from the halt while every other order is still refused.
 *
 * The account holds no BTC but what Ordo buys, and 2 ETH of deposit. Ordo buys 0.0123 BTC (the
 * venue keeps its fee out of the coins: 0.0122877 arrive) and sells 0.5 ETH of the deposit. The
 * flatten sells the BTC the buy left in the account, rounded down to the 0.00001 lot (a sell of
 * the ledger's 0.0123 would fail: those coins are not there), and buys the 0.5 ETH back. Left
 * behind, and checked exactly: BTC dust under one lot, and the ETH the buy-back paid as its fee.
 * The deposit's other 1.5 ETH is never touched: it is not Ordo's position.
 */
import { KILL_SWITCH_STRATEGY } from '../../src/activities/ledger-positions';
import { OrdoTrading } from '../../src/client/trading';
import { add, cmp, mul, roundToStep, sub } from '../../src/domain/decimal';
import { holdingsOf } from '../../src/domain/net-positions';
import type { OrderState } from '../../src/domain/order-state';
import type { LedgerTrade } from '../../src/ledger/types';
import { createVenueRegistry } from '../../src/venues/factory';
import type { VenueRegistry } from '../../src/venues/registry';
import {
  type TestOrdo,
  simulatorUrl,
  startTestOrdoOn,
  testEventSinks,
  testWorkerConfig,
  uniqueOrderId,
} from '../support/ordo-worker';
import { createSimAccount, simOrdersFor } from '../support/simulator-admin';

jest.setTimeout(120_000);

const START = { USDT: '100000', ETH: '2' };
const BTC_LOT = '0.00001';

let ordo: TestOrdo;
let probe: VenueRegistry;
let account: { apiKey: string; secret: string };

beforeAll(async () => {
  account = await createSimAccount(START);
  const config = testWorkerConfig({ ...account });
  probe = createVenueRegistry(config);
  ordo = await startTestOrdoOn(createVenueRegistry(config), testEventSinks(config));
});

afterAll(async () => {
  await ordo?.shutdown();
  await probe?.close();
});

/** The account's total (free + locked) of one asset, as the simulator keeps it. */
async function balance(currency: string): Promise<string> {
  const url = `${simulatorUrl()}/admin/balances?apiKey=${encodeURIComponent(account.apiKey)}`;
  const { balances } = (await (await fetch(url)).json()) as {
    balances: Record<string, { free: string; locked: string }>;
  };
  const b = balances[currency];
  return b === undefined ? '0' : add(b.free, b.locked);
}

function result(orderId: string): Promise<OrderState> {
  return ordo.client.workflow.getHandle(orderId).result() as Promise<OrderState>;
}

async function marketOrder(symbol: string, side: 'buy' | 'sell', quantity: string, strategyId: string) {
  const orderId = uniqueOrderId(`flat-${side}`);
  await ordo.orders.submit({ orderId, symbol, side, type: 'market', quantity, venue: 'sim', strategyId });
  const final = await result(orderId);
  expect(final.status).toBe('FILLED');
  return final;
}

function sum(trades: LedgerTrade[], value: (t: LedgerTrade) => string): string {
  return trades.reduce((total, t) => add(total, value(t)), '0');
}

test('ordo kill --flatten closes Ordo’s positions from the ledger, and only those', async () => {
  await marketOrder('BTC/USDT', 'buy', '0.0123', 'momentum');
  await marketOrder('ETH/USDT', 'sell', '0.5', 'mean-revert');
  const boughtBtc = await ordo.ledger.trades({ symbol: 'BTC/USDT' });
  const btcFee = sum(
    boughtBtc.filter((t) => t.feeCurrency === 'BTC'),
    (t) => t.fee,
  );
  const btcInAccount = await balance('BTC');
  expect(btcInAccount).toBe(sub('0.0123', btcFee));
  // The flatten below must round down: what the buy left is not a whole number of lots.
  expect(cmp(btcFee, 0)).toBe(1);

  const trading = new OrdoTrading(ordo.client, ordo.taskQueue, ordo.tradingControlId);
  const { requestId } = await trading.halt({ reason: 'test: flatten', cancelAll: true, flatten: true });
  const kill = await trading.waitForKill(requestId);
  expect(kill).toMatchObject({ done: true, errors: [] });
  const flatten = kill.flatten;
  if (flatten === undefined || flatten.status !== 'STARTED')
    throw new Error(`flatten: ${JSON.stringify(flatten)}`);

  // One closing order per venue and symbol: BTC sold down to the lot, ETH bought back in full.
  const btcSize = roundToStep(btcInAccount, BTC_LOT, 'down');
  expect(
    flatten.orders.map(({ venue, symbol, side, quantity }) => ({ venue, symbol, side, quantity })),
  ).toEqual([
    { venue: 'sim', symbol: 'BTC/USDT', side: 'sell', quantity: btcSize },
    { venue: 'sim', symbol: 'ETH/USDT', side: 'buy', quantity: '0.5' },
  ]);
  const finals = await Promise.all(flatten.orders.map((o) => result(o.orderId)));
  for (const final of finals) {
    expect(final.status).toBe('FILLED');
    expect(final.request).toMatchObject({
      type: 'market',
      reduceOnly: true,
      strategyId: KILL_SWITCH_STRATEGY,
      decisionId: kill.killId,
    });
    expect(await simOrdersFor(final.clientOrderId)).toHaveLength(1);
  }

  // Ordo's holdings are back to what no order can close, and the account agrees to the satoshi.
  const holdings = holdingsOf(await ordo.ledger.positions({ venue: 'sim' }));
  const btc = holdings.find((h) => h.symbol === 'BTC/USDT');
  const eth = holdings.find((h) => h.symbol === 'ETH/USDT');
  expect(btc?.held).toBe(dust(btcInAccount));
  expect(cmp(btc?.held ?? '1', BTC_LOT)).toBe(-1);
  expect(await balance('BTC')).toBe(btc?.held);
  // The book's BTC quantity is that dust plus the fee the venue kept: coins Ordo never held.
  expect(btc?.quantity).toBe(add(btc?.held ?? '0', btcFee));
  // ETH: the book is flat by quantity; the buy-back's fee came out of the coins bought.
  const buyBack = await ordo.ledger.trades({ orderId: finals[1]?.orderId ?? '' });
  const buyBackFee = sum(
    buyBack.filter((t) => t.feeCurrency === 'ETH'),
    (t) => t.fee,
  );
  expect(eth).toMatchObject({ quantity: '0', held: sub('0', buyBackFee) });
  expect(await balance('ETH')).toBe(add(START.ETH, eth?.held ?? 'x'));
  // USDT moved by exactly what the ledger says was paid and received, fees included.
  const trades = await ordo.ledger.trades({ venue: 'sim' });
  const quoteFlow = sum(trades, (t) => {
    const value = mul(t.size, t.price);
    const fee = t.feeCurrency === 'USDT' ? t.fee : '0';
    return sub(t.direction === 'SELL' ? value : sub('0', value), fee);
  });
  expect(await balance('USDT')).toBe(add(START.USDT, quoteFlow));

  // A second flatten has nothing the venue can trade left: no order, no loop on the dust.
  const again = await trading.waitForKill(
    (await trading.halt({ reason: 'test: flatten again', cancelAll: true, flatten: true })).requestId,
  );
  expect(again.flatten).toMatchObject({ status: 'NOTHING_TO_FLATTEN', orders: [] });
});

test('while halted after the flatten, a normal order is still refused TRADING_HALTED', async () => {
  const orderId = uniqueOrderId('flat-after');
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    quantity: '0.001',
    venue: 'sim',
    strategyId: 'momentum',
  });
  const final = await result(orderId);
  expect(final.status).toBe('DENIED');
  expect(final.reason).toMatch(/^TRADING_HALTED/);
  expect(await simOrdersFor(final.clientOrderId)).toEqual([]);
});

/** What of an amount is below one BTC lot (the part a lot-size order leaves). */
function dust(amount: string): string {
  return sub(amount, roundToStep(amount, BTC_LOT, 'down'));
}
