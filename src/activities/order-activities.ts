/**
 * Order activities: thin, idempotent wrappers around venue calls. Each does one thing to the
 * outside world and may be retried by Temporal; VenueErrors become ApplicationFailures whose
 * retryability follows the error policy.
 *
 * Submit is the one call that must never happen twice: before any resend it looks the order up by
 * its client order id, and an unknown outcome (timeout, dropped connection) is resolved by that
 * look-up, not by sending again.
 */
import { hostname } from 'node:os';
import { add, cmp, dec, sub } from '../domain/decimal';
import { checkMarketRules } from '../domain/market-rules';
import type { RequestIssue } from '../domain/order-request';
import type { Fill } from '../domain/order-state';
import { VenueError, isVenueError } from '../venues/errors';
import { refuseIfGated } from '../venues/gated-venue';
import { type RegisteredVenue, type VenueRegistry, nextDayClose } from '../venues/registry';
import type { NewVenueOrder, OrderRef, Venue, VenueOrder } from '../venues/types';
import type {
  AmendOrderInput,
  AmendOrderResult,
  CancelOrderInput,
  FollowOrderInput,
  LookUpOrderInput,
  OrderActivities,
  OrderSnapshot,
  PrepareOrderInput,
  PreparedOrder,
  SubmitOrderInput,
  VenueReport,
} from './types';
import { type TradingGate, gateRefusal } from './trading-gate';
import { TRANSIENT_ACTIONS, activityContext, failAsTemporal, observed, withVenueBudget } from './venue-calls';

export { toFailure } from './venue-calls';

function sumFills(fills: readonly Fill[]): string {
  return fills.reduce((total, f) => add(total, f.quantity), '0');
}

/**
 * The order with its fills. Venues report trades a little after the order's filled quantity; for
 * a working order partial fills are fine (the next poll brings the rest), but for an order that
 * has ended they must add up, or the order would end with executed quantity missing.
 */
async function snapshotOf(venue: Venue, order: VenueOrder, attempts = 5): Promise<OrderSnapshot> {
  if (dec(order.filledQuantity).isZero()) return { order, fills: [] };
  let fills = order.fills;
  for (let i = 0; i < attempts && cmp(sumFills(fills), order.filledQuantity) < 0; i++) {
    fills = await venue.fetchOrderFills({ symbol: order.symbol, venueOrderId: order.venueOrderId });
    if (cmp(sumFills(fills), order.filledQuantity) < 0) await sleep(100 * (i + 1));
  }
  if (order.state !== 'open' && cmp(sumFills(fills), order.filledQuantity) < 0) {
    throw new VenueError(
      'retry',
      'FILLS_INCOMPLETE',
      `${venue.name} reports ${order.filledQuantity} filled on order ${order.venueOrderId} but trades for ${sumFills(fills)} so far`,
    );
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
  activityContext()?.heartbeat(details);
}

/** Sleeps, waking early (with an error) if Temporal cancels the activity. */
async function cancellableSleep(ms: number): Promise<void> {
  const context = activityContext();
  return context === undefined ? sleep(ms) : context.sleep(ms);
}

/** Longest sleep without a heartbeat: a follow that polls rarely must still look alive (and hear a cancel). */
const HEARTBEAT_SLICE_MS = 1_000;

/**
 * The pause of a follow between two polls, in heartbeat-sized slices, ended early when the
 * venue's stream goes up or down (the pause's length depends on it).
 */
async function pauseBetweenPolls(ms: number, progress: unknown, watch: PushWatch | undefined): Promise<void> {
  const until = Date.now() + ms;
  let woken = false;
  const changed = watch?.changed().then(() => {
    woken = true;
  });
  for (;;) {
    const left = until - Date.now();
    if (woken || left <= 0) return;
    const slice = cancellableSleep(Math.min(left, HEARTBEAT_SLICE_MS));
    slice.catch(() => undefined); // a cancel that comes after a wake-up is heard at the next poll
    await (changed === undefined ? slice : Promise.race([slice, changed]));
    if (!woken && until - Date.now() > 0) heartbeatSafely(progress);
  }
}

/** Time kept free at the end of an attempt: a send must have reached the venue by then. */
const SEND_MARGIN_MS = 3_000;

/**
 * The latest moment this attempt may send an order. After it, Temporal may already have started
 * the next attempt, which looks the order up and sends it if absent: two sends would race.
 */
function attemptSendBy(): number | undefined {
  const info = activityContext()?.info;
  if (info === undefined || !info.startToCloseTimeoutMs) return undefined;
  return info.currentAttemptScheduledTimestampMs + info.startToCloseTimeoutMs - SEND_MARGIN_MS;
}

/**
 * Sends an order once: looks it up first on a retry, and resolves an unknown outcome by look-up.
 * `beforeSend` runs when the order is about to go out for real (not found by the look-up): the
 * trading gate, so an order already live from an earlier attempt is followed, never refused.
 */
async function sendOnce(
  venue: Venue,
  order: NewVenueOrder,
  isRetry: boolean,
  beforeSend?: () => Promise<void>,
): Promise<OrderSnapshot> {
  const ref = { symbol: order.symbol, clientOrderId: order.clientOrderId };
  if (isRetry) {
    const existing = await venue.fetchOrder(ref);
    if (existing !== undefined) return snapshotOf(venue, existing);
  }
  await beforeSend?.();
  const sendBy = attemptSendBy();
  try {
    return await snapshotOf(
      venue,
      await venue.submitOrder(sendBy === undefined ? order : { ...order, sendBy }),
    );
  } catch (err) {
    if (!isVenueError(err) || err.action !== 'unknown_outcome') throw err;
    const existing = await venue.fetchOrder(ref).catch(() => undefined);
    if (existing !== undefined) return snapshotOf(venue, existing);
    // Not there (yet): fail retryably; the next attempt looks again before resending.
    throw err;
  }
}

/** Market-rule refusals for a replacement of `quantity` (lot, tick, minimum notional). */
async function replacementIssues(
  venue: Venue,
  order: Omit<NewVenueOrder, 'quantity'>,
  quantity: string,
  venueName: string,
): Promise<RequestIssue[]> {
  const rules = await venue.marketRules(order.symbol);
  const reference =
    'midPrice' in venue && typeof venue.midPrice === 'function'
      ? await (venue as { midPrice(s: string): Promise<string | undefined> }).midPrice(order.symbol)
      : undefined;
  return checkMarketRules(
    {
      symbol: order.symbol,
      side: order.side,
      type: order.type,
      quantity,
      timeInForce: order.timeInForce,
      venue: venueName,
      ...(order.limitPrice === undefined ? {} : { limitPrice: order.limitPrice }),
      ...(order.stopPrice === undefined ? {} : { stopPrice: order.stopPrice }),
    },
    rules,
    reference,
  );
}

/** A working order a follow activity watches, by both its ids, for the workflow following it. */
export interface FollowedOrder {
  venue: string;
  workflowId: string;
  venueOrderId: string;
  clientOrderId?: string;
}

/**
 * Pushed order updates as the follow activity sees them (src/workers/pushed-fills.ts): while it
 * follows, its order is registered so a pushed update signals the workflow, and it polls less
 * often while the venue's stream is up.
 */
export interface FollowPushes {
  /** Registers a follow; undefined when the venue has no order stream (plain polling). */
  watch(order: FollowedOrder): PushWatch | undefined;
}

export interface PushWatch {
  /** The pause between polls now: the stream's fallback interval while it is up, else `normalMs`. */
  pollIntervalMs(normalMs: number): number;
  /** Resolves when the pause should end early: the venue's stream went up or down. */
  changed(): Promise<void>;
  /** The follow is over (returned, failed or cancelled). */
  end(): void;
}

export interface OrderActivityOptions {
  /**
   * The trading state's last word before a new order is sent (src/activities/trading-gate.ts).
   * A refusal fails submitOrder for good, typed TRADING_HALTED or TRADING_REDUCING, so the
   * order ends REJECTED with that reason; without a gate every order may be sent.
   */
  gate?: TradingGate;
  /** Pushed order updates; without them every follow polls at the venue's pollIntervalMs. */
  pushes?: FollowPushes;
}

export function createOrderActivities(
  registry: VenueRegistry,
  options: OrderActivityOptions = {},
): OrderActivities {
  const venueOf = (name: string): RegisteredVenue => registry.get(name);
  const isRetry = () => (activityContext()?.info.attempt ?? 1) > 1;
  const { gate, pushes } = options;
  /** The gate's check for one new order; the order id is the calling workflow's id. */
  const gateFor = (name: string, order: NewVenueOrder) =>
    gate === undefined
      ? undefined
      : async () => {
          const orderId = activityContext()?.info.workflowExecution?.workflowId;
          const issue = await gate.check({
            venue: name,
            symbol: order.symbol,
            side: order.side,
            quantity: order.quantity,
            ...(orderId === undefined ? {} : { orderId }),
          });
          if (issue !== undefined) throw gateRefusal(issue);
        };

  /** A venue call with that venue's retry budget, reported to its breaker (venue-calls.ts). */
  const withBudget = <T>(
    name: string,
    call: (venue: RegisteredVenue['venue']) => Promise<T>,
    observe = true,
  ): Promise<T> => withVenueBudget(registry, name, call, observe);

  return {
    async describeVenues(): Promise<VenueReport[]> {
      return registry
        .names()
        .map((name) => ({ venue: name, worker: WORKER_IDENTITY, ...venueOf(name).breaker.view() }));
    },

    async prepareOrder({ venue: name, symbol }: PrepareOrderInput): Promise<PreparedOrder> {
      return failAsTemporal(async () => {
        const registered = venueOf(name);
        refuseIfGated(registered.venue); // live-trading gates: DENIED before any request
        admitNewOrder(name, registered);
        const { venue, settings } = registered;
        return observed(registered, async () => {
          const rules = await venue.marketRules(symbol);
          const referencePrice = venue.midPrice === undefined ? undefined : await venue.midPrice(symbol);
          const prepared: PreparedOrder = {
            rules,
            clientOrderIdRules: settings.clientOrderIdRules,
            dayCloseAt: nextDayClose(new Date(), settings.dayCloseUtc).toISOString(),
          };
          return referencePrice === undefined ? prepared : { ...prepared, referencePrice };
        });
      });
    },

    async submitOrder({ venue: name, order, lookUpFirst }: SubmitOrderInput): Promise<OrderSnapshot> {
      const started = Date.now();
      const snapshot = await withBudget(name, (venue) =>
        sendOnce(refuseIfGated(venue), order, isRetry() || lookUpFirst === true, gateFor(name, order)),
      );
      recordSubmitLatency(name, Date.now() - started);
      return snapshot;
    },

    async lookUpOrder({ venue: name, ref }: LookUpOrderInput): Promise<OrderSnapshot | null> {
      return withBudget(name, async (venue) => {
        const order = await venue.fetchOrder(ref);
        return order === undefined ? null : snapshotOf(venue, order);
      });
    },

    async followOrder({ venue: name, ref, known, maxWaitMs }: FollowOrderInput): Promise<OrderSnapshot> {
      // Registered before the first poll: an update pushed from now on is either seen by that
      // poll or signals the workflow.
      const workflowId = activityContext()?.info.workflowExecution?.workflowId;
      const watch =
        workflowId === undefined
          ? undefined
          : pushes?.watch({
              venue: name,
              workflowId,
              venueOrderId: ref.venueOrderId,
              ...(ref.clientOrderId === undefined ? {} : { clientOrderId: ref.clientOrderId }),
            });
      try {
        return await withBudget(
          name,
          async (venue) => {
            const registered = venueOf(name);
            const deadline = Date.now() + maxWaitMs;
            let failedPolls = 0;
            for (;;) {
              let order: VenueOrder;
              try {
                order = await observed(registered, () => fetchExisting(venue, ref));
                failedPolls = 0;
              } catch (err) {
                // A busy venue fails a poll now and then: poll again (backing off) rather than
                // spend an attempt of the retry budget on each. Only a venue that keeps failing
                // fails the activity.
                if (
                  !isVenueError(err) ||
                  !TRANSIENT_ACTIONS.has(err.action) ||
                  ++failedPolls >= FOLLOW_POLL_FAILURES
                ) {
                  throw err;
                }
                heartbeatSafely({ failedPolls });
                await cancellableSleep(
                  Math.min(5_000, registered.settings.pollIntervalMs * 2 ** failedPolls),
                );
                continue;
              }
              const changed =
                order.state !== known.state || cmp(order.filledQuantity, known.filledQuantity) !== 0;
              if (changed || Date.now() >= deadline) return snapshotOf(venue, order);
              const progress = { state: order.state, filledQuantity: order.filledQuantity };
              heartbeatSafely(progress);
              const pause =
                watch?.pollIntervalMs(registered.settings.pollIntervalMs) ??
                registered.settings.pollIntervalMs;
              await pauseBetweenPolls(Math.min(pause, Math.max(0, deadline - Date.now())), progress, watch);
            }
          },
          false, // each poll reports to the breaker itself
        );
      } finally {
        watch?.end();
      }
    },

    async cancelOrder({ venue: name, ref }: CancelOrderInput): Promise<OrderSnapshot> {
      return withBudget(name, async (venue) => {
        await cancelIfOpen(venue, ref);
        return snapshotOf(venue, await fetchExisting(venue, ref));
      });
    },

    async amendOrder(input: AmendOrderInput): Promise<AmendOrderResult> {
      return withBudget(input.venue, (venue) => replaceOrder(refuseIfGated(venue), input, isRetry()));
    },
  };
}

const WORKER_IDENTITY = `${hostname()}:${process.pid}`;

/**
 * Submit activity attempt → the venue's answer, per venue, in the worker's metrics (Prometheus,
 * with Temporal's own). Outside an activity (unit tests call these functions) nothing is recorded.
 */
function recordSubmitLatency(venue: string, ms: number): void {
  const meter = activityContext()?.metricMeter;
  meter
    ?.createHistogram('ordo_submit_latency', 'int', 'ms', 'Submit activity: start to the venue answer')
    .record(ms, { venue });
}

/** Consecutive failed polls of a working order before the follow attempt fails. */
const FOLLOW_POLL_FAILURES = 6;

/**
 * A new order meets the venue's breaker. Closed: go. Open: per configuration, refuse at once, or
 * wait (retryable, re-asked when a probe is due) up to breakerMaxWaitMs since the first attempt,
 * then refuse. Refusals are VENUE_UNAVAILABLE, and the order ends DENIED with that reason.
 */
function admitNewOrder(name: string, registered: RegisteredVenue): void {
  const admission = registered.breaker.admitNewOrder();
  if (admission !== 'blocked') return;
  const { whenBreakerOpen, breakerMaxWaitMs } = registered.settings;
  const firstScheduled = activityContext()?.info.scheduledTimestampMs ?? Date.now();
  const waited = Date.now() - firstScheduled;
  const view = registered.breaker.view();
  const why = `${name} is unavailable (circuit breaker open: ${view.failuresInWindow} failures, last: ${view.lastError ?? '-'})`;
  if (whenBreakerOpen === 'deny' || waited >= breakerMaxWaitMs) {
    throw new VenueError('reject', 'VENUE_UNAVAILABLE', `${why}; waited ${waited} ms`);
  }
  const retryAfterMs = Math.max(100, Math.min(registered.breaker.msUntilProbe(), breakerMaxWaitMs - waited));
  throw new VenueError('retry', 'VENUE_UNAVAILABLE', `${why}; waiting`, retryAfterMs);
}

/** Cancels a venue order; one that already ended (unknown to cancel) is left as it is. */
async function cancelIfOpen(venue: Venue, ref: OrderRef & { venueOrderId: string }): Promise<void> {
  try {
    await venue.cancelOrder(ref);
  } catch (err) {
    if (!isVenueError(err) || (err.action !== 'not_found' && err.code !== 'OPERATION_REJECTED')) throw err;
  }
}

/**
 * Cancel/replace done as cancel, then new: the replacement is sized from what the old order
 * finally filled, so a fill that races the amend can never make the order trade more than asked.
 * Each step is idempotent, so a retry (after a crash or a lost answer) carries on where it was.
 */
async function replaceOrder(
  venue: Venue,
  input: AmendOrderInput,
  isRetry: boolean,
): Promise<AmendOrderResult> {
  const { replace, replacement, totalQuantity, filledBefore } = input;
  const remainingAfter = (old: VenueOrder) => sub(sub(totalQuantity, filledBefore), old.filledQuantity);
  const notReplaced = (reason: string, message: string, current: OrderSnapshot): AmendOrderResult => ({
    replaced: false,
    reason,
    message,
    current,
  });

  // Already sent by an earlier attempt: report it.
  const sent = await venue.fetchOrder({
    symbol: replacement.symbol,
    clientOrderId: replacement.clientOrderId,
  });
  if (sent !== undefined) {
    return {
      replaced: true,
      previous: await snapshotOf(venue, await fetchExisting(venue, replace)),
      replacement: await snapshotOf(venue, sent),
    };
  }

  let old = await fetchExisting(venue, replace);
  // A cancelled order on a retry is our own cancel from the earlier attempt: carry on.
  const ourCancel = isRetry && old.state === 'canceled';
  if (old.state !== 'open' && !ourCancel) {
    return notReplaced('ORDER_NOT_WORKING', `the order is ${old.state}`, await snapshotOf(venue, old));
  }
  if (old.state === 'open') {
    const refusal = await refusalOf(venue, input, remainingAfter(old));
    if (refusal !== undefined)
      return notReplaced(refusal.code, refusal.message, await snapshotOf(venue, old));
    await cancelIfOpen(venue, replace);
    old = await fetchExisting(venue, replace);
  }
  const previous = await snapshotOf(venue, old);
  if (old.state === 'open')
    return notReplaced('CANCEL_REFUSED', 'the venue did not cancel the order', previous);
  if (old.state === 'closed')
    return notReplaced('ALREADY_FILLED', 'the order filled before it could be replaced', previous);

  // The old order is gone: what it filled is final. Send exactly what remains.
  const remaining = remainingAfter(old);
  const refusal = await refusalOf(venue, input, remaining);
  if (refusal !== undefined) return notReplaced(refusal.code, refusal.message, previous);
  try {
    const placed = await sendOnce(venue, { ...replacement, quantity: remaining }, false);
    return { replaced: true, previous, replacement: placed };
  } catch (err) {
    if (!isVenueError(err) || err.action !== 'reject') throw err;
    return notReplaced(err.code, err.message, previous);
  }
}

/** Why the replacement cannot be sent for `remaining`, if it cannot. */
async function refusalOf(
  venue: Venue,
  input: AmendOrderInput,
  remaining: string,
): Promise<RequestIssue | undefined> {
  if (!dec(remaining).greaterThan(0)) {
    return {
      code: 'AMEND_BELOW_FILLED',
      message: `new quantity ${input.totalQuantity} leaves nothing to trade (${remaining} remains)`,
    };
  }
  const issues = await replacementIssues(venue, input.replacement, remaining, input.venue);
  return issues.length === 0
    ? undefined
    : { code: issues[0]?.code ?? 'INVALID_ORDER', message: issues.map((i) => i.message).join('; ') };
}
