import {
  LiveGateError,
  describeTradingMode,
  isSimulatorVenue,
  liveGatesFrom,
  venueTradingMode,
} from '../../src/domain/live-gates';

const REAL = { kind: 'ccxt' as const };
const SIMULATED = { kind: 'ccxt' as const, simulatorUrl: 'http://127.0.0.1:8300' };
const PAPER = { kind: 'paper' as const };

describe('liveGatesFrom', () => {
  it('DRY_RUN defaults to true; LIVE_CONFIRM must be exactly YES', () => {
    expect(liveGatesFrom({})).toEqual({ dryRun: true, liveConfirmed: false });
    expect(liveGatesFrom({ DRY_RUN: '' })).toEqual({ dryRun: true, liveConfirmed: false });
    expect(liveGatesFrom({ DRY_RUN: 'false', LIVE_CONFIRM: 'YES' })).toEqual({
      dryRun: false,
      liveConfirmed: true,
    });
    for (const almost of ['yes', 'Yes', 'YES ', 'true', '1'])
      expect(liveGatesFrom({ DRY_RUN: 'false', LIVE_CONFIRM: almost }).liveConfirmed).toBe(false);
  });

  it.each(['true', 'TRUE', '1', 'yes', 'on', ' true '])('DRY_RUN=%j is on', (value) => {
    expect(liveGatesFrom({ DRY_RUN: value }).dryRun).toBe(true);
  });

  it.each(['false', 'False', '0', 'no', 'off'])('DRY_RUN=%j is off', (value) => {
    expect(liveGatesFrom({ DRY_RUN: value }).dryRun).toBe(false);
  });

  it('a DRY_RUN that is neither refuses to start (a typo must not decide)', () => {
    expect(() => liveGatesFrom({ DRY_RUN: 'flase' })).toThrow(LiveGateError);
    expect(() => liveGatesFrom({ DRY_RUN: 'flase' })).toThrow(/DRY_RUN must be true or false, got "flase"/);
  });
});

describe('venueTradingMode', () => {
  const dry = liveGatesFrom({});
  const unconfirmed = liveGatesFrom({ DRY_RUN: 'false' });
  const live = liveGatesFrom({ DRY_RUN: 'false', LIVE_CONFIRM: 'YES' });

  it('simulators are the paper venue and ccxt venues with simulatorUrl; sandbox is real', () => {
    expect(isSimulatorVenue(PAPER)).toBe(true);
    expect(isSimulatorVenue(SIMULATED)).toBe(true);
    expect(isSimulatorVenue(REAL)).toBe(false);
  });

  it('simulators trade whatever the gates say', () => {
    for (const gates of [dry, unconfirmed, live]) {
      expect(venueTradingMode('sim', SIMULATED, gates)).toEqual({ mode: 'simulator' });
      expect(venueTradingMode('paper', PAPER, gates)).toEqual({ mode: 'simulator' });
    }
  });

  it('a real venue under DRY_RUN is blocked, LIVE_TRADING_DISABLED, saying how to enable it', () => {
    const mode = venueTradingMode('binance', REAL, dry);
    expect(mode).toMatchObject({ mode: 'blocked', code: 'LIVE_TRADING_DISABLED' });
    expect(mode.mode === 'blocked' && mode.message).toMatch(/DRY_RUN=false and LIVE_CONFIRM=YES/);
    // DRY_RUN wins even with LIVE_CONFIRM=YES.
    expect(venueTradingMode('binance', REAL, { dryRun: true, liveConfirmed: true })).toMatchObject({
      code: 'LIVE_TRADING_DISABLED',
    });
  });

  it('a real venue without LIVE_CONFIRM=YES is blocked, LIVE_NOT_CONFIRMED', () => {
    const mode = venueTradingMode('binance', REAL, unconfirmed);
    expect(mode).toMatchObject({ mode: 'blocked', code: 'LIVE_NOT_CONFIRMED' });
    expect(mode.mode === 'blocked' && mode.message).toMatch(/LIVE_CONFIRM=YES/);
  });

  it('both gates open: live', () => {
    expect(venueTradingMode('binance', REAL, live)).toEqual({ mode: 'live' });
  });

  it('one start-up line per mode', () => {
    expect(describeTradingMode('sim', { mode: 'simulator' })).toBe('sim: simulator (orders allowed)');
    expect(describeTradingMode('b', { mode: 'live' })).toMatch(/^b: LIVE/);
    expect(describeTradingMode('b', venueTradingMode('b', REAL, dry))).toBe(
      'b: blocked, LIVE_TRADING_DISABLED (market data only; DRY_RUN is on)',
    );
  });
});
