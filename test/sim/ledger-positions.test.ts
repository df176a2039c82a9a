/**
 * Ordo's book as the position source, against the simulator through real ccxt: trades made at the
 * venue and recorded in a ledger as the order workflow records them (ledgerTradesOf), then
 *   - pre-trade risk with `risk.positionSource: "ledger"`: the position limit and reduce-only see
 *     the order's strategy's holding (the deposit is not a position; a buyer's fee taken in the
 *     base asset is not held), every strategy's summed without a strategy or for the kill switch;
 *   - the kill switch's flatten sizes: what Ordo's trades left in the account, sold back to the
 *     exact starting balance; capped by what the account has free (the last satoshi) and rounded
 *     down to the lot size, the dust left alone.
 * Called directly (no Temporal), each test on its own account and ledger.
 */
import { ledgerTradesOf } from '../../src/activities/ledger-activities';
import {
  KILL_SWITCH_STRATEGY,
  ledgerFlattenPositions,
  positionSources,
} from '../../src/activities/ledger-positions';
import { createRiskActivities } from '../../src/activities/risk-activities';
import { add, cmp, sub } from '../../src/domain/decimal';
import { holdingsOf } from '../../src/domain/net-positions';
import type { OrderRequest } from '../../src/domain/order-request';
import { NO_RISK_LIMITS, type RiskLimits } from '../../src/domain/risk';
import { openLedger } from '../../src/ledger/open-ledger';
import type { Ledger, LedgerTrade } from '../../src/ledger/types';
import type { RunningSimulator } from '../../src/sim/server';
import { createCcxtExchange, createCcxtVenue, registeredVenue } from '../../src/venues/factory';
import { VenueRegistry } from '../../src/venues/registry';
import type { Venue } from '../../src/venues/types';
import { admin, clientId, startTestSimulator } from './harness';
import { DIALECTS, type VenueName, venueConfig } from './venue-harness';

let sim: RunningSimulator;
let registry: VenueRegistry | undefined;
let ledger: Ledger | undefined;

beforeAll(async () => {
  sim = await startTestSimulator();
});

afterAll(async () => {
  await sim.close();
});

afterEach(async () => {
  await registry?.close();
  await ledger?.close();
  registry = undefined;
  ledger = undefined;
});

let accounts = 0;
/** A fresh account at the simulator, one venue on it, and an empty ledger. */
async function desk(name: VenueName, balances: Record<string, string>) {
  accounts += 1;
  const account = { apiKey: `ledger-pos-${accounts}`, secret: `ledger-pos-${accounts}-secret` };
  await admin(sim, 'POST', '/admin/accounts', { ...account, balances });
  const config = { ...venueConfig(sim, name), ...account, clockSyncIntervalMs: 0 };
  const venue = createCcxtVenue(name, config, createCcxtExchange(config));
  registry = new VenueRegistry(new Map([[name, registeredVenue(venue, { maxAttempts: 3 })]]));
  ledger = await openLedger('sqlite::memory:');
  return { venue, registry, ledger };
}

/** A market order at the venue, its fills recorded in the ledger as the order workflow would. */
async function trade(
  venue: Venue,
  book: Ledger,
  side: 'buy' | 'sell',
  quantity: string,
  strategyId?: string,
): Promise<LedgerTrade[]> {
  const clientOrderId = clientId(`lp-${side}`);
  const placed = await venue.submitOrder({
    clientOrderId,
    symbol: 'BTC/USDT',
    side,
    type: 'market',
    quantity,
    timeInForce: 'GTC',
  });
  expect(placed).toMatchObject({ state: 'closed', filledQuantity: quantity });
  const fills = await venue.fetchOrderFills({ symbol: 'BTC/USDT', venueOrderId: placed.venueOrderId });
  const trades = ledgerTradesOf({
    order: {
      orderId: clientOrderId,
      clientOrderId,
      symbol: 'BTC/USDT',
      side,
      venue: venue.name,
      ...(strategyId === undefined ? {} : { strategyId }),
    },
    fills,
  });
  await book.recordTrades(trades);
  return trades;
}

/** Σ fees of these trades in one currency. */
function feesIn(trades: LedgerTrade[], currency: string): string {
  return trades.filter((t) => t.feeCurrency === currency).reduce((sum, t) => add(sum, t.fee), '0');
}

async function free(venue: Venue, asset: string): Promise<string> {
  return (await venue.fetchBalances())[asset]?.free ?? '0';
}

function order(venue: string, overrides: Partial<OrderRequest> = {}): OrderRequest {
  return {
    orderId: clientId('lp-order'),
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    quantity: '0.01',
    timeInForce: 'GTC',
    venue,
    ...overrides,
  };
}

const codes = (result: { issues: { code: string }[] }) => result.issues.map((i) => i.code);

describe.each(DIALECTS)('%s (%s dialect)', (name) => {
  it('risk on the ledger: the strategy’s own holding, net of base fees; the deposit is not a position', async () => {
    const d = await desk(name, { USDT: '10000', BTC: '0.5' });
    const boughtByA = await trade(d.venue, d.ledger, 'buy', '0.03', 'a');
    await trade(d.venue, d.ledger, 'sell', '0.01', 'b');
    const feeA = feesIn(boughtByA, 'BTC');
    expect(cmp(feeA, 0)).toBe(1); // the venue took a's fee in BTC
    const heldByA = sub('0.03', feeA);

    const limits: RiskLimits = { maxPosition: '0.05' };
    const sources = (choice: 'venue' | 'ledger') => ({
      positions: positionSources(d.ledger, d.registry, choice).risk,
    });
    const onLedger = createRiskActivities({
      registry: d.registry,
      limits: { ...NO_RISK_LIMITS, defaults: limits },
      sources: sources('ledger'),
    });
    const onVenue = createRiskActivities({
      registry: d.registry,
      limits: { ...NO_RISK_LIMITS, defaults: limits },
      sources: sources('venue'),
    });

    // Strategy a holds what its buy left in the account; b is short what it sold; together, net.
    const buyA = order(name, { strategyId: 'a', quantity: '0.02' });
    const checkA = await onLedger.riskCheck({ order: buyA, record: false });
    expect(checkA.context.position).toBe(heldByA);
    expect(codes(checkA)).toEqual([]);
    expect(codes(await onLedger.riskCheck({ order: { ...buyA, quantity: '0.03' }, record: false }))).toEqual([
      'POSITION_LIMIT',
    ]);
    const net = sub(heldByA, '0.01');
    for (const strategyId of [undefined, KILL_SWITCH_STRATEGY]) {
      const check = await onLedger.riskCheck({
        order: order(name, strategyId === undefined ? {} : { strategyId }),
        record: false,
      });
      expect(check.context.position).toBe(net);
    }
    expect((await onLedger.riskCheck({ order: order(name, { strategyId: 'b' }) })).context.position).toBe(
      '-0.01',
    );
    // The venue source counts the account's whole balance, the deposit included.
    const onBalance = await onVenue.riskCheck({ order: buyA, record: false });
    expect(onBalance.context.position).toBe(await free(d.venue, 'BTC'));
    expect(codes(onBalance)).toEqual(['POSITION_LIMIT']);

    // Reduce-only: a can sell back what it holds, not the fee the venue kept; b can buy back its
    // short — which a spot balance, always long, can never say reduces.
    const sellA = order(name, { strategyId: 'a', side: 'sell', reduceOnly: true, quantity: heldByA });
    expect(codes(await onLedger.riskCheck({ order: sellA, record: false }))).toEqual([]);
    expect(codes(await onLedger.riskCheck({ order: { ...sellA, quantity: '0.03' }, record: false }))).toEqual(
      ['REDUCE_ONLY'],
    );
    const coverB = order(name, { strategyId: 'b', reduceOnly: true, quantity: '0.01' });
    expect(codes(await onLedger.riskCheck({ order: coverB, record: false }))).toEqual([]);
    expect(codes(await onVenue.riskCheck({ order: coverB, record: false }))).toEqual([
      'POSITION_LIMIT',
      'REDUCE_ONLY',
    ]);
    // The kill switch's own orders are checked against the ledger whatever is configured.
    const coverAll = order(name, { strategyId: KILL_SWITCH_STRATEGY, reduceOnly: true, side: 'sell' });
    expect(
      (await onVenue.riskCheck({ order: { ...coverAll, quantity: net }, record: false })).context.position,
    ).toBe(net);
  });

  it('flatten sells what Ordo’s trades left, back to the exact starting balance', async () => {
    const d = await desk(name, { USDT: '10000', BTC: '0.5' });
    await trade(d.venue, d.ledger, 'buy', '0.03', 'a');
    await trade(d.venue, d.ledger, 'sell', '0.01', 'b');
    const [holding] = holdingsOf(await d.ledger.positions());
    const planned = await ledgerFlattenPositions(d.ledger, d.registry)();
    // 0.03 − 0.00003 BTC fee − 0.01 is a whole number of lots: all of it.
    expect(planned).toEqual([{ venue: name, symbol: 'BTC/USDT', quantity: holding?.held }]);
    await trade(d.venue, d.ledger, 'sell', planned[0]?.quantity ?? '0', KILL_SWITCH_STRATEGY);

    expect(await free(d.venue, 'BTC')).toBe('0.5');
    const [after] = holdingsOf(await d.ledger.positions());
    expect(after?.held).toBe('0');
    // The book's quantity is left at the fee the venue took in BTC: Ordo never held it.
    expect(after?.quantity).toBe(after?.baseFees);
    expect(await ledgerFlattenPositions(d.ledger, d.registry)()).toEqual([]);
  });

  it('the last satoshi: capped by the free balance, rounded down to the lot, dust left alone', async () => {
    // No BTC but what Ordo buys: a sell of the ledger's 0.0123 would fail for insufficient funds.
    const d = await desk(name, { USDT: '10000' });
    const bought = await trade(d.venue, d.ledger, 'buy', '0.0123');
    const inAccount = await free(d.venue, 'BTC');
    expect(inAccount).toBe(sub('0.0123', feesIn(bought, 'BTC')));
    const rules = await d.venue.marketRules('BTC/USDT');
    const [planned] = await ledgerFlattenPositions(d.ledger, d.registry)();
    const size = planned?.quantity ?? '0';
    expect(cmp(size, inAccount)).toBeLessThanOrEqual(0);
    expect(cmp(sub(inAccount, size), rules.amountStep)).toBe(-1);
    await trade(d.venue, d.ledger, 'sell', size);
    const dust = await free(d.venue, 'BTC');
    expect(dust).toBe(sub(inAccount, size));
    expect(cmp(dust, 0)).toBe(1); // 0.0123 less its fee is not a whole number of lots
    expect(holdingsOf(await d.ledger.positions())[0]?.held).toBe(dust);
    // Less than a lot is left: nothing more to plan, so a second flatten does not loop on it.
    expect(await ledgerFlattenPositions(d.ledger, d.registry)()).toEqual([]);

    // A ledger that claims more than the account has (coins moved out since): the free balance caps it.
    await trade(d.venue, d.ledger, 'buy', '0.01');
    await d.ledger.recordTrades([
      {
        tradeId: `${name}:moved-out`,
        venueTradeId: 'moved-out',
        timestamp: new Date().toISOString(),
        symbol: 'BTC/USDT',
        direction: 'BUY',
        size: '0.005',
        price: '60000',
        fee: '0',
        feeCurrency: '',
        orderId: 'elsewhere',
        clientOrderId: 'elsewhere',
        venue: name,
      },
    ]);
    const capped = await ledgerFlattenPositions(d.ledger, d.registry)();
    const freeNow = await free(d.venue, 'BTC');
    expect(cmp(holdingsOf(await d.ledger.positions())[0]?.held ?? '0', freeNow)).toBe(1);
    expect(capped).toHaveLength(1);
    expect(cmp(capped[0]?.quantity ?? '0', freeNow)).toBeLessThanOrEqual(0);
    expect(cmp(sub(freeNow, capped[0]?.quantity ?? '0'), rules.amountStep)).toBe(-1);
  });
});
