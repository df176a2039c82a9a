/**
 * Iceberg: shows a slice of the order at the limit price; when a shown slice has filled, the next
 * one goes to the back of the queue, until the whole quantity is done (or the end, if given).
 */
import { dec } from '../../domain/decimal';
import { nextDisplay } from '../../domain/algos/iceberg';
import type { IcebergRequest, ParentRequest } from '../../domain/algos/params';
import { mulberry32 } from '../../domain/algos/prng';
import type { SliceProgress } from '../parent-messages';
import { type AlgoDriver, type Step, finished } from './driver';
import { STOPPED_BY_PARENT } from './progress';

/** Shows the venue ended (not filled, not by us) in a row before the iceberg gives up. */
const MAX_UNFILLED_SHOWS = 3;

function endedUnfilled(slices: readonly SliceProgress[]): number {
  return slices.filter(
    (s) =>
      (s.status === 'CANCELLED' || s.status === 'EXPIRED') &&
      dec(s.filledQuantity).isZero() &&
      s.note?.startsWith(STOPPED_BY_PARENT) !== true,
  ).length;
}

interface IcebergState {
  /** Random draws used so far: a replay or a new run draws the same sequence. */
  draws: number;
}

export const icebergDriver = (request: ParentRequest, carried: unknown): AlgoDriver => {
  let state: IcebergState = (carried as IcebergState | undefined) ?? { draws: 0 };
  const iceberg = request as IcebergRequest;
  const random = mulberry32(iceberg.seed);
  for (let i = 0; i < state.draws; i++) random();
  const draw = () => {
    state = { draws: state.draws + 1 };
    return random();
  };

  return {
    async start() {},

    async next(ctx): Promise<Step> {
      const req = ctx.request() as IcebergRequest;
      const now = ctx.nowMs();
      const endMs = req.endAt === undefined ? undefined : Date.parse(req.endAt);
      const ended = finished(ctx);
      if (ended !== undefined) return ended;
      const remaining = ctx.remaining();
      if (now < Date.parse(req.startAt)) return { kind: 'wait', untilMs: Date.parse(req.startAt) };
      if (endedUnfilled(ctx.progress().slices.slice(-MAX_UNFILLED_SHOWS)) === MAX_UNFILLED_SHOWS)
        return {
          kind: 'end',
          status: 'EXPIRED',
          reason: `SHOWS_ENDED_UNFILLED: the venue ended ${MAX_UNFILLED_SHOWS} shows in a row with nothing filled`,
        };
      const shown = nextDisplay(
        {
          remaining,
          displayQuantity: req.displayQuantity,
          randomization: req.displayRandomization,
          random: draw,
        },
        ctx.rules(),
        req.limitPrice,
      );
      if (dec(shown.quantity).isZero())
        return {
          kind: 'end',
          status: 'EXPIRED',
          reason: `REMAINDER_BELOW_MINIMUM: ${shown.note ?? remaining}`,
        };
      return {
        kind: 'send',
        children: [
          {
            venue: req.venue,
            quantity: shown.quantity,
            pricing: { type: 'limit', limitPrice: req.limitPrice },
            until: endMs,
            scheduledAt: new Date(now).toISOString(),
            ...(shown.note === undefined ? {} : { note: shown.note }),
          },
        ],
      };
    },

    replan() {
      // Each show is sized when it is sent: nothing planned ahead.
    },

    scheduled: () => '0',

    carry: () => state,
  };
};
