/**
 * The live-trading gates at work: a real ccxt venue (binance, no simulatorUrl) registered by the
 * factory under DRY_RUN refuses orders through the order activities, typed and final, without a
 * single request. Its URLs point at a local recording server, so "no request" is observed, not
 * assumed: the same venue's market data (which the gate lets through) does reach the recorder,
 * and with both gates open its orders do too.
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createOrderActivities } from '../../src/activities/order-activities';
import { type LiveGates, liveGatesFrom } from '../../src/domain/live-gates';
import { simulatorExchangeConfig } from '../../src/sim/ccxt-client';
import { createCcxtExchange, createRegisteredVenue, createVenueRegistry } from '../../src/venues/factory';
import { GatedVenue } from '../../src/venues/gated-venue';
import { VenueRegistry } from '../../src/venues/registry';
import type { NewVenueOrder } from '../../src/venues/types';
import { parseWorkerConfig } from '../../src/workers/config';
import { type WebhookReceiver, startWebhookReceiver } from '../support/webhook-receiver';

const CONFIG = parseWorkerConfig(
  JSON.stringify({
    venues: {
      binance: { exchange: 'binance', apiKey: 'real-key', secret: 'real-secret', timeoutMs: 2_000 },
      sim: { exchange: 'binance', simulatorUrl: 'http://127.0.0.1:1' },
      paper: { kind: 'paper', prices: { 'BTC/USDT': '60000' } },
    },
  }),
  {},
);

const ORDER: NewVenueOrder = {
  clientOrderId: 'gate-1',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  quantity: '0.01',
  limitPrice: '50000',
  timeInForce: 'GTC',
};

/** Any HTTP request, recorded (the webhook test receiver serves as a recording server). */
let recorder: WebhookReceiver;
beforeEach(async () => {
  recorder = await startWebhookReceiver();
});
afterEach(async () => {
  await recorder.close();
});

/** The factory's binance venue under `gates`, its every URL group pointed at the recorder. */
function binanceRegistry(gates: LiveGates): VenueRegistry {
  const config = CONFIG.venues['binance'];
  if (config?.kind !== 'ccxt') throw new Error('test configuration: binance must be ccxt');
  const exchange = createCcxtExchange(config);
  const recorded = simulatorExchangeConfig('binance', new URL(recorder.url).origin);
  exchange.urls = { ...exchange.urls, ...recorded.urls } as typeof exchange.urls;
  const registered = createRegisteredVenue('binance', config, gates, exchange);
  return new VenueRegistry(
    new Map([['binance', { ...registered, settings: { ...registered.settings, maxAttempts: 1 } }]]),
  );
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ApplicationFailure))
    throw new Error(`expected an ApplicationFailure, got ${String(err)}`);
  return err;
}

describe('a real venue under DRY_RUN', () => {
  it('refuses submit, resend, prepare and amend: LIVE_TRADING_DISABLED, final, nothing sent', async () => {
    const registry = binanceRegistry(liveGatesFrom({}));
    const activities = createOrderActivities(registry);
    const submit = await failureOf(activities.submitOrder({ venue: 'binance', order: ORDER }));
    expect([submit.type, submit.nonRetryable]).toEqual(['LIVE_TRADING_DISABLED', true]);
    expect(submit.message).toMatch(/DRY_RUN=false and LIVE_CONFIRM=YES/);

    // A resend (attempt 2) would look the order up first: refused before that too.
    const resend = await failureOf(
      new MockActivityEnvironment({ attempt: 2 }, { logger: new DefaultLogger('ERROR') }).run(
        activities.submitOrder,
        {
          venue: 'binance',
          order: ORDER,
          lookUpFirst: true,
        },
      ),
    );
    expect(resend.type).toBe('LIVE_TRADING_DISABLED');

    // The order workflow's first step: the order ends DENIED with the gate's code.
    const prepare = await failureOf(activities.prepareOrder({ venue: 'binance', symbol: 'BTC/USDT' }));
    expect([prepare.type, prepare.nonRetryable]).toEqual(['LIVE_TRADING_DISABLED', true]);

    const amend = await failureOf(
      activities.amendOrder({
        venue: 'binance',
        replace: { symbol: 'BTC/USDT', venueOrderId: '1' },
        replacement: { ...ORDER, clientOrderId: 'gate-1-r1' },
        totalQuantity: '0.01',
        filledBefore: '0',
      }),
    );
    expect(amend.type).toBe('LIVE_TRADING_DISABLED');
    expect(recorder.requests).toEqual([]);

    // The recorder is where this venue's requests go: market data passes the gate and arrives.
    await registry
      .get('binance')
      .venue.fetchOrderBook('BTC/USDT')
      .catch(() => undefined);
    expect(recorder.requests.length).toBeGreaterThan(0);
    await registry.close();
  });

  it('DRY_RUN=false without LIVE_CONFIRM=YES: LIVE_NOT_CONFIRMED, nothing sent', async () => {
    const registry = binanceRegistry(liveGatesFrom({ DRY_RUN: 'false', LIVE_CONFIRM: 'yes' }));
    const failure = await failureOf(
      createOrderActivities(registry).submitOrder({ venue: 'binance', order: ORDER }),
    );
    expect([failure.type, failure.nonRetryable]).toEqual(['LIVE_NOT_CONFIRMED', true]);
    expect(failure.message).toMatch(/LIVE_CONFIRM=YES/);
    expect(recorder.requests).toEqual([]);
    await registry.close();
  });

  it('both gates open: the same order does go out (the gate, not the setup, stopped it above)', async () => {
    const registry = binanceRegistry(liveGatesFrom({ DRY_RUN: 'false', LIVE_CONFIRM: 'YES' }));
    expect(registry.get('binance').venue).not.toBeInstanceOf(GatedVenue);
    const failure = await failureOf(
      createOrderActivities(registry).submitOrder({ venue: 'binance', order: ORDER }),
    );
    expect(failure.type).not.toMatch(/^LIVE_/); // the recorder is no exchange: some other failure
    expect(recorder.requests.length).toBeGreaterThan(0);
    await registry.close();
  });
});

describe('the factory', () => {
  it('gates only real venues; simulators and paper are registered as they are', async () => {
    const registry = createVenueRegistry(CONFIG, liveGatesFrom({}));
    expect(registry.get('binance').venue).toBeInstanceOf(GatedVenue);
    expect(registry.get('sim').venue).not.toBeInstanceOf(GatedVenue);
    expect(registry.get('paper').venue).not.toBeInstanceOf(GatedVenue);
    // The paper venue trades under DRY_RUN.
    const placed = await createOrderActivities(registry).submitOrder({ venue: 'paper', order: ORDER });
    expect(placed.order.state).toBe('open');
    await registry.close();
  });
});
