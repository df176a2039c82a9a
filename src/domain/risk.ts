/**
 * Pre-trade risk checks. A placeholder that passes every order: issue 5 fills it with the real
 * rules (limits, collars, exposure, duplicates, stale signals). It already has its final shape —
 * pure, returning every failed check as a reason — so the workflow does not change then.
 */
import type { OrderRequest, RequestIssue } from './order-request';

export function checkPreTradeRisk(_request: OrderRequest): RequestIssue[] {
  return [];
}
