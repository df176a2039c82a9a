import { chooseExecution, type AutoChoiceConfig, type Urgency } from '../../../src/domain/algos/auto-choice';
import type { Side } from '../../../src/domain/order-request';

const CONFIG: AutoChoiceConfig = {
  twapNotionalThreshold: '100000',
  twapDurationMs: 600_000,
  twapIntervalMs: 60_000,
  maxSpreadBpsForMarket: 5,
};
/** Mid 100, spread 2 bp. */
const TIGHT = { bid: '99.99', ask: '100.01' };
/** Mid 100.005, spread ~100 bp. */
const WIDE = { bid: '99.505', ask: '100.505' };

const order = (urgency: Urgency, extra: { side?: Side; quantity?: string; limitPrice?: string } = {}) => ({
  side: extra.side ?? 'buy',
  quantity: extra.quantity ?? '1',
  urgency,
  ...(extra.limitPrice === undefined ? {} : { limitPrice: extra.limitPrice }),
});

describe('chooseExecution', () => {
  it('works a notional at or above the threshold as a TWAP', () => {
    const c = chooseExecution(order('normal', { quantity: '1000' }), TIGHT, CONFIG, '0.01');
    expect(c).toMatchObject({ kind: 'twap', durationMs: 600_000, intervalMs: 60_000 });
    expect(c.reason).toMatch(/notional 100000 .*TWAP threshold 100000/);
  });

  it('halves the TWAP duration for high urgency and doubles it for low', () => {
    const big = { quantity: '2000' };
    expect(chooseExecution(order('high', big), TIGHT, CONFIG, '0.01')).toMatchObject({
      kind: 'twap',
      durationMs: 300_000,
      intervalMs: 60_000,
    });
    expect(chooseExecution(order('low', big), TIGHT, CONFIG, '0.01')).toMatchObject({
      kind: 'twap',
      durationMs: 1_200_000,
    });
    // A halved duration shorter than the interval sends one slice.
    const short = { ...CONFIG, twapDurationMs: 90_000 };
    expect(chooseExecution(order('high', big), TIGHT, short, '0.01')).toMatchObject({
      durationMs: 45_000,
      intervalMs: 45_000,
    });
  });

  it('measures the notional at the limit price when there is no quote', () => {
    const c = chooseExecution(order('normal', { quantity: '2000', limitPrice: '60' }), {}, CONFIG, '0.01');
    expect(c.kind).toBe('twap');
    const small = chooseExecution(
      order('normal', { quantity: '1000', limitPrice: '60' }),
      {},
      CONFIG,
      '0.01',
    );
    expect(small).toMatchObject({ kind: 'order', type: 'limit', limitPrice: '60' });
  });

  it('just below the threshold is not a TWAP; without a threshold never', () => {
    expect(chooseExecution(order('normal', { quantity: '999.99' }), TIGHT, CONFIG, '0.01').kind).toBe(
      'order',
    );
    const { twapNotionalThreshold: _none, ...noThreshold } = CONFIG;
    expect(chooseExecution(order('normal', { quantity: '1e9' }), TIGHT, noThreshold, '0.01').kind).toBe(
      'order',
    );
  });

  it('a given limit price always means a limit at it, whatever the urgency and spread', () => {
    for (const urgency of ['low', 'normal', 'high'] as const)
      for (const quote of [TIGHT, WIDE])
        expect(chooseExecution(order(urgency, { limitPrice: '99.5' }), quote, CONFIG, '0.01')).toMatchObject({
          kind: 'order',
          type: 'limit',
          limitPrice: '99.5',
        });
  });

  it('high urgency is a market order even with a wide spread', () => {
    const c = chooseExecution(order('high'), WIDE, CONFIG, '0.01');
    expect(c).toEqual({ kind: 'order', type: 'market', reason: expect.stringMatching(/high urgency/) });
  });

  it('a tight spread is a market order (normal and low urgency)', () => {
    for (const urgency of ['normal', 'low'] as const) {
      const c = chooseExecution(order(urgency), TIGHT, CONFIG, '0.01');
      expect(c).toMatchObject({ kind: 'order', type: 'market' });
      expect(c.reason).toMatch(/spread 2 bp is within 5 bp/);
    }
    // Exactly at the limit counts as tight.
    const atLimit = { bid: '99.975', ask: '100.025' };
    expect(chooseExecution(order('normal'), atLimit, CONFIG, '0.001')).toMatchObject({ type: 'market' });
  });

  it('low urgency with a wide spread is a passive limit at our own best', () => {
    expect(chooseExecution(order('low'), WIDE, CONFIG, '0.001')).toMatchObject({
      type: 'limit',
      limitPrice: '99.505',
    });
    const sell = chooseExecution(order('low', { side: 'sell' }), WIDE, CONFIG, '0.001');
    expect(sell).toMatchObject({ type: 'limit', limitPrice: '100.505' });
    expect(sell.reason).toMatch(/passive limit at the best ask/);
  });

  it('normal urgency with a wide spread is a limit at the mid, rounded to the tick toward our side', () => {
    // Mid 100.005 with a 0.01 tick: a buy rounds down, a sell rounds up.
    expect(chooseExecution(order('normal'), WIDE, CONFIG, '0.01')).toMatchObject({
      type: 'limit',
      limitPrice: '100',
    });
    expect(chooseExecution(order('normal', { side: 'sell' }), WIDE, CONFIG, '0.01')).toMatchObject({
      type: 'limit',
      limitPrice: '100.01',
    });
    expect(chooseExecution(order('normal'), WIDE, CONFIG, '0.01').reason).toMatch(/limit at the mid/);
  });

  it('no quote (or a one-sided one) and no limit price is a market order, with the reason', () => {
    for (const quote of [{}, { bid: '99' }, { ask: '101' }]) {
      const c = chooseExecution(order('low'), quote, CONFIG, '0.01');
      expect(c).toMatchObject({ kind: 'order', type: 'market' });
      expect(c.reason).toMatch(/no two-sided quote/);
    }
  });
});
