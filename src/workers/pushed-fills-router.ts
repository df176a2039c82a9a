/**
 * Routes pushed order updates to the order workflows this worker is following. A follow activity
 * registers its order (venue order id and client order id → workflow id) while it runs; an update
 * for a registered order signals that workflow `reconcile` (reason `PUSHED: <event>`), which makes
 * it look the order up at once. Updates for orders no follow here registered (another worker's,
 * or foreign ones) are ignored: their own worker, or reconciliation, deals with them.
 *
 * Bursts are coalesced: one signal per follow registration. Nothing is lost by that: a signal
 * makes the workflow interrupt this follow, look the order up, and start a new follow whose first
 * poll reads the venue again, so every update that arrives after the signal went out is read by
 * one of those two look-ups. The new follow registers afresh and can be signalled again.
 */
import type { PushedOrderUpdate } from '../venues/order-stream';
import type { FollowPushes, FollowedOrder, PushWatch } from '../activities/order-activities';

export type SignalWorkflow = (workflowId: string, reason: string) => Promise<void>;

export type RouteOutcome = 'signalled' | 'coalesced' | 'unregistered';

interface Follow {
  order: FollowedOrder;
  signalled: boolean;
  ended: boolean;
  /** The one pending "stream changed" promise of this follow, and its resolver. */
  change?: { promise: Promise<void>; wake: () => void };
}

interface VenueStream {
  up: boolean;
  fallbackPollIntervalMs: number;
  /** Follows waiting between polls, woken when the stream goes up or down. */
  wakers: Set<() => void>;
}

export class PushedFillRouter implements FollowPushes {
  private readonly follows = new Map<string, Follow[]>();
  private readonly streams = new Map<string, VenueStream>();
  private readonly live = new Set<Follow>();

  constructor(
    private readonly signal: SignalWorkflow,
    private readonly onSignalFailed: (workflowId: string, err: unknown) => void = () => undefined,
  ) {}

  /** A venue with an order stream; its follows poll every fallbackPollIntervalMs while it is up. */
  addVenue(venue: string, fallbackPollIntervalMs: number): void {
    if (!(Number.isInteger(fallbackPollIntervalMs) && fallbackPollIntervalMs > 0)) {
      throw new RangeError(
        `fallbackPollIntervalMs must be a positive integer, got ${fallbackPollIntervalMs}`,
      );
    }
    this.streams.set(venue, { up: false, fallbackPollIntervalMs, wakers: new Set() });
  }

  /** The venue's stream went up or down: its follows re-time their polls (and poll at once). */
  setStreamUp(venue: string, up: boolean): void {
    const stream = this.streams.get(venue);
    if (stream === undefined || stream.up === up) return;
    stream.up = up;
    const wakers = [...stream.wakers];
    stream.wakers.clear();
    for (const wake of wakers) wake();
  }

  isStreamUp(venue: string): boolean {
    return this.streams.get(venue)?.up === true;
  }

  /** Whether an update for this order would signal its workflow now (tests wait for it). */
  wouldSignal(venue: string, venueOrderId: string): boolean {
    const follow = this.newestFollowOf({ venue, venueOrderId, event: '' });
    return follow !== undefined && !follow.signalled;
  }

  /** Registered follows (tests, health). */
  followCount(): number {
    return this.live.size;
  }

  watch(order: FollowedOrder): PushWatch | undefined {
    const stream = this.streams.get(order.venue);
    if (stream === undefined) return undefined; // no stream for this venue: plain polling
    const follow: Follow = { order, signalled: false, ended: false };
    const keys = keysOf(order.venue, order.venueOrderId, order.clientOrderId);
    for (const key of keys) this.follows.set(key, [...(this.follows.get(key) ?? []), follow]);
    this.live.add(follow);
    return {
      pollIntervalMs: (normalMs) =>
        stream.up ? Math.max(normalMs, stream.fallbackPollIntervalMs) : normalMs,
      changed: () => {
        if (follow.change === undefined) {
          let wake = () => undefined as void;
          const promise = new Promise<void>((resolve) => {
            wake = () => {
              follow.change = undefined;
              resolve();
            };
          });
          follow.change = { promise, wake };
          stream.wakers.add(wake);
        }
        return follow.change.promise;
      },
      end: () => {
        if (follow.ended) return;
        follow.ended = true;
        this.live.delete(follow);
        if (follow.change !== undefined) stream.wakers.delete(follow.change.wake);
        for (const key of keys) {
          const rest = (this.follows.get(key) ?? []).filter((f) => f !== follow);
          if (rest.length === 0) this.follows.delete(key);
          else this.follows.set(key, rest);
        }
      },
    };
  }

  /** Signals the workflow following this order, unless a signal to its follow is outstanding. */
  route(update: PushedOrderUpdate): RouteOutcome {
    const follow = this.newestFollowOf(update);
    if (follow === undefined) return 'unregistered';
    if (follow.signalled) return 'coalesced';
    follow.signalled = true;
    const { workflowId } = follow.order;
    this.signal(workflowId, `PUSHED: ${update.event}`).catch((err: unknown) => {
      // Not delivered: the next update may try again; the follow's own polls cover the meantime.
      follow.signalled = false;
      this.onSignalFailed(workflowId, err);
    });
    return 'signalled';
  }

  /** The latest follow of the order (an interrupted one may linger until it notices). */
  private newestFollowOf(update: PushedOrderUpdate): Follow | undefined {
    for (const key of keysOf(update.venue, update.venueOrderId, update.clientOrderId)) {
      const follows = this.follows.get(key);
      const newest = follows?.[follows.length - 1];
      if (newest !== undefined) return newest;
    }
    return undefined;
  }
}

function keysOf(venue: string, venueOrderId?: string, clientOrderId?: string): string[] {
  return [
    ...(venueOrderId === undefined ? [] : [`${venue}\n#${venueOrderId}`]),
    ...(clientOrderId === undefined ? [] : [`${venue}\nc:${clientOrderId}`]),
  ];
}
