/**
 * How every activity calls a venue: VenueErrors become typed Temporal failures whose retryability
 * follows the error policy, the venue's retry budget turns an endless retry into a final failure,
 * and each call's outcome feeds the venue's circuit breaker. Shared by the order and the market
 * activities.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { isVenueError } from '../venues/errors';
import type { RegisteredVenue, VenueRegistry } from '../venues/registry';

/** A VenueError as a Temporal failure: rejections and not-found are final, the rest retry. */
export function toFailure(err: unknown): unknown {
  if (!isVenueError(err)) return err;
  const final = err.action === 'reject' || err.action === 'not_found';
  return ApplicationFailure.create({
    type: err.code,
    message: err.message,
    nonRetryable: final,
    details: [{ action: err.action, origin: err.origin }],
    ...(err.retryAfterMs === undefined ? {} : { nextRetryDelay: err.retryAfterMs }),
  });
}

export function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // unit tests call these functions directly
  }
}

/**
 * Runs a venue call; its failure becomes a Temporal failure. Once the venue's retry budget
 * (`maxAttempts`) is spent, a failure that would be retried is final instead, typed
 * RETRIES_EXHAUSTED: the workflow then parks the order in DEAD_LETTER for an operator.
 */
export async function failAsTemporal<T>(fn: () => Promise<T>, maxAttempts?: number): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const failure = toFailure(err);
    const attempt = activityContext()?.info.attempt ?? 1;
    const final = failure instanceof ApplicationFailure && failure.nonRetryable;
    if (maxAttempts === undefined || final || attempt < maxAttempts) throw failure;
    const why = isVenueError(err)
      ? `${err.code}: ${err.message}`
      : err instanceof Error
        ? err.message
        : String(err);
    throw ApplicationFailure.create({
      type: 'RETRIES_EXHAUSTED',
      message: `${why} (attempt ${attempt} of ${maxAttempts})`,
      nonRetryable: true,
      details: [{ lastCode: isVenueError(err) ? err.code : undefined, attempts: attempt }],
    });
  }
}

export const TRANSIENT_ACTIONS: ReadonlySet<string> = new Set(['retry', 'unknown_outcome', 'resync_clock']);

/** Runs a venue call and tells the venue's breaker how it went. */
export async function observed<T>(registered: RegisteredVenue, call: () => Promise<T>): Promise<T> {
  try {
    const result = await call();
    registered.breaker.success();
    return result;
  } catch (err) {
    if (isVenueError(err) && TRANSIENT_ACTIONS.has(err.action))
      registered.breaker.failure(`${err.code}: ${err.message}`);
    else if (isVenueError(err)) registered.breaker.success(); // the venue answered, if only to refuse
    throw err;
  }
}

/**
 * A venue call with that venue's retry budget, its outcome reported to the venue's breaker: a
 * transient failure counts against the venue; any answer (even a refusal) shows it is up. An
 * unknown venue fails typed UNKNOWN_VENUE (final).
 */
export function withVenueBudget<T>(
  registry: VenueRegistry,
  name: string,
  call: (venue: RegisteredVenue['venue']) => Promise<T>,
  observe = true,
): Promise<T> {
  const registered = registry.find(name);
  if (registered === undefined) return failAsTemporal(async () => call(registry.get(name).venue));
  const run = () => (observe ? observed(registered, () => call(registered.venue)) : call(registered.venue));
  return failAsTemporal(run, registered.settings.maxAttempts);
}
