/**
 * The follow activity with pushed fills: it registers its order with the router for its workflow
 * while it runs (and only then), polls at the fallback interval while the venue's stream is up, and
 * when the stream drops it polls at once and goes back to the venue's pollIntervalMs, so a fill
 * made while the stream is down is polled, not missed.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createOrderActivities } from '../../src/activities/order-activities';
import type { FollowOrderInput, OrderSnapshot } from '../../src/activities/types';
import { registeredVenue } from '../../src/venues/factory';
import { PaperVenue } from '../../src/venues/paper-venue';
import { VenueRegistry } from '../../src/venues/registry';
import type { VenueOrder } from '../../src/venues/types';
import { PushedFillRouter } from '../../src/workers/pushed-fills-router';

const FALLBACK_MS = 60_000;

function setup() {
  const paper = new PaperVenue('paper', { 'BTC/USDT': '60000' });
  const registry = new VenueRegistry(new Map([['paper', registeredVenue(paper, { pollIntervalMs: 5 })]]));
  const signals: { workflowId: string; reason: string }[] = [];
  const router = new PushedFillRouter(async (workflowId, reason) => {
    signals.push({ workflowId, reason });
  });
  router.addVenue('paper', FALLBACK_MS);
  const activities = createOrderActivities(registry, { pushes: router });
  const polls = jest.spyOn(paper, 'fetchOrder');
  return { paper, router, activities, signals, polls };
}

const inWorkflow = () =>
  new MockActivityEnvironment({
    workflowExecution: { workflowId: 'wf-1', runId: 'run-1' },
    heartbeatTimeoutMs: 10_000,
  });

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1_000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!check()) throw new Error(`never: ${what}`);
}

describe('followOrder with pushed fills', () => {
  it('is registered while it follows; a drop of the stream makes it poll at the normal pace', async () => {
    const { paper, router, activities, signals, polls } = setup();
    const placed = await activities.submitOrder({
      venue: 'paper',
      order: {
        clientOrderId: 'ord-1',
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        quantity: '1',
        limitPrice: '59000',
        timeInForce: 'GTC',
      },
    });
    const venueOrderId = placed.order.venueOrderId;
    router.setStreamUp('paper', true);
    polls.mockClear();

    const input: FollowOrderInput = {
      venue: 'paper',
      ref: { symbol: 'BTC/USDT', venueOrderId, clientOrderId: 'ord-1' },
      known: { state: 'open', filledQuantity: '0' },
      maxWaitMs: 30_000,
    };
    const following: Promise<OrderSnapshot> = inWorkflow().run(activities.followOrder, input);
    await until(() => polls.mock.calls.length === 1, 'the first poll');
    expect(router.followCount()).toBe(1);
    expect(router.wouldSignal('paper', venueOrderId)).toBe(true);

    // A push for the order signals its workflow; the follow itself waits out the fallback interval.
    expect(
      router.route({
        venue: 'paper',
        clientOrderId: 'ord-1',
        event: 'executionReport TRADE',
        status: 'open',
      }),
    ).toBe('signalled');
    await until(() => signals.length === 1, 'the signal');
    expect(signals).toEqual([{ workflowId: 'wf-1', reason: 'PUSHED: executionReport TRADE' }]);

    // The venue fills it while the stream is down: the follow polls at once and sees it.
    const order = paper.allOrders().find((o) => o.venueOrderId === venueOrderId) as VenueOrder;
    order.filledQuantity = '0.4';
    expect(polls.mock.calls.length).toBe(1); // nothing polled it in between (next poll in 60 s)
    router.setStreamUp('paper', false);
    const snapshot = await following;
    expect(snapshot.order).toMatchObject({ state: 'open', filledQuantity: '0.4' });
    expect(polls.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(router.followCount()).toBe(0); // unregistered when it returned
  });

  it('outside a workflow (no workflow id) it follows without registering', async () => {
    const { router, activities } = setup();
    const placed = await activities.submitOrder({
      venue: 'paper',
      order: {
        clientOrderId: 'ord-2',
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        quantity: '1',
        limitPrice: '59000',
        timeInForce: 'GTC',
      },
    });
    const snapshot = await activities.followOrder({
      venue: 'paper',
      ref: { symbol: 'BTC/USDT', venueOrderId: placed.order.venueOrderId },
      known: { state: 'open', filledQuantity: '0' },
      maxWaitMs: 20,
    });
    expect(snapshot.order.state).toBe('open');
    expect(router.followCount()).toBe(0);
  });

  it('a follow that fails is unregistered too', async () => {
    const { router, activities } = setup();
    const input: FollowOrderInput = {
      venue: 'paper',
      ref: { symbol: 'BTC/USDT', venueOrderId: '999' },
      known: { state: 'open', filledQuantity: '0' },
      maxWaitMs: 10,
    };
    await expect(inWorkflow().run(activities.followOrder, input)).rejects.toThrow(/999/);
    expect(router.followCount()).toBe(0);
  });
});
