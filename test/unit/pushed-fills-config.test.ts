/**
 * The `stream` block of a ccxt venue: defaults, typed errors for bad values, which venues get a
 * stream, and where a simulator venue's pro exchange points its WebSockets.
 */
import { createCcxtProExchange, orderStreamEnabled } from '../../src/venues/factory';
import { type CcxtVenueConfig, parseWorkerConfig } from '../../src/workers/config';

function venue(fields: Record<string, unknown>) {
  const config = parseWorkerConfig(JSON.stringify({ venues: { v: fields } }));
  const parsed = config.venues['v'];
  if (parsed === undefined) throw new Error('no venue');
  return parsed;
}

function ccxtVenue(fields: Record<string, unknown>): CcxtVenueConfig {
  const parsed = venue({ kind: 'ccxt', ...fields });
  if (parsed.kind !== 'ccxt') throw new Error('not ccxt');
  return parsed;
}

describe('stream configuration', () => {
  it('defaults: enabled when the exchange can watch orders, fallback poll every 2 s', () => {
    const binance = ccxtVenue({ exchange: 'binance' });
    expect(binance.stream).toEqual({ fallbackPollIntervalMs: 2_000, reconnectMaxMs: 5_000 });
    expect(orderStreamEnabled(binance)).toBe(true);
    // An exchange ccxt pro does not stream (REST-only class): no stream, plain polling.
    expect(orderStreamEnabled(ccxtVenue({ exchange: 'coinmate' }))).toBe(false);
  });

  it('can be switched off, and the paper venue never has one', () => {
    expect(orderStreamEnabled(ccxtVenue({ exchange: 'binance', stream: { enabled: false } }))).toBe(false);
    expect(orderStreamEnabled(venue({ kind: 'paper', prices: {} }))).toBe(false);
  });

  it('refuses to enable a stream the exchange cannot give', () => {
    expect(() => orderStreamEnabled(ccxtVenue({ exchange: 'coinmate', stream: { enabled: true } }))).toThrow(
      /"coinmate" cannot watch orders: set stream.enabled to false/,
    );
  });

  it.each([
    [{ fallbackPollIntervalMs: 0 }, /venues\.v\.stream\.fallbackPollIntervalMs/],
    [{ fallbackPollIntervalMs: 1.5 }, /venues\.v\.stream\.fallbackPollIntervalMs/],
    [{ reconnectMaxMs: -1 }, /venues\.v\.stream\.reconnectMaxMs/],
    [{ enabled: 'yes' }, /venues\.v\.stream\.enabled/],
    [{ fallbackPollMs: 100 }, /venues\.v\.stream/],
  ])('refuses stream %j with an error naming the field', (stream, message) => {
    expect(() => venue({ kind: 'ccxt', exchange: 'binance', stream })).toThrow(message);
  });

  it('a paper venue refuses a stream block', () => {
    expect(() => venue({ kind: 'paper', prices: {}, stream: {} })).toThrow(/invalid worker configuration/);
  });

  it('points every WebSocket of a simulator venue at the simulator, keeping the REST URLs there', async () => {
    const exchange = createCcxtProExchange(
      ccxtVenue({ exchange: 'binance', simulatorUrl: 'http://127.0.0.1:8399', apiKey: 'k', secret: 's' }),
    );
    try {
      const urls = exchange.urls as unknown as { api: { ws: Record<string, unknown>; public: string } };
      expect(urls.api.ws['ws-api']).toMatchObject({ spot: 'ws://127.0.0.1:8399/ws-api/v3' });
      expect(urls.api.public).toBe('http://127.0.0.1:8399/api/v3');
      const everyWsUrl = JSON.stringify(urls.api.ws).match(/wss?:\/\/[^"]+/g) ?? [];
      expect(everyWsUrl.length).toBeGreaterThan(5);
      expect(everyWsUrl.filter((u) => !u.startsWith('ws://127.0.0.1:8399/'))).toEqual([]);
      expect(exchange.has['watchOrders']).toBe(true);
    } finally {
      await exchange.close();
    }
  });
});
