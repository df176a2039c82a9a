/**
 * Pre-trade risk checks. `checkPreTradeRisk` is what the order workflow calls today: a placeholder
 * that passes every order, in its final shape (pure, returning every failed check as a reason).
 * The real rules live in ./risk/ (`checkRisk`, run by the riskCheck activity, which gathers the
 * market, position and bookkeeping data they need); they are re-exported here.
 */
import type { OrderRequest, RequestIssue } from './order-request';

export * from './risk/index';

export function checkPreTradeRisk(_request: OrderRequest): RequestIssue[] {
  return [];
}
