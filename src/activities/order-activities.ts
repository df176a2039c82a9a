/**
 * Order activities: thin, idempotent wrappers around venue calls. Each does one thing to the
 * outside world and may be retried by Temporal; VenueErrors become ApplicationFailures whose
 * retryability follows the error policy.
 *
 * Submit is the one call that must never happen twice: before any resend it looks the order up by
 * its client order id, and an unknown outcome (timeout, dropped connection) is resolved by that
 * look-up, not by sending again.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { add, cmp, dec, sub, toDecimalString } from '../domain/decimal';
import type { Fill } from '../domain/order-state';
import { VenueError, isVenueError } from '../venues/errors';
import { type RegisteredVenue, type VenueRegistry, nextDayClose } from '../venues/registry';
import type { OrderRef, Venue, VenueOrder } from '../venues/types';
import type {
  AmendOrderInput,
  AmendOrderResult,
  CancelOrderInput,
  FollowOrderInput,
  OrderActivities,
  OrderSnapshot,
  PrepareOrderInput,
  PreparedOrder,
  SubmitOrderInput,
} from './types';

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

async function failAsTemporal<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toFailure(err);
  }
}

function sumFills(fills: readonly Fill[]): string {
  return fills.reduce((total, f) => add(total, f.quantity), '0');
}

/** Fills of one venue order, consistent with the order's filled quantity (venues lag a little). */
async function snapshotOf(venue: Venue, order: VenueOrder, attempts = 5): Promise<OrderSnapshot> {
  if (dec(order.filledQuantity).isZero()) return { order, fills: [] };
  let fills = order.fills;
  for (let i = 0; i < attempts && cmp(sumFills(fills), order.filledQuantity) < 0; i++) {
    fills = await venue.fetchOrderFills({ symbol: order.symbol, venueOrderId: order.venueOrderId });
    if (cmp(sumFills(fills), order.filledQuantity) < 0) await sleep(100 * (i + 1));
  }
  return { order, fills };
}

/** The order as the venue has it now; an order we placed must exist, so absence is retried. */
async function fetchExisting(venue: Venue, ref: OrderRef & { venueOrderId: string }): Promise<VenueOrder> {
  const order = await venue.fetchOrder(ref);
  if (order === undefined) {
    throw new VenueError(
      'retry',
      'ORDER_NOT_FOUND',
      `${venue.name} does not know order ${ref.venueOrderId} (yet)`,
    );
  }
  return order;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function heartbeatSafely(details?: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // Outside an activity context (unit tests call these functions directly).
  }
}

function currentAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

/** Sleeps, waking early (with an error) if Temporal cancels the activity. */
async function cancellableSleep(ms: number): Promise<void> {
  let context: Context | undefined;
  try {
    context = Context.current();
  } catch {
    context = undefined;
  }
  if (context === undefined) return sleep(ms);
  return context.sleep(ms);
}

export function createOrderActivities(registry: VenueRegistry): OrderActivities {
  const venueOf = (name: string): RegisteredVenue => registry.get(name);

  async function lookUp(venue: Venue, ref: OrderRef): Promise<VenueOrder | undefined> {
    return venue.fetchOrder(ref);
  }

  return {
    async prepareOrder({ venue: name, symbol }: PrepareOrderInput): Promise<PreparedOrder> {
      return failAsTemporal(async () => {
        const { venue, settings } = venueOf(name);
        const rules = await venue.marketRules(symbol);
        const referencePrice = venue.midPrice === undefined ? undefined : await venue.midPrice(symbol);
        const prepared: PreparedOrder = {
          rules,
          clientOrderIdRules: settings.clientOrderIdRules,
          dayCloseAt: nextDayClose(new Date(), settings.dayCloseUtc).toISOString(),
        };
        return referencePrice === undefined ? prepared : { ...prepared, referencePrice };
      });
    },

    async submitOrder({ venue: name, order }: SubmitOrderInput): Promise<OrderSnapshot> {
      return failAsTemporal(async () => {
        const { venue } = venueOf(name);
        const ref = { symbol: order.symbol, clientOrderId: order.clientOrderId };
        // A retry may follow a send whose answer was lost (or a worker crash): look first.
        if (currentAttempt() > 1) {
          const existing = await lookUp(venue, ref);
          if (existing !== undefined) return snapshotOf(venue, existing);
        }
        try {
          return await snapshotOf(venue, await venue.submitOrder(order));
        } catch (err) {
          if (!isVenueError(err) || err.action !== 'unknown_outcome') throw err;
          const existing = await lookUp(venue, ref).catch(() => undefined);
          if (existing !== undefined) return snapshotOf(venue, existing);
          // Not there (yet): fail retryably; the next attempt looks again before resending.
          throw err;
        }
      });
    },

    async followOrder({ venue: name, ref, known, maxWaitMs }: FollowOrderInput): Promise<OrderSnapshot> {
      return failAsTemporal(async () => {
        const { venue, settings } = venueOf(name);
        const deadline = Date.now() + maxWaitMs;
        for (;;) {
          const order = await fetchExisting(venue, ref);
          const changed =
            order.state !== known.state || cmp(order.filledQuantity, known.filledQuantity) !== 0;
          if (changed || Date.now() >= deadline) return snapshotOf(venue, order);
          heartbeatSafely({ state: order.state, filledQuantity: order.filledQuantity });
          await cancellableSleep(settings.pollIntervalMs);
        }
      });
    },

    async cancelOrder({ venue: name, ref }: CancelOrderInput): Promise<OrderSnapshot> {
      return failAsTemporal(async () => {
        const { venue } = venueOf(name);
        try {
          await venue.cancelOrder(ref);
        } catch (err) {
          // Unknown to the venue's cancel: it already ended (filled, expired). Report what it is.
          if (!isVenueError(err) || (err.action !== 'not_found' && err.code !== 'OPERATION_REJECTED'))
            throw err;
        }
        const final = await fetchExisting(venue, ref);
        return snapshotOf(venue, final);
      });
    },

    async amendOrder({
      venue: name,
      amendment,
      totalQuantity,
      filledBefore,
    }: AmendOrderInput): Promise<AmendOrderResult> {
      return failAsTemporal(async () => {
        const { venue } = venueOf(name);
        const ref = amendment.order;
        // Idempotent on retry: if the replacement already exists, report it.
        const already = await venue.fetchOrder({
          symbol: ref.symbol,
          clientOrderId: amendment.newClientOrderId,
        });
        if (already !== undefined) {
          const previous = await fetchExisting(venue, ref);
          return {
            replaced: true,
            previous: await snapshotOf(venue, previous),
            replacement: await snapshotOf(venue, already),
          };
        }
        const current = await fetchExisting(venue, ref);
        const currentSnapshot = await snapshotOf(venue, current);
        if (current.state !== 'open') {
          return {
            replaced: false,
            reason: 'ORDER_NOT_WORKING',
            message: `the order is ${current.state}`,
            current: currentSnapshot,
          };
        }
        const legQuantity = sub(sub(totalQuantity, filledBefore), current.filledQuantity);
        if (!dec(legQuantity).greaterThan(0)) {
          return {
            replaced: false,
            reason: 'AMEND_BELOW_FILLED',
            message: `new quantity ${totalQuantity} is not above what already filled (${add(filledBefore, current.filledQuantity)})`,
            current: currentSnapshot,
          };
        }
        try {
          const replacement = await venue.amendOrder({
            ...amendment,
            quantity: toDecimalString(legQuantity),
          });
          const previous = await fetchExisting(venue, ref);
          return {
            replaced: true,
            previous: await snapshotOf(venue, previous),
            replacement: await snapshotOf(venue, replacement),
          };
        } catch (err) {
          if (!isVenueError(err) || err.action !== 'reject') throw err;
          // Refused: the original may still work, or may be gone (cancel done, new order refused).
          const after = await venue.fetchOrder(ref);
          if (after === undefined) throw err;
          return {
            replaced: false,
            reason: err.code,
            message: err.message,
            current: await snapshotOf(venue, after),
          };
        }
      });
    },
  };
}
