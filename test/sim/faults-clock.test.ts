/**
 * Clock skew: the venue's clock runs off by clockSkewMs. Signed requests stamped with the
 * client's clock get -1021 (ccxt: InvalidNonce); GET /api/v3/time reports the skewed time, so a
 * client that resyncs (loadTimeDifference, or adjustForTimeDifference on loadMarkets) recovers.
 */
import type { RunningSimulator } from '../../src/sim/server';
import { setFaults, thrownBy, watchedBinance, type WatchedExchange } from './faults-harness';
import { admin, startTestSimulator } from './harness';

let sim: RunningSimulator;
let client: WatchedExchange;

beforeAll(async () => {
  sim = await startTestSimulator();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await admin(sim, 'POST', '/admin/reset');
  client = watchedBinance(sim);
  await client.exchange.loadMarkets();
});

async function venueTime(): Promise<number> {
  const response = await fetch(`${sim.url}/api/v3/time`);
  return ((await response.json()) as { serverTime: number }).serverTime;
}

it.each([
  { skewMs: -5_000, why: 'venue behind: the request is stamped 1000 ms or more ahead of it' },
  { skewMs: 30_000, why: 'venue ahead: the request is older than recvWindow' },
])('clockSkewMs $skewMs → -1021 → InvalidNonce; a resync recovers ($why)', async ({ skewMs }) => {
  await setFaults(sim, { clockSkewMs: skewMs });
  expect(Math.abs((await venueTime()) - Date.now() - skewMs)).toBeLessThan(1_000);

  const { className } = await thrownBy(client.exchange.fetchBalance());
  expect(className).toBe('InvalidNonce');
  expect(client.seen()?.status).toBe(400);
  expect(JSON.parse(client.seen()?.body ?? '{}')).toMatchObject({ code: -1021 });

  client.exchange.options['adjustForTimeDifference'] = true;
  const difference = await client.exchange.loadTimeDifference();
  expect(Math.abs(difference + skewMs)).toBeLessThan(1_000);
  await client.exchange.fetchBalance();
});

it('adjustForTimeDifference resyncs on loadMarkets(true), as a service would after InvalidNonce', async () => {
  await setFaults(sim, { clockSkewMs: -8_000 });
  expect((await thrownBy(client.exchange.fetchBalance())).className).toBe('InvalidNonce');
  client.exchange.options['adjustForTimeDifference'] = true;
  await client.exchange.loadMarkets(true);
  await client.exchange.fetchBalance();
});

it('public endpoints are not affected by skew (they are not timestamp-checked)', async () => {
  await setFaults(sim, { clockSkewMs: -60_000 });
  await client.exchange.fetchTicker('BTC/USDT');
  await client.exchange.fetchOrderBook('BTC/USDT');
});
