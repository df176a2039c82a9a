/**
 * Smart order routing: each round reads every venue's book and costs, splits what remains across
 * them (src/domain/algos/smart-route.ts) as marketable IOC limits, waits for them, and re-routes
 * what did not fill, until done, out of rounds, or the end.
 */
import { dec } from '../../domain/decimal';
import type { ParentRequest, SmartRouteRequest } from '../../domain/algos/params';
import { routeOrder } from '../../domain/algos/smart-route';
import { marketCalls } from './calls';
import { type AlgoDriver, type Step, finished } from './driver';

interface RouteState {
  rounds: number;
  nextRoundMs: number;
}

export const smartRouteDriver = (request: ParentRequest, carried: unknown): AlgoDriver => {
  let state: RouteState = (carried as RouteState | undefined) ?? { rounds: 0, nextRoundMs: 0 };
  const route = request as SmartRouteRequest;
  return {
    async start() {
      state = { ...state, nextRoundMs: Date.parse(route.startAt) };
    },

    async next(ctx): Promise<Step> {
      const req = ctx.request() as SmartRouteRequest;
      const now = ctx.nowMs();
      const endMs = req.endAt === undefined ? undefined : Date.parse(req.endAt);
      const ended = finished(ctx);
      if (ended !== undefined) return ended;
      const remaining = ctx.remaining();
      if (state.rounds >= req.maxRounds)
        return {
          kind: 'end',
          status: 'EXPIRED',
          reason: `MAX_ROUNDS: ${remaining} not traded after ${state.rounds} rounds`,
        };
      if (now < state.nextRoundMs)
        return {
          kind: 'wait',
          untilMs: endMs === undefined ? state.nextRoundMs : Math.min(state.nextRoundMs, endMs),
        };
      state = { rounds: state.rounds + 1, nextRoundMs: now + req.retryIntervalMs };

      let quotes;
      try {
        quotes = await marketCalls.routeQuotes({
          ...(req.venues === undefined ? {} : { venues: req.venues }),
          symbol: req.symbol,
          side: req.side,
        });
      } catch (err) {
        ctx.note(`round ${state.rounds}: no venue quotes (${String(err)})`);
        return { kind: 'wait', untilMs: state.nextRoundMs };
      }
      const routed = routeOrder(
        {
          side: req.side,
          quantity: remaining,
          ...(req.limitPrice === undefined ? {} : { limitPrice: req.limitPrice }),
        },
        quotes,
      );
      for (const note of routed.notes) ctx.note(`round ${state.rounds}: ${note}`);
      const allocations = routed.allocations.filter((a) => !dec(a.quantity).isZero());
      if (allocations.length === 0) {
        ctx.note(`round ${state.rounds}: nothing routable now (${routed.unallocated} unallocated)`);
        return { kind: 'wait', untilMs: state.nextRoundMs };
      }
      const at = new Date(now).toISOString();
      return {
        kind: 'send',
        children: allocations.map((a) => ({
          venue: a.venue,
          quantity: a.quantity,
          pricing: { type: 'limit', limitPrice: a.limitPrice },
          until: 'IOC',
          scheduledAt: at,
          note: `round ${state.rounds}: expected average ${a.expectedAveragePrice}, fees ${a.expectedFees}`,
        })),
      };
    },

    replan() {
      // Every round routes what remains then: nothing planned ahead.
    },

    scheduled: () => '0',

    carry: () => state,
  };
};
