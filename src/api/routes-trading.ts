/** The trading state and the kill switch (`ordo kill`, `ordo resume`, `ordo trading`). */
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from './context';
import { killBodySchema, parseInput, reasonBodySchema } from './schemas';

export function registerTradingRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/trading', async () => ctx.trading.state());

  app.post('/trading/kill', async (request, reply) => {
    const body = parseInput(killBodySchema, request.body);
    const { requestId } = await ctx.trading.halt({
      reason: body.reason ?? '',
      ...(body.cancelAll === undefined ? {} : { cancelAll: body.cancelAll }),
      ...(body.flatten === undefined ? {} : { flatten: body.flatten }),
    });
    // Accepted: the halt is applied by the control workflow; GET /trading shows it (lastKill).
    return reply.status(202).send({ requestId });
  });

  app.post('/trading/resume', async (request) => {
    const { reason } = parseInput(reasonBodySchema, request.body);
    await ctx.trading.resume(reason ?? '');
    return ctx.trading.state();
  });
}
