/**
 * The start-up lines that say, per venue, whether this worker sends real orders: `simulator`,
 * `live`, or `blocked` by DRY_RUN / a missing LIVE_CONFIRM (src/domain/live-gates.ts). Live venues
 * are logged at warn level, so they stand out.
 */
import type { Logger } from 'pino';
import { type LiveGates, describeTradingMode, venueTradingMode } from '../domain/live-gates';
import type { WorkerConfig } from './config';

export function logVenueTradingModes(logger: Logger, config: WorkerConfig, gates: LiveGates): void {
  logger.info({ dryRun: gates.dryRun, liveConfirmed: gates.liveConfirmed }, 'live-trading gates');
  for (const [name, venue] of Object.entries(config.venues)) {
    const mode = venueTradingMode(name, venue, gates);
    const fields = {
      venue: name,
      kind: venue.kind,
      ...(venue.kind === 'ccxt' ? { exchange: venue.exchange } : {}),
      tradingMode: mode.mode,
      ...(mode.mode === 'blocked' ? { code: mode.code, howToEnable: mode.message } : {}),
    };
    const line = `venue ${describeTradingMode(name, mode)}`;
    if (mode.mode === 'live') logger.warn(fields, line);
    else logger.info(fields, line);
  }
}
