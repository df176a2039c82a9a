/**
 * Pre-trade risk: `checkRisk` runs every rule against one order, its gathered context and the
 * limits that apply to it, and reports every failed check (in the order of RISK_CODES), each with
 * its reason code and the numbers behind it. Pure and fast (well under a millisecond: see
 * bench/risk-checks.ts); the data comes from the riskCheck activity.
 */
import { Dec, toDecimalString } from '../decimal';
import type { OrderRequest, RequestIssue } from '../order-request';
import { orderFacts } from './facts';
import { RULES } from './rules';
import type { RiskContext, RiskLimits } from './types';

export { NO_RISK_LIMITS, resolveRiskLimits } from './limits';
export { signalHash, signalKey } from './signal-hash';
export * from './types';

export function checkRisk(order: OrderRequest, context: RiskContext, limits: RiskLimits): RequestIssue[] {
  const facts = orderFacts(order, context, limits);
  const issues: RequestIssue[] = [];
  for (const rule of RULES) rule(facts, issues);
  return issues;
}

/** The order's notional as the rules value it (quantity × limit, stop or mid price), if it can be. */
export function orderNotional(order: OrderRequest, mid?: string): string | undefined {
  const price = order.limitPrice ?? order.stopPrice ?? mid;
  return price === undefined ? undefined : toDecimalString(new Dec(order.quantity).times(price));
}
