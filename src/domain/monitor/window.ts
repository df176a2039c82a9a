/**
 * The rolling window of observations: what happened in the last `windowMs`. Adding deduplicates by
 * observation id (events are delivered at least once), refuses observations already outside the
 * window, and keeps at most `maxObservations` (the oldest go first); sliding drops what aged out.
 * Pure: each function returns a new window.
 */
import type { Observation } from './types';

export interface ObservationWindow {
  /** Oldest first. */
  observations: Observation[];
  /** Observations dropped because the window was full (since the monitor started). */
  overflowed: number;
  /** Observations that arrived already older than the window (since the monitor started). */
  stale: number;
}

export function emptyWindow(): ObservationWindow {
  return { observations: [], overflowed: 0, stale: 0 };
}

/** The window without observations at or before `now - windowMs`. */
export function slideWindow(window: ObservationWindow, now: number, windowMs: number): ObservationWindow {
  const from = now - windowMs;
  const firstKept = window.observations.findIndex((o) => o.at > from);
  if (firstKept === 0) return window;
  return { ...window, observations: firstKept < 0 ? [] : window.observations.slice(firstKept) };
}

export interface AddResult {
  window: ObservationWindow;
  /** How many of the incoming observations were new (not duplicates, not stale). */
  added: number;
  duplicates: number;
}

/**
 * Adds `incoming` at `now`: duplicates (an id already in the window, or twice in the batch) and
 * stale ones are left out; the result is slid to `now` and bounded to `maxObservations`.
 */
export function addObservations(
  window: ObservationWindow,
  incoming: readonly Observation[],
  now: number,
  limits: { windowMs: number; maxObservations: number },
): AddResult {
  const slid = slideWindow(window, now, limits.windowMs);
  const from = now - limits.windowMs;
  const known = new Set(slid.observations.map((o) => o.id));
  const fresh: Observation[] = [];
  let duplicates = 0;
  let stale = slid.stale;
  for (const observation of incoming) {
    if (known.has(observation.id)) {
      duplicates += 1;
      continue;
    }
    known.add(observation.id);
    if (observation.at <= from) {
      stale += 1;
      continue;
    }
    fresh.push(observation);
  }
  if (fresh.length === 0) return { window: { ...slid, stale }, added: 0, duplicates };
  // Usually already in order (events arrive as they happen); a stable sort keeps ties as sent.
  const merged = [...slid.observations, ...fresh].sort((a, b) => a.at - b.at);
  const excess = Math.max(0, merged.length - limits.maxObservations);
  return {
    window: { observations: merged.slice(excess), overflowed: slid.overflowed + excess, stale },
    added: fresh.length,
    duplicates,
  };
}

/** When the oldest observation leaves the window (epoch ms), or undefined when it is empty. */
export function nextExpiry(window: ObservationWindow, windowMs: number): number | undefined {
  const oldest = window.observations[0];
  return oldest === undefined ? undefined : oldest.at + windowMs;
}
