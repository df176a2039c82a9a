/** Human-readable output of the CLI (the --json output is the data itself). */
import type { OrderState } from '../domain/order-state';
import type { OrderSummary } from './orders';

export function formatOrderState(s: OrderState): string {
  const r = s.request;
  const price = r.limitPrice === undefined ? '' : ` @ ${r.limitPrice}`;
  const lines = [
    `${s.orderId}  ${s.status}${s.reason ? ` (${s.reason})` : ''}`,
    `  ${r.side} ${r.quantity} ${r.symbol} ${r.type}${price} ${r.timeInForce} on ${r.venue}`,
    `  filled ${s.filledQuantity}, remaining ${s.remainingQuantity}${s.averagePrice ? `, average ${s.averagePrice}` : ''}`,
    `  client order id ${s.clientOrderId}${s.venueOrderId ? `, venue order id ${s.venueOrderId}` : ''}`,
    ...s.history.map((h) => `  ${h.at}  ${h.status}${h.reason ? `  ${h.reason}` : ''}`),
  ];
  return lines.join('\n');
}

export function formatOrderList(list: OrderSummary[]): string {
  if (list.length === 0) return 'no orders';
  return list
    .map((o) =>
      [o.orderId, o.status ?? '-', o.side ?? '-', o.symbol ?? '-', o.venue ?? '-', o.startedAt].join('  '),
    )
    .join('\n');
}
