import type { Observation } from '../../src/domain/monitor/types';
import { addObservations, emptyWindow, nextExpiry, slideWindow } from '../../src/domain/monitor/window';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const LIMITS = { windowMs: 60_000, maxObservations: 100 };

function obs(id: string, at: number, extra: Partial<Observation> = {}): Observation {
  return { id, orderId: id.split(':')[0] ?? id, venue: 'sim', kind: 'placed', at, ...extra };
}

describe('rolling observation window', () => {
  it('adds observations in time order, whatever order they arrive in', () => {
    const { window, added } = addObservations(
      emptyWindow(),
      [obs('b', T0 + 2), obs('a', T0 + 1)],
      T0 + 3,
      LIMITS,
    );
    expect(added).toBe(2);
    expect(window.observations.map((o) => o.id)).toEqual(['a', 'b']);
  });

  it('keeps one observation per id: a redelivered event, or the same id twice in a batch', () => {
    const first = addObservations(emptyWindow(), [obs('a', T0), obs('a', T0)], T0, LIMITS);
    expect(first.added).toBe(1);
    expect(first.duplicates).toBe(1);
    const again = addObservations(first.window, [obs('a', T0), obs('b', T0 + 1)], T0 + 5, LIMITS);
    expect(again.added).toBe(1);
    expect(again.duplicates).toBe(1);
    expect(again.window.observations.map((o) => o.id)).toEqual(['a', 'b']);
  });

  it('refuses observations already older than the window, and counts them', () => {
    const now = T0 + 120_000;
    const { window, added } = addObservations(
      emptyWindow(),
      [obs('old', now - 60_000), obs('edge', now - 59_999)],
      now,
      LIMITS,
    );
    expect(added).toBe(1);
    expect(window.stale).toBe(1);
    expect(window.observations.map((o) => o.id)).toEqual(['edge']);
  });

  it('slides: what is at or before now - window leaves; the window itself is returned when nothing does', () => {
    const { window } = addObservations(emptyWindow(), [obs('a', T0), obs('b', T0 + 10_000)], T0, LIMITS);
    expect(slideWindow(window, T0 + 59_999, 60_000)).toBe(window);
    expect(slideWindow(window, T0 + 60_000, 60_000).observations.map((o) => o.id)).toEqual(['b']);
    expect(slideWindow(window, T0 + 70_000, 60_000).observations).toEqual([]);
  });

  it('bounds memory: past maxObservations the oldest are dropped and counted', () => {
    const many = Array.from({ length: 15 }, (_, i) => obs(`o${i}`, T0 + i));
    const { window } = addObservations(emptyWindow(), many, T0 + 20, {
      windowMs: 60_000,
      maxObservations: 10,
    });
    expect(window.observations).toHaveLength(10);
    expect(window.observations[0]?.id).toBe('o5');
    expect(window.overflowed).toBe(5);
  });

  it('an id that aged out of the window is stale, not new, when redelivered late', () => {
    const { window } = addObservations(emptyWindow(), [obs('a', T0)], T0, LIMITS);
    const later = addObservations(window, [obs('a', T0)], T0 + 61_000, LIMITS);
    expect(later.added).toBe(0);
    expect(later.window.observations).toEqual([]);
    expect(later.window.stale).toBe(1);
  });

  it('nextExpiry is when the oldest observation leaves; none for an empty window', () => {
    expect(nextExpiry(emptyWindow(), 60_000)).toBeUndefined();
    const { window } = addObservations(emptyWindow(), [obs('b', T0 + 5), obs('a', T0 + 1)], T0 + 5, LIMITS);
    expect(nextExpiry(window, 60_000)).toBe(T0 + 1 + 60_000);
  });

  it('never changes the window it was given', () => {
    const start = addObservations(emptyWindow(), [obs('a', T0)], T0, LIMITS).window;
    const copy = JSON.parse(JSON.stringify(start));
    addObservations(start, [obs('b', T0 + 1)], T0 + 1, LIMITS);
    slideWindow(start, T0 + 100_000, 60_000);
    expect(start).toEqual(copy);
  });
});
