import { slicePricing } from '../../../src/domain/algos/pricing';
import type { Quote } from '../../../src/domain/algos/types';

const QUOTE: Quote = { bid: '100', ask: '100.11' };
const TICK = '0.01';
const limit = (limitPrice: string) => ({ type: 'limit', limitPrice });

describe('slicePricing', () => {
  it('passive: joins our own side of the book', () => {
    expect(slicePricing('passive', 'buy', QUOTE, TICK)).toEqual(limit('100'));
    expect(slicePricing('passive', 'sell', QUOTE, TICK)).toEqual(limit('100.11'));
  });

  it('mid: the mid rounded to tick away from crossing', () => {
    // Mid is 100.055: a buy rounds down, a sell up.
    expect(slicePricing('mid', 'buy', QUOTE, TICK)).toEqual(limit('100.05'));
    expect(slicePricing('mid', 'sell', QUOTE, TICK)).toEqual(limit('100.06'));
    expect(slicePricing('mid', 'buy', { bid: '100', ask: '100.1' }, TICK)).toEqual(limit('100.05'));
  });

  it('cross: takes the far side', () => {
    expect(slicePricing('cross', 'buy', QUOTE, TICK)).toEqual(limit('100.11'));
    expect(slicePricing('cross', 'sell', QUOTE, TICK)).toEqual(limit('100'));
  });

  it('market: a market order, or a marketable limit at the limit price', () => {
    expect(slicePricing('market', 'buy', QUOTE, TICK)).toEqual({ type: 'market' });
    expect(slicePricing('market', 'sell', {}, TICK)).toEqual({ type: 'market' });
    expect(slicePricing('market', 'buy', QUOTE, TICK, '100.5')).toEqual(limit('100.5'));
  });

  it('protects with the limit price: buys never above, sells never below', () => {
    expect(slicePricing('cross', 'buy', QUOTE, TICK, '100.05')).toEqual(limit('100.05'));
    expect(slicePricing('cross', 'sell', QUOTE, TICK, '100.05')).toEqual(limit('100.05'));
    expect(slicePricing('mid', 'buy', QUOTE, TICK, '100.02')).toEqual(limit('100.02'));
    expect(slicePricing('mid', 'sell', QUOTE, TICK, '100.08')).toEqual(limit('100.08'));
    // A limit beyond the book changes nothing.
    expect(slicePricing('cross', 'buy', QUOTE, TICK, '101')).toEqual(limit('100.11'));
    expect(slicePricing('passive', 'sell', QUOTE, TICK, '99')).toEqual(limit('100.11'));
  });

  it('rounds a limit price off the tick in the protective direction', () => {
    expect(slicePricing('cross', 'buy', QUOTE, TICK, '100.057')).toEqual(limit('100.05'));
    expect(slicePricing('cross', 'sell', QUOTE, TICK, '100.051')).toEqual(limit('100.06'));
  });

  it('keeps book prices on the tick', () => {
    const offTick: Quote = { bid: '100.004', ask: '100.106' };
    expect(slicePricing('passive', 'buy', offTick, TICK)).toEqual(limit('100'));
    expect(slicePricing('cross', 'buy', offTick, TICK)).toEqual(limit('100.11'));
    expect(slicePricing('cross', 'sell', offTick, TICK)).toEqual(limit('100'));
  });

  it('with a side of the quote missing: the limit price, else market for cross, else blocked', () => {
    expect(slicePricing('passive', 'buy', { ask: '100.11' }, TICK, '99.5')).toEqual(limit('99.5'));
    expect(slicePricing('passive', 'buy', { ask: '100.11' }, TICK)).toEqual({
      blocked: true,
      reason: 'NO_QUOTE',
    });
    expect(slicePricing('mid', 'sell', { ask: '100.11' }, TICK)).toEqual({
      blocked: true,
      reason: 'NO_QUOTE',
    });
    expect(slicePricing('mid', 'sell', { bid: '100' }, TICK, '101')).toEqual(limit('101'));
    expect(slicePricing('cross', 'buy', { bid: '100' }, TICK)).toEqual({ type: 'market' });
    expect(slicePricing('cross', 'buy', { bid: '100' }, TICK, '100.5')).toEqual(limit('100.5'));
    expect(slicePricing('passive', 'sell', {}, TICK)).toEqual({ blocked: true, reason: 'NO_QUOTE' });
  });
});

describe('crossing with a buffer', () => {
  const quote = { bid: '100.00', ask: '100.10' };
  it('a buy may pay up to the buffer past the ask, a sell down to it below the bid, on ticks', () => {
    expect(slicePricing('cross', 'buy', quote, '0.01', undefined, 10)).toEqual({
      type: 'limit',
      limitPrice: '100.21',
    });
    expect(slicePricing('cross', 'sell', quote, '0.01', undefined, 10)).toEqual({
      type: 'limit',
      limitPrice: '99.9',
    });
  });
  it('the limit price still caps it, and other aggressions ignore it', () => {
    expect(slicePricing('cross', 'buy', quote, '0.01', '100.15', 10)).toEqual({
      type: 'limit',
      limitPrice: '100.15',
    });
    expect(slicePricing('passive', 'buy', quote, '0.01', undefined, 10)).toEqual({
      type: 'limit',
      limitPrice: '100',
    });
  });
});
