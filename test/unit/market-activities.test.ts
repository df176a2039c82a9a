/** The market-data activities on paper venues: no I/O, the shapes and the routing choices. */
import { ApplicationFailure } from '@temporalio/common';
import { createMarketActivities } from '../../src/activities/market-activities';
import { registeredVenue } from '../../src/venues/factory';
import { PaperVenue } from '../../src/venues/paper-venue';
import { VenueRegistry } from '../../src/venues/registry';

function setup() {
  const a = new PaperVenue('a', { 'BTC/USDT': '60000' });
  const b = new PaperVenue('b', { 'BTC/USDT': '60010' });
  const off = new PaperVenue('off', { 'BTC/USDT': '59990' });
  const registry = new VenueRegistry(
    new Map([
      ['a', registeredVenue(a, { routing: { priority: 5, costBps: 1, costPerUnit: '0.5', enabled: true } })],
      [
        'b',
        registeredVenue(b, {
          routing: { priority: 2, costBps: 3, costPerUnit: '0', maxOrderSize: '0.5', enabled: true },
        }),
      ],
      [
        'off',
        registeredVenue(off, { routing: { priority: 1, costBps: 0, costPerUnit: '0', enabled: false } }),
      ],
    ]),
  );
  return { a, registry, market: createMarketActivities(registry) };
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApplicationFailure) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

it('paper: its public trades are its own fills; volume, count and VWAP of a window', async () => {
  const { a, market } = setup();
  const since = new Date(Date.now() - 1000).toISOString();
  const order = { symbol: 'BTC/USDT', type: 'market', timeInForce: 'GTC' } as const;
  await a.submitOrder({ ...order, clientOrderId: 'c1', side: 'buy', quantity: '0.5' });
  a.setPrice('BTC/USDT', '60100');
  await a.submitOrder({ ...order, clientOrderId: 'c2', side: 'sell', quantity: '1.5' });
  await new Promise((resolve) => setTimeout(resolve, 2)); // until (now) is exclusive
  const trades = await a.fetchTrades('BTC/USDT', new Date(since));
  expect(trades.map((t) => [t.quantity, t.price, t.side])).toEqual([
    ['0.5', '60000', 'buy'],
    ['1.5', '60100', 'sell'],
  ]);
  const volume = await market.marketVolume({ venue: 'a', symbol: 'BTC/USDT', since });
  expect(volume).toMatchObject({ venue: 'a', volume: '2', trades: 2, vwap: '60075', from: since });
});

it('marketQuote: mid exactly halfway; no candles, no last', async () => {
  const { market } = setup();
  const quote = await market.marketQuote({ venue: 'a', symbol: 'BTC/USDT' });
  expect(quote).toMatchObject({ bid: '60000', ask: '60000', mid: '60000' });
  expect(quote.last).toBeUndefined();
});

it('routeQuotes: enabled venues only, by priority, with their routing settings', async () => {
  const { market } = setup();
  const quotes = await market.routeQuotes({ symbol: 'BTC/USDT', side: 'buy' });
  expect(quotes.map((q) => q.venue)).toEqual(['b', 'a']);
  expect(quotes[0]).toMatchObject({ priority: 2, costBps: 3, costPerUnit: '0', maxOrderSize: '0.5' });
  expect(quotes[0]?.levels).toEqual([{ price: '60010', quantity: '1000' }]);
  expect(quotes[1]).toMatchObject({ priority: 5, costBps: 1, costPerUnit: '0.5' });
  expect(quotes[1]).not.toHaveProperty('maxOrderSize');
});

it('routeQuotes: a named venue with routing disabled is left out; only such venues → NO_ROUTING_VENUES', async () => {
  const { market } = setup();
  const quotes = await market.routeQuotes({ venues: ['off', 'a'], symbol: 'BTC/USDT', side: 'sell' });
  expect(quotes.map((q) => q.venue)).toEqual(['a']);
  expect(
    await failureOf(market.routeQuotes({ venues: ['off'], symbol: 'BTC/USDT', side: 'sell' })),
  ).toMatchObject({ type: 'NO_ROUTING_VENUES', nonRetryable: true });
});

it('candles: a paper venue has none', async () => {
  const { market } = setup();
  const since = new Date(Date.now() - 3_600_000).toISOString();
  expect(await market.candles({ venue: 'a', symbol: 'BTC/USDT', timeframe: '1m', since })).toEqual([]);
});

it('unknown venue and symbol: typed, final', async () => {
  const { market } = setup();
  expect(await failureOf(market.marketQuote({ venue: 'z', symbol: 'BTC/USDT' }))).toMatchObject({
    type: 'UNKNOWN_VENUE',
    nonRetryable: true,
  });
  const since = new Date(Date.now() - 1000).toISOString();
  expect(await failureOf(market.marketVolume({ venue: 'a', symbol: 'ETH/USDT', since }))).toMatchObject({
    type: 'BAD_SYMBOL',
    nonRetryable: true,
  });
});
