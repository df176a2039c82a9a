/**
 * The driver of time-scheduled algorithms (TWAP, VWAP, implementation shortfall): a plan of
 * slices at given times; each slice trades what the plan wanted done by then minus what filled
 * (catch-up), at most what remains. After the last slice, what remains is retried until the end.
 */
import { add, cmp, dec, roundToStep, sub } from '../../domain/decimal';
import { minimumChildQuantity } from '../../domain/algos/allocation';
import { replanRemaining, scheduledCumulative, sliceTarget } from '../../domain/algos/schedule';
import type { SchedulePlan } from '../../domain/algos/types';
import type { AlgoDriver, ParentContext, Step } from './driver';
import { finishingAggression, priceSlice, restingUntil } from './pricing';

/** A planned slice and the progress slice that shows it. */
interface Slot {
  at: string;
  quantity: string;
  slice: number;
}

export interface TimeScheduleState {
  slots: Slot[];
  /** Position in `slots` of the next slice to send. */
  next: number;
  /** Filled when the plan was last made: the plan covers what remained then. */
  baseline: string;
  nextCatchUpAtMs: number;
  /**
   * When the last capped child was sized: a catch-up's cap counts the volume from then on, so no
   * stretch of volume is counted twice (absent in states carried from before it existed).
   */
  capWindowEndMs?: number;
}

export interface TimeScheduleHooks {
  /** The first plan (may read market data). */
  plan(ctx: ParentContext): Promise<SchedulePlan>;
  /**
   * A cap on a slice's size (e.g. VWAP's maximum participation), or undefined: from the volume
   * since `sinceMs`, by default since one interval before the slice.
   */
  cap?(ctx: ParentContext, slotStartMs: number, sinceMs?: number): Promise<string | undefined>;
}

export function timeScheduleDriver(hooks: TimeScheduleHooks, carried: unknown): AlgoDriver {
  let state: TimeScheduleState = (carried as TimeScheduleState | undefined) ?? {
    slots: [],
    next: 0,
    baseline: '0',
    nextCatchUpAtMs: 0,
  };

  const asPlan = (slots: readonly Slot[]): SchedulePlan => ({
    slices: slots.map((s, index) => ({ index, at: s.at, quantity: s.quantity })),
    notes: [],
  });

  const adopt = (ctx: ParentContext, plan: SchedulePlan, baseline: string) => {
    const indexes = ctx.schedule(plan.slices);
    for (const note of plan.notes) ctx.note(note);
    state = {
      ...state,
      slots: plan.slices.map((s, i) => ({ at: s.at, quantity: s.quantity, slice: indexes[i] as number })),
      next: 0,
      baseline,
    };
  };

  return {
    async start(ctx) {
      adopt(ctx, await hooks.plan(ctx), '0');
    },

    async next(ctx): Promise<Step> {
      for (;;) {
        const request = ctx.request();
        const now = ctx.nowMs();
        const endMs = Date.parse(request.endAt as string);
        const remaining = ctx.remaining();
        if (cmp(remaining, '0') <= 0) return { kind: 'end', status: 'COMPLETED', reason: 'FILLED' };
        if (now >= endMs)
          return { kind: 'end', status: 'EXPIRED', reason: `END_REACHED: ${remaining} not traded` };
        const rules = ctx.rules();
        const slot = state.slots[state.next];
        if (slot === undefined) return catchUp(ctx, now, endMs, remaining);
        if (now < Date.parse(slot.at)) return { kind: 'wait', untilMs: Date.parse(slot.at) };

        const cap = hooks.cap === undefined ? undefined : await hooks.cap(ctx, Date.parse(slot.at));
        const target = sliceTarget({
          plan: asPlan(state.slots),
          index: state.next,
          filled: sub(ctx.filled(), state.baseline),
          remaining,
          rules,
          ...(ctx.referencePrice() === undefined ? {} : { referencePrice: ctx.referencePrice() as string }),
          ...(cap === undefined ? {} : { cap }),
        });
        state = { ...state, next: state.next + 1 };
        if (cap !== undefined) state = { ...state, capWindowEndMs: now };
        if (dec(target.quantity).isZero()) {
          ctx.skipSlice(slot.slice, target.note ?? 'nothing to trade: the schedule is ahead');
          continue;
        }
        const following = state.slots[state.next];
        const aggression = following === undefined ? finishingAggression(ctx) : request.aggression;
        const pricing = await priceSlice(ctx, request.venue, aggression);
        if ('blocked' in pricing) {
          ctx.skipSlice(slot.slice, `not sent: ${pricing.reason}; rolls into later slices`);
          continue;
        }
        const restUntil = following === undefined ? endMs : Date.parse(following.at);
        return {
          kind: 'send',
          children: [
            {
              venue: request.venue,
              quantity: target.quantity,
              pricing,
              until: restingUntil(ctx, restUntil, aggression),
              sliceIndex: slot.slice,
              scheduledAt: slot.at,
              ...(target.note === undefined ? {} : { note: target.note }),
            },
          ],
        };
      }
    },

    replan(ctx) {
      const now = ctx.nowMs();
      const request = ctx.request();
      const future = state.slots.slice(state.next).filter((s) => Date.parse(s.at) >= now);
      const remaining = ctx.remaining();
      ctx.unscheduleRest();
      if (cmp(remaining, '0') <= 0) {
        state = { ...state, slots: [], next: 0 };
        return;
      }
      const rules = ctx.rules();
      const plan = replanRemaining(
        asPlan(future),
        now,
        remaining,
        Date.parse(request.endAt as string),
        rules,
        ctx.referencePrice(),
      );
      adopt(ctx, plan, ctx.filled());
      state = { ...state, nextCatchUpAtMs: 0 };
    },

    scheduled(ctx) {
      return add(state.baseline, scheduledCumulative(asPlan(state.slots), ctx.nowMs()));
    },

    carry: () => state,
  };

  /** Past the last slice with something left: retry it, spaced, until the end. */
  async function catchUp(ctx: ParentContext, now: number, endMs: number, remaining: string): Promise<Step> {
    const rules = ctx.rules();
    const minimum = minimumChildQuantity(rules, ctx.referencePrice());
    if (cmp(remaining, minimum) < 0)
      return {
        kind: 'end',
        status: 'EXPIRED',
        reason: `REMAINDER_BELOW_MINIMUM: ${remaining} is below the venue minimum ${minimum}`,
      };
    if (now < state.nextCatchUpAtMs) return { kind: 'wait', untilMs: Math.min(state.nextCatchUpAtMs, endMs) };
    const spacing = Math.max(1_000, Math.floor((endMs - now) / 4));
    state = { ...state, nextCatchUpAtMs: now + spacing };
    const request = ctx.request();
    let quantity = roundToStep(remaining, rules.amountStep);
    let note = 'catch-up: the schedule is done, this remains';
    // The schedule's cap (VWAP's maximum participation) holds after its last slice too.
    const cap = hooks.cap === undefined ? undefined : await hooks.cap(ctx, now, state.capWindowEndMs);
    if (cap !== undefined && cmp(quantity, cap) > 0) {
      quantity = roundToStep(cap, rules.amountStep);
      if (cmp(quantity, minimum) < 0)
        return { kind: 'wait', untilMs: Math.min(state.nextCatchUpAtMs, endMs) };
      note = `${note}; capped at ${quantity}`;
    }
    const pricing = await priceSlice(ctx, request.venue, finishingAggression(ctx));
    if ('blocked' in pricing) return { kind: 'wait', untilMs: Math.min(state.nextCatchUpAtMs, endMs) };
    if (cap !== undefined) state = { ...state, capWindowEndMs: now };
    return {
      kind: 'send',
      children: [
        {
          venue: request.venue,
          quantity,
          pricing,
          until: restingUntil(ctx, Math.min(now + spacing, endMs), finishingAggression(ctx)),
          scheduledAt: new Date(now).toISOString(),
          note,
        },
      ],
    };
  }
}
