import { routeOrder, type RouteVenue } from '../../../src/domain/algos/smart-route';
import { add } from '../../../src/domain/decimal';

const LOTS = { amountStep: '0.001', priceStep: '0.01' };

/** Cheap (1 bp) but second choice by priority. */
const cheap: RouteVenue = {
  venue: 'cheap',
  priority: 2,
  costBps: 1,
  costPerUnit: '0',
  rules: LOTS,
  levels: [
    { price: '100', quantity: '1' },
    { price: '100.5', quantity: '2' },
  ],
};
/** Preferred but 10 bp. */
const dear: RouteVenue = {
  venue: 'dear',
  priority: 1,
  costBps: 10,
  costPerUnit: '0',
  rules: LOTS,
  levels: [
    { price: '100', quantity: '5' },
    { price: '101', quantity: '5' },
  ],
};

const totalOf = (r: ReturnType<typeof routeOrder>) =>
  r.allocations.reduce((s, a) => add(s, a.quantity), r.unallocated);
const byVenue = (r: ReturnType<typeof routeOrder>) =>
  Object.fromEntries(r.allocations.map((a) => [a.venue, a.quantity]));

describe('routeOrder', () => {
  it('sends everything to the cheaper venue when it has the liquidity', () => {
    const r = routeOrder({ side: 'buy', quantity: '0.5' }, [dear, cheap]);
    expect(r.allocations).toEqual([
      {
        venue: 'cheap',
        quantity: '0.5',
        limitPrice: '100',
        expectedAveragePrice: '100',
        expectedFees: '0.005',
      },
    ]);
    expect(r.unallocated).toBe('0');
    expect(r.notes).toEqual([]);
  });

  it('falls to the costlier venue beyond the cheap book, by effective price level by level', () => {
    // cheap 1 @ 100 (100.01), then dear @ 100 (100.10) before cheap @ 100.5 (100.51).
    const r = routeOrder({ side: 'buy', quantity: '7' }, [cheap, dear]);
    expect(byVenue(r)).toEqual({ cheap: '2', dear: '5' });
    // Sorted by priority: dear (1) before cheap (2).
    expect(r.allocations.map((a) => a.venue)).toEqual(['dear', 'cheap']);
    const c = r.allocations.find((a) => a.venue === 'cheap');
    expect(c).toEqual({
      venue: 'cheap',
      quantity: '2',
      limitPrice: '100.5',
      expectedAveragePrice: '100.25',
      // 1·100·0.0001 + 1·100.5·0.0001
      expectedFees: '0.02005',
    });
    expect(r.allocations.find((a) => a.venue === 'dear')?.expectedFees).toBe('0.5');
  });

  it('never gives a venue more than its maxOrderSize (nor the market maxAmount)', () => {
    const r = routeOrder({ side: 'buy', quantity: '3' }, [{ ...cheap, maxOrderSize: '0.6' }, dear]);
    expect(byVenue(r)).toEqual({ cheap: '0.6', dear: '2.4' });
    expect(r.notes.some((n) => /cheap: capped at its maximum order size 0.6/.test(n))).toBe(true);
    const m = routeOrder({ side: 'buy', quantity: '3' }, [
      { ...cheap, rules: { ...LOTS, maxAmount: '0.25' } },
      dear,
    ]);
    expect(byVenue(m)).toEqual({ cheap: '0.25', dear: '2.75' });
  });

  it('never uses a level beyond the limit price (raw price), and reports what is left', () => {
    const r = routeOrder({ side: 'buy', quantity: '20', limitPrice: '100' }, [cheap, dear]);
    expect(byVenue(r)).toEqual({ cheap: '1', dear: '5' });
    for (const a of r.allocations) expect(Number(a.limitPrice)).toBeLessThanOrEqual(100);
    expect(r.unallocated).toBe('14');
    expect(r.notes.join('\n')).toMatch(/beyond the limit price 100/);
    expect(r.notes.join('\n')).toMatch(/14 could not be placed/);
    // Filled within the limit: nothing to say about the levels beyond it.
    expect(routeOrder({ side: 'buy', quantity: '2', limitPrice: '100' }, [cheap, dear]).notes).toEqual([]);
  });

  it('runs out of book: unallocated is what the books could not take', () => {
    const r = routeOrder({ side: 'buy', quantity: '15' }, [cheap, dear]);
    expect(byVenue(r)).toEqual({ cheap: '3', dear: '10' });
    expect(r.unallocated).toBe('2');
    expect(r.allocations.find((a) => a.venue === 'dear')?.limitPrice).toBe('101');
  });

  it('routes a sell into the bids: highest effective price first, limit as a floor', () => {
    const bidsCheap = {
      ...cheap,
      levels: [
        { price: '99', quantity: '1' },
        { price: '98', quantity: '1' },
      ],
    };
    const bidsDear = {
      ...dear,
      levels: [
        { price: '99.5', quantity: '1' },
        { price: '97', quantity: '5' },
      ],
    };
    // dear 99.5·0.999 = 99.4005 > cheap 99·0.9999 = 98.9901 > cheap 98 (97.99) > dear 97 (96.9).
    const r = routeOrder({ side: 'sell', quantity: '2.5', limitPrice: '98' }, [bidsCheap, bidsDear]);
    expect(byVenue(r)).toEqual({ dear: '1', cheap: '1.5' });
    expect(r.allocations.find((a) => a.venue === 'cheap')?.limitPrice).toBe('98');
    const floor = routeOrder({ side: 'sell', quantity: '10', limitPrice: '98.5' }, [bidsCheap, bidsDear]);
    expect(byVenue(floor)).toEqual({ dear: '1', cheap: '1' });
    expect(floor.unallocated).toBe('8');
  });

  it('counts the per-unit cost in the effective price', () => {
    const perUnit = { ...cheap, costPerUnit: '0.2' }; // 100.01 + 0.2 > dear's 100.1
    const r = routeOrder({ side: 'buy', quantity: '1' }, [perUnit, dear]);
    expect(byVenue(r)).toEqual({ dear: '1' });
    const fees = routeOrder({ side: 'buy', quantity: '1' }, [{ ...perUnit, priority: 0 }]);
    expect(fees.allocations[0]?.expectedFees).toBe('0.21');
  });

  it('breaks ties by priority, then by venue name', () => {
    const a = { ...cheap, venue: 'alpha', priority: 3, levels: [{ price: '100', quantity: '1' }] };
    const b = { ...cheap, venue: 'beta', priority: 1, levels: [{ price: '100', quantity: '1' }] };
    const c = { ...cheap, venue: 'gamma', priority: 1, levels: [{ price: '100', quantity: '1' }] };
    expect(byVenue(routeOrder({ side: 'buy', quantity: '1' }, [a, c, b]))).toEqual({ beta: '1' });
    expect(byVenue(routeOrder({ side: 'buy', quantity: '2.5' }, [a, c, b]))).toEqual({
      beta: '1',
      gamma: '1',
      alpha: '0.5',
    });
  });

  it('takes back an allocation below the venue minimum and offers it to the others', () => {
    const small = {
      ...cheap,
      rules: { ...LOTS, minAmount: '1' },
      levels: [{ price: '100', quantity: '0.5' }],
    };
    const r = routeOrder({ side: 'buy', quantity: '3' }, [small, dear]);
    expect(byVenue(r)).toEqual({ dear: '3' });
    expect(r.unallocated).toBe('0');
    expect(r.notes.join('\n')).toMatch(
      /cheap: 0.5 is below its minimum quantity 1; offered to the other venues/,
    );
  });

  it('checks the minimum notional at the allocation limit price', () => {
    const notional = { ...cheap, rules: { ...LOTS, minNotional: '100' } };
    // 0.995 @ 100 = 99.5 < 100: taken back.
    const below = routeOrder({ side: 'buy', quantity: '0.995' }, [notional, dear]);
    expect(byVenue(below)).toEqual({ dear: '0.995' });
    expect(below.notes.join('\n')).toMatch(/minimum notional 100 at 100/);
    // 1 @ 100 = 100: kept.
    expect(byVenue(routeOrder({ side: 'buy', quantity: '1' }, [notional, dear]))).toEqual({ cheap: '1' });
  });

  it('leaves unallocated what no venue can take above its minimum', () => {
    const only = { ...cheap, rules: { ...LOTS, minAmount: '1' } };
    const r = routeOrder({ side: 'buy', quantity: '0.4' }, [only]);
    expect(r.allocations).toEqual([]);
    expect(r.unallocated).toBe('0.4');
  });

  it('rounds each venue down to its lot and re-offers the remainder', () => {
    const wholeLots = {
      ...cheap,
      rules: { ...LOTS, amountStep: '1' },
      levels: [{ price: '100', quantity: '1.5' }],
    };
    const r = routeOrder({ side: 'buy', quantity: '3' }, [wholeLots, dear]);
    expect(byVenue(r)).toEqual({ cheap: '1', dear: '2' });
    const alone = routeOrder({ side: 'buy', quantity: '3' }, [wholeLots]);
    expect(byVenue(alone)).toEqual({ cheap: '1' });
    expect(alone.unallocated).toBe('2');
  });

  it('sums exactly in decimals: allocated + unallocated = quantity', () => {
    const tenths = {
      ...cheap,
      levels: [
        { price: '100', quantity: '0.1' },
        { price: '100.1', quantity: '0.2' },
      ],
    };
    const hundredths = { ...dear, levels: [{ price: '100.2', quantity: '0.07' }] };
    for (const quantity of ['0.3', '0.33', '0.37', '0.4', '0.1']) {
      const r = routeOrder({ side: 'buy', quantity }, [tenths, hundredths]);
      expect(totalOf(r)).toBe(quantity);
    }
    const r = routeOrder({ side: 'buy', quantity: '0.33' }, [tenths, hundredths]);
    expect(byVenue(r)).toEqual({ cheap: '0.3', dear: '0.03' });
    expect(r.allocations.find((a) => a.venue === 'cheap')?.expectedAveragePrice).toBe(
      '100.06666666666666667',
    );
  });
});
