/**
 * The signal hash: one order's identity as a trading signal — strategy, symbol, side and quantity.
 * Two orders with the same hash within the duplicate window are the same signal fired twice.
 * Pure JavaScript (no node:crypto), because workflow code imports the domain: a 64-bit
 * non-cryptographic hash (two 32-bit lanes, cyrb53-style) is plenty to tell recent signals apart.
 */
import { toDecimalString } from '../decimal';
import type { OrderRequest } from '../order-request';

/** The canonical text the hash is taken of (quantities compared as numbers: "1.0" = "1"). */
export function signalKey(order: Pick<OrderRequest, 'strategyId' | 'symbol' | 'side' | 'quantity'>): string {
  return [order.strategyId ?? '', order.symbol, order.side, toDecimalString(order.quantity)].join('\u001f');
}

export function signalHash(order: Pick<OrderRequest, 'strategyId' | 'symbol' | 'side' | 'quantity'>): string {
  return `sig-${hash64(signalKey(order))}`;
}

function hash64(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}
