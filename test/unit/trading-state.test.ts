/**
 * The trading state (src/domain/trading-state.ts): commands and their history, and what each
 * state lets through — REDUCING only orders on the side opposite the position, no larger than it.
 */
import {
  HISTORY_LIMIT,
  MAX_REASON_LENGTH,
  type TradingControl,
  UNSPECIFIED_REASON,
  applyTradingCommand,
  initialTradingControl,
  orderAllowed,
} from '../../src/domain/trading-state';

const T0 = '2030-01-01T00:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();

describe('commands', () => {
  it('starts ACTIVE with no history', () => {
    expect(initialTradingControl(T0)).toEqual({ state: 'ACTIVE', since: T0, history: [] });
  });

  it('moves between the three states and records each change with its reason and time', () => {
    let c = initialTradingControl(T0);
    const steps = [
      ['halt', 'fat finger on desk 3', 'HALTED'],
      ['reduceOnly', 'unwinding', 'REDUCING'],
      ['resume', 'all clear', 'ACTIVE'],
      ['reduceOnly', 'late session', 'REDUCING'],
      ['halt', 'exchange outage', 'HALTED'],
    ] as const;
    steps.forEach(([kind, reason, state], i) => {
      const r = applyTradingCommand(c, { kind, reason, at: at(i + 1) });
      expect(r.changed).toBe(true);
      c = r.control;
      expect(c).toMatchObject({ state, reason, since: at(i + 1) });
    });
    expect(c.history).toEqual(steps.map(([, reason, state], i) => ({ state, reason, at: at(i + 1) })));
  });

  it('a command for the state already held changes nothing but is recorded as unchanged', () => {
    const halted = applyTradingCommand(initialTradingControl(T0), {
      kind: 'halt',
      reason: 'first',
      at: at(1),
    });
    const again = applyTradingCommand(halted.control, { kind: 'halt', reason: 'second', at: at(2) });
    expect(again.changed).toBe(false);
    expect(again.control).toMatchObject({ state: 'HALTED', reason: 'first', since: at(1) });
    expect(again.control.history.at(-1)).toEqual({
      state: 'HALTED',
      reason: 'second',
      at: at(2),
      unchanged: true,
    });

    const resumedWhileActive = applyTradingCommand(initialTradingControl(T0), {
      kind: 'resume',
      reason: 'nothing to resume',
      at: at(1),
    });
    expect(resumedWhileActive.changed).toBe(false);
    expect(resumedWhileActive.control.state).toBe('ACTIVE');
    expect(resumedWhileActive.control.since).toBe(T0);
    expect(resumedWhileActive.control.history).toHaveLength(1);
  });

  it('never drops a halt for a bad reason: missing or blank becomes UNSPECIFIED, a long one is cut', () => {
    for (const reason of [undefined, '', '   ']) {
      const r = applyTradingCommand(initialTradingControl(T0), { kind: 'halt', reason, at: at(1) });
      expect(r.control).toMatchObject({ state: 'HALTED', reason: UNSPECIFIED_REASON });
    }
    const long = applyTradingCommand(initialTradingControl(T0), {
      kind: 'halt',
      reason: 'x'.repeat(MAX_REASON_LENGTH * 2),
      at: at(1),
    });
    expect(long.control.reason).toHaveLength(MAX_REASON_LENGTH);
    expect(
      applyTradingCommand(initialTradingControl(T0), { kind: 'halt', reason: '  why  ', at: T0 }).control
        .reason,
    ).toBe('why');
  });

  it('keeps only the last HISTORY_LIMIT entries', () => {
    let c: TradingControl = initialTradingControl(T0);
    for (let i = 0; i < HISTORY_LIMIT + 10; i++) {
      c = applyTradingCommand(c, {
        kind: i % 2 === 0 ? 'halt' : 'resume',
        reason: `r${i}`,
        at: at(i),
      }).control;
    }
    expect(c.history).toHaveLength(HISTORY_LIMIT);
    expect(c.history[0]?.reason).toBe('r10');
    expect(c.history.at(-1)?.reason).toBe(`r${HISTORY_LIMIT + 9}`);
  });
});

describe('orderAllowed', () => {
  const buy = (quantity: string) => ({ side: 'buy' as const, quantity });
  const sell = (quantity: string) => ({ side: 'sell' as const, quantity });

  it('ACTIVE lets everything through, whatever the position', () => {
    expect(orderAllowed('ACTIVE', buy('100'))).toBeUndefined();
    expect(orderAllowed('ACTIVE', sell('100'), '-5')).toBeUndefined();
  });

  it('HALTED refuses everything, reducing or not, with the reason in the message', () => {
    for (const [order, position] of [
      [buy('1'), '0'],
      [sell('1'), '5'],
      [buy('1'), '-5'],
    ] as const) {
      const issue = orderAllowed({ state: 'HALTED', reason: 'kill switch' }, order, position);
      expect(issue).toEqual({ code: 'TRADING_HALTED', message: 'trading is halted (kill switch)' });
    }
    expect(orderAllowed('HALTED', sell('1'), '5')?.code).toBe('TRADING_HALTED');
  });

  it('REDUCING lets through a long reduced by a sell up to the position', () => {
    expect(orderAllowed('REDUCING', sell('2.5'), '2.5')).toBeUndefined();
    expect(orderAllowed('REDUCING', sell('0.00000001'), '2.5')).toBeUndefined();
  });

  it('REDUCING lets through a short reduced by a buy up to its size', () => {
    expect(orderAllowed('REDUCING', buy('3'), '-3')).toBeUndefined();
    expect(orderAllowed('REDUCING', buy('1'), '-3.5')).toBeUndefined();
  });

  it.each([
    ['a buy adds to a long', buy('1'), '5', 'adds to the position'],
    ['a sell adds to a short', sell('1'), '-5', 'adds to the position'],
    ['a sell larger than the long would flip it', sell('5.00000001'), '5', 'would flip'],
    ['a buy larger than the short would flip it', buy('6'), '-5', 'would flip'],
    ['no position: nothing reduces', sell('1'), '0', 'no position'],
    ['no position: a buy neither', buy('1'), '-0', 'no position'],
    ['unknown position', sell('1'), undefined, 'position is unknown'],
    ['malformed position', sell('1'), 'lots', 'position is unknown'],
    ['a zero quantity', sell('0'), '5', 'not a positive decimal'],
    ['a malformed quantity', sell('1,5'), '5', 'not a positive decimal'],
  ])('REDUCING refuses when %s', (_name, order, position, words) => {
    const issue = orderAllowed({ state: 'REDUCING', reason: 'unwind' }, order, position);
    expect(issue?.code).toBe('TRADING_REDUCING');
    expect(issue?.message).toContain('reduce-only (unwind)');
    expect(issue?.message).toContain(words);
  });
});
