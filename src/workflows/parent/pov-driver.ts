/**
 * POV: every check interval, read the market's traded volume since the start and trade up to
 * the participation target (see src/domain/algos/pov.ts), until done or the deadline.
 */
import { cmp, dec } from '../../domain/decimal';
import type { ParentRequest, PovRequest } from '../../domain/algos/params';
import { povTarget } from '../../domain/algos/pov';
import { marketCalls } from './calls';
import { type AlgoDriver, type Step, finished } from './driver';
import { priceSlice, restingUntil } from './pricing';

interface PovState {
  nextCheckMs: number;
  /** The target at the last check: what the participation rate wanted done. */
  target: string;
  lastRate: number;
}

export const povDriver = (request: ParentRequest, carried: unknown): AlgoDriver => {
  const pov = request as PovRequest;
  let state: PovState = (carried as PovState | undefined) ?? {
    nextCheckMs: 0,
    target: '0',
    lastRate: pov.participation,
  };
  return {
    async start() {
      state = { ...state, nextCheckMs: Date.parse(pov.startAt) + pov.checkIntervalMs };
    },

    async next(ctx): Promise<Step> {
      const req = ctx.request() as PovRequest;
      const now = ctx.nowMs();
      const endMs = Date.parse(req.endAt);
      const ended = finished(ctx);
      if (ended !== undefined) return ended;
      const remaining = ctx.remaining();
      if (now < state.nextCheckMs) return { kind: 'wait', untilMs: Math.min(state.nextCheckMs, endMs) };
      state = { ...state, nextCheckMs: now + req.checkIntervalMs };

      let volume: string;
      try {
        const observed = await marketCalls.marketVolume({
          venue: req.venue,
          symbol: req.symbol,
          since: req.startAt,
          until: new Date(now).toISOString(),
        });
        volume = observed.volume;
      } catch (err) {
        ctx.note(
          `no market volume at ${new Date(now).toISOString()} (${String(err)}): waiting for the next check`,
        );
        return { kind: 'wait', untilMs: Math.min(state.nextCheckMs, endMs) };
      }
      const target = povTarget(
        {
          participation: req.participation,
          minParticipation: req.minParticipation,
          maxParticipation: req.maxParticipation,
          marketVolume: volume,
          ownFilled: ctx.filled(),
          remaining,
          elapsedMs: now - Date.parse(req.startAt),
          remainingMs: endMs - now,
        },
        ctx.rules(),
        ctx.referencePrice(),
      );
      state = { ...state, lastRate: target.rate, target: dec(ctx.filled()).plus(target.quantity).toFixed() };
      if (target.note !== undefined && target.rate !== req.participation) ctx.note(target.note);
      if (dec(target.quantity).isZero()) return { kind: 'wait', untilMs: Math.min(state.nextCheckMs, endMs) };
      const pricing = await priceSlice(ctx, req.venue);
      if ('blocked' in pricing) {
        ctx.note(`check at ${new Date(now).toISOString()}: not sent (${pricing.reason})`);
        return { kind: 'wait', untilMs: Math.min(state.nextCheckMs, endMs) };
      }
      return {
        kind: 'send',
        children: [
          {
            venue: req.venue,
            quantity: target.quantity,
            pricing,
            until: restingUntil(ctx, Math.min(state.nextCheckMs, endMs)),
            scheduledAt: new Date(now).toISOString(),
            note: `participation ${target.rate.toFixed(4)}${target.note === undefined ? '' : `; ${target.note}`}`,
          },
        ],
      };
    },

    replan() {
      // Nothing planned ahead: the next check sizes from the volume seen by then.
    },

    scheduled: (ctx) =>
      cmp(state.target, ctx.request().quantity) > 0 ? ctx.request().quantity : state.target,

    carry: () => state,
  };
};
