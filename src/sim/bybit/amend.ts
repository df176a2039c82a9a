import type { Account } from '../engine/accounts';
import { ZERO, type Decimal } from '../engine/decimal';
import { checkFilters } from '../engine/filters';
import type { Instrument } from '../engine/instrument';
import { crosses } from '../engine/matching';
import { isOpen } from '../engine/order-status';
import type { NewOrderRequest, Order } from '../engine/types';
import type { Simulation } from '../simulation';
import type { PrivateContext } from './endpoint';
import { bybitErrors, fromRejection, type BybitApiError } from './errors';
import { checkOrderSize } from './order-checks';
import { orderChains } from './order-chains';
import { findOrder } from './order-lookup';
import { requiredOrderRef } from './order-ref';
import { executed, orderQty } from './order-view';
import { engineCall, instrumentParam, requireSpot } from './request-helpers';

/**
 * POST /v5/order/amend: change the quantity and/or price of a working limit order, keeping its
 * orderId and orderLinkId, as Bybit does. `qty` is the new total quantity, filled part included.
 *
 * The engine has no in-place amend, so this is a cancel/replace that the client cannot tell
 * apart from an amend: the working engine order is cancelled and a new one, with the same
 * orderLinkId, is placed for the unfilled rest at the new price; OrderChains then shows both as
 * the one Bybit order (same orderId, fills summed). Everything the new order could be refused
 * for is checked first, so an amend either happens completely or not at all, and both steps run
 * synchronously, so nothing trades in between. Differences from Bybit's engine, by construction:
 * the order always loses its queue priority (Bybit keeps it when only the quantity goes down),
 * and the unfilled rest alone must meet the minimum quantity and value (Bybit checks the total).
 */
export function amendOrder(context: PrivateContext): Record<string, string> {
  const { sim, params, account } = context;
  requireSpot(params);
  const instrument = instrumentParam(sim, params);
  const ref = requiredOrderRef(params);
  const newQty = params.decimal('qty');
  const newPrice = params.decimal('price');
  if (['triggerPrice', 'takeProfit', 'stopLoss'].some((name) => params.has(name))) {
    throw bybitErrors.notSupported();
  }
  const order = findOrder(sim, account.id, ref, instrument.symbol);
  if (!order || !isOpen(order.current)) throw bybitErrors.orderNotFound();
  const leg = order.current;
  if ((leg.type !== 'LIMIT' && leg.type !== 'LIMIT_MAKER') || leg.price === undefined) {
    throw bybitErrors.notSupported();
  }

  const filled = executed(sim, order).qty;
  const qty = newQty ?? orderQty(order);
  const price = newPrice ?? leg.price;
  if (qty.eq(orderQty(order)) && price.eq(leg.price)) throw bybitErrors.amendUnchanged();
  if (qty.lte(filled)) throw bybitErrors.amendBelowFilled();
  const sizeFailure = checkOrderSize(
    instrument,
    { market: false, qty, price },
    sim.exchange.lastPrice(leg.symbol),
  );
  if (sizeFailure) throw sizeFailure;

  const replacement: Replacement = {
    accountId: account.id,
    symbol: leg.symbol,
    side: leg.side,
    type: leg.type,
    timeInForce: leg.timeInForce,
    quantity: qty.minus(filled),
    price,
    clientOrderId: leg.clientOrderId,
    selfTradePreventionMode: leg.selfTradePreventionMode,
  };
  const refusal = replacementRefusal(sim, account, instrument, leg, replacement);
  if (refusal) throw refusal;
  engineCall(() => sim.exchange.cancelOrder(account.id, leg.symbol, { orderId: leg.orderId }));
  // Cannot be refused after the checks above; if the engine did refuse, the order stays cancelled
  // (and reads Cancelled), which is consistent, and the client gets the refusal.
  const { order: next } = engineCall(() => sim.exchange.placeOrder(replacement));
  orderChains(sim.exchange).amended(order, next, qty);
  return { orderId: String(order.head.orderId), orderLinkId: order.head.clientOrderId };
}

type Replacement = NewOrderRequest & { quantity: Decimal; price: Decimal };

/** What the engine would refuse the replacement for, once the working leg's funds are released. */
function replacementRefusal(
  sim: Simulation,
  account: Account,
  instrument: Instrument,
  leg: Order,
  replacement: Replacement,
): BybitApiError | undefined {
  const filterFailure = checkFilters(instrument, replacement, sim.exchange.lastPrice(leg.symbol));
  if (filterFailure) return fromRejection(filterFailure);
  if (replacement.type === 'LIMIT_MAKER') {
    const opposite = leg.side === 'BUY' ? sim.exchange.bestAsk(leg.symbol) : sim.exchange.bestBid(leg.symbol);
    if (opposite !== undefined && crosses(leg.side, replacement.price, opposite)) {
      return bybitErrors.postOnlyWouldTake();
    }
  }
  // The same amounts engine/funds.ts locks for a priced order: price × qty quote, or qty base.
  const asset = leg.side === 'BUY' ? instrument.quoteAsset : instrument.baseAsset;
  const needed = leg.side === 'BUY' ? replacement.price.mul(replacement.quantity) : replacement.quantity;
  const released = leg.lockedAsset === asset ? leg.lockedAmount : undefined;
  const available = (account.balances.get(asset)?.free ?? ZERO).plus(released ?? ZERO);
  return account.internal || available.gte(needed) ? undefined : bybitErrors.insufficientBalance();
}
