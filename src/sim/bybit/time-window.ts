import { bybitErrors } from './errors';
import type { BybitParams } from './params';

const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;

export interface TimeWindow {
  contains(time: number): boolean;
}

/**
 * `startTime`/`endTime` as Bybit's history endpoints (orders, executions) take them: at most
 * seven days apart; one alone spans seven days from (or up to) it; neither means the last seven
 * days up to now.
 */
export function timeWindow(params: BybitParams, now: number): TimeWindow {
  const start = params.integer('startTime');
  const end = params.integer('endTime');
  let from: number;
  let to: number;
  if (start !== undefined && end !== undefined) {
    if (end < start) throw bybitErrors.params('endTime must not be before startTime');
    if (end - start > SEVEN_DAYS_MS) throw bybitErrors.params('startTime and endTime must be within 7 days');
    [from, to] = [start, end];
  } else if (start !== undefined) {
    [from, to] = [start, start + SEVEN_DAYS_MS];
  } else if (end !== undefined) {
    [from, to] = [end - SEVEN_DAYS_MS, end];
  } else {
    // Open-ended: records carry the engine's real time, which a skewed venue clock may trail.
    [from, to] = [now - SEVEN_DAYS_MS, Number.POSITIVE_INFINITY];
  }
  return { contains: (time) => time >= from && time <= to };
}
