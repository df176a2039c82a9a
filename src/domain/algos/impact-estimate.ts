/**
 * Estimates the Almgren–Chriss parameters (σ, η, γ, ε) from a venue's candles when the request
 * does not give them, using the paper's own rules of thumb, and says how in one note per estimate.
 * Model math, so floats: nothing here is traded.
 */
import { ModelError } from './almgren-chriss';

export interface CandleLike {
  openTime: string;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

interface Bar {
  at: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Below this a standard deviation from close-to-close changes is meaningless. */
const MIN_CANDLES = 3;
/** Spread fallback when the candles cannot tell: 1 basis point of the price. */
const FALLBACK_SPREAD_FRACTION = 1e-4;

const UNIT_NAMES: Record<number, string> = {
  1000: 'second',
  60_000: 'minute',
  3_600_000: 'hour',
  86_400_000: 'day',
};
const unitName = (ms: number): string => UNIT_NAMES[ms] ?? `${ms} ms`;
const fmt = (value: number): string => Number(value.toPrecision(4)).toString();

function toBars(candles: readonly CandleLike[]): Bar[] {
  const bars = candles.map((c) => ({
    at: Date.parse(c.openTime),
    high: Number(c.high),
    low: Number(c.low),
    close: Number(c.close),
    volume: Number(c.volume),
  }));
  for (const b of bars)
    if (![b.at, b.high, b.low, b.close, b.volume].every(Number.isFinite) || b.close <= 0 || b.volume < 0)
      throw new ModelError('INVALID_MODEL_INPUT', 'a candle has a missing, negative or non-numeric field');
  return bars.sort((a, b) => a.at - b.at);
}

/** Sample standard deviation of close-to-close changes (price units per candle). */
function closeChangeStd(bars: readonly Bar[]): number {
  const changes = bars.slice(1).map((b, i) => b.close - (bars[i] as Bar).close);
  const mean = changes.reduce((s, d) => s + d, 0) / changes.length;
  const squares = changes.reduce((s, d) => s + (d - mean) ** 2, 0);
  return Math.sqrt(squares / (changes.length - 1));
}

/**
 * Corwin & Schultz (2012) relative spread from the highs and lows of consecutive candles: a
 * two-candle range grows with volatility twice as fast as a one-candle range, while the spread's
 * share stays the same, which separates the two. Negative pair estimates count as 0, as in the paper.
 */
function corwinSchultzSpread(bars: readonly Bar[]): number {
  const k = 3 - 2 * Math.SQRT2;
  const estimates: number[] = [];
  for (let i = 1; i < bars.length; i++) {
    const a = bars[i - 1] as Bar;
    const b = bars[i] as Bar;
    if (a.low <= 0 || b.low <= 0) continue;
    const beta = Math.log(a.high / a.low) ** 2 + Math.log(b.high / b.low) ** 2;
    const gamma = Math.log(Math.max(a.high, b.high) / Math.min(a.low, b.low)) ** 2;
    const alpha = (Math.sqrt(2 * beta) - Math.sqrt(beta)) / k - Math.sqrt(gamma / k);
    const spread = (2 * (Math.exp(alpha) - 1)) / (1 + Math.exp(alpha));
    if (Number.isFinite(spread)) estimates.push(Math.max(0, spread));
  }
  return estimates.length === 0 ? 0 : estimates.reduce((s, e) => s + e, 0) / estimates.length;
}

/**
 * σ in price per unit per √(time unit); η, γ, ε from the spread s and the volume per time unit V_u
 * as the paper chooses them: ε = s/2, η = s/(1% of V_u), γ = s/(10% of V_u).
 */
export function estimateImpact(
  candles: readonly CandleLike[],
  p: { timeUnitMs: number; candleMs: number; spread?: number; price: number },
): { sigma: number; eta: number; gamma: number; epsilon: number; notes: string[] } {
  if (candles.length < MIN_CANDLES)
    throw new ModelError(
      'NOT_ENOUGH_DATA',
      `${candles.length} candles are too few to estimate volatility and volume (need ${MIN_CANDLES})`,
    );
  if (!(p.timeUnitMs > 0 && p.candleMs > 0 && p.price > 0 && Number.isFinite(p.price)))
    throw new ModelError('INVALID_MODEL_INPUT', 'timeUnitMs, candleMs and price must be positive');
  if (p.spread !== undefined && !(p.spread > 0 && Number.isFinite(p.spread)))
    throw new ModelError('INVALID_MODEL_INPUT', `spread must be positive, got ${p.spread}`);

  const bars = toBars(candles);
  const unit = unitName(p.timeUnitMs);
  const candlesPerUnit = p.timeUnitMs / p.candleMs;
  const n = bars.length;

  const sigma = closeChangeStd(bars) * Math.sqrt(candlesPerUnit);
  const volumePerUnit = (bars.reduce((s, b) => s + b.volume, 0) / n) * candlesPerUnit;
  if (!(volumePerUnit > 0))
    throw new ModelError('NOT_ENOUGH_DATA', `the ${n} candles show no traded volume to scale impact by`);

  const notes = [
    `σ ${fmt(sigma)} per √${unit}: std of ${n - 1} close-to-close changes × √(${fmt(candlesPerUnit)} candles per ${unit})`,
    `volume ${fmt(volumePerUnit)} per ${unit}: mean volume of ${n} candles × ${fmt(candlesPerUnit)} candles per ${unit}`,
  ];

  let spread = p.spread;
  if (spread !== undefined) notes.push(`spread ${fmt(spread)}: given`);
  else {
    const relative = corwinSchultzSpread(bars);
    if (relative > 0) {
      spread = relative * p.price;
      notes.push(
        `spread ${fmt(spread)}: Corwin–Schultz high/low estimate ${fmt(relative * 1e4)} bp × price ${fmt(p.price)}`,
      );
    } else {
      spread = FALLBACK_SPREAD_FRACTION * p.price;
      notes.push(
        `spread ${fmt(spread)}: fallback 1 bp of price ${fmt(p.price)} (candles gave no spread estimate)`,
      );
    }
  }

  const epsilon = spread / 2;
  const eta = spread / (0.01 * volumePerUnit);
  const gamma = spread / (0.1 * volumePerUnit);
  notes.push(
    `ε ${fmt(epsilon)}: half the spread (fixed cost per unit)`,
    `η ${fmt(eta)}: trading 1% of a ${unit}'s volume per ${unit} costs one spread`,
    `γ ${fmt(gamma)}: trading 10% of a ${unit}'s volume moves the price one spread`,
  );
  return { sigma, eta, gamma, epsilon, notes };
}
