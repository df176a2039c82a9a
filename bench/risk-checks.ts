/**
 * Pre-trade risk check time per order: the pure rules (checkRisk) with every limit of
 * config/venues.json's demo block set, over 100 000 varied orders with a realistic context
 * (a position, working orders, exposures in other symbols, a busy strategy day, recent signal
 * hashes, balances). Baseline, same run, same orders: validateOrderRequest, which every order
 * already passes through. Prints p50/p90/p99 per order in microseconds and the ratio of medians.
 *
 *   node --require tsx/cjs bench/risk-checks.ts [orders]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type OrderRequest, validateOrderRequest } from '../src/domain/order-request';
import {
  checkRisk,
  resolveRiskLimits,
  signalHash,
  type RiskContext,
  type RiskLimits,
} from '../src/domain/risk/index';
import { parseWorkerConfig } from '../src/workers/config';
import { percentile } from './stats';

const ORDERS = Number(process.argv[2] ?? 100_000);
const WARM_UP = 10_000;
const NOW = Date.parse('2030-01-02T12:00:00.000Z');

const MARKETS = [
  { symbol: 'BTC/USDT', mid: 60_000, lot: 0.001, position: '10' },
  { symbol: 'ETH/USDT', mid: 3_000, lot: 0.01, position: '200' },
  { symbol: 'SOL/USDT', mid: 150, lot: 0.1, position: '5000' },
] as const;

/** A deterministic pseudo-random sequence (the same orders every run). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Raw order inputs as a client sends them: limit, market and stop-limit, both sides, a few reduce-only. */
function rawOrders(count: number): Record<string, unknown>[] {
  const next = random(42);
  const orders: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const market = MARKETS[i % MARKETS.length] as (typeof MARKETS)[number];
    const side = next() < 0.5 ? 'buy' : 'sell';
    const quantity = (Math.ceil(next() * 50) * market.lot).toFixed(3);
    const away = (next() - 0.5) * 0.04; // within ±2% of the mid
    const price = (market.mid * (1 + away)).toFixed(2);
    const kind = next();
    const order: Record<string, unknown> = {
      orderId: `bench-${i}`,
      symbol: market.symbol,
      side,
      quantity,
      venue: 'sim',
      strategyId: `strategy-${i % 7}`,
      decisionTime: new Date(NOW - Math.floor(next() * 70_000)).toISOString(),
    };
    if (kind < 0.6) Object.assign(order, { type: 'limit', limitPrice: price });
    else if (kind < 0.85) Object.assign(order, { type: 'market' });
    else Object.assign(order, { type: 'stop_limit', limitPrice: price, stopPrice: price });
    if (side === 'sell' && next() < 0.1) order['reduceOnly'] = true;
    orders.push(order);
  }
  return orders;
}

/** What the riskCheck activity would have gathered for an order on the simulator's account. */
function contextFor(order: OrderRequest): RiskContext {
  const others: Record<string, string> = {};
  let mid = '0';
  for (const m of MARKETS) {
    if (m.symbol === order.symbol) mid = String(m.mid);
    else others[m.symbol] = String(Number(m.position) * m.mid);
  }
  const position = MARKETS.find((m) => m.symbol === order.symbol)?.position ?? '0';
  return {
    now: new Date(NOW).toISOString(),
    mid,
    position,
    workingBuy: '1.5',
    workingSell: '0.7',
    openOrders: 40,
    exposures: others,
    dayStats: { orders: 1200, notional: '25000000' },
    // A few recent signals, one with this order's hash but long ago (outside the window).
    recentOrders: [
      { orderId: 'old-1', fingerprint: signalHash(order), at: new Date(NOW - 3_600_000).toISOString() },
      { orderId: 'old-2', fingerprint: 'sig-0000000000000000', at: new Date(NOW - 500).toISOString() },
    ],
    balances: { USDT: '1000000', BTC: '10', ETH: '200', SOL: '5000' },
  };
}

function timeEach<T>(items: readonly T[], run: (item: T) => unknown): number[] {
  const samples = new Array<number>(items.length);
  for (let i = 0; i < items.length; i++) {
    const start = process.hrtime.bigint();
    run(items[i] as T);
    samples[i] = Number(process.hrtime.bigint() - start) / 1000; // µs
  }
  return samples;
}

function main(): void {
  const file = path.join(__dirname, '..', 'config', 'venues.json');
  const settings = parseWorkerConfig(readFileSync(file, 'utf8'), { SIM_PORT: '8300' }).risk;
  const raw = rawOrders(ORDERS);
  const orders = raw.map((input) => {
    const result = validateOrderRequest(input);
    if (!result.ok) throw new Error(`bench order invalid: ${JSON.stringify(result.issues)}`);
    return result.request;
  });
  const cases = orders.map((order) => ({
    order,
    context: contextFor(order),
    limits: resolveRiskLimits(settings, order) as RiskLimits,
  }));

  // Warm up every path (JIT), then measure each in turn on the same orders.
  timeEach(raw.slice(0, WARM_UP), (input) => validateOrderRequest(input));
  timeEach(cases.slice(0, WARM_UP), (c) => checkRisk(c.order, c.context, c.limits));
  const rows = [
    {
      name: 'validateOrderRequest (baseline)',
      samples: timeEach(raw, (input) => validateOrderRequest(input)),
    },
    { name: 'checkRisk', samples: timeEach(cases, (c) => checkRisk(c.order, c.context, c.limits)) },
    {
      name: 'resolveRiskLimits + checkRisk',
      samples: timeEach(cases, (c) =>
        checkRisk(c.order, c.context, resolveRiskLimits(settings, c.order) ?? {}),
      ),
    },
  ];

  let refused = 0;
  const byCode = new Map<string, number>();
  for (const c of cases) {
    const issues = checkRisk(c.order, c.context, c.limits);
    if (issues.length > 0) refused += 1;
    for (const issue of issues) byCode.set(issue.code, (byCode.get(issue.code) ?? 0) + 1);
  }

  console.log(`risk checks: ${ORDERS} orders, every limit of config/venues.json's demo block set`);
  const baseMedian = percentile(rows[0]?.samples ?? [], 50);
  const header = ['measure', 'p50 µs', 'p90 µs', 'p99 µs', 'max µs', 'p50 / baseline'];
  const lines = rows.map((r) => [
    r.name,
    percentile(r.samples, 50).toFixed(2),
    percentile(r.samples, 90).toFixed(2),
    percentile(r.samples, 99).toFixed(2),
    Math.max(...r.samples).toFixed(0),
    (percentile(r.samples, 50) / baseMedian).toFixed(2) + '×',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ') + ' |';
  console.log(fmt(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const l of lines) console.log(fmt(l));
  const codes = [...byCode.entries()].map(([code, n]) => `${code} ${n}`).join(', ');
  console.log(`refused ${refused} of ${ORDERS} (${codes || 'none'}): the rules ran, not a no-op`);
}

main();
