/**
 * The pushed-fills router: which workflow an update wakes, how bursts are coalesced (one signal
 * per follow registration), that a finished follow no longer receives updates, and how the follow's
 * poll interval follows the venue's stream.
 */
import { PushedFillRouter } from '../../src/workers/pushed-fills-router';
import type { PushedOrderUpdate } from '../../src/venues/order-stream';

interface Sent {
  workflowId: string;
  reason: string;
}

function routerWithLog(fail: () => boolean = () => false) {
  const sent: Sent[] = [];
  const failures: string[] = [];
  const router = new PushedFillRouter(
    async (workflowId, reason) => {
      if (fail()) throw new Error('signal refused');
      sent.push({ workflowId, reason });
    },
    (workflowId) => failures.push(workflowId),
  );
  router.addVenue('sim', 2_000);
  return { router, sent, failures };
}

const trade = (overrides: Partial<PushedOrderUpdate> = {}): PushedOrderUpdate => ({
  venue: 'sim',
  venueOrderId: '101',
  clientOrderId: 'ord-1',
  status: 'open',
  filled: '0.5',
  event: 'executionReport TRADE',
  ...overrides,
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('PushedFillRouter', () => {
  it('signals the workflow following the order, by venue order id or client order id', async () => {
    const { router, sent } = routerWithLog();
    router.watch({ venue: 'sim', workflowId: 'wf-1', venueOrderId: '101', clientOrderId: 'ord-1' });
    router.watch({ venue: 'sim', workflowId: 'wf-2', venueOrderId: '202', clientOrderId: 'ord-2' });

    expect(router.route(trade({ clientOrderId: undefined }))).toBe('signalled');
    expect(router.route(trade({ venueOrderId: undefined, clientOrderId: 'ord-2' }))).toBe('signalled');
    await settle();
    expect(sent).toEqual([
      { workflowId: 'wf-1', reason: 'PUSHED: executionReport TRADE' },
      { workflowId: 'wf-2', reason: 'PUSHED: executionReport TRADE' },
    ]);
  });

  it('ignores orders nobody here follows, and other venues with the same ids', async () => {
    const { router, sent } = routerWithLog();
    router.addVenue('other', 2_000);
    router.watch({ venue: 'sim', workflowId: 'wf-1', venueOrderId: '101', clientOrderId: 'ord-1' });

    expect(router.route(trade({ venueOrderId: '999', clientOrderId: 'foreign' }))).toBe('unregistered');
    expect(router.route(trade({ venue: 'other' }))).toBe('unregistered');
    await settle();
    expect(sent).toEqual([]);
  });

  it('coalesces a burst into one signal per follow; the next follow is signalled again', async () => {
    const { router, sent } = routerWithLog();
    const first = router.watch({ venue: 'sim', workflowId: 'wf-1', venueOrderId: '101' });
    expect(router.route(trade({ filled: '0.1' }))).toBe('signalled');
    expect(router.route(trade({ filled: '0.2' }))).toBe('coalesced');
    expect(router.route(trade({ filled: '0.3' }))).toBe('coalesced');

    // The workflow looked the order up and follows again; the interrupted follow still lingers.
    const second = router.watch({ venue: 'sim', workflowId: 'wf-1', venueOrderId: '101' });
    expect(router.route(trade({ filled: '1', status: 'closed', event: 'executionReport TRADE' }))).toBe(
      'signalled',
    );
    first?.end();
    expect(router.route(trade())).toBe('coalesced'); // second was signalled already
    second?.end();
    expect(router.route(trade())).toBe('unregistered');
    await settle();
    expect(sent.map((s) => s.workflowId)).toEqual(['wf-1', 'wf-1']);
    expect(router.followCount()).toBe(0);
  });

  it('a follow that ended is unregistered under both ids, and ending twice is harmless', () => {
    const { router } = routerWithLog();
    const watch = router.watch({
      venue: 'sim',
      workflowId: 'wf-1',
      venueOrderId: '101',
      clientOrderId: 'ord-1',
    });
    expect(router.followCount()).toBe(1);
    watch?.end();
    watch?.end();
    expect(router.followCount()).toBe(0);
    expect(router.route(trade({ venueOrderId: undefined }))).toBe('unregistered');
    expect(router.route(trade({ clientOrderId: undefined }))).toBe('unregistered');
  });

  it('a signal that could not be sent is tried again on the next update', async () => {
    let refuse = true;
    const { router, sent, failures } = routerWithLog(() => refuse);
    router.watch({ venue: 'sim', workflowId: 'wf-1', venueOrderId: '101' });
    expect(router.route(trade())).toBe('signalled');
    await settle();
    expect(failures).toEqual(['wf-1']);
    refuse = false;
    expect(router.route(trade())).toBe('signalled');
    await settle();
    expect(sent).toEqual([{ workflowId: 'wf-1', reason: 'PUSHED: executionReport TRADE' }]);
  });

  it('venues without a stream are not watched: their follows poll as before', () => {
    const { router } = routerWithLog();
    expect(router.watch({ venue: 'paper', workflowId: 'wf-1', venueOrderId: '1' })).toBeUndefined();
  });

  it('polls at the fallback interval while the stream is up, and wakes follows when it changes', async () => {
    const { router } = routerWithLog();
    const watch = router.watch({ venue: 'sim', workflowId: 'wf-1', venueOrderId: '101' });
    if (watch === undefined) throw new Error('sim has a stream');
    expect(watch.pollIntervalMs(200)).toBe(200); // not up yet
    expect(watch.changed()).toBe(watch.changed()); // one pending wake-up per follow

    let woken = 0;
    const wake = watch.changed().then(() => woken++);
    router.setStreamUp('sim', true);
    await wake;
    expect(woken).toBe(1);
    expect(watch.pollIntervalMs(200)).toBe(2_000);
    expect(watch.pollIntervalMs(5_000)).toBe(5_000); // never polls less often than configured

    const down = watch.changed().then(() => woken++);
    router.setStreamUp('sim', true); // no change: nobody woken
    await settle();
    expect(woken).toBe(1);
    router.setStreamUp('sim', false);
    await down;
    expect(woken).toBe(2);
    expect(watch.pollIntervalMs(200)).toBe(200);
  });

  it('refuses a fallback interval that is not a positive integer', () => {
    const { router } = routerWithLog();
    expect(() => router.addVenue('x', 0)).toThrow(/fallbackPollIntervalMs must be a positive integer/);
    expect(() => router.addVenue('x', 1.5)).toThrow(RangeError);
  });
});
