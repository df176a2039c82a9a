/**
 * Live-trading gates: whether a venue may receive orders. Two switches from the environment:
 * `DRY_RUN` (default true) keeps every order on simulators; a real venue also needs
 * `LIVE_CONFIRM=YES`, a second, deliberate word, so one forgotten variable never trades money.
 *
 * A simulator is the paper venue or a ccxt venue pointed at the local simulator (`simulatorUrl`).
 * Everything else is real, exchange testnets (`sandbox: true`) included: they are someone
 * else's servers with real credentials, and the gate does not guess which accounts are play money.
 *
 * Pure: the caller passes the environment and the venue's configuration.
 */

export type LiveGateCode = 'LIVE_TRADING_DISABLED' | 'LIVE_NOT_CONFIRMED';

export interface LiveGates {
  /** DRY_RUN: orders go to simulators only. */
  dryRun: boolean;
  /** LIVE_CONFIRM=YES: real venues may trade (when dryRun is false). */
  liveConfirmed: boolean;
}

export type VenueTradingMode =
  { mode: 'simulator' } | { mode: 'live' } | { mode: 'blocked'; code: LiveGateCode; message: string };

/** What makes a venue a simulator, in its configuration's terms. */
export interface VenueKind {
  kind: 'paper' | 'ccxt';
  simulatorUrl?: string;
}

export class LiveGateError extends Error {
  readonly code = 'INVALID_DRY_RUN';
  constructor(message: string) {
    super(message);
    this.name = 'LiveGateError';
  }
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/**
 * The gates from environment variables. DRY_RUN unset or empty means true; a value that is
 * neither a yes nor a no word is an error (a typo must not decide whether money moves).
 * LIVE_CONFIRM must be exactly `YES`.
 */
export function liveGatesFrom(env: Readonly<Record<string, string | undefined>>): LiveGates {
  const raw = (env['DRY_RUN'] ?? '').trim().toLowerCase();
  let dryRun: boolean;
  if (raw === '' || TRUE_WORDS.has(raw)) dryRun = true;
  else if (FALSE_WORDS.has(raw)) dryRun = false;
  else throw new LiveGateError(`DRY_RUN must be true or false, got "${env['DRY_RUN']}"`);
  return { dryRun, liveConfirmed: env['LIVE_CONFIRM'] === 'YES' };
}

export function isSimulatorVenue(venue: VenueKind): boolean {
  return venue.kind === 'paper' || venue.simulatorUrl !== undefined;
}

/** How a venue may trade under the gates: simulators always; real venues only when both allow. */
export function venueTradingMode(name: string, venue: VenueKind, gates: LiveGates): VenueTradingMode {
  if (isSimulatorVenue(venue)) return { mode: 'simulator' };
  if (gates.dryRun) {
    return {
      mode: 'blocked',
      code: 'LIVE_TRADING_DISABLED',
      message:
        `venue "${name}" is a real exchange and DRY_RUN is on (the default): orders are refused. ` +
        'To trade on it, start the worker with DRY_RUN=false and LIVE_CONFIRM=YES.',
    };
  }
  if (!gates.liveConfirmed) {
    return {
      mode: 'blocked',
      code: 'LIVE_NOT_CONFIRMED',
      message:
        `venue "${name}" is a real exchange: DRY_RUN=false is not enough, trading on it also needs ` +
        'LIVE_CONFIRM=YES. Orders are refused.',
    };
  }
  return { mode: 'live' };
}

/** One start-up line per venue, e.g. `binance-main: blocked (LIVE_TRADING_DISABLED)`. */
export function describeTradingMode(name: string, mode: VenueTradingMode): string {
  switch (mode.mode) {
    case 'simulator':
      return `${name}: simulator (orders allowed)`;
    case 'live':
      return `${name}: LIVE (real orders: DRY_RUN=false, LIVE_CONFIRM=YES)`;
    case 'blocked':
      return `${name}: blocked, ${mode.code} (market data only; ${
        mode.code === 'LIVE_TRADING_DISABLED' ? 'DRY_RUN is on' : 'LIVE_CONFIRM is not YES'
      })`;
  }
}
