/**
 * The worker's venues by name, with the per-venue settings activities need. One venue instance
 * per name per worker process, closed on shutdown.
 */
import type { ClientOrderIdRuleName } from '../domain/client-order-id-rules';
import { VenueError } from './errors';
import type { VenueBreaker } from './venue-breaker';
import type { Venue } from './types';

/** How smart routing weighs a venue (configuration `routing`; see src/workers/config.ts). */
export interface RoutingSettings {
  /** Lower wins ties between equally good prices; ≥ 1. */
  priority: number;
  /** Trading cost in basis points of notional (fees), ≥ 0. */
  costBps: number;
  /** Fixed cost per unit of base asset traded (decimal string, quote currency). */
  costPerUnit: string;
  /** Largest child order the router may send here (base asset). */
  maxOrderSize?: string;
  /** False: left out of routing (orders sent to it by name still go). */
  enabled: boolean;
}

export interface VenueSettings {
  clientOrderIdRules: ClientOrderIdRuleName;
  /** UTC time of day at which DAY orders expire, "HH:MM" or "HH:MM:SS". */
  dayCloseUtc: string;
  /** How often the follow activity asks the venue about a working order. */
  pollIntervalMs: number;
  /**
   * Attempts of one venue call before its retries count as exhausted: the order then parks in
   * DEAD_LETTER for an operator instead of retrying for ever.
   */
  maxAttempts: number;
  /** What a new order meets while the venue's breaker is open: refusal, or a bounded wait. */
  whenBreakerOpen: 'deny' | 'wait';
  /** The longest a new order waits for an open breaker before it is DENIED. */
  breakerMaxWaitMs: number;
  routing: RoutingSettings;
}

export interface RegisteredVenue {
  venue: Venue & { midPrice?(symbol: string): Promise<string | undefined> };
  settings: VenueSettings;
  breaker: VenueBreaker;
}

export class VenueRegistry {
  constructor(private readonly venues: ReadonlyMap<string, RegisteredVenue>) {}

  names(): string[] {
    return [...this.venues.keys()];
  }

  /** The venues smart routing may use: routing enabled, best priority first (then by name). */
  routable(): string[] {
    return this.names()
      .filter((name) => this.get(name).settings.routing.enabled)
      .sort(
        (a, b) =>
          this.get(a).settings.routing.priority - this.get(b).settings.routing.priority || (a < b ? -1 : 1),
      );
  }

  find(name: string): RegisteredVenue | undefined {
    return this.venues.get(name);
  }

  get(name: string): RegisteredVenue {
    const found = this.venues.get(name);
    if (found === undefined) {
      throw new VenueError(
        'reject',
        'UNKNOWN_VENUE',
        `unknown venue "${name}"; configured: ${this.names().join(', ')}`,
      );
    }
    return found;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.venues.values()].map((v) => v.venue.close()));
  }
}

/** HH:MM or HH:MM:SS, 00:00 to 23:59:59. */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/** The next occurrence of a UTC time of day strictly after `now`. */
export function nextDayClose(now: Date, dayCloseUtc: string): Date {
  const match = TIME_OF_DAY.exec(dayCloseUtc);
  if (match === null) throw new Error(`dayCloseUtc must be HH:MM[:SS], got "${dayCloseUtc}"`);
  const close = new Date(now);
  close.setUTCHours(Number(match[1]), Number(match[2]), Number(match[3] ?? 0), 0);
  if (close.getTime() <= now.getTime()) close.setUTCDate(close.getUTCDate() + 1);
  return close;
}
