/** Parent orders: start, progress, pause, resume, cancel (`ordo algo …`). */
import type { FastifyInstance } from 'fastify';
import { ALGOS, type Algo } from '../domain/algos/types';
import { type ApiContext, noteOrderId, sendCommandResult } from './context';
import { ApiError, orNotFound } from './errors';
import { objectBody } from './routes-orders';
import { parseInput, reasonBodySchema } from './schemas';

type IdParams = { Params: { id: string } };
const COMMANDS = ['pause', 'resume', 'cancel'] as const;

function isAlgo(text: string): text is Algo {
  return (ALGOS as readonly string[]).includes(text);
}

export function registerParentRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post<{ Params: { algo: string } }>('/parents/:algo', async (request, reply) => {
    const { algo } = request.params;
    if (!isAlgo(algo))
      throw new ApiError(404, 'UNKNOWN_ALGO', `no algorithm "${algo}"; one of ${ALGOS.join(', ')}`);
    // As `ordo algo`: the venue defaults to sim, except for a smart route (it picks venues).
    const defaults = algo === 'route' ? {} : { venue: 'sim' };
    const body = objectBody(request.body);
    if (typeof body['parentId'] === 'string') noteOrderId(request, body['parentId']); // logged even if refused
    const started = await ctx.algos.start(algo, { ...defaults, ...body });
    noteOrderId(request, started.parentId);
    return reply.status(202).send(started);
  });

  app.get<IdParams>('/parents/:id', async (request) => {
    const { id } = request.params;
    return orNotFound('PARENT_NOT_FOUND', id, () => ctx.algos.progress(id));
  });

  for (const command of COMMANDS) {
    app.post<IdParams>(`/parents/:id/${command}`, async (request, reply) => {
      const { id } = request.params;
      const { reason } = parseInput(reasonBodySchema, request.body);
      const result = await orNotFound('PARENT_NOT_FOUND', id, () => ctx.algos[command](id, reason));
      return sendCommandResult(reply, result);
    });
  }
}
