/**
 * allFillsSince: a venue answers one page of an account's trades per request (Binance: the oldest
 * 500 from `since`), so reconciliation pages on from the newest time seen until nothing is new.
 */
import { allFillsSince } from '../../src/activities/reconciliation-activities';
import type { Fill } from '../../src/domain/order-state';
import type { Venue } from '../../src/venues/types';

const START = Date.parse('2026-01-01T00:00:00Z');

/** A venue with `count` trades, `perMs` per millisecond, answering pages of `pageSize` like Binance. */
function pagedVenue(count: number, perMs: number, pageSize = 500) {
  const trades: Fill[] = Array.from({ length: count }, (_, i) => ({
    tradeId: String(i + 1),
    quantity: '0.001',
    price: '60000',
    fee: '0',
    feeCurrency: 'USDT',
    timestamp: new Date(START + Math.floor(i / perMs)).toISOString(),
    venueOrderId: String(1000 + Math.floor(i / 3)),
  }));
  const requests: string[] = [];
  const venue = {
    name: 'paged',
    async fetchFillsSince(_symbol: string, since: Date): Promise<Fill[]> {
      requests.push(since.toISOString());
      return trades.filter((t) => Date.parse(t.timestamp) >= since.getTime()).slice(0, pageSize);
    },
  };
  // Only fetchFillsSince is called; the rest of the interface is not needed here.
  return { venue: venue as unknown as Venue, trades, requests };
}

test('every trade of a window wider than one page, each once', async () => {
  const { venue, trades, requests } = pagedVenue(1_234, 2);
  const fills = await allFillsSince(venue, 'BTC/USDT', new Date(START), () => undefined);
  expect(fills.map((f) => f.tradeId).sort()).toEqual(trades.map((t) => t.tradeId).sort());
  expect(requests.length).toBeGreaterThan(2);
});

test('a window within one page is one request (plus the one that finds nothing new)', async () => {
  const { venue, requests } = pagedVenue(120, 1);
  const fills = await allFillsSince(venue, 'BTC/USDT', new Date(START), () => undefined);
  expect(fills).toHaveLength(120);
  expect(requests.length).toBeLessThanOrEqual(2);
});

test('no trades: one request, nothing', async () => {
  const { venue, requests } = pagedVenue(0, 1);
  expect(await allFillsSince(venue, 'BTC/USDT', new Date(START), () => undefined)).toEqual([]);
  expect(requests).toHaveLength(1);
});
