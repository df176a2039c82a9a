/** Orders, contexts and limits the risk rule tests start from: a calm BTC/USDT market at 60000. */
import type { OrderRequest } from '../../../src/domain/order-request';
import type { RiskContext, RiskLimits } from '../../../src/domain/risk';

export const NOW = '2030-01-02T12:00:00.000Z';
export const NOW_MS = Date.parse(NOW);

export const BUY: OrderRequest = {
  orderId: 'o-1',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  quantity: '1',
  limitPrice: '60000',
  timeInForce: 'GTC',
  venue: 'sim',
  strategyId: 'momo',
};

export const SELL: OrderRequest = { ...BUY, side: 'sell' };
export const MARKET_BUY: OrderRequest = order({ type: 'market', limitPrice: undefined });

export function order(overrides: Partial<OrderRequest> = {}): OrderRequest {
  const merged = { ...BUY, ...overrides };
  for (const key of Object.keys(merged) as (keyof OrderRequest)[])
    if (merged[key] === undefined) delete merged[key];
  return merged;
}

/** A context with every field gathered: flat, nothing working, a fresh day, plenty of money. */
export function context(overrides: Partial<RiskContext> = {}): RiskContext {
  return {
    now: NOW,
    mid: '60000',
    position: '0',
    workingBuy: '0',
    workingSell: '0',
    openOrders: 0,
    exposures: {},
    dayStats: { orders: 0, notional: '0' },
    recentOrders: [],
    balances: { USDT: '1000000', BTC: '10' },
    ...overrides,
  };
}

/** Every limit set, none of them near BUY in context(). */
export const LOOSE: RiskLimits = {
  maxOrderQuantity: '10',
  maxOrderNotional: '1000000',
  priceCollarBps: 500,
  maxPosition: '100',
  maxGrossExposure: '10000000',
  maxNetExposure: '10000000',
  maxDailyOrders: 1000,
  maxDailyNotional: '100000000',
  maxOpenOrders: 50,
  duplicateWindowMs: 5000,
  signalTtlMs: 30_000,
  checkBalance: true,
};

export function ago(ms: number): string {
  return new Date(NOW_MS - ms).toISOString();
}
