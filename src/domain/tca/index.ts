/**
 * Transaction cost analysis: pure formulas over decimal strings (see each file's comment for the
 * formulas and signs; positive = cost for buys and sells alike).
 */
export * from './types';
export { BPS_DECIMALS, RATE_DECIMALS, bps, sideSign } from './math';
export { feesInQuote } from './fees';
export { implementationShortfall } from './shortfall';
export { againstReference, marketVwap } from './vwap';
export { effectiveSpread } from './spread';
export { firstFill, latencyStats, percentile } from './latency';
export { analyseOrder, analyseParentOrder } from './order';
export { aggregate, dailyStrategySummary, venueComparison } from './summary';
export * from './day';
