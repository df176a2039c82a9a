import { bybitErrors } from './errors';
import type { BybitOrderRef } from './order-lookup';
import type { BybitParams } from './params';

/** The order a cancel or amend names: `orderId` or `orderLinkId` (orderId wins when both are sent). */
export function requiredOrderRef(params: BybitParams): BybitOrderRef {
  const ref = optionalOrderRef(params);
  if (ref === undefined) throw bybitErrors.params('orderId or orderLinkId is required');
  return ref;
}

/** The order a query names, if it names one. */
export function optionalOrderRef(params: BybitParams): BybitOrderRef | undefined {
  const orderId = params.string('orderId');
  if (orderId !== undefined) return { orderId };
  const orderLinkId = params.string('orderLinkId');
  return orderLinkId === undefined ? undefined : { orderLinkId };
}
