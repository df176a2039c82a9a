/**
 * A private exchange simulator for resilience tests and the chaos bench, with its admin API bound
 * to its own URL.
 *
 * Why not the run's shared simulator (SIM_TEST_URL): injected faults are venue-wide (they cannot
 * be scoped to an account), so a chaos file on the shared simulator would throw 20% errors and
 * 429 bursts at whatever other test file jest runs beside it. Each resilience file starts its own
 * simulator in its jest worker; the worker processes it spawns reach it by URL like any venue.
 */
import { randomUUID } from 'node:crypto';
import { type RunningSimulator, startSimulator } from '../../src/sim/server';

/** One record of GET /admin/orders (the fields the resilience checks read). */
export interface SimOrderRequest {
  seq: number;
  receivedAt: number;
  endpoint: string;
  apiKey: string | null;
  clientOrderId: string | null;
  /** Set once the request created an order at the venue (accepted); null if refused/faulted before. */
  orderId: number | null;
  symbol: string | null;
  side: string | null;
  type: string | null;
  timeInForce: string | null;
  origQty: string | null;
  executedQty: string;
  /** Binance status of the created order (live), or REJECTED / PENDING for a request without one. */
  status: string;
  domainStatus: string;
  rejectCode?: number;
  rejectReason?: string;
  httpStatus?: number;
  fault?: string;
}

export interface SimAccount {
  apiKey: string;
  secret: string;
}

export const CHAOS_BALANCES = { USDT: '5000000', BTC: '50', ETH: '1000', SOL: '50000' };

export class SimAdmin {
  constructor(readonly url: string) {}

  private async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** Merges fault settings (README "Faults"); a list such as `errors` replaces the current one. */
  async setFaults(faults: Record<string, unknown>): Promise<unknown> {
    return this.call('POST', '/admin/faults', faults);
  }

  async faults(): Promise<Record<string, unknown>> {
    return this.call('GET', '/admin/faults');
  }

  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/admin/faults');
  }

  async setMid(symbol: string, price: string): Promise<void> {
    await this.call('POST', '/admin/mid', { symbol, price });
  }

  async mid(symbol: string): Promise<number> {
    const markets = await this.call<{ symbol: string; mid: string }[]>('GET', '/admin/market');
    const found = markets.find((m) => m.symbol === symbol.replace('/', ''));
    if (found === undefined) throw new Error(`no market ${symbol}`);
    return Number(found.mid);
  }

  async orders(filter: { apiKey?: string; clientOrderId?: string } = {}): Promise<SimOrderRequest[]> {
    const query = new URLSearchParams(
      Object.entries(filter).filter((e): e is [string, string] => e[1] !== undefined),
    );
    const body = await this.call<SimOrderRequest[] | { orders: SimOrderRequest[] }>(
      'GET',
      `/admin/orders${query.size > 0 ? `?${query}` : ''}`,
    );
    return Array.isArray(body) ? body : body.orders;
  }

  async createAccount(balances: Record<string, string> = CHAOS_BALANCES): Promise<SimAccount> {
    const apiKey = `chaos-${randomUUID().slice(0, 12)}`;
    const account = { apiKey, secret: `${apiKey}-secret` };
    await this.call('POST', '/admin/accounts', { ...account, balances });
    return account;
  }
}

export interface ChaosSimulator {
  url: string;
  admin: SimAdmin;
  simulator: RunningSimulator;
  close(): Promise<void>;
}

/** Starts a simulator in this process on a free port, market ticking (resting orders meet flow). */
export async function startChaosSimulator(seed = 7): Promise<ChaosSimulator> {
  const simulator = await startSimulator({ port: 0, seed, tickMs: 250 });
  return { url: simulator.url, admin: new SimAdmin(simulator.url), simulator, close: simulator.close };
}
