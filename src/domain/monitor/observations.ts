/**
 * Order events as the monitor's observations: ORDER_PLACED (with its acknowledgement latency),
 * ORDER_REJECTED (the venue's refusal, or Ordo's own: DENIED) and the ORDER_FILLED that completes
 * an order (with its shortfall against the arrival mid). Every other event says nothing the
 * monitor measures: undefined. The observation's id is the event's, so redeliveries dedupe.
 */
import type { EventValue, OrdoEvent } from '../../events/types';
import { dec } from '../decimal';
import { OBSERVATION_KINDS, type Observation } from './types';

export function observationOf(event: OrdoEvent): Observation | undefined {
  if (event.orderId === undefined || event.venue === undefined) return undefined;
  const at = Date.parse(event.occurredAt);
  if (!Number.isFinite(at)) return undefined;
  const base = {
    id: event.eventId,
    orderId: event.orderId,
    venue: event.venue,
    ...(event.strategyId === undefined ? {} : { strategyId: event.strategyId }),
    at,
  };
  const data = event.data;
  switch (event.type) {
    case 'ORDER_PLACED': {
      const latencyMs = finiteNumber(data['latencyMs']);
      return { ...base, kind: 'placed', ...(latencyMs === undefined ? {} : { latencyMs }) };
    }
    case 'ORDER_REJECTED':
      return { ...base, kind: data['status'] === 'DENIED' ? 'denied' : 'rejected' };
    case 'ORDER_FILLED': {
      if (data['complete'] !== true) return undefined;
      const shortfallBps = shortfallOf(data['side'], data['averagePrice'], data['arrivalMid']);
      return { ...base, kind: 'filled', ...(shortfallBps === undefined ? {} : { shortfallBps }) };
    }
    default:
      return undefined;
  }
}

/**
 * s·(P̄ − P_a)/P_a·10⁴ (s = +1 buy, −1 sell): what the order paid over the arrival mid, in basis
 * points, positive = cost — the trading part of the implementation shortfall (src/domain/tca,
 * with the decision price at the arrival mid). Undefined without both prices.
 */
export function shortfallOf(
  side: EventValue | undefined,
  average: EventValue | undefined,
  arrival: EventValue | undefined,
): number | undefined {
  if ((side !== 'buy' && side !== 'sell') || typeof average !== 'string' || typeof arrival !== 'string')
    return undefined;
  try {
    const mid = dec(arrival);
    if (!mid.isPositive() || mid.isZero()) return undefined;
    const signed = dec(average).minus(mid).dividedBy(mid).times(10_000);
    return (side === 'buy' ? signed : signed.negated()).toDecimalPlaces(4).toNumber();
  } catch {
    return undefined; // not a decimal: nothing to measure
  }
}

function finiteNumber(value: EventValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * The well-formed observations of a signal's payload (any sender can signal the monitor): those
 * with an id, order, venue, known kind and a time; a malformed one is left out and counted.
 */
export function wellFormedObservations(value: unknown): { observations: Observation[]; malformed: number } {
  if (!Array.isArray(value)) return { observations: [], malformed: 0 };
  const observations: Observation[] = [];
  let malformed = 0;
  for (const item of value as unknown[]) {
    const o = item as Partial<Record<keyof Observation, unknown>> | null;
    const text = (x: unknown): x is string => typeof x === 'string' && x.length > 0;
    const optionalNumber = (x: unknown) => x === undefined || (typeof x === 'number' && Number.isFinite(x));
    if (
      typeof o !== 'object' ||
      o === null ||
      !text(o.id) ||
      !text(o.orderId) ||
      !text(o.venue) ||
      !(OBSERVATION_KINDS as readonly unknown[]).includes(o.kind) ||
      typeof o.at !== 'number' ||
      !Number.isFinite(o.at) ||
      !optionalNumber(o.latencyMs) ||
      !optionalNumber(o.shortfallBps) ||
      !(o.strategyId === undefined || typeof o.strategyId === 'string')
    ) {
      malformed += 1;
      continue;
    }
    observations.push({
      id: o.id,
      orderId: o.orderId,
      venue: o.venue,
      ...(o.strategyId === undefined ? {} : { strategyId: o.strategyId as string }),
      kind: o.kind as Observation['kind'],
      at: o.at,
      ...(o.latencyMs === undefined ? {} : { latencyMs: o.latencyMs as number }),
      ...(o.shortfallBps === undefined ? {} : { shortfallBps: o.shortfallBps as number }),
    });
  }
  return { observations, malformed };
}
