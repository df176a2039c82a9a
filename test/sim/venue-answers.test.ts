/**
 * What the adapter accepts as an order answer (src/venues/ccxt-orders.ts): a garbled answer is an
 * unknown outcome, never a success; ccxt's "closed" for an order that ended short is not a fill.
 * Pure: ccxt order structures as ccxt 4.5.84 parses them, no simulator needed.
 */
import type * as ccxt from 'ccxt';
import { toVenueOrder } from '../../src/venues/ccxt-orders';
import { VenueError } from '../../src/venues/errors';

const answer = (fields: Partial<ccxt.Order>): ccxt.Order =>
  ({
    id: '42',
    clientOrderId: 'c-1',
    symbol: 'BTC/USDT',
    side: 'buy',
    status: 'open',
    amount: 1,
    filled: 0,
    price: 50000,
    trades: [],
    ...fields,
  }) as ccxt.Order;

function refusal(fields: Partial<ccxt.Order>): VenueError {
  try {
    toVenueOrder(answer(fields), 'BTC/USDT', 'v');
  } catch (err) {
    if (err instanceof VenueError) return err;
    throw err;
  }
  throw new Error('expected the answer to be refused');
}

it.each<[string, Partial<ccxt.Order>]>([
  ['no id (ccxt.bybit on a non-JSON 200)', { id: undefined as unknown as string }],
  ['an empty id', { id: '' }],
  ['no amount (a thin answer taken for a full one)', { amount: undefined as unknown as number }],
  ['no status', { status: undefined as unknown as string }],
  ['a status outside ccxt’s set (an unmapped venue word)', { status: 'PartiallyFilledCanceled' }],
])('%s → unknown_outcome BAD_RESPONSE', (_name, fields) => {
  const err = refusal(fields);
  expect([err.action, err.code]).toEqual(['unknown_outcome', 'BAD_RESPONSE']);
});

it.each<[string, Partial<ccxt.Order>, string]>([
  ['closed and fully filled', { status: 'closed', filled: 1 }, 'closed'],
  [
    'closed with less filled (Bybit PartiallyFilledCanceled, GTC)',
    { status: 'closed', filled: 0.4 },
    'canceled',
  ],
  ['closed with less filled, IOC', { status: 'closed', filled: 0.4, timeInForce: 'IOC' }, 'expired'],
  [
    'cancelled IOC that filled nothing (Bybit "Cancelled")',
    { status: 'canceled', timeInForce: 'IOC' },
    'expired',
  ],
  ['cancelled FOK', { status: 'canceled', timeInForce: 'FOK' }, 'expired'],
  ['cancelled GTC', { status: 'canceled', timeInForce: 'GTC' }, 'canceled'],
  ['cancelled post-only', { status: 'canceled', timeInForce: 'PO' }, 'canceled'],
  ['expired (Binance IOC rest)', { status: 'expired', filled: 0.4, timeInForce: 'IOC' }, 'expired'],
  ['open IOC (still matching)', { status: 'open', timeInForce: 'IOC' }, 'open'],
  ['rejected', { status: 'rejected' }, 'rejected'],
])('%s → %s', (_name, fields, state) => {
  expect(toVenueOrder(answer(fields), 'BTC/USDT', 'v').state).toBe(state);
});

it('keeps decimal strings exact and the venue ids', () => {
  const order = toVenueOrder(
    answer({ amount: 0.1, filled: 0.07, average: 60000.1, price: 60000.12 }),
    'X',
    'v',
  );
  expect(order).toMatchObject({
    venueOrderId: '42',
    clientOrderId: 'c-1',
    quantity: '0.1',
    filledQuantity: '0.07',
    averagePrice: '60000.1',
    limitPrice: '60000.12',
  });
});
