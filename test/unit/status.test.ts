import {
  InvalidTransitionError,
  ORDER_STATUSES,
  TERMINAL_STATUSES,
  TRANSITIONS,
  WORKING_STATUSES,
  canTransition,
  isTerminal,
  transition,
  type OrderStatus,
} from '../../src/domain/status';

/**
 * The agreed transition table, written out literally: a change to src/domain/status.ts must be
 * made here too, deliberately.
 */
const EXPECTED: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: ['DENIED', 'SUBMITTED', 'CANCELLED', 'DEAD_LETTER'],
  DENIED: [],
  SUBMITTED: [
    'ACCEPTED',
    'PARTIALLY_FILLED',
    'FILLED',
    'CANCELLED',
    'EXPIRED',
    'REJECTED',
    'PENDING_CANCEL',
    'DEAD_LETTER',
  ],
  ACCEPTED: [
    'PARTIALLY_FILLED',
    'FILLED',
    'PENDING_CANCEL',
    'PENDING_REPLACE',
    'CANCELLED',
    'EXPIRED',
    'REJECTED',
    'DEAD_LETTER',
  ],
  PARTIALLY_FILLED: [
    'PARTIALLY_FILLED',
    'FILLED',
    'PENDING_CANCEL',
    'PENDING_REPLACE',
    'CANCELLED',
    'EXPIRED',
    'DEAD_LETTER',
  ],
  PENDING_CANCEL: ['CANCELLED', 'FILLED', 'EXPIRED', 'ACCEPTED', 'PARTIALLY_FILLED', 'DEAD_LETTER'],
  PENDING_REPLACE: [
    'ACCEPTED',
    'PARTIALLY_FILLED',
    'FILLED',
    'CANCELLED',
    'EXPIRED',
    'REJECTED',
    'DEAD_LETTER',
  ],
  DEAD_LETTER: [
    'SUBMITTED',
    'ACCEPTED',
    'PARTIALLY_FILLED',
    'PENDING_CANCEL',
    'FILLED',
    'CANCELLED',
    'EXPIRED',
    'REJECTED',
  ],
  FILLED: [],
  CANCELLED: [],
  REJECTED: [],
  EXPIRED: [],
};

const ALL: readonly OrderStatus[] = [
  'PENDING',
  'DENIED',
  'SUBMITTED',
  'ACCEPTED',
  'PARTIALLY_FILLED',
  'PENDING_CANCEL',
  'PENDING_REPLACE',
  'DEAD_LETTER',
  'FILLED',
  'CANCELLED',
  'REJECTED',
  'EXPIRED',
];

const EXPECTED_TERMINAL: readonly OrderStatus[] = ['DENIED', 'FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED'];
const EXPECTED_WORKING: readonly OrderStatus[] = [
  'SUBMITTED',
  'ACCEPTED',
  'PARTIALLY_FILLED',
  'PENDING_CANCEL',
  'PENDING_REPLACE',
];

const PAIRS: Array<[OrderStatus, OrderStatus, boolean]> = ALL.flatMap((from) =>
  ALL.map((to): [OrderStatus, OrderStatus, boolean] => [from, to, EXPECTED[from].includes(to)]),
);

/** Breadth-first search over canTransition (the implementation, not EXPECTED). */
function reachableFrom(start: OrderStatus): Set<OrderStatus> {
  const seen = new Set<OrderStatus>([start]);
  const queue: OrderStatus[] = [start];
  for (let from = queue.shift(); from !== undefined; from = queue.shift()) {
    for (const to of ALL) {
      if (canTransition(from, to) && !seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return seen;
}

describe('order status list', () => {
  it('has exactly the 12 statuses of DESIGN.md §3', () => {
    expect([...ORDER_STATUSES].sort()).toEqual([...ALL].sort());
    expect(ORDER_STATUSES).toHaveLength(12);
  });

  it('the table has a row for every status and no other', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ALL].sort());
  });

  it('the terminal and working sets are as agreed', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual([...EXPECTED_TERMINAL].sort());
    expect([...WORKING_STATUSES].sort()).toEqual([...EXPECTED_WORKING].sort());
    for (const s of ALL) expect(isTerminal(s)).toBe(EXPECTED_TERMINAL.includes(s));
  });

  it('no row lists a target twice', () => {
    for (const s of ALL) expect(new Set(TRANSITIONS[s]).size).toBe(TRANSITIONS[s].length);
  });
});

describe('transition table: every (from, to) pair', () => {
  it('covers 144 pairs', () => {
    expect(PAIRS).toHaveLength(144);
  });

  it.each(PAIRS)('%s → %s allowed=%s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
    if (allowed) {
      expect(transition(from, to)).toBe(to);
    } else {
      let thrown: unknown;
      try {
        transition(from, to);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(InvalidTransitionError);
      const err = thrown as InvalidTransitionError;
      expect(err.code).toBe('INVALID_TRANSITION');
      expect(err.from).toBe(from);
      expect(err.to).toBe(to);
      expect(err.name).toBe('InvalidTransitionError');
      expect(err.message).toContain(from);
      expect(err.message).toContain(to);
    }
  });
});

describe('structure of the state machine', () => {
  it.each(EXPECTED_TERMINAL)('terminal %s has no way out', (from) => {
    for (const to of ALL) {
      expect(canTransition(from, to)).toBe(false);
      expect(() => transition(from, to)).toThrow(InvalidTransitionError);
    }
  });

  it('every non-terminal status has a way out', () => {
    for (const s of ALL.filter((x) => !EXPECTED_TERMINAL.includes(x))) {
      expect(ALL.some((to) => canTransition(s, to))).toBe(true);
    }
  });

  it('PARTIALLY_FILLED → PARTIALLY_FILLED is the only self-transition', () => {
    const selfLoops = ALL.filter((s) => canTransition(s, s));
    expect(selfLoops).toEqual(['PARTIALLY_FILLED']);
  });

  it('nothing leads back to PENDING', () => {
    for (const from of ALL) expect(canTransition(from, 'PENDING')).toBe(false);
  });

  it('every status is reachable from PENDING', () => {
    expect([...reachableFrom('PENDING')].sort()).toEqual([...ALL].sort());
  });

  it('every status can still reach a terminal one', () => {
    for (const start of ALL) {
      expect([...reachableFrom(start)].some((s) => EXPECTED_TERMINAL.includes(s))).toBe(true);
    }
  });

  it('DEAD_LETTER is reachable from every working status (retries exhausted anywhere)', () => {
    for (const s of [...EXPECTED_WORKING, 'PENDING' as const])
      expect(canTransition(s, 'DEAD_LETTER')).toBe(true);
  });
});
