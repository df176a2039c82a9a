/**
 * The order planner (src/domain/rebalance.ts) and its targets file (src/domain/rebalance-request.ts):
 * each rule on its own, pure.
 */
import { add, cmp, mul, sub } from '../../src/domain/decimal';
import type { MarketRules } from '../../src/domain/market-rules';
import {
  type PlanOptions,
  type RebalanceFacts,
  planRebalance,
  planTarget,
  rebalanceOrderId,
  splitToMaximum,
} from '../../src/domain/rebalance';
import { validateRebalanceRequest } from '../../src/domain/rebalance-request';

const RULES: MarketRules = {
  venue: 'sim',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  amountStep: '0.00001',
  priceStep: '0.01',
  minAmount: '0.00001',
  minNotional: '5',
  orderTypes: ['market', 'limit'],
};

const OPTIONS: PlanOptions = {
  rebalanceId: 'rb-1',
  urgency: 'normal',
  config: {
    twapNotionalThreshold: '100000',
    twapDurationMs: 600_000,
    twapIntervalMs: 60_000,
    maxSpreadBpsForMarket: 5,
  },
};

/** A target on a derivatives-like venue (shorts allowed) unless `spot` says otherwise. */
function facts(overrides: Partial<RebalanceFacts>): RebalanceFacts {
  return {
    venue: 'sim',
    symbol: 'BTC/USDT',
    target: '0',
    position: '0',
    workingBuy: '0',
    workingSell: '0',
    rules: RULES,
    quote: { bid: '59999', ask: '60001' },
    spot: false,
    ...overrides,
  };
}

const brief = (plan: ReturnType<typeof planTarget>) => ({
  orders: plan.orders.map((o) => [o.orderId, o.side, o.quantity, o.reduceOnly, o.kind]),
  skips: plan.skips.map((s) => [s.code, s.side, s.quantity]),
  issues: plan.issues.map((i) => i.code),
});

describe('planTarget', () => {
  test('from flat to a long target: one market buy, not reduce-only, id from the rebalance id', () => {
    const plan = planTarget(facts({ target: '0.5' }), OPTIONS);
    expect(brief(plan)).toEqual({
      orders: [['rb-1-sim-BTC-USDT', 'buy', '0.5', false, 'order']],
      skips: [],
      issues: [],
    });
    expect(plan).toMatchObject({
      position: '0',
      working: '0',
      projected: '0',
      delta: '0.5',
      referencePrice: '60000',
    });
  });

  test('rounds DOWN to the lot size, never past the target, and lists the residual', () => {
    const plan = planTarget(
      facts({ target: '0.1234567', rules: { ...RULES, amountStep: '0.001', minAmount: '0.001' } }),
      OPTIONS,
    );
    expect(brief(plan)).toEqual({
      orders: [['rb-1-sim-BTC-USDT', 'buy', '0.123', false, 'order']],
      skips: [['BELOW_LOT_SIZE', 'buy', '0.0004567']],
      issues: [],
    });
    const selling = planTarget(
      facts({ target: '0', position: '0.1234567', rules: { ...RULES, amountStep: '0.001' } }),
      OPTIONS,
    );
    expect(selling.orders.map((o) => [o.side, o.quantity])).toEqual([['sell', '0.123']]);
  });

  test('working orders count: the projected position is position + working buys − working sells', () => {
    expect(brief(planTarget(facts({ target: '0.5', workingBuy: '0.5' }), OPTIONS)).skips).toEqual([
      ['ZERO_DELTA', undefined, '0'],
    ]);
    const plan = planTarget(
      facts({ target: '0.5', position: '0.2', workingBuy: '0.4', workingSell: '0.3' }),
      OPTIONS,
    );
    expect(plan).toMatchObject({ working: '0.1', projected: '0.3', delta: '0.2' });
    expect(brief(plan).orders).toEqual([['rb-1-sim-BTC-USDT', 'buy', '0.2', false, 'order']]);
  });

  test('an order that only shrinks the position toward zero is reduce-only', () => {
    expect(brief(planTarget(facts({ position: '1', target: '0.4' }), OPTIONS)).orders).toEqual([
      ['rb-1-sim-BTC-USDT', 'sell', '0.6', true, 'order'],
    ]);
    expect(brief(planTarget(facts({ position: '-1', target: '0' }), OPTIONS)).orders).toEqual([
      ['rb-1-sim-BTC-USDT', 'buy', '1', true, 'order'],
    ]);
    // Growing the position is never reduce-only.
    expect(brief(planTarget(facts({ position: '1', target: '1.5' }), OPTIONS)).orders[0]?.[3]).toBe(false);
  });

  test('crossing zero: a reduce-only close, then an opening order', () => {
    expect(brief(planTarget(facts({ position: '1', target: '-0.5' }), OPTIONS)).orders).toEqual([
      ['rb-1-sim-BTC-USDT-1', 'sell', '1', true, 'order'],
      ['rb-1-sim-BTC-USDT-2', 'sell', '0.5', false, 'order'],
    ]);
  });

  test('the reduce-only part leaves out what working orders on the same side already close', () => {
    // Position 1 with 0.3 being sold: only 0.7 more can be closed reduce-only.
    const plan = planTarget(facts({ position: '1', workingSell: '0.3', target: '-0.5' }), OPTIONS);
    expect(brief(plan).orders).toEqual([
      ['rb-1-sim-BTC-USDT-1', 'sell', '0.7', true, 'order'],
      ['rb-1-sim-BTC-USDT-2', 'sell', '0.5', false, 'order'],
    ]);
  });

  test('a spot venue: a short target is an issue (not clamped); a buy is never reduce-only', () => {
    const short = planTarget(facts({ spot: true, position: '1', target: '-0.5' }), OPTIONS);
    expect(brief(short)).toEqual({ orders: [], skips: [], issues: ['SHORT_NOT_SUPPORTED'] });
    // A negative ledger position on spot: the venue holds no short, so the buy is a plain one.
    expect(brief(planTarget(facts({ spot: true, position: '-0.2', target: '0.3' }), OPTIONS)).orders).toEqual(
      [['rb-1-sim-BTC-USDT', 'buy', '0.5', false, 'order']],
    );
    // Sells on spot still reduce.
    expect(brief(planTarget(facts({ spot: true, position: '1', target: '0' }), OPTIONS)).orders).toEqual([
      ['rb-1-sim-BTC-USDT', 'sell', '1', true, 'order'],
    ]);
  });

  test('a difference below the venue minimum is skipped with its reason', () => {
    // 0.00005 BTC at 60000 = 3 USDT < 5.
    expect(brief(planTarget(facts({ target: '0.00005' }), OPTIONS))).toEqual({
      orders: [],
      skips: [['BELOW_MIN_NOTIONAL', 'buy', '0.00005']],
      issues: [],
    });
    const minAmount = { ...RULES, minAmount: '0.001' };
    expect(brief(planTarget(facts({ target: '0.0005', rules: minAmount }), OPTIONS)).skips).toEqual([
      ['BELOW_MIN_AMOUNT', 'buy', '0.0005'],
    ]);
    // Without a price the notional cannot be judged here: the order's own check does it.
    expect(brief(planTarget(facts({ target: '0.00005', quote: {} }), OPTIONS)).orders).toHaveLength(1);
  });

  test('crossing zero with a tiny opening part: the close goes, the rest is skipped', () => {
    const plan = planTarget(facts({ position: '1', target: '-0.00001' }), OPTIONS);
    expect(brief(plan)).toEqual({
      orders: [['rb-1-sim-BTC-USDT', 'sell', '1', true, 'order']],
      skips: [['BELOW_MIN_NOTIONAL', 'sell', '0.00001']],
      issues: [],
    });
  });

  test('crossing zero with a tiny close: one order through zero, not reduce-only', () => {
    const plan = planTarget(facts({ position: '0.00001', target: '-1' }), OPTIONS);
    expect(brief(plan).orders).toEqual([['rb-1-sim-BTC-USDT', 'sell', '1.00001', false, 'order']]);
  });

  test('from the TWAP threshold an order goes as a parent (the automatic choice)', () => {
    const plan = planTarget(facts({ target: '2' }), OPTIONS); // 120,000 USDT ≥ 100,000
    expect(brief(plan).orders).toEqual([['rb-1-sim-BTC-USDT', 'buy', '2', false, 'parent']]);
    expect(plan.orders[0]?.reason).toContain('TWAP threshold');
    const lower = planTarget(facts({ target: '2' }), {
      ...OPTIONS,
      config: { ...OPTIONS.config, twapNotionalThreshold: '200000' },
    });
    expect(lower.orders[0]?.kind).toBe('order');
  });

  test("single orders above the venue's maximum are split into pieces that sum exactly", () => {
    const rules = { ...RULES, maxAmount: '1' };
    const plan = planTarget(facts({ target: '1.5', rules }), {
      ...OPTIONS,
      config: { ...OPTIONS.config, twapNotionalThreshold: '1000000' },
    });
    expect(brief(plan).orders).toEqual([
      ['rb-1-sim-BTC-USDT-1', 'buy', '0.75', false, 'order'],
      ['rb-1-sim-BTC-USDT-2', 'buy', '0.75', false, 'order'],
    ]);
  });

  test('a strategy is part of the order id, so two strategies on one market never collide', () => {
    expect(planTarget(facts({ target: '1', strategyId: 'alpha' }), OPTIONS).orders[0]?.orderId).toBe(
      'rb-1-sim-BTC-USDT-alpha',
    );
    expect(rebalanceOrderId('r', { venue: 'v', symbol: 'ETH/USDT' }, 2)).toBe('r-v-ETH-USDT-2');
  });

  test('an order id the order workflow would refuse is an issue', () => {
    const plan = planTarget(facts({ target: '1' }), { ...OPTIONS, rebalanceId: 'x'.repeat(200) });
    expect(brief(plan).issues).toEqual(['INVALID_ORDER_ID']);
  });

  test('never past the target, whatever the mix', () => {
    const values = ['-1.23457', '-0.5', '-0.00003', '0', '0.00002', '0.3', '2.000009'];
    for (const position of values)
      for (const target of values)
        for (const workingBuy of ['0', '0.1'])
          for (const workingSell of ['0', '0.25']) {
            const f = facts({ position, target, workingBuy, workingSell });
            const plan = planTarget(f, OPTIONS);
            const projected = add(sub(position, workingSell), workingBuy);
            const after = plan.orders.reduce(
              (p, o) => (o.side === 'buy' ? add(p, o.quantity) : sub(p, o.quantity)),
              projected,
            );
            const wasBelow = cmp(projected, target) < 0;
            // Moves toward the target and stops at or before it.
            expect(wasBelow ? cmp(after, target) <= 0 : cmp(after, target) >= 0).toBe(true);
            for (const o of plan.orders) {
              expect(cmp(o.quantity, '0')).toBe(1);
              expect(cmp(mul(o.quantity, '60000'), '5')).toBeGreaterThanOrEqual(0);
            }
            // Reduce-only parts fit in the position less working orders on that side.
            const reducing = plan.orders.filter((o) => o.reduceOnly);
            const closed = reducing.reduce((sum, o) => add(sum, o.quantity), '0');
            if (reducing[0]?.side === 'sell')
              expect(cmp(closed, sub(position, workingSell))).toBeLessThanOrEqual(0);
            if (reducing[0]?.side === 'buy')
              expect(cmp(closed, sub(sub('0', position), workingBuy))).toBeLessThanOrEqual(0);
          }
  });
});

describe('splitToMaximum', () => {
  test('equal pieces in lots, the rounding one lot at a time, summing exactly', () => {
    expect(splitToMaximum('2.5', '1', '0.1')).toEqual(['0.9', '0.8', '0.8']);
    expect(splitToMaximum('3', '1', '0.1')).toEqual(['1', '1', '1']);
    expect(splitToMaximum('0.5', '1', '0.1')).toEqual(['0.5']);
    expect(splitToMaximum('0.5', undefined, '0.1')).toEqual(['0.5']);
    // A maximum that is not a lot multiple: pieces stay at or below it.
    const pieces = splitToMaximum('2', '0.75', '0.1');
    expect(pieces.reduce((s, p) => add(s, p), '0')).toBe('2');
    expect(pieces.every((p) => cmp(p, '0.75') <= 0)).toBe(true);
  });
});

describe('planRebalance', () => {
  test("each target's issues with the target they are about; unavailable targets carry their reason", () => {
    const plan = planRebalance(
      [
        facts({ target: '0.1' }),
        facts({ spot: true, target: '-1' }),
        {
          venue: 'sim',
          symbol: 'NOPE/USDT',
          target: '1',
          unavailable: { code: 'BAD_SYMBOL', message: 'no such market' },
        },
      ],
      OPTIONS,
    );
    expect(plan.issues.map((i) => [i.field, i.code])).toEqual([
      ['targets[1]', 'SHORT_NOT_SUPPORTED'],
      ['targets[2]', 'BAD_SYMBOL'],
    ]);
    expect(plan.orders.map((o) => o.orderId)).toEqual(['rb-1-sim-BTC-USDT']);
    expect(plan.targets[2]).toMatchObject({ symbol: 'NOPE/USDT', target: '1', orders: [], skips: [] });
    expect(plan.targets[2]?.position).toBeUndefined();
  });
});

describe('validateRebalanceRequest', () => {
  test('normalises: decimal strings, the file strategy inherited, the automatic-choice defaults', () => {
    const result = validateRebalanceRequest({
      id: 'rb-7',
      strategyId: 'alpha',
      decisionId: 'd-1',
      targets: [
        { venue: 'sim', symbol: 'BTC/USDT', quantity: 0.5 },
        { venue: 'sim', symbol: 'ETH/USDT', quantity: '-2.50', strategyId: 'beta' },
        { venue: 'sim', symbol: 'SOL/USDT', quantity: '0' },
      ],
    });
    expect(result.ok && result.request).toEqual({
      id: 'rb-7',
      decisionId: 'd-1',
      urgency: 'normal',
      config: {
        twapNotionalThreshold: '100000',
        twapDurationMs: 600_000,
        twapIntervalMs: 60_000,
        maxSpreadBpsForMarket: 5,
      },
      targets: [
        { venue: 'sim', symbol: 'BTC/USDT', quantity: '0.5', strategyId: 'alpha' },
        { venue: 'sim', symbol: 'ETH/USDT', quantity: '-2.5', strategyId: 'beta' },
        { venue: 'sim', symbol: 'SOL/USDT', quantity: '0', strategyId: 'alpha' },
      ],
    });
    const tuned = validateRebalanceRequest({
      urgency: 'high',
      twapNotionalThreshold: 5000,
      targets: [{ venue: 'sim', symbol: 'BTC/USDT', quantity: '1' }],
    });
    expect(tuned.ok && [tuned.request.urgency, tuned.request.config.twapNotionalThreshold]).toEqual([
      'high',
      '5000',
    ]);
  });

  const codes = (input: unknown) => {
    const result = validateRebalanceRequest(input);
    return result.ok ? [] : result.issues.map((i) => [i.code, i.field]);
  };

  test('every problem with a code and the field it is about', () => {
    expect(
      codes({
        colour: 'red',
        urgency: 'now',
        targets: [
          { venue: 'sim', symbol: 'btc-usdt', quantity: 'lots' },
          { symbol: 'BTC/USDT', quantity: 1, extra: true },
          { venue: 'sim', symbol: 'BTC/USDT', quantity: Number.NaN },
        ],
      }),
    ).toEqual(
      expect.arrayContaining([
        ['UNKNOWN_FIELD', 'colour'],
        ['INVALID_URGENCY', 'urgency'],
        ['INVALID_SYMBOL', 'targets[0].symbol'],
        ['INVALID_QUANTITY', 'targets[0].quantity'],
        ['MISSING_VENUE', 'targets[1].venue'],
        ['UNKNOWN_FIELD', 'targets[1].extra'],
        ['INVALID_QUANTITY', 'targets[2].quantity'],
      ]),
    );
    expect(codes({ targets: [] })).toEqual([['NO_TARGETS', 'targets']]);
    expect(codes({})).toEqual([['MISSING_TARGETS', 'targets']]);
    expect(codes({ targets: 'BTC' })).toEqual([['INVALID_TARGETS', 'targets']]);
    expect(codes([1, 2])).toEqual([['INVALID_REQUEST', undefined]]);
    expect(codes({ id: 'a b', targets: [{ venue: 'sim', symbol: 'BTC/USDT', quantity: 1 }] })).toEqual([
      ['INVALID_REBALANCE_ID', 'id'],
    ]);
  });

  test('one target per venue, symbol and strategy; the account target cannot sit beside a strategy one', () => {
    const t = { venue: 'sim', symbol: 'BTC/USDT', quantity: '1' };
    expect(codes({ targets: [t, { ...t, quantity: '2' }] })).toEqual([['DUPLICATE_TARGET', 'targets[1]']]);
    expect(codes({ strategyId: 'a', targets: [t, { ...t, strategyId: 'a' }] })).toEqual([
      ['DUPLICATE_TARGET', 'targets[1]'],
    ]);
    expect(codes({ targets: [t, { ...t, strategyId: 'a' }] })).toEqual([
      ['OVERLAPPING_TARGETS', 'targets[0]'],
    ]);
    expect(codes({ targets: [t, { ...t, strategyId: 'a' }, { ...t, strategyId: 'b' }].slice(1) })).toEqual(
      [],
    );
  });
});
