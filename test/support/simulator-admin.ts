/** The simulator's admin endpoints (DESIGN.md §3), for tests to move the market and count orders. */
import { simulatorUrl } from './ordo-worker';

export interface SimOrderRecord {
  clientOrderId: string;
  orderId?: number | string | null;
  symbol: string;
  side: string;
  type: string;
  status: string;
  origQty: string;
  executedQty: string;
}

/** A caller of one simulator's admin endpoints (tests with a private simulator pass its URL). */
export function simAdmin(baseUrl: () => string) {
  return async <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
}

/** The shared simulator's (the one global-setup starts). */
const admin = simAdmin(simulatorUrl);

export async function simOrders(): Promise<SimOrderRecord[]> {
  const body = await admin<SimOrderRecord[] | { orders: SimOrderRecord[] }>('GET', '/admin/orders');
  return Array.isArray(body) ? body : body.orders;
}

/** Every order request the simulator received with this client order id (or id prefix). */
export async function simOrdersFor(clientOrderIdPrefix: string): Promise<SimOrderRecord[]> {
  return (await simOrders()).filter((o) => o.clientOrderId?.startsWith(clientOrderIdPrefix));
}

export async function setMid(symbol: string, price: string): Promise<void> {
  await admin('POST', '/admin/mid', { symbol, price });
}

export async function setFaults(faults: Record<string, unknown>): Promise<void> {
  await admin('POST', '/admin/faults', faults);
}

export async function midOf(symbol: string): Promise<number> {
  const venueSymbol = symbol.replace('/', '');
  const response = await fetch(`${simulatorUrl()}/api/v3/depth?symbol=${venueSymbol}&limit=5`);
  const book = (await response.json()) as { bids: [string, string][]; asks: [string, string][] };
  const bid = Number(book.bids[0]?.[0]);
  const ask = Number(book.asks[0]?.[0]);
  return (bid + ask) / 2;
}

export interface SimAccount {
  apiKey: string;
  secret: string;
}

/** A fresh simulator account, so a test file's balances do not depend on other files' trades. */
export async function createSimAccount(balances: Record<string, string>): Promise<SimAccount> {
  const apiKey = `test-${Math.random().toString(36).slice(2, 12)}`;
  const account = { apiKey, secret: `${apiKey}-secret` };
  await admin('POST', '/admin/accounts', { ...account, balances });
  return account;
}

export const TEST_BALANCES = { USDT: '1000000', BTC: '10', ETH: '200', SOL: '5000' };

/** The asks resting up to `withinFraction` above the best ask: their total and that price. */
export async function asksWithin(
  symbol: string,
  withinFraction: number,
): Promise<{ limitPrice: string; quantity: number }> {
  const response = await fetch(`${simulatorUrl()}/api/v3/depth?symbol=${symbol.replace('/', '')}&limit=100`);
  const book = (await response.json()) as { asks: [string, string][] };
  const best = Number(book.asks[0]?.[0]);
  if (!Number.isFinite(best)) throw new Error(`no ask on ${symbol}`);
  const limit = best * (1 + withinFraction);
  const quantity = book.asks.filter(([p]) => Number(p) <= limit).reduce((sum, [, q]) => sum + Number(q), 0);
  return { limitPrice: limit.toFixed(2), quantity };
}
