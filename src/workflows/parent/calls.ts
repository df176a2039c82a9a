/**
 * Activities the parent workflows call. Market data may fail for a while: a few attempts, then
 * the driver decides (wait for the next check, fall back to a flat profile …) instead of
 * wedging the schedule.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { MarketActivities, OrderActivities, TradingActivities } from '../../activities/types';

export const marketCalls = proxyActivities<MarketActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 5 },
});

export const prepareCall = proxyActivities<OrderActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10 },
}).prepareOrder;

export const tradingCalls = proxyActivities<TradingActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 5 },
});
