/**
 * What an order keeps once it trades, on the dev server and the simulator: its fills in the trades
 * ledger exactly once, its business events delivered once per fact to a webhook that fails at
 * first, and the pre-trade checks that need data (reduce-only against the position).
 */
import { add, sub } from '../../src/domain/decimal';
import type { OrderState } from '../../src/domain/order-state';
import { createVenueRegistry } from '../../src/venues/factory';
import {
  type TestOrdo,
  simulatorUrl,
  startTestOrdoOn,
  testEventSinks,
  testWorkerConfig,
  uniqueOrderId,
} from '../support/ordo-worker';
import { TEST_BALANCES, createSimAccount } from '../support/simulator-admin';
import { type WebhookReceiver, startWebhookReceiver, webhookEventsConfig } from '../support/webhook-receiver';

jest.setTimeout(90_000);

let ordo: TestOrdo;
let receiver: WebhookReceiver;
let account: { apiKey: string; secret: string };

beforeAll(async () => {
  account = await createSimAccount(TEST_BALANCES);
  receiver = await startWebhookReceiver();
  const config = testWorkerConfig({ ...account });
  const withWebhook = { ...config, events: webhookEventsConfig(receiver.url) };
  ordo = await startTestOrdoOn(createVenueRegistry(withWebhook), testEventSinks(withWebhook));
});

afterAll(async () => {
  await ordo?.shutdown();
  await receiver?.close();
});

async function balance(currency: string): Promise<string> {
  const url = `${simulatorUrl()}/admin/balances?apiKey=${encodeURIComponent(account.apiKey)}`;
  const { balances } = (await (await fetch(url)).json()) as {
    balances: Record<string, { free: string; locked: string }>;
  };
  const b = balances[currency];
  return b === undefined ? '0' : add(b.free, b.locked);
}

async function result(orderId: string): Promise<OrderState> {
  return (await ordo.client.workflow.getHandle(orderId).result()) as OrderState;
}

test('fills go to the ledger once and positions match the venue balances', async () => {
  const before = await balance('BTC');
  const orderId = uniqueOrderId('books-mkt');
  receiver.behave({ failNext: 2 }); // the first deliveries fail: retried, still once per fact
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    quantity: '0.02',
    venue: 'sim',
  });
  const final = await result(orderId);
  expect(final.status).toBe('FILLED');

  const trades = await ordo.ledger.trades({ orderId });
  expect(trades.map((t) => t.venueTradeId).sort()).toEqual(final.fills.map((f) => f.tradeId).sort());
  expect(trades.reduce((sum, t) => add(sum, t.size), '0')).toBe('0.02');
  expect(trades.every((t) => t.direction === 'BUY' && t.clientOrderId === final.clientOrderId)).toBe(true);

  const [position] = await ordo.ledger.positions({ symbol: 'BTC/USDT', venue: 'sim' });
  const feesInBtc = trades.filter((t) => t.feeCurrency === 'BTC').reduce((sum, t) => add(sum, t.fee), '0');
  const after = await balance('BTC');
  expect(sub(position?.quantity ?? '0', feesInBtc)).toBe(sub(after, before));

  await receiver.waitFor(() =>
    receiver.uniqueEvents().some((e) => e.orderId === orderId && e.type === 'ORDER_FILLED'),
  );
  // The order's own events (its POSITION_OPENED comes from the ledger: events-crash.test.ts).
  const events = receiver.uniqueEvents().filter((e) => e.orderId === orderId && e.type.startsWith('ORDER_'));
  expect(events.map((e) => e.type)).toEqual(['ORDER_PLACED', ...final.fills.map(() => 'ORDER_FILLED')]);
  // Retried deliveries carried the same key: more requests than facts, one kept per key.
  const keys = receiver.requests.map((r) => r.headers['idempotency-key']);
  expect(new Set(keys).size).toBeLessThan(keys.length);
});

test('a cancelled order publishes placed then cancelled, and records nothing', async () => {
  const orderId = uniqueOrderId('books-lmt');
  await ordo.orders.submit({
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.01',
    limitPrice: '30000',
    venue: 'sim',
  });
  await ordo.orders.waitFor(orderId, (s) => s.status === 'ACCEPTED');
  await ordo.orders.cancel(orderId, 'test');
  expect((await result(orderId)).status).toBe('CANCELLED');
  await receiver.waitFor(() =>
    receiver.uniqueEvents().some((e) => e.orderId === orderId && e.type === 'ORDER_CANCELLED'),
  );
  expect(
    receiver
      .uniqueEvents()
      .filter((e) => e.orderId === orderId)
      .map((e) => e.type),
  ).toEqual(['ORDER_PLACED', 'ORDER_CANCELLED']);
  expect(await ordo.ledger.trades({ orderId })).toEqual([]);
});

test('a reduce-only order that would open a position is denied, and says so as ORDER_REJECTED', async () => {
  const orderId = uniqueOrderId('books-ro');
  // The account holds no SOL short to buy back: a reduce-only buy can only increase exposure.
  await ordo.orders.submit({
    orderId,
    symbol: 'SOL/USDT',
    side: 'buy',
    type: 'market',
    quantity: '1',
    reduceOnly: true,
    venue: 'sim',
  });
  const final = await result(orderId);
  expect(final.status).toBe('DENIED');
  expect(final.reason).toMatch(/REDUCE_ONLY/);
  await receiver.waitFor(() => receiver.uniqueEvents().some((e) => e.orderId === orderId));
  const [event] = receiver.uniqueEvents().filter((e) => e.orderId === orderId);
  expect(event?.type).toBe('ORDER_REJECTED');
  expect(event?.data).toMatchObject({ status: 'DENIED' });
});
