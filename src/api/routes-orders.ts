/** Single orders: submit, list, status, cancel, amend (`ordo order …`). */
import type { FastifyInstance } from 'fastify';
import type { OrderFilter } from '../client/orders';
import { OrderRequestError } from '../domain/order-request';
import { type ApiContext, noteOrderId, sendCommandResult } from './context';
import { orNotFound } from './errors';
import { amendBodySchema, orderListQuerySchema, parseInput, reasonBodySchema } from './schemas';

type IdParams = { Params: { id: string } };

/** A JSON object body, else the typed refusal every request body gets. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body === 'object' && body !== null && !Array.isArray(body))
    return body as Record<string, unknown>;
  throw new OrderRequestError([{ code: 'INVALID_REQUEST', message: 'the request must be a JSON object' }]);
}

export function registerOrderRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post('/orders', async (request, reply) => {
    // As `ordo order submit`: the venue defaults to sim.
    const body = objectBody(request.body);
    if (typeof body['orderId'] === 'string') noteOrderId(request, body['orderId']); // logged even if refused
    const submitted = await ctx.orders.submit({ venue: 'sim', ...body });
    noteOrderId(request, submitted.orderId);
    return reply.status(202).send(submitted);
  });

  app.get('/orders', async (request) => {
    const q = parseInput(orderListQuerySchema, request.query);
    const filter: OrderFilter = {
      ...(q.symbol === undefined ? {} : { symbol: q.symbol }),
      ...(q.side === undefined ? {} : { side: q.side }),
      ...(q.status === undefined ? {} : { status: q.status }),
      ...(q.venue === undefined ? {} : { venue: q.venue }),
      ...(q.strategy === undefined ? {} : { strategyId: q.strategy }),
      ...(q.parent === undefined ? {} : { parentId: q.parent }),
    };
    return ctx.orders.list(filter, q.limit ?? 50);
  });

  app.get<IdParams>('/orders/:id', async (request) => {
    const { id } = request.params;
    return orNotFound('ORDER_NOT_FOUND', id, () => ctx.orders.status(id));
  });

  app.post<IdParams>('/orders/:id/cancel', async (request, reply) => {
    const { id } = request.params;
    const { reason } = parseInput(reasonBodySchema, request.body);
    return sendCommandResult(
      reply,
      await orNotFound('ORDER_NOT_FOUND', id, () => ctx.orders.cancel(id, reason)),
    );
  });

  app.post<IdParams>('/orders/:id/amend', async (request, reply) => {
    const { id } = request.params;
    const amend = parseInput(amendBodySchema, request.body);
    return sendCommandResult(
      reply,
      await orNotFound('ORDER_NOT_FOUND', id, () => ctx.orders.amend(id, amend)),
    );
  });
}
