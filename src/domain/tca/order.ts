/**
 * TCA of one order, and of a parent order from its children's fills. A parent is measured against
 * its own request (its decision price, its arrival mid, its requested quantity): the children are
 * how it was executed, so their fills are pooled and their own arrival mids do not matter here.
 */
import { toDecimalString, weightedAverage } from '../decimal';
import { marketAssets } from '../reconciliation';
import { feesInQuote } from './fees';
import { requireDecimal, requirePositive, requireTime } from './input';
import { firstFill } from './latency';
import { rate } from './math';
import { implementationShortfall } from './shortfall';
import { effectiveSpread } from './spread';
import {
  TcaError,
  type TcaChild,
  type TcaFill,
  type TcaOrderInput,
  type TcaOrderResult,
  type TcaParentInput,
} from './types';
import { againstReference } from './vwap';

function validate(input: TcaOrderInput): void {
  if (input.side !== 'buy' && input.side !== 'sell')
    throw new TcaError('INVALID_TCA_INPUT', `side must be buy or sell, got ${String(input.side)}`);
  const [base, quote] = marketAssets(typeof input.symbol === 'string' ? input.symbol : '');
  if (base === '' || quote === '')
    throw new TcaError('INVALID_TCA_INPUT', `symbol must be BASE/QUOTE, got ${String(input.symbol)}`);
  requirePositive('quantity', input.quantity);
  requirePositive('arrivalMid', input.arrivalMid);
  if (input.decisionPrice !== undefined) requirePositive('decisionPrice', input.decisionPrice);
  if (input.endPrice !== undefined) requirePositive('endPrice', input.endPrice);
  if (input.marketVwap !== undefined) requirePositive('marketVwap', input.marketVwap);
  requireTime('requestedAt', input.requestedAt);
  for (const [i, f] of input.fills.entries()) {
    requirePositive(`fills[${i}].quantity`, f.quantity);
    requirePositive(`fills[${i}].price`, f.price);
    requireDecimal(`fills[${i}].fee`, f.fee);
    if (f.mid !== undefined) requirePositive(`fills[${i}].mid`, f.mid);
  }
}

export function analyseOrder(input: TcaOrderInput): TcaOrderResult {
  validate(input);
  const [base, quoteCurrency] = marketAssets(input.symbol);
  const benchmarkPrice = input.decisionPrice ?? input.arrivalMid;
  const fees = feesInQuote(input.fills, base, quoteCurrency, input.feePrices);
  const { paperNotional, filledQuantity, unfilledQuantity, ...shortfall } = implementationShortfall({
    side: input.side,
    quantity: input.quantity,
    benchmarkPrice,
    arrivalMid: input.arrivalMid,
    ...(input.endPrice === undefined ? {} : { endPrice: input.endPrice }),
    fills: input.fills,
    fees: fees.quote,
  });
  const averagePrice = weightedAverage(input.fills);
  const slippage = againstReference(input.side, input.fills, input.arrivalMid);
  const vwapPerformance =
    input.marketVwap === undefined ? undefined : againstReference(input.side, input.fills, input.marketVwap);
  const spread = effectiveSpread(input.side, input.fills, input.arrivalMid);

  return {
    ...(input.orderId === undefined ? {} : { orderId: input.orderId }),
    symbol: input.symbol,
    side: input.side,
    ...(input.venue === undefined ? {} : { venue: input.venue }),
    ...(input.strategyId === undefined ? {} : { strategyId: input.strategyId }),
    quoteCurrency,
    requestedAt: input.requestedAt,
    requestedQuantity: toDecimalString(input.quantity),
    filledQuantity,
    unfilledQuantity,
    fillRate: rate(filledQuantity, input.quantity),
    ...(averagePrice === undefined ? {} : { averagePrice }),
    arrivalPrice: toDecimalString(input.arrivalMid),
    ...(input.decisionPrice === undefined ? {} : { decisionPrice: toDecimalString(input.decisionPrice) }),
    benchmarkPrice: toDecimalString(benchmarkPrice),
    ...(input.endPrice === undefined ? {} : { endPrice: toDecimalString(input.endPrice) }),
    paperNotional,
    shortfall,
    unconvertedFees: fees.unconverted,
    ...(slippage === undefined ? {} : { slippage }),
    ...(input.marketVwap === undefined ? {} : { marketVwap: toDecimalString(input.marketVwap) }),
    ...(vwapPerformance === undefined ? {} : { vwapPerformance }),
    ...(spread === undefined ? {} : { effectiveSpread: spread }),
    ...firstFill(input.requestedAt, input.fills),
  };
}

/** The parent's TCA: all children's fills against the parent's own request. */
export function analyseParentOrder(parent: TcaParentInput, children: readonly TcaChild[]): TcaOrderResult {
  const fills: TcaFill[] = children.flatMap((c) => c.fills);
  return analyseOrder({ ...parent, fills });
}
