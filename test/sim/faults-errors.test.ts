/**
 * Injected venue errors, one test per kind: the HTTP status and Binance body the simulator sends,
 * and the exact ccxt 4.5.84 error class an unmodified ccxt.binance turns it into. The workflow's
 * error policy is written against this table (test the mapping, do not assume it: ccxt matches
 * Binance's exact message first, then the code, then the HTTP status — and 418/429 before all).
 */
import type { RunningSimulator } from '../../src/sim/server';
import {
  ordersWithClientId,
  restingBuy,
  setFaults,
  thrownBy,
  watchedBinance,
  type WatchedExchange,
} from './faults-harness';
import { admin, clientId, startTestSimulator } from './harness';

let sim: RunningSimulator;
let client: WatchedExchange;

beforeAll(async () => {
  sim = await startTestSimulator();
  client = watchedBinance(sim);
  await client.exchange.loadMarkets();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await admin(sim, 'POST', '/admin/reset');
  client.forget();
});

interface ErrorCase {
  kind: string;
  status: number;
  code: number;
  ccxtClass: string;
  /** The ccxt call that meets the fault: an order placement or a signed read. */
  call: 'createOrder' | 'fetchBalance';
  retryAfter?: string;
}

const CASES: ErrorCase[] = [
  { kind: 'internalError', status: 500, code: -1000, ccxtClass: 'OperationFailed', call: 'createOrder' },
  { kind: 'disconnected', status: 503, code: -1001, ccxtClass: 'OperationFailed', call: 'createOrder' },
  { kind: 'unexpectedResponse', status: 500, code: -1006, ccxtClass: 'OperationFailed', call: 'createOrder' },
  { kind: 'backendTimeout', status: 503, code: -1007, ccxtClass: 'RequestTimeout', call: 'createOrder' },
  {
    kind: 'rateLimited',
    status: 429,
    code: -1003,
    ccxtClass: 'DDoSProtection',
    call: 'fetchBalance',
    retryAfter: '3',
  },
  {
    kind: 'orderRateLimited',
    status: 429,
    code: -1015,
    ccxtClass: 'DDoSProtection',
    call: 'createOrder',
    retryAfter: '3',
  },
  {
    kind: 'ipBanned',
    status: 418,
    code: -1003,
    ccxtClass: 'DDoSProtection',
    call: 'fetchBalance',
    retryAfter: '3',
  },
  { kind: 'shuttingDown', status: 503, code: -1016, ccxtClass: 'BadRequest', call: 'fetchBalance' },
];

describe('venue errors by kind', () => {
  it.each(CASES)('$kind → HTTP $status, code $code → $ccxtClass', async (errorCase) => {
    await setFaults(sim, { errors: [{ kind: errorCase.kind, retryAfterSeconds: 3 }] });
    const call =
      errorCase.call === 'createOrder'
        ? restingBuy(client.exchange, clientId(errorCase.kind))
        : client.exchange.fetchBalance();
    const { className } = await thrownBy(call);

    expect(className).toBe(errorCase.ccxtClass);
    const seen = client.seen();
    expect(seen?.status).toBe(errorCase.status);
    expect(JSON.parse(seen?.body ?? '{}')).toMatchObject({ code: errorCase.code });
    if (errorCase.retryAfter !== undefined) expect(seen?.headers['Retry-After']).toBe(errorCase.retryAfter);
  });

  it('refused before processing: the order request is logged as rejected, no order exists', async () => {
    await setFaults(sim, { errors: [{ kind: 'disconnected' }] });
    const id = clientId('refused');
    await thrownBy(restingBuy(client.exchange, id));
    await setFaults(sim, { errors: [] });

    expect(await ordersWithClientId(sim, id)).toEqual([
      expect.objectContaining({
        status: 'REJECTED',
        rejectCode: -1001,
        httpStatus: 503,
        fault: 'disconnected',
      }),
    ]);
    const { className } = await thrownBy(client.exchange.fetchOrder('', 'BTC/USDT', { clientOrderId: id }));
    expect(className).toBe('OrderNotFound');
  });

  it("phase 'after': the order is placed, yet the client gets the error (outcome unknown)", async () => {
    await setFaults(sim, {
      errors: [{ kind: 'unexpectedResponse', phase: 'after', scope: ['@placeOrder'] }],
    });
    const id = clientId('after');
    const { className } = await thrownBy(restingBuy(client.exchange, id));
    expect(className).toBe('OperationFailed');

    const found = await client.exchange.fetchOrder('', 'BTC/USDT', { clientOrderId: id });
    expect(found).toMatchObject({ clientOrderId: id, status: 'open' });
    expect(await ordersWithClientId(sim, id)).toEqual([
      expect.objectContaining({ status: 'NEW', httpStatus: 500, fault: 'unexpectedResponse' }),
    ]);
  });
});
