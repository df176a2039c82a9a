/**
 * The submit gate (src/activities/trading-gate.ts) over a scripted state source: reads are shared
 * for at most the cache window, failures are never cached (nor guessed ACTIVE), the kill switch's
 * flattening orders pass a halt by id, and REDUCING asks the position.
 */
import { ApplicationFailure } from '@temporalio/common';
import { TRADING_STATE_CACHE_MS, createTradingGate } from '../../src/activities/trading-gate';
import type { TradingStateView } from '../../src/activities/types';

const ORDER = { venue: 'sim', symbol: 'BTC/USDT', side: 'sell' as const, quantity: '1' };

/** A state source whose answers the test sets, counting reads. */
function source(initial: TradingStateView | Error) {
  let view: TradingStateView | Error = initial;
  let reads = 0;
  return {
    set(next: TradingStateView | Error) {
      view = next;
    },
    get reads() {
      return reads;
    },
    read: async (): Promise<TradingStateView> => {
      reads++;
      if (view instanceof Error) throw view;
      return view;
    },
  };
}

describe('the gate', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('shares one read between checks within the cache window, and reads again after it', async () => {
    const state = source({ state: 'ACTIVE' });
    const gate = createTradingGate({ readState: state.read, clock });
    const checks = await Promise.all(Array.from({ length: 50 }, () => gate.check(ORDER)));
    expect(checks.every((c) => c === undefined)).toBe(true);
    expect(state.reads).toBe(1);

    state.set({ state: 'HALTED', reason: 'kill' });
    now += TRADING_STATE_CACHE_MS; // still within: the old read serves
    expect(await gate.check(ORDER)).toBeUndefined();
    now += 1; // past it: a new read sees the halt
    expect(await gate.check(ORDER)).toEqual({ code: 'TRADING_HALTED', message: 'trading is halted (kill)' });
    expect(state.reads).toBe(2);
  });

  it('never refuses on a shared read from before the check: right after a resume the order passes', async () => {
    const state = source({ state: 'HALTED', reason: 'kill' });
    const gate = createTradingGate({ readState: state.read, clock });
    expect((await gate.check(ORDER))?.code).toBe('TRADING_HALTED');
    expect(state.reads).toBe(1); // the refusing read was started by that check: no second read

    state.set({ state: 'ACTIVE' }); // resumed
    now += 10; // well inside the shared-read window
    expect(await gate.check(ORDER)).toBeUndefined();
    expect(state.reads).toBe(2); // the shared HALTED read was confirmed by a fresh one

    // Halted again, past the window: one new read serves 20 concurrent checks.
    state.set({ state: 'HALTED', reason: 'again' });
    now += TRADING_STATE_CACHE_MS + 1;
    const halted = () => Promise.all(Array.from({ length: 20 }, () => gate.check(ORDER)));
    expect((await halted()).every((r) => r?.code === 'TRADING_HALTED')).toBe(true);
    expect(state.reads).toBe(3);
    // Inside the window the shared read refuses, and the checks share one confirming read.
    now += 10;
    expect((await halted()).every((r) => r?.code === 'TRADING_HALTED')).toBe(true);
    expect(state.reads).toBe(4);
  });

  it('with cacheMs 0 every check reads', async () => {
    const state = source({ state: 'ACTIVE' });
    const gate = createTradingGate({ readState: state.read, clock, cacheMs: 0 });
    await gate.check(ORDER);
    await gate.check(ORDER);
    expect(state.reads).toBe(2);
  });

  it('a failed read fails the check retryably and is not cached', async () => {
    const state = source(new Error('deadline exceeded'));
    const gate = createTradingGate({ readState: state.read, clock });
    const failure = await gate.check(ORDER).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'TRADING_STATE_UNAVAILABLE', nonRetryable: false });
    state.set({ state: 'HALTED' });
    expect((await gate.check(ORDER))?.code).toBe('TRADING_HALTED'); // same instant: read again
    expect(state.reads).toBe(2);
  });

  it('lets an exempt order id through a halt, and no other', async () => {
    const state = source({ state: 'HALTED', exempt: ['kill-1-flatten-sim-BTC-USDT'] });
    const gate = createTradingGate({ readState: state.read, clock });
    expect(await gate.check({ ...ORDER, orderId: 'kill-1-flatten-sim-BTC-USDT' })).toBeUndefined();
    expect((await gate.check({ ...ORDER, orderId: 'ord-1' }))?.code).toBe('TRADING_HALTED');
    expect((await gate.check(ORDER))?.code).toBe('TRADING_HALTED');
  });

  it('REDUCING asks the position of the order’s venue and symbol', async () => {
    const asked: string[] = [];
    const gate = createTradingGate({
      readState: source({ state: 'REDUCING', reason: 'unwind' }).read,
      clock,
      positionOf: async (venue, symbol) => {
        asked.push(`${venue} ${symbol}`);
        return '0.5';
      },
    });
    expect(await gate.check({ ...ORDER, quantity: '0.5' })).toBeUndefined();
    expect((await gate.check({ ...ORDER, quantity: '0.6' }))?.code).toBe('TRADING_REDUCING');
    expect((await gate.check({ ...ORDER, side: 'buy' }))?.code).toBe('TRADING_REDUCING');
    expect(asked).toEqual(['sim BTC/USDT', 'sim BTC/USDT', 'sim BTC/USDT']);
  });

  it('REDUCING without a position source refuses (it cannot show an order reduces)', async () => {
    const gate = createTradingGate({ readState: source({ state: 'REDUCING' }).read, clock });
    expect((await gate.check(ORDER))?.message).toContain('position is unknown');
  });
});
