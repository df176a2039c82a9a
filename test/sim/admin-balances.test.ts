/**
 * POST /admin/balances: a deposit or withdrawal no order caused, so reconciliation tests can make
 * the venue's balances drift from what the ledger says. Seen through real ccxt, as Ordo sees it.
 */
import type * as ccxt from 'ccxt';
import type { RunningSimulator } from '../../src/sim/server';
import { binanceOn } from './ccxt-harness';
import { admin, startTestSimulator } from './harness';

interface BalanceAnswer {
  apiKey: string;
  asset: string;
  free: string;
  locked: string;
}

const API_KEY = 'recon-desk';
const SECRET = 'recon-desk-secret';

let sim: RunningSimulator;
let desk: ccxt.binance;

beforeAll(async () => {
  sim = await startTestSimulator();
  desk = binanceOn(sim, { apiKey: API_KEY, secret: SECRET });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await admin(sim, 'POST', '/admin/reset');
  await admin(sim, 'POST', '/admin/accounts', {
    apiKey: API_KEY,
    secret: SECRET,
    balances: { USDT: '10000', BTC: '1' },
  });
  await desk.loadMarkets();
});

/** The HTTP status and body of an admin request, without throwing on a refusal. */
async function post(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${sim.url}/admin/balances`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function totals(): Promise<Record<string, number | undefined>> {
  return (await desk.fetchBalance()).total as unknown as Record<string, number | undefined>;
}

describe('POST /admin/balances', () => {
  it('credits a deposit (string or number delta) and ccxt sees it', async () => {
    const first = await admin<BalanceAnswer>(sim, 'POST', '/admin/balances', {
      apiKey: API_KEY,
      asset: 'USDT',
      delta: '250.5',
    });
    expect(first).toEqual({ apiKey: API_KEY, asset: 'USDT', free: '10250.5', locked: '0' });
    const second = await admin<BalanceAnswer>(sim, 'POST', '/admin/balances', {
      apiKey: API_KEY,
      asset: 'USDT',
      delta: 0.25,
    });
    expect(second.free).toBe('10250.75');
    expect((await totals())['USDT']).toBe(10250.75);
  });

  it('credits an asset the account never held', async () => {
    const answer = await admin<BalanceAnswer>(sim, 'POST', '/admin/balances', {
      apiKey: API_KEY,
      asset: 'ETH',
      delta: '3',
    });
    expect(answer).toEqual({ apiKey: API_KEY, asset: 'ETH', free: '3', locked: '0' });
    expect((await totals())['ETH']).toBe(3);
  });

  it('debits a withdrawal (negative delta) down to exactly zero', async () => {
    const answer = await admin<BalanceAnswer>(sim, 'POST', '/admin/balances', {
      apiKey: API_KEY,
      asset: 'BTC',
      delta: '-0.4',
    });
    expect(answer.free).toBe('0.6');
    expect((await totals())['BTC']).toBe(0.6);
    const emptied = await admin<BalanceAnswer>(sim, 'POST', '/admin/balances', {
      apiKey: API_KEY,
      asset: 'BTC',
      delta: -0.6,
    });
    expect(emptied.free).toBe('0');
  });

  it('refuses a withdrawal beyond the free balance with 409, funds locked by an order included', async () => {
    // 0.5 BTC rests in a sell order far from the market: total 1, free 0.5.
    await desk.createOrder('BTC/USDT', 'limit', 'sell', 0.5, 200000);
    const refused = await post({ apiKey: API_KEY, asset: 'BTC', delta: '-0.6' });
    expect(refused.status).toBe(409);
    expect(refused.body['error']).toMatch(/BTC: free balance too small/);
    const balances = await admin<{ balances: Record<string, { free: string; locked: string }> }>(
      sim,
      'GET',
      `/admin/balances?apiKey=${API_KEY}`,
    );
    expect(balances.balances['BTC']).toEqual({ free: '0.5', locked: '0.5' });

    const allowed = await post({ apiKey: API_KEY, asset: 'BTC', delta: '-0.5' });
    expect(allowed).toEqual({
      status: 200,
      body: { apiKey: API_KEY, asset: 'BTC', free: '0', locked: '0.5' },
    });
  });

  it('refuses a withdrawal of an asset the account never held', async () => {
    const refused = await post({ apiKey: API_KEY, asset: 'DOGE', delta: '-1' });
    expect(refused.status).toBe(409);
  });

  it('answers 404 for an unknown API key', async () => {
    const refused = await post({ apiKey: 'nobody', asset: 'USDT', delta: '1' });
    expect(refused.status).toBe(404);
    expect(refused.body['error']).toMatch(/no account with API key "nobody"/);
  });

  it.each([
    ['a delta that is no number', { apiKey: API_KEY, asset: 'USDT', delta: 'lots' }],
    ['a delta in exponent form', { apiKey: API_KEY, asset: 'USDT', delta: '1e3' }],
    ['no delta', { apiKey: API_KEY, asset: 'USDT' }],
    ['an empty asset', { apiKey: API_KEY, asset: '', delta: '1' }],
    ['no apiKey', { asset: 'USDT', delta: '1' }],
  ])('answers 400 for %s and changes nothing', async (_name, body) => {
    const refused = await post(body);
    expect(refused.status).toBe(400);
    expect(refused.body['error']).toBe('invalid request body');
    expect((await totals())['USDT']).toBe(10000);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const refused = await post('{delta: 1');
    expect(refused).toEqual({ status: 400, body: { error: 'request body must be JSON' } });
  });

  it('is undone by a reset (the account gets its starting balances back)', async () => {
    await admin(sim, 'POST', '/admin/balances', { apiKey: API_KEY, asset: 'USDT', delta: '-9000' });
    await admin(sim, 'POST', '/admin/balances', { apiKey: API_KEY, asset: 'ETH', delta: '2' });
    await admin(sim, 'POST', '/admin/reset');
    const after = await totals();
    expect(after['USDT']).toBe(10000);
    expect(after['BTC']).toBe(1);
    expect(after['ETH'] ?? 0).toBe(0);
  });

  it('touches only the named account', async () => {
    const defaultDesk = binanceOn(sim);
    await defaultDesk.loadMarkets();
    const before = (await defaultDesk.fetchBalance()).total as unknown as Record<string, number>;
    await admin(sim, 'POST', '/admin/balances', { apiKey: API_KEY, asset: 'USDT', delta: '-5000' });
    const after = (await defaultDesk.fetchBalance()).total as unknown as Record<string, number>;
    expect(after).toEqual(before);
    expect((await totals())['USDT']).toBe(5000);
  });
});
