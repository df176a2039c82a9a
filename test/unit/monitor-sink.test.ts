import { createMonitorSink } from '../../src/events/monitor-sink';
import type { Observation } from '../../src/domain/monitor/types';
import type { OrdoEvent } from '../../src/events/types';

function placed(orderId: string): OrdoEvent {
  return {
    eventId: `${orderId}:PLACED`,
    type: 'ORDER_PLACED',
    occurredAt: '2030-01-01T00:00:00.000Z',
    correlationId: orderId,
    orderId,
    venue: 'sim',
    data: { latencyMs: 12 },
  };
}

/** A send that records batches, and fails while `failing` is set. */
function recorder() {
  const batches: Observation[][] = [];
  const state = { failing: false };
  const send = async (batch: Observation[]) => {
    if (state.failing) throw new Error('temporal down');
    batches.push(batch);
  };
  return { batches, state, send };
}

describe('monitor event sink', () => {
  it('buffers observations and sends them on flush, in order, in bounded batches', async () => {
    const r = recorder();
    const sink = createMonitorSink({ send: r.send, flushEveryMs: 60_000, maxBatch: 2 });
    for (const id of ['a', 'b', 'c']) await sink.publish(placed(id));
    expect(r.batches).toEqual([]); // publish never waits on the monitor
    await sink.flush();
    expect(r.batches.map((b) => b.map((o) => o.orderId))).toEqual([['a', 'b'], ['c']]);
    expect(sink.stats()).toEqual({ buffered: 0, dropped: 0, sent: 3 });
    await sink.close();
  });

  it('events that are not observations are not buffered', async () => {
    const r = recorder();
    const sink = createMonitorSink({ send: r.send, flushEveryMs: 60_000 });
    await sink.publish({ ...placed('a'), type: 'TRADING_STATE_CHANGED' });
    await sink.publish({ ...placed('a'), type: 'EXECUTION_ALERT' });
    expect(sink.stats().buffered).toBe(0);
    await sink.close();
    expect(r.batches).toEqual([]);
  });

  it('flushes by itself after flushEveryMs', async () => {
    const r = recorder();
    const sink = createMonitorSink({ send: r.send, flushEveryMs: 10 });
    await sink.publish(placed('a'));
    for (let i = 0; i < 100 && r.batches.length === 0; i++) await new Promise((res) => setTimeout(res, 10));
    expect(r.batches.map((b) => b.map((o) => o.id))).toEqual([['a:PLACED']]);
    await sink.close();
  });

  it('a failed send keeps its batch, in order ahead of newer ones, for the next flush; the error is reported', async () => {
    const r = recorder();
    const errors: string[] = [];
    const sink = createMonitorSink({
      send: r.send,
      flushEveryMs: 60_000,
      onError: (err) => errors.push((err as Error).message),
    });
    r.state.failing = true;
    await sink.publish(placed('a'));
    await sink.flush();
    expect(errors).toEqual(['temporal down']);
    await sink.publish(placed('b'));
    r.state.failing = false;
    await sink.flush();
    expect(r.batches.map((b) => b.map((o) => o.orderId))).toEqual([['a', 'b']]);
    await sink.close();
  });

  it('bounded while the monitor is away: the oldest are dropped and counted', async () => {
    const r = recorder();
    const drops: number[] = [];
    const sink = createMonitorSink({
      send: r.send,
      flushEveryMs: 60_000,
      maxBuffer: 2,
      onError: (_err, context) => drops.push(context.dropped),
    });
    for (const id of ['a', 'b', 'c', 'd']) await sink.publish(placed(id));
    expect(drops).toEqual([1, 2]);
    await sink.close();
    expect(r.batches.map((b) => b.map((o) => o.orderId))).toEqual([['c', 'd']]);
    expect(sink.stats()).toEqual({ buffered: 0, dropped: 2, sent: 2 });
  });

  it('one flush at a time: a flush asked for while one runs shares it (no batch sent twice)', async () => {
    const batches: string[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((res) => (release = res));
    const sink = createMonitorSink({
      send: async (batch) => {
        batches.push(batch.map((o) => o.orderId));
        await gate;
      },
      flushEveryMs: 60_000,
    });
    await sink.publish(placed('a'));
    const first = sink.flush();
    await sink.publish(placed('b')); // arrives while the first batch is in flight
    const second = sink.flush();
    release();
    await Promise.all([first, second]);
    await sink.close();
    expect(batches).toEqual([['a'], ['b']]);
  });

  it('close sends what is left', async () => {
    const r = recorder();
    const sink = createMonitorSink({ send: r.send, flushEveryMs: 60_000 });
    await sink.publish(placed('a'));
    await sink.close();
    expect(r.batches).toHaveLength(1);
  });
});
