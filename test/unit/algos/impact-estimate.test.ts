import { ModelError } from '../../../src/domain/algos/almgren-chriss';
import { estimateImpact, type CandleLike } from '../../../src/domain/algos/impact-estimate';

const HOUR = 3_600_000;
const DAY = 86_400_000;

function candle(i: number, close: number, volume: number, range = 0): CandleLike {
  return {
    openTime: new Date(Date.UTC(2024, 0, 1) + i * HOUR).toISOString(),
    open: String(close),
    high: String(close + range / 2),
    low: String(close - range / 2),
    close: String(close),
    volume: String(volume),
  };
}

/** 12 two-hour candles whose volume adds to the paper's 5 million shares a day. */
const closes = [50, 50.2, 49.9, 50.1, 50.4, 50, 49.7, 49.8, 50.3, 50.1, 50, 50.2];
const paperDay = closes.map((c, i) => candle(i, c, 5e6 / closes.length));

function sampleStd(values: readonly number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
}

describe('estimateImpact', () => {
  it("reproduces the paper's η, γ, ε from its spread (1/8) and daily volume (5 million)", () => {
    // 12 candles of 2 h: 12 per day, each 5e6/12 → V_u = 5e6 per day.
    const out = estimateImpact(paperDay, { timeUnitMs: DAY, candleMs: 2 * HOUR, spread: 0.125, price: 50 });
    expect(out.epsilon).toBeCloseTo(0.0625, 12);
    expect(out.eta).toBeCloseTo(2.5e-6, 15);
    expect(out.gamma).toBeCloseTo(2.5e-7, 16);
    expect(out.notes.find((n) => n.startsWith('spread'))).toContain('given');
  });

  it('σ is the std of close-to-close changes scaled by √(candles per time unit)', () => {
    const changes = closes.slice(1).map((c, i) => c - (closes[i] as number));
    const out = estimateImpact(paperDay, { timeUnitMs: DAY, candleMs: 2 * HOUR, spread: 0.125, price: 50 });
    expect(out.sigma).toBeCloseTo(sampleStd(changes) * Math.sqrt(12), 12);
    const hourly = estimateImpact(paperDay, {
      timeUnitMs: HOUR,
      candleMs: 2 * HOUR,
      spread: 0.125,
      price: 50,
    });
    expect(hourly.sigma).toBeCloseTo(sampleStd(changes) * Math.sqrt(0.5), 12);
    // Half a candle of volume per hour: η scales inversely.
    expect(hourly.eta).toBeCloseTo(0.125 / (0.01 * (5e6 / 12) * 0.5), 12);
  });

  it('does not depend on the order the candles arrive in', () => {
    const p = { timeUnitMs: DAY, candleMs: 2 * HOUR, price: 50 };
    const shuffled = [...paperDay].reverse();
    expect(estimateImpact(shuffled, p)).toEqual(estimateImpact(paperDay, p));
  });

  it('estimates the spread from highs and lows (Corwin–Schultz) when not given', () => {
    // No movement between candles, each candle's range is exactly a 20 bp spread around 50.
    const candles = Array.from({ length: 6 }, (_, i) => candle(i, 50, 1000, 0.1));
    const out = estimateImpact(candles, { timeUnitMs: HOUR, candleMs: HOUR, price: 50 });
    expect(out.epsilon).toBeCloseTo(0.05, 9);
    expect(out.eta).toBeCloseTo(0.1 / (0.01 * 1000), 9);
    expect(out.gamma).toBeCloseTo(0.1 / (0.1 * 1000), 9);
    expect(out.sigma).toBe(0);
    expect(out.notes.find((n) => n.startsWith('spread'))).toMatch(/Corwin–Schultz/);
  });

  it('falls back to 1 bp of price when the candles show no range, and says so', () => {
    const candles = Array.from({ length: 4 }, (_, i) => candle(i, 100 + i, 10));
    const out = estimateImpact(candles, { timeUnitMs: HOUR, candleMs: HOUR, price: 100 });
    expect(out.epsilon).toBeCloseTo(0.005, 12);
    expect(out.notes.find((n) => n.startsWith('spread'))).toMatch(/fallback 1 bp/);
  });

  it('writes one note per estimate and its basis', () => {
    const out = estimateImpact(paperDay, { timeUnitMs: DAY, candleMs: 2 * HOUR, price: 50 });
    for (const prefix of ['σ', 'volume', 'spread', 'ε', 'η', 'γ'])
      expect(out.notes.filter((n) => n.startsWith(prefix))).toHaveLength(1);
    expect(out.notes.find((n) => n.startsWith('σ'))).toMatch(/11 close-to-close changes.*per day/);
  });

  it('refuses fewer than 3 candles with NOT_ENOUGH_DATA', () => {
    const call = () => estimateImpact(paperDay.slice(0, 2), { timeUnitMs: DAY, candleMs: HOUR, price: 50 });
    expect(call).toThrow(ModelError);
    expect(call).toThrow(expect.objectContaining({ code: 'NOT_ENOUGH_DATA' }));
  });

  it('refuses candles without volume (impact cannot be scaled)', () => {
    const candles = closes.map((c, i) => candle(i, c, 0));
    expect(() => estimateImpact(candles, { timeUnitMs: DAY, candleMs: HOUR, price: 50 })).toThrow(
      expect.objectContaining({ code: 'NOT_ENOUGH_DATA' }),
    );
  });

  it('refuses malformed candles and parameters', () => {
    const bad = [...paperDay.slice(0, 3), { ...candle(3, 50, 1), close: 'x' }];
    expect(() => estimateImpact(bad, { timeUnitMs: DAY, candleMs: HOUR, price: 50 })).toThrow(
      expect.objectContaining({ code: 'INVALID_MODEL_INPUT' }),
    );
    expect(() => estimateImpact(paperDay, { timeUnitMs: DAY, candleMs: HOUR, price: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_MODEL_INPUT' }),
    );
    expect(() =>
      estimateImpact(paperDay, { timeUnitMs: DAY, candleMs: HOUR, price: 50, spread: -1 }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_MODEL_INPUT' }));
  });
});
