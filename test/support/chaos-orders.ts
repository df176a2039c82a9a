/**
 * The order mix of the resilience tests and the chaos bench: market, limit and IOC orders, buys
 * and sells, on every simulated venue, each with the one terminal status it must reach when
 * nothing is lost and nothing is doubled. Planned from a seed, so a failing run can be replayed.
 *
 * Prices are set relative to the mid when an order is sent, far enough from it that the outcome
 * does not depend on the random walk (it moves ~0.1% in minutes): crossing orders at ±0.3%
 * (beyond the whole market-maker ladder, ~0.1% deep), IOC orders that must miss at ∓1%, resting
 * orders that the test fills by moving the mid through them at ∓2%, resting orders that the test
 * cancels at ∓4% (out of reach of that move).
 */
import type { OrderStatus } from '../../src/domain/status';

export type OrderKind =
  | 'market' // → FILLED
  | 'limit-cross' // GTC limit through the book → FILLED
  | 'limit-rest-fill' // GTC limit that rests; the market is moved through it → FILLED
  | 'limit-rest-cancel' // GTC limit that rests; cancelled through the `cancel` update → CANCELLED
  | 'ioc-cross' // IOC limit through the book → FILLED
  | 'ioc-miss'; // IOC limit away from the book → EXPIRED, nothing filled

export const ORDER_KINDS: readonly OrderKind[] = [
  'market',
  'limit-cross',
  'limit-rest-fill',
  'limit-rest-cancel',
  'ioc-cross',
  'ioc-miss',
];

/** Share of each kind in the mix (sums to 1). */
const KIND_WEIGHTS: Readonly<Record<OrderKind, number>> = {
  market: 0.3,
  'limit-cross': 0.15,
  'limit-rest-fill': 0.15,
  'limit-rest-cancel': 0.1,
  'ioc-cross': 0.15,
  'ioc-miss': 0.15,
};

export const EXPECTED_STATUS: Readonly<Record<OrderKind, OrderStatus>> = {
  market: 'FILLED',
  'limit-cross': 'FILLED',
  'limit-rest-fill': 'FILLED',
  'limit-rest-cancel': 'CANCELLED',
  'ioc-cross': 'FILLED',
  'ioc-miss': 'EXPIRED',
};

/** Orders of these kinds rest at the venue until the test drives them to an end. */
export function rests(kind: OrderKind): boolean {
  return kind === 'limit-rest-fill' || kind === 'limit-rest-cancel';
}

/** Where a limit order's price sits, as a fraction of the mid, for a buy (a sell mirrors it). */
const BUY_PRICE_FACTOR: Readonly<Record<Exclude<OrderKind, 'market'>, number>> = {
  'limit-cross': 1.003,
  'limit-rest-fill': 0.98,
  'limit-rest-cancel': 0.96,
  'ioc-cross': 1.003,
  'ioc-miss': 0.99,
};

/** How far the test moves the mid to fill the `limit-rest-fill` orders (beyond 2%, short of 4%). */
export const FILL_MOVE = 0.03;

interface SymbolSpec {
  symbol: string;
  /** Quantity range in lots, and the lot size's decimals: notional ~60–300 USDT. */
  minLots: number;
  maxLots: number;
  lot: number;
  decimals: number;
}

const SYMBOLS: readonly SymbolSpec[] = [
  { symbol: 'BTC/USDT', minLots: 10, maxLots: 50, lot: 0.0001, decimals: 4 },
  { symbol: 'ETH/USDT', minLots: 20, maxLots: 100, lot: 0.001, decimals: 3 },
  { symbol: 'SOL/USDT', minLots: 5, maxLots: 20, lot: 0.1, decimals: 1 },
];

export const CHAOS_SYMBOLS: readonly string[] = SYMBOLS.map((s) => s.symbol);

export interface PlannedOrder {
  orderId: string;
  kind: OrderKind;
  venue: string;
  symbol: string;
  side: 'buy' | 'sell';
  quantity: string;
}

/** mulberry32: a small seeded PRNG, so the same seed plans the same orders. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` orders, kinds in KIND_WEIGHTS proportions (exactly, rounded), shuffled; venues, symbols
 * and sides alternate so every combination occurs. Order ids are `<prefix>-<n>` (short enough to
 * be the client order id as is, on Binance's and Bybit's rules).
 */
export function planOrders(options: {
  count: number;
  prefix: string;
  venues: readonly string[];
  seed: number;
}): PlannedOrder[] {
  const random = seededRandom(options.seed);
  const kinds: OrderKind[] = [];
  for (const kind of ORDER_KINDS) {
    const n = Math.round(KIND_WEIGHTS[kind] * options.count);
    for (let i = 0; i < n && kinds.length < options.count; i++) kinds.push(kind);
  }
  while (kinds.length < options.count) kinds.push('market');
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j] as OrderKind, kinds[i] as OrderKind];
  }
  return kinds.map((kind, i) => {
    const spec = SYMBOLS[i % SYMBOLS.length] as SymbolSpec;
    const lots = spec.minLots + Math.floor(random() * (spec.maxLots - spec.minLots + 1));
    return {
      orderId: `${options.prefix}-${String(i).padStart(3, '0')}`,
      kind,
      venue: options.venues[Math.floor(i / SYMBOLS.length) % options.venues.length] as string,
      symbol: spec.symbol,
      side: random() < 0.5 ? 'buy' : 'sell',
      quantity: (lots * spec.lot).toFixed(spec.decimals),
    };
  });
}

/** The OrderRequest for a planned order, priced from the current mid. */
export function orderRequest(plan: PlannedOrder, mid: number): Record<string, unknown> {
  const base = {
    orderId: plan.orderId,
    symbol: plan.symbol,
    side: plan.side,
    quantity: plan.quantity,
    venue: plan.venue,
    strategyId: 'chaos',
  };
  if (plan.kind === 'market') return { ...base, type: 'market' };
  const buyFactor = BUY_PRICE_FACTOR[plan.kind];
  const factor = plan.side === 'buy' ? buyFactor : 2 - buyFactor;
  const timeInForce = plan.kind.startsWith('ioc') ? 'IOC' : 'GTC';
  return { ...base, type: 'limit', limitPrice: (mid * factor).toFixed(2), timeInForce };
}
