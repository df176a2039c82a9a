/**
 * The resilience invariants, each as a function returning a list of problems (empty = holds), so a
 * failing test prints every broken order at once instead of the first:
 *
 *  - outcomes: every order ended in the status its kind must reach (with the quantities that go
 *    with it), or is parked in DEAD_LETTER with a reason; nothing is left working or unknown.
 *  - venue orders: no client order id was accepted twice by the venue (a refused duplicate
 *    attempt is logged by the simulator too, so "accepted" = the request created an order), and
 *    every client order id the venue saw is one of ours.
 *  - fills: what the workflows recorded equals the venue's trades for the account, trade by trade
 *    (id and quantity); a parked order's fills are a subset of its venue order's trades.
 */
import * as ccxt from 'ccxt';
import { add, cmp } from '../../src/domain/decimal';
import { simBinanceOptions } from '../../src/sim/ccxt-client';
import type { Outcome } from './chaos-driver';
import { EXPECTED_STATUS } from './chaos-orders';
import type { SimAccount, SimOrderRequest } from './chaos-sim';

export interface VenueTrade {
  tradeId: string;
  /** The venue (engine) order id, as the Binance dialect reports it. */
  orderId: string;
  symbol: string;
  quantity: string;
}

/** Statuses of an order that exists at the venue (anything but a refused request). */
const PLACED = new Set(['NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'EXPIRED', 'PENDING_CANCEL']);

const clientIdOf = (o: Outcome) => o.state?.clientOrderId ?? o.plan.orderId;

export function outcomeProblems(outcomes: readonly Outcome[]): string[] {
  const problems: string[] = [];
  for (const o of outcomes) {
    const id = `${o.plan.orderId} (${o.plan.kind} ${o.plan.side} ${o.plan.symbol} on ${o.plan.venue})`;
    const s = o.state;
    if (s === undefined) {
      problems.push(`${id}: no state (${o.error ?? 'unknown'})`);
      continue;
    }
    if (s.status === 'DEAD_LETTER') {
      if (!s.reason) problems.push(`${id}: DEAD_LETTER without a reason`);
      continue;
    }
    if (!o.ended) {
      problems.push(`${id}: did not end in time, still ${s.status}${s.reason ? ` (${s.reason})` : ''}`);
      continue;
    }
    const expected = EXPECTED_STATUS[o.plan.kind];
    if (s.status !== expected) {
      problems.push(`${id}: ended ${s.status}${s.reason ? ` (${s.reason})` : ''}, expected ${expected}`);
      continue;
    }
    if (expected === 'FILLED' && cmp(s.filledQuantity, o.plan.quantity) !== 0)
      problems.push(`${id}: FILLED with ${s.filledQuantity} of ${o.plan.quantity}`);
    if (expected !== 'FILLED' && cmp(s.filledQuantity, '0') !== 0)
      problems.push(`${id}: ${s.status} but ${s.filledQuantity} filled`);
  }
  return problems;
}

/** The requests of one client order id that created an order at the venue. */
export function acceptedRequests(records: readonly SimOrderRequest[]): SimOrderRequest[] {
  return records.filter((r) => r.orderId !== null);
}

export function venueOrderProblems(
  outcomes: readonly Outcome[],
  records: readonly SimOrderRequest[],
): string[] {
  const problems: string[] = [];
  const byClientId = new Map<string, SimOrderRequest[]>();
  for (const r of records) {
    const key = r.clientOrderId ?? '(none)';
    byClientId.set(key, [...(byClientId.get(key) ?? []), r]);
  }
  const ours = new Map(outcomes.map((o) => [clientIdOf(o), o]));
  for (const [clientId, list] of byClientId) {
    if (!ours.has(clientId)) problems.push(`venue saw client order id ${clientId}, which is none of ours`);
    const accepted = acceptedRequests(list);
    if (accepted.length > 1) {
      problems.push(
        `${clientId}: accepted ${accepted.length} times (venue orders ${accepted.map((r) => r.orderId).join(', ')})`,
      );
    }
    const placed = list.filter((r) => PLACED.has(r.status));
    if (placed.length > 1)
      problems.push(
        `${clientId}: ${placed.length} live/done records (${placed.map((r) => r.status).join(', ')})`,
      );
  }
  for (const o of outcomes) {
    const s = o.state;
    if (s === undefined) continue;
    const accepted = acceptedRequests(byClientId.get(clientIdOf(o)) ?? []);
    const reachedVenue =
      s.venueOrderId !== undefined || ['FILLED', 'CANCELLED', 'EXPIRED'].includes(s.status);
    if (reachedVenue && accepted.length !== 1 && s.status !== 'DEAD_LETTER')
      problems.push(
        `${o.plan.orderId}: ${s.status} in Ordo, but ${accepted.length} accepted orders at the venue`,
      );
    const venueOrder = accepted[0];
    if (o.ended && venueOrder !== undefined && cmp(venueOrder.executedQty, s.filledQuantity) !== 0) {
      problems.push(
        `${o.plan.orderId}: Ordo says ${s.filledQuantity} filled, the venue ${venueOrder.executedQty} (${venueOrder.status})`,
      );
    }
  }
  return problems;
}

export function fillProblems(
  outcomes: readonly Outcome[],
  records: readonly SimOrderRequest[],
  trades: readonly VenueTrade[],
): string[] {
  const problems: string[] = [];
  const clientIdOfVenueOrder = new Map<string, string>();
  for (const r of acceptedRequests(records))
    clientIdOfVenueOrder.set(String(r.orderId), r.clientOrderId ?? '');
  const venueTradesOf = new Map<string, VenueTrade[]>();
  for (const t of trades) {
    const clientId = clientIdOfVenueOrder.get(t.orderId);
    if (clientId === undefined) {
      problems.push(
        `venue trade ${t.tradeId} (${t.quantity} ${t.symbol}) is on venue order ${t.orderId}, not ours`,
      );
      continue;
    }
    venueTradesOf.set(clientId, [...(venueTradesOf.get(clientId) ?? []), t]);
  }
  const ours = new Set<string>();
  for (const o of outcomes) {
    const s = o.state;
    if (s === undefined) continue;
    const clientId = clientIdOf(o);
    ours.add(clientId);
    const venue = new Map((venueTradesOf.get(clientId) ?? []).map((t) => [t.tradeId, t]));
    const recorded = new Map<string, string>();
    for (const f of s.fills) {
      if (recorded.has(f.tradeId)) problems.push(`${o.plan.orderId}: fill ${f.tradeId} recorded twice`);
      recorded.set(f.tradeId, f.quantity);
      const trade = venue.get(f.tradeId);
      if (trade === undefined)
        problems.push(`${o.plan.orderId}: fill ${f.tradeId} is no trade of its venue order`);
      else if (cmp(trade.quantity, f.quantity) !== 0)
        problems.push(
          `${o.plan.orderId}: fill ${f.tradeId} for ${f.quantity}, the venue says ${trade.quantity}`,
        );
    }
    // A parked order may not have heard of every trade yet; one that ended must have all of them.
    if (s.status === 'DEAD_LETTER') continue;
    for (const t of venue.values()) {
      if (!recorded.has(t.tradeId))
        problems.push(
          `${o.plan.orderId}: venue trade ${t.tradeId} (${t.quantity}) missing from the workflow's fills`,
        );
    }
    const venueTotal = [...venue.values()].reduce((sum, t) => add(sum, t.quantity), '0');
    if (cmp(venueTotal, s.filledQuantity) !== 0)
      problems.push(
        `${o.plan.orderId}: workflow filled ${s.filledQuantity}, venue trades sum to ${venueTotal}`,
      );
  }
  for (const clientId of venueTradesOf.keys())
    if (!ours.has(clientId))
      problems.push(`venue trades on client order id ${clientId}, which is none of ours`);
  return problems;
}

/**
 * Every trade of the account on these symbols, through an unmodified ccxt.binance with the
 * account's keys (GET /api/v3/myTrades, paged by trade id). Bybit-dialect orders trade on the same
 * engine and account, so their trades are here too, with the same ids (Bybit's execId).
 */
export async function venueTrades(url: string, account: SimAccount, symbols: readonly string[]) {
  const exchange = new ccxt.binance(simBinanceOptions(url, account));
  try {
    await exchange.loadMarkets();
    const out: VenueTrade[] = [];
    for (const symbol of symbols) {
      let fromId = 0;
      for (let page = 0; page < 100; page++) {
        const batch = await exchange.fetchMyTrades(symbol, undefined, 1000, { fromId });
        for (const t of batch)
          out.push({ tradeId: String(t.id), orderId: String(t.order), symbol, quantity: String(t.amount) });
        if (batch.length < 1000) break;
        fromId = Math.max(...batch.map((t) => Number(t.id))) + 1;
      }
    }
    return out;
  } finally {
    await exchange.close();
  }
}
