/**
 * Transaction cost analysis over HTTP, as `ordo tca`:
 *   GET /tca/orders/{orderId}                              one order's or parent order's TCA
 *   GET /tca/day?date=YYYY-MM-DD&strategy=&venue=&limit=   one UTC day per strategy and per venue
 * A worker measures (the venues are the workers'). 404 for an unknown order; 400 for a bad date
 * or limit, or a day with more orders than the limit (TOO_MANY_ORDERS); 409 for an order that
 * cannot be measured (NO_ARRIVAL_PRICE: denied before the venue's mid was known …).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { TcaRefusedError, OrdoTca } from '../client/tca';
import { DAY_ORDERS_MAX_LIMIT } from '../domain/tca/day';
import type { ApiContext } from './context';
import { ApiError } from './errors';
import { parseInput } from './schemas';

/** `GET /tca/day`: the filters of `ordo tca --day`, under the same names. */
export const tcaDayQuerySchema = z.strictObject({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a UTC day YYYY-MM-DD')
    .describe('the UTC day the orders were received, YYYY-MM-DD'),
  strategy: z.string().min(1).optional(),
  venue: z.string().min(1).optional(),
  limit: z.coerce
    .number()
    .int()
    .positive()
    .max(DAY_ORDERS_MAX_LIMIT)
    .optional()
    .describe(`more orders than this (default 500): 400 TOO_MANY_ORDERS`),
});

/** Refusals about the order's own data, not the request: it exists but cannot be measured. */
const UNMEASURABLE = new Set([
  'NO_ARRIVAL_PRICE',
  'OVERFILLED',
  'MISSING_END_PRICE',
  'MIXED_QUOTE_CURRENCIES',
  'INVALID_TCA_INPUT',
]);

/** TCA refusals as HTTP: unknown order 404, unmeasurable 409, the rest (bad input) 400 as usual. */
async function asHttp<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof TcaRefusedError && err.code === 'ORDER_NOT_FOUND')
      throw new ApiError(404, err.code, err.issues[0]?.message ?? err.message);
    if (err instanceof TcaRefusedError && UNMEASURABLE.has(err.code))
      throw new ApiError(409, err.code, err.issues[0]?.message ?? err.message);
    throw err;
  }
}

export function registerTcaRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const tca = new OrdoTca(ctx.client, ctx.taskQueue);

  app.get<{ Params: { orderId: string } }>('/tca/orders/:orderId', async (request) => {
    const { orderId } = request.params;
    return asHttp(() => tca.order(orderId));
  });

  app.get('/tca/day', async (request) => {
    const q = parseInput(tcaDayQuerySchema, request.query);
    return asHttp(() =>
      tca.day({
        date: q.date,
        ...(q.strategy === undefined ? {} : { strategyId: q.strategy }),
        ...(q.venue === undefined ? {} : { venue: q.venue }),
        ...(q.limit === undefined ? {} : { limit: q.limit }),
      }),
    );
  });
}

/** The two routes in the OpenAPI document (openapi.ts merges them into its paths). */
export function tcaOpenApiPaths(): Record<string, object> {
  const query = z.toJSONSchema(tcaDayQuerySchema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, object>;
    required?: string[];
  };
  const dayParameters = Object.entries(query.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: (query.required ?? []).includes(name),
    schema,
  }));
  const json = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const error = (description: string) => ({ description, ...json });
  const ok = (description: string) => ({
    description,
    content: { 'application/json': { schema: { type: 'object' } } },
  });
  const common = { '401': error('missing or wrong bearer token') };
  return {
    '/tca/orders/{orderId}': {
      get: {
        summary: "an order's or parent order's transaction costs (as `ordo tca ORDER_ID --json`)",
        parameters: [{ name: 'orderId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': ok('the TCA report: shortfall split (quote currency and bps), VWAP, spread, latency'),
          '404': error('ORDER_NOT_FOUND'),
          '409': error('NO_ARRIVAL_PRICE (and other reasons the order cannot be measured)'),
          ...common,
        },
      },
    },
    '/tca/day': {
      get: {
        summary:
          "one UTC day's orders per strategy and per venue (as `ordo tca --day DATE --json`); working orders listed apart",
        parameters: dayParameters,
        responses: {
          '200': ok('strategies, venues, working, notAnalysed, orders, counts'),
          '400': error('INVALID_DATE, INVALID_LIMIT, MISSING_DATE, TOO_MANY_ORDERS'),
          ...common,
        },
      },
    },
  };
}
