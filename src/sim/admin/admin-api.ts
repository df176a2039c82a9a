import { z } from 'zod';
import { ZERO, dec } from '../engine/decimal';
import { faultUpdateSchema } from '../faults/fault-settings';
import { json, type ApiRequest, type ApiResponse, type RequestHandler } from '../http/http-types';
import type { Simulation } from '../simulation';

/**
 * The simulator's control panel (DESIGN.md §3): unsigned, loopback only. Lets tests read every
 * order request received, inject faults, move the market, and reset everything.
 */
const decimalString = z
  .union([z.string().regex(/^\d+(\.\d+)?$/), z.number().nonnegative()])
  .transform(String);

const midBody = z.object({ symbol: z.string(), price: decimalString });

const accountBody = z.object({
  apiKey: z.string().min(1),
  secret: z.string().min(1),
  balances: z.record(z.string(), decimalString).default({}),
  makerFeeRate: decimalString.optional(),
  takerFeeRate: decimalString.optional(),
});

/** A deposit (positive) or withdrawal (negative) that no order caused: what reconciliation must notice. */
const balanceBody = z.object({
  apiKey: z.string().min(1),
  asset: z.string().min(1),
  delta: z.union([z.string().regex(/^-?\d+(\.\d+)?$/), z.number()]).transform(String),
});

const tickBody = z.object({ count: z.number().int().min(1).max(10_000).default(1) });

const tradeBody = z.object({
  symbol: z.string(),
  side: z.enum(['BUY', 'SELL', 'buy', 'sell']),
  quantity: decimalString,
});

const streamBody = z.object({ down: z.boolean() });

/** What the admin API may do to the user-data stream (see binance/user-data-stream-server.ts). */
export interface UserDataStreamControl {
  setDown(down: boolean): unknown;
  status(): unknown;
  /** The exchange was rebuilt by a reset: listen to the new one. */
  afterReset(): void;
  hub: { balanceChanged(accountId: string, asset: string, delta: string): void };
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Route = (sim: Simulation, request: ApiRequest, stream: UserDataStreamControl | undefined) => unknown;

const ROUTES: Readonly<Record<string, Route>> = {
  'GET /admin/orders': (sim, request) => {
    const query = new URLSearchParams(request.rawQuery);
    return sim.orderLog.list({
      clientOrderId: query.get('clientOrderId') ?? undefined,
      symbol: optionalSymbol(sim, query.get('symbol')),
      apiKey: query.get('apiKey') ?? undefined,
    });
  },
  'GET /admin/faults': (sim) => sim.faults.current(sim.clock()),
  'POST /admin/faults': (sim, request) =>
    sim.faults.configure(parseBody(faultUpdateSchema, request), sim.clock()),
  'DELETE /admin/faults': (sim) => sim.faults.clear(sim.clock()),
  'POST /admin/mid': (sim, request) => {
    const body = parseBody(midBody, request);
    const symbol = venueSymbol(sim, body.symbol);
    sim.market.setMid(symbol, body.price);
    return marketState(sim, symbol);
  },
  'GET /admin/market': (sim) =>
    sim.exchange.instruments().map((instrument) => marketState(sim, instrument.symbol)),
  'POST /admin/tick': (sim, request) => {
    const { count } = parseBody(tickBody, request);
    for (let i = 0; i < count; i++) sim.market.tick();
    return sim.exchange.instruments().map((instrument) => marketState(sim, instrument.symbol));
  },
  'POST /admin/trade': (sim, request) => {
    const body = parseBody(tradeBody, request);
    const symbol = venueSymbol(sim, body.symbol);
    sim.market.trade(symbol, body.side.toUpperCase() === 'BUY' ? 'BUY' : 'SELL', body.quantity);
    return marketState(sim, symbol);
  },
  'POST /admin/accounts': (sim, request) => {
    const body = parseBody(accountBody, request);
    sim.addAccount(body);
    return { apiKey: body.apiKey };
  },
  'GET /admin/balances': (sim, request) => {
    const apiKey = new URLSearchParams(request.rawQuery).get('apiKey') ?? '';
    const account = sim.accounts.findByApiKey(apiKey);
    if (!account) throw new AdminError(404, `no account with API key "${apiKey}"`);
    const balances: Record<string, { free: string; locked: string }> = {};
    for (const [asset, balance] of account.balances) {
      balances[asset] = { free: balance.free.toString(), locked: balance.locked.toString() };
    }
    return { apiKey, balances };
  },
  'POST /admin/balances': (sim, request, stream) => {
    const body = parseBody(balanceBody, request);
    const account = sim.accounts.findByApiKey(body.apiKey);
    if (!account) throw new AdminError(404, `no account with API key "${body.apiKey}"`);
    const delta = dec(body.delta);
    if (delta.isNegative()) {
      if (!account.canAfford(body.asset, delta.abs()))
        throw new AdminError(409, `${body.asset}: free balance too small`);
      account.debit(body.asset, delta.abs(), sim.clock());
    } else {
      account.credit(body.asset, delta, sim.clock());
    }
    stream?.hub.balanceChanged(account.id, body.asset, body.delta);
    const balance = account.balance(body.asset);
    return {
      apiKey: body.apiKey,
      asset: body.asset,
      free: balance.free.toString(),
      locked: balance.locked.toString(),
    };
  },
  'POST /admin/reset': (sim, _request, stream) => {
    sim.reset();
    stream?.afterReset();
    return { reset: true };
  },
  'GET /admin/stream': (_sim, _request, stream) => requireStream(stream).status(),
  'POST /admin/stream': (_sim, request, stream) =>
    requireStream(stream).setDown(parseBody(streamBody, request).down),
};

function requireStream(stream: UserDataStreamControl | undefined): UserDataStreamControl {
  if (!stream) throw new AdminError(404, 'this simulator runs no user-data stream');
  return stream;
}

export function createAdminApi(
  getSimulation: () => Simulation,
  stream?: UserDataStreamControl,
): RequestHandler {
  return async (request) => {
    if (!isLoopback(request.remoteAddress)) {
      return json(403, { error: 'admin endpoints are only served to loopback clients' });
    }
    const route = ROUTES[`${request.method} ${request.path}`];
    if (!route) return json(404, { error: `no admin endpoint ${request.method} ${request.path}` });
    try {
      return json(200, route(getSimulation(), request, stream));
    } catch (error) {
      return adminFailure(error);
    }
  };
}

function adminFailure(error: unknown): ApiResponse {
  if (error instanceof AdminError) return json(error.status, { error: error.message });
  if (error instanceof z.ZodError) return json(400, { error: 'invalid request body', issues: error.issues });
  return json(400, { error: error instanceof Error ? error.message : String(error) });
}

function parseBody<T extends z.ZodType>(schema: T, request: ApiRequest): z.output<T> {
  let body: unknown = {};
  if (request.rawBody.trim() !== '') {
    try {
      body = JSON.parse(request.rawBody);
    } catch {
      throw new AdminError(400, 'request body must be JSON');
    }
  }
  return schema.parse(body);
}

/** Accepts the unified form (BTC/USDT) as well as the venue's (BTCUSDT). */
function venueSymbol(sim: Simulation, symbol: string): string {
  const candidate = symbol.replace('/', '').toUpperCase();
  if (!sim.exchange.instrument(candidate)) throw new AdminError(400, `unknown symbol "${symbol}"`);
  return candidate;
}

function optionalSymbol(sim: Simulation, symbol: string | null): string | undefined {
  return symbol === null ? undefined : venueSymbol(sim, symbol);
}

function marketState(sim: Simulation, symbol: string): Record<string, unknown> {
  return {
    symbol,
    mid: sim.market.mid(symbol).toString(),
    lastPrice: sim.exchange.lastPrice(symbol).toString(),
    bestBid: (sim.exchange.bestBid(symbol) ?? ZERO).toString(),
    bestAsk: (sim.exchange.bestAsk(symbol) ?? ZERO).toString(),
  };
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const ipv4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return ipv4.startsWith('127.') || address === '::1';
}
