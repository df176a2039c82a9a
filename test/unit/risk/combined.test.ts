/** Several rules at once: every failed check is reported, in the stable order of RISK_CODES. */
import { checkRisk, RISK_CODES, signalHash } from '../../../src/domain/risk';
import { LOOSE, ago, context, order } from './risk-fixtures';

const WORST = order({
  orderId: 'o-worst',
  quantity: '20',
  limitPrice: '70000',
  reduceOnly: true,
  decisionTime: ago(60_000),
});

const WORST_CONTEXT = context({
  position: '95',
  workingBuy: '1',
  exposures: { 'ETH/USDT': '5000000' },
  dayStats: { orders: 1000, notional: '99999999' },
  openOrders: 50,
  recentOrders: [{ orderId: 'o-earlier', fingerprint: signalHash(WORST), at: ago(1000) }],
  balances: { USDT: '1000', BTC: '10' },
});

describe('checkRisk: every failing reason listed', () => {
  it('an order breaking every limit gets all thirteen codes, in RISK_CODES order', () => {
    const issues = checkRisk(WORST, WORST_CONTEXT, LOOSE);
    expect(issues.map((i) => i.code)).toEqual([...RISK_CODES]);
    for (const issue of issues) expect(issue.message).toMatch(/\d/); // each says its numbers
  });

  it('the same order under no limits is refused for reduce-only alone (an order property)', () => {
    expect(checkRisk(WORST, WORST_CONTEXT, {}).map((i) => i.code)).toEqual(['REDUCE_ONLY']);
  });

  it('any subset of failures keeps the same relative order', () => {
    const some = order({ quantity: '20', decisionTime: ago(60_000) });
    const ctx = context({ openOrders: 50, balances: { USDT: '0' } });
    expect(checkRisk(some, ctx, LOOSE).map((i) => i.code)).toEqual([
      'MAX_ORDER_QUANTITY',
      'MAX_NOTIONAL',
      'OPEN_ORDER_LIMIT',
      'STALE_SIGNAL',
      'INSUFFICIENT_BALANCE',
    ]);
  });

  it('a healthy order passes every limit at once', () => {
    expect(checkRisk(order({ decisionTime: ago(1000) }), context(), LOOSE)).toEqual([]);
  });

  it('is pure: the same inputs give the same answer and nothing is mutated', () => {
    const before = JSON.stringify([WORST, WORST_CONTEXT, LOOSE]);
    const first = checkRisk(WORST, WORST_CONTEXT, LOOSE);
    expect(checkRisk(WORST, WORST_CONTEXT, LOOSE)).toEqual(first);
    expect(JSON.stringify([WORST, WORST_CONTEXT, LOOSE])).toBe(before);
  });
});
