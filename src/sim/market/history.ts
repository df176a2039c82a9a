import { floorToStep, type Decimal } from '../engine/decimal';
import type { Instrument } from '../engine/instrument';
import type { Candle } from '../marketdata/candles';
import { MINUTE_MS, minuteStart } from '../marketdata/intervals';
import type { Rng } from './prng';
import type { MarketProfile } from './profile';

/**
 * Relative trading activity per UTC hour: quiet Asian night, busy European afternoon and US
 * open. Gives volume-profile (VWAP) schedules a real shape to learn from.
 */
const HOURLY_ACTIVITY = [
  0.8, 0.7, 0.65, 0.6, 0.6, 0.65, 0.75, 0.9, 1.0, 1.05, 1.05, 1.1, 1.2, 1.4, 1.5, 1.45, 1.3, 1.15, 1.0, 0.95,
  0.9, 0.9, 0.85, 0.8,
];

/**
 * Deterministic one-minute candles for the `minutes` before `now`'s minute, ending exactly at
 * `endPrice` so the history joins the live market seamlessly. The walk runs backwards from the
 * present, in whole ticks and whole lots.
 */
export function generateHistory(
  rng: Rng,
  instrument: Instrument,
  profile: MarketProfile,
  endPrice: Decimal,
  now: number,
  minutes: number,
): Candle[] {
  const tick = instrument.tickSize;
  const minTicks = Math.max(1, instrument.minPrice.div(tick).ceil().toNumber());
  const averageLots = Math.max(1, Math.round(profile.historyMinuteVolume / instrument.stepSize.toNumber()));
  // A trade count consistent with the live market's typical taker size.
  const averageTradeNotional = (profile.takerNotional[0] + profile.takerNotional[1]) / 2;
  const candles: Candle[] = new Array<Candle>(minutes);
  let closeTicks = endPrice.div(tick).round().toNumber();
  let openTime = minuteStart(now);
  for (let index = minutes - 1; index >= 0; index--) {
    openTime -= MINUTE_MS;
    const sigma = Math.max(1, closeTicks * profile.minuteVolatility);
    const openTicks = Math.max(minTicks, closeTicks - Math.round(rng.normal() * sigma));
    const highTicks = Math.max(openTicks, closeTicks) + Math.round(Math.abs(rng.normal()) * sigma * 0.5);
    const lowTicks = Math.max(
      minTicks,
      Math.min(openTicks, closeTicks) - Math.round(Math.abs(rng.normal()) * sigma * 0.5),
    );
    const activity = HOURLY_ACTIVITY[new Date(openTime).getUTCHours()] ?? 1;
    const lots = Math.round(averageLots * activity * rng.between(0.4, 1.6));
    const volume = instrument.stepSize.mul(lots);
    const typicalPrice = tick.mul(Math.round((highTicks + lowTicks + closeTicks) / 3));
    const takerBuy = floorToStep(volume.mul(rng.between(0.35, 0.65).toFixed(4)), instrument.stepSize);
    candles[index] = {
      openTime,
      open: tick.mul(openTicks),
      high: tick.mul(highTicks),
      low: tick.mul(lowTicks),
      close: tick.mul(closeTicks),
      volume,
      quoteVolume: volume.mul(typicalPrice),
      trades:
        lots === 0 ? 0 : Math.max(1, Math.round(volume.mul(typicalPrice).toNumber() / averageTradeNotional)),
      takerBuyBaseVolume: takerBuy,
      takerBuyQuoteVolume: takerBuy.mul(typicalPrice),
    };
    closeTicks = openTicks;
  }
  return candles;
}
