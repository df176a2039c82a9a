/**
 * `ordo tca` without a server: the command wired to a stand-in analysis (the real one is tested
 * against Temporal and the simulator in test/temporal/tca.test.ts), the text table, and the pure
 * helpers of the TCA activity.
 */
import { Command } from 'commander';
import { hasUnfilled, interval } from '../../src/activities/tca-activities';
import type { OrderTcaReport } from '../../src/activities/tca-types';
import { registerTcaCommands } from '../../src/client/cli-tca';
import { formatTca } from '../../src/client/format-tca';
import { TcaRefusedError } from '../../src/client/tca';
import { OrderRequestError } from '../../src/domain/order-request';
import { analyseOrder } from '../../src/domain/tca';

const FILL = {
  quantity: '0.5',
  price: '101',
  fee: '0.1',
  feeCurrency: 'USDT',
  timestamp: '2030-01-01T00:00:01.250Z',
};

/** A real analysis (so the numbers hang together), half filled, with a fee the TCA cannot price. */
function report(): OrderTcaReport {
  const fills = [FILL, { ...FILL, quantity: '0.25', fee: '0.001', feeCurrency: 'BNB' }];
  const result = analyseOrder({
    orderId: 'o-1',
    symbol: 'BTC/USDT',
    side: 'buy',
    venue: 'sim',
    quantity: '1',
    arrivalMid: '100',
    requestedAt: '2030-01-01T00:00:00.000Z',
    endPrice: '102',
    marketVwap: '100.5',
    fills,
  });
  return {
    ...result,
    kind: 'order',
    status: 'CANCELLED',
    endAt: '2030-01-01T00:01:00.000Z',
    marketTrades: 7,
    endPriceSource: 'last-trade',
    fills,
  };
}

async function run(args: string[], analyse: (id: string) => Promise<OrderTcaReport>): Promise<string> {
  let out = '';
  const program = new Command('ordo').option('--json');
  registerTcaCommands(program, { write: (t) => void (out += t), analyse });
  await program.parseAsync(args, { from: 'user' });
  return out;
}

test('the table shows the prices, fills, the shortfall split and the other measures', async () => {
  const asked: string[] = [];
  const text = await run(['tca', 'o-1'], async (id) => {
    asked.push(id);
    return report();
  });
  expect(asked).toEqual(['o-1']);
  const lines = text.trimEnd().split('\n');
  expect(lines[0]).toBe('TCA of order o-1: buy 1 BTC/USDT on sim, CANCELLED');
  expect(lines).toEqual(
    expect.arrayContaining([
      'arrival mid         100',
      'decision price      - (none: the benchmark is the arrival mid)',
      'market VWAP         100.5',
      'end price           102 (last-trade)',
      'filled              0.75 of 1 (fill rate 0.75)',
      'latency             1250 ms to the first fill',
      'fills               2',
      '  2030-01-01T00:00:01.250Z  0.5 @ 101  fee 0.1 USDT',
      // s·(Σqp − X·P_a) = 75.75 − 75; opportunity 0.25·(102 − 100); fees 0.1 USDT (BNB left out).
      '  trading           0.75                    75',
      '  opportunity       0.5                     50',
      '  fees              0.1                     10',
      '  total             1.35                    135',
      'fees not in total   0.001 BNB',
    ]),
  );
  // (101 − 100.5)/100.5 = 49.7512 bp of 0.75 × 100.5.
  expect(lines).toContain('VWAP performance    49.7512 bp  (0.375 over 75.375)');
});

test('--json prints the report as it is', async () => {
  const out = await run(['--json', 'tca', 'o-1'], async () => report());
  expect(JSON.parse(out)).toEqual(report());
});

test('a refusal propagates typed, as the CLI exits 2 on (an OrderRequestError)', async () => {
  const refusal = new TcaRefusedError('ORDER_NOT_FOUND', 'no order x');
  await expect(run(['tca', 'x'], async () => Promise.reject(refusal))).rejects.toBe(refusal);
  expect(refusal).toBeInstanceOf(OrderRequestError);
  expect(refusal.code).toBe('ORDER_NOT_FOUND');
});

test('a parent says how many children it pooled; no fill means no latency', () => {
  const r = { ...report(), kind: 'parent' as const, children: 3, fills: [], latencyMs: undefined };
  const text = formatTca(r);
  expect(text.split('\n')[0]).toBe('TCA of parent o-1 (3 children): buy 1 BTC/USDT on sim, CANCELLED');
  expect(text).toContain('latency             - (no fill)');
  expect(text).toContain('fills               none');
});

test('the interval runs from the first status to the last once ended, else to now; never empty', () => {
  const now = new Date('2030-01-01T01:00:00.000Z');
  const history = [{ at: '2030-01-01T00:00:00.000Z' }, { at: '2030-01-01T00:00:05.000Z' }];
  expect(interval(history, true, now)).toEqual({
    from: new Date(history[0]!.at),
    to: new Date(history[1]!.at),
  });
  expect(interval(history, false, now).to).toEqual(now);
  const instant = interval([{ at: '2030-01-01T00:00:00.000Z' }], true, now);
  expect(instant.to.getTime() - instant.from.getTime()).toBe(1);
});

test('hasUnfilled compares exactly', () => {
  expect(
    hasUnfilled('0.3', [
      { ...FILL, quantity: '0.1' },
      { ...FILL, quantity: '0.2' },
    ]),
  ).toBe(false);
  expect(hasUnfilled('0.3', [{ ...FILL, quantity: '0.1' }])).toBe(true);
});
