/**
 * What orderWorkflow records after each status change (ordo_fill_latency, ordo_slippage_bps,
 * ordo_orders_ended), from the order's state alone: the first fill's latency once per order, in
 * workflow time; slippage once, when an order with fills and an arrival mid ends.
 */
import type { OrderRequest } from '../../../src/domain/order-request';
import {
  type Fill,
  type OrderState,
  newOrderState,
  withFills,
  withStatus,
} from '../../../src/domain/order-state';
import type { OrderStatus } from '../../../src/domain/status';
import { orderMetricValues } from '../../../src/workflows/order-metric-values';

const REQUEST: OrderRequest = {
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  quantity: '1',
  limitPrice: '101',
  timeInForce: 'GTC',
  venue: 'sim',
};

function fill(tradeId: string, quantity: string, price: string): Fill {
  return { tradeId, quantity, price, fee: '0', feeCurrency: 'USDT', timestamp: '2030-01-01T00:00:09.000Z' };
}

/** The values after each step: a status (at second i+1) and the fills seen just before it. */
function walk(
  request: OrderRequest,
  arrivalMid: string | undefined,
  steps: Array<[OrderStatus, Fill[]]>,
): ReturnType<typeof orderMetricValues>[] {
  let state: OrderState = newOrderState('o-1', request, 'o-1', '2030-01-01T00:00:00.000Z');
  if (arrivalMid !== undefined) state = { ...state, arrivalMid };
  return steps.map(([status, fills], i) => {
    state = withStatus(withFills(state, fills), status, `2030-01-01T00:00:0${i + 1}.000Z`);
    return orderMetricValues(state);
  });
}

test('a buy filled in two parts: latency at the first fill only, slippage and the end at FILLED', () => {
  const values = walk(REQUEST, '100', [
    ['SUBMITTED', []],
    ['ACCEPTED', []],
    ['PARTIALLY_FILLED', [fill('t1', '0.5', '100.5')]],
    ['FILLED', [fill('t2', '0.5', '101.5')]],
  ]);
  expect(values).toEqual([
    {},
    {},
    { fillLatencyMs: 3_000 },
    // average 101 against the arrival mid 100: a 100 bp cost
    { ended: 'FILLED', slippageBps: 100 },
  ]);
});

test('a sell below the mid is a cost, above it a gain (negative)', () => {
  const sell = { ...REQUEST, side: 'sell' as const };
  const cost = walk(sell, '100', [
    ['SUBMITTED', []],
    ['FILLED', [fill('t1', '1', '99.5')]],
  ]);
  const gain = walk(sell, '100', [
    ['SUBMITTED', []],
    ['FILLED', [fill('t1', '1', '100.25')]],
  ]);
  expect(cost[1]).toEqual({ ended: 'FILLED', fillLatencyMs: 2_000, slippageBps: 50 });
  expect(gain[1]).toEqual({ ended: 'FILLED', fillLatencyMs: 2_000, slippageBps: -25 });
});

test('filled while a cancel was pending: the latency is due when it ends', () => {
  const values = walk(REQUEST, '100', [
    ['SUBMITTED', []],
    ['ACCEPTED', []],
    ['PENDING_CANCEL', []],
    ['CANCELLED', [fill('t1', '0.25', '100')]],
  ]);
  expect(values[3]).toEqual({ ended: 'CANCELLED', fillLatencyMs: 4_000, slippageBps: 0 });
});

test('nothing filled, or no arrival mid: only the end is counted', () => {
  const unfilled = walk(REQUEST, '100', [
    ['SUBMITTED', []],
    ['ACCEPTED', []],
    ['CANCELLED', []],
  ]);
  expect(unfilled).toEqual([{}, {}, { ended: 'CANCELLED' }]);
  const noMid = walk(REQUEST, undefined, [
    ['SUBMITTED', []],
    ['FILLED', [fill('t1', '1', '101')]],
  ]);
  expect(noMid[1]).toEqual({ ended: 'FILLED', fillLatencyMs: 2_000 });
  expect(walk(REQUEST, undefined, [['DENIED', []]])).toEqual([{ ended: 'DENIED' }]);
});

test('a parked order is not ended; a malformed arrival mid leaves slippage out', () => {
  expect(
    walk(REQUEST, '100', [
      ['SUBMITTED', []],
      ['DEAD_LETTER', []],
    ]),
  ).toEqual([{}, {}]);
  const malformed = walk(REQUEST, 'garbage', [
    ['SUBMITTED', []],
    ['FILLED', [fill('t1', '1', '101')]],
  ]);
  expect(malformed[1]).toEqual({ ended: 'FILLED', fillLatencyMs: 2_000 });
});
