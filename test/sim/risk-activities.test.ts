/**
 * The riskCheck activity against the simulator through real ccxt: the mid from the venue's book,
 * balances, working orders and spot positions from the account, the duplicate window and day
 * counts from its bookkeeping, and only the venue requests the order's limits need. Called
 * directly (no Temporal): failures are the ApplicationFailures Temporal would see.
 */
import { ApplicationFailure } from '@temporalio/common';
import { createRiskActivities, type RiskSources } from '../../src/activities/risk-activities';
import { Dec, toDecimalString } from '../../src/domain/decimal';
import type { OrderRequest } from '../../src/domain/order-request';
import { NO_RISK_LIMITS, type RiskLimits, type RiskSettings } from '../../src/domain/risk';
import type { RunningSimulator } from '../../src/sim/server';
import { createCcxtExchange, createCcxtVenue, registeredVenue } from '../../src/venues/factory';
import { VenueRegistry } from '../../src/venues/registry';
import { admin, clientId, startTestSimulator } from './harness';
import { DIALECTS, recordRequests, venueConfig } from './venue-harness';

const DESK = { apiKey: 'risk-desk', secret: 'risk-desk-secret' };
/** The desk's account: what the balance, position and exposure checks read. */
const DESK_BALANCES = { USDT: '1000', BTC: '0.5', ETH: '2' };

let sim: RunningSimulator;
let registry: VenueRegistry;
const requests = new Map<string, string[]>();

beforeAll(async () => {
  sim = await startTestSimulator();
  await admin(sim, 'POST', '/admin/accounts', { ...DESK, balances: DESK_BALANCES });
  const venues = new Map(
    DIALECTS.map(([name]) => {
      const config = { ...venueConfig(sim, name), ...DESK, clockSyncIntervalMs: 0 };
      const exchange = createCcxtExchange(config);
      requests.set(name, recordRequests(exchange));
      const venue = createCcxtVenue(name, config, exchange);
      return [name, registeredVenue(venue, { maxAttempts: 3 })] as const;
    }),
  );
  registry = new VenueRegistry(venues);
  // Markets loaded up front, so the requests a test sees are the risk check's own.
  for (const [name] of DIALECTS) await registry.get(name).venue.marketRules('BTC/USDT');
});

afterAll(async () => {
  await registry.close();
  await sim.close();
});

beforeEach(async () => {
  await admin(sim, 'POST', '/admin/reset'); // the desk keeps its starting balances
  for (const list of requests.values()) list.length = 0;
});

function risk(defaults: RiskLimits, sources: RiskSources = {}, settings: Partial<RiskSettings> = {}) {
  return createRiskActivities({ registry, limits: { ...NO_RISK_LIMITS, defaults, ...settings }, sources });
}

let orderCounter = 0;
function order(venue: string, overrides: Partial<OrderRequest> = {}): OrderRequest {
  orderCounter += 1;
  return {
    orderId: `risk-${orderCounter}`,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.01',
    limitPrice: '60000',
    timeInForce: 'GTC',
    venue,
    ...overrides,
  };
}

/** The book's exact mid, read straight from the simulator (the market is frozen: tickMs 0). */
async function bookMid(symbol: string): Promise<string> {
  const book = await admin<{ bids: [string, string][]; asks: [string, string][] }>(
    sim,
    'GET',
    `/api/v3/depth?symbol=${symbol.replace('/', '')}&limit=5`,
  );
  const [bid] = book.bids[0] ?? [];
  const [ask] = book.asks[0] ?? [];
  if (bid === undefined || ask === undefined) throw new Error('one-sided book');
  return toDecimalString(new Dec(bid).plus(ask).dividedBy(2));
}

const codes = (result: { issues: { code: string }[] }) => result.issues.map((i) => i.code);

describe.each(DIALECTS)('%s (%s dialect): market data', (name) => {
  it('gathers the exact mid of the book and collars a limit price against it', async () => {
    await admin(sim, 'POST', '/admin/mid', { symbol: 'BTC/USDT', price: '61000' });
    const mid = await bookMid('BTC/USDT');
    const activities = risk({ priceCollarBps: 500 });
    const fine = await activities.riskCheck({ order: order(name, { limitPrice: mid }) });
    expect(fine.issues).toEqual([]);
    expect(fine.context.mid).toBe(mid);
    const far = toDecimalString(new Dec(mid).times('1.0501'));
    const refused = await activities.riskCheck({ order: order(name, { limitPrice: far }) });
    expect(codes(refused)).toEqual(['PRICE_COLLAR']);
    expect(refused.issues[0]?.message).toContain(`from the mid ${mid}; the collar is 500 bps`);
  });

  it('gathers the free balances, and refuses what they cannot pay for', async () => {
    const activities = risk({ checkBalance: true });
    const buy = await activities.riskCheck({
      order: order(name, { quantity: '0.02', limitPrice: '50000.05' }),
    });
    expect(buy.context.balances).toMatchObject({ USDT: '1000', BTC: '0.5', ETH: '2' });
    expect(buy.issues).toEqual([
      {
        code: 'INSUFFICIENT_BALANCE',
        field: 'quantity',
        message: `the order needs 1000.001 USDT (0.02 × 50000.05 limitPrice); 1000 USDT free at ${name}`,
      },
    ]);
    expect(
      codes(await activities.riskCheck({ order: order(name, { side: 'sell', quantity: '0.5' }) })),
    ).toEqual([]);
  });
});

describe('sim: the account and the bookkeeping', () => {
  const venue = () => registry.get('sim').venue;

  it('counts working orders on the symbol, and their locked funds are no longer free', async () => {
    await venue().submitOrder({
      clientOrderId: clientId('risk-rest'),
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      quantity: '0.01',
      limitPrice: '30000',
      timeInForce: 'GTC',
    });
    const activities = risk({ maxOpenOrders: 1, maxPosition: '0.5', checkBalance: true });
    const result = await activities.riskCheck({ order: order('sim', { quantity: '0.001' }) });
    expect(result.context).toMatchObject({
      openOrders: 1,
      workingBuy: '0.01',
      workingSell: '0',
      position: '0.5',
      balances: expect.objectContaining({ USDT: '700' }),
    });
    // 0.5 held + 0.01 working + 0.001 > 0.5; a second working order would pass the cap of 1.
    expect(codes(result)).toEqual(['POSITION_LIMIT', 'OPEN_ORDER_LIMIT']);
  });

  it('takes spot positions from balances: reduce-only sells up to the holding, exposures at mid', async () => {
    const activities = risk({ maxGrossExposure: '1000000' });
    expect(
      codes(
        await activities.riskCheck({
          order: order('sim', { side: 'sell', quantity: '0.5', reduceOnly: true }),
        }),
      ),
    ).toEqual([]);
    const flip = await activities.riskCheck({
      order: order('sim', { side: 'sell', quantity: '0.6', reduceOnly: true }),
    });
    expect(codes(flip)).toEqual(['REDUCE_ONLY']);
    const ethMid = await bookMid('ETH/USDT');
    expect(flip.context.exposures).toEqual({ 'ETH/USDT': toDecimalString(new Dec(2).times(ethMid)) });
    expect(flip.context.position).toBe('0.5');
  });

  it('refuses the same signal twice within the window, but not a retried check of one order', async () => {
    const activities = risk({ duplicateWindowMs: 60_000 });
    const first = order('sim', { strategyId: 'momo' });
    expect(codes(await activities.riskCheck({ order: first }))).toEqual([]);
    expect(codes(await activities.riskCheck({ order: first }))).toEqual([]); // a retry
    const twin = await activities.riskCheck({ order: { ...first, orderId: 'risk-twin' } });
    expect(codes(twin)).toEqual(['DUPLICATE_ORDER']);
    expect(twin.issues[0]?.message).toContain(`as order ${first.orderId}`);
    expect(
      codes(await activities.riskCheck({ order: { ...first, orderId: 'x', quantity: '0.02' } })),
    ).toEqual([]);
  });

  it('counts the strategy day once per order; record: false counts nothing', async () => {
    const activities = risk({ maxDailyOrders: 2, maxDailyNotional: '1000' });
    const base = { strategyId: 'day' };
    await activities.riskCheck({ order: order('sim', { ...base, quantity: '0.001' }), record: false });
    const a = order('sim', { ...base, quantity: '0.001' });
    expect(codes(await activities.riskCheck({ order: a }))).toEqual([]);
    expect(codes(await activities.riskCheck({ order: a }))).toEqual([]);
    const b = await activities.riskCheck({ order: order('sim', { ...base, quantity: '0.002' }) });
    expect(b.context.dayStats).toEqual({ orders: 1, notional: '60' });
    const c = await activities.riskCheck({ order: order('sim', { ...base, quantity: '0.003' }) });
    expect(c.context.dayStats).toEqual({ orders: 2, notional: '180' });
    expect(codes(c)).toEqual(['DAILY_ORDER_COUNT']);
  });

  it('asks the venue only what the limits need', async () => {
    const sent = requests.get('sim') as string[];
    await risk({ maxOrderQuantity: '1', signalTtlMs: 1000 }).riskCheck({ order: order('sim') });
    expect(sent).toEqual([]);
    await risk({ maxOrderNotional: '1000' }).riskCheck({ order: order('sim') }); // priced by its limit
    expect(sent).toEqual([]);
    await risk({}, {}, { enabled: false }).riskCheck({ order: order('sim', { reduceOnly: true }) });
    expect(sent).toEqual([]);
    await risk({ maxOrderNotional: '1000' }).riskCheck({
      order: order('sim', { type: 'market', limitPrice: undefined }),
    });
    expect(sent).toEqual(['/api/v3/depth']);
    sent.length = 0;
    // Positions (from balances) and the balance check share one account read.
    await risk({ maxPosition: '10', checkBalance: true }).riskCheck({ order: order('sim') });
    expect([...sent].sort()).toEqual(['/api/v3/account', '/api/v3/openOrders']);
  });

  it('an unknown venue fails final, typed UNKNOWN_VENUE', async () => {
    const failure = await risk({ priceCollarBps: 1 })
      .riskCheck({ order: order('nowhere') })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'UNKNOWN_VENUE', nonRetryable: true });
  });
});
