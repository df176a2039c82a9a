/**
 * The OpenAPI 3.1 document of the API, generated from the zod schemas that validate the requests
 * (z.toJSONSchema, JSON Schema 2020-12 as OpenAPI 3.1 uses), so the document cannot drift from
 * what the API accepts. Served at GET /openapi.json.
 */
import { z } from 'zod';
import { schemas as parentSchemas } from '../domain/algos/params';
import { ALGOS } from '../domain/algos/types';
import {
  amendBodySchema,
  killBodySchema,
  orderListQuerySchema,
  orderRequestSchema,
  positionsQuerySchema,
  reasonBodySchema,
  tradesQuerySchema,
} from './schemas';
import { monitorPaths } from './routes-monitor';
import { tcaOpenApiPaths } from './routes-tca';

type JsonSchema = Record<string, unknown>;

/** The input side of a schema (what a caller sends); checks zod cannot express are left out. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete out['$schema'];
  return out;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const errorResponses = {
  '400': { description: 'refused input: code and reason-coded issues', ...json(ref('Error')) },
  '401': { description: 'missing or wrong bearer token', ...json(ref('Error')) },
};
const notFound = (code: string) => ({ '404': { description: code, ...json(ref('Error')) } });
const refused = { '409': { description: 'refused by the order or parent order', ...json(ref('Error')) } };
const ok = (description: string) => ({ '200': { description, ...json({ type: 'object' }) } });
const idParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });

function queryParameters(schema: z.ZodType): object[] {
  const properties = (jsonSchemaOf(schema)['properties'] ?? {}) as Record<string, JsonSchema>;
  return Object.entries(properties).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
}

function op(summary: string, extra: object, responses: object): object {
  return { summary, ...extra, responses: { ...responses, ...errorResponses } };
}

function body(name: string, required = true): object {
  return { requestBody: { required, ...json(ref(name)) } };
}

export function openApiDocument(): object {
  const parentComponents = Object.fromEntries(
    ALGOS.map((algo) => [`ParentRequest_${algo}`, jsonSchemaOf(parentSchemas[algo])]),
  );
  const orderId = { parameters: [idParam('id')] };
  const reasonOp = (summary: string, code: string) =>
    op(
      summary,
      { ...orderId, ...body('ReasonRequest', false) },
      { ...ok('the result'), ...notFound(code), ...refused },
    );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ordo HTTP API',
      version: '0.1.0',
      description:
        'Durable order execution on Temporal. Money is decimal strings. Errors: {code, message, issues?}.',
    },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        OrderRequest: jsonSchemaOf(orderRequestSchema),
        AmendRequest: jsonSchemaOf(amendBodySchema),
        ReasonRequest: jsonSchemaOf(reasonBodySchema),
        KillRequest: jsonSchemaOf(killBodySchema),
        ...parentComponents,
        Error: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'string', description: 'SCREAMING_SNAKE reason code' },
            message: { type: 'string' },
            issues: {
              type: 'array',
              items: {
                type: 'object',
                required: ['code', 'message'],
                properties: {
                  code: { type: 'string' },
                  field: { type: 'string' },
                  message: { type: 'string' },
                },
              },
            },
          },
        },
      },
    },
    paths: {
      '/orders': {
        post: op(
          'submit an order (the same orderId again returns the existing order)',
          body('OrderRequest'),
          {
            '202': { description: 'started: {orderId, runId}', ...json({ type: 'object' }) },
          },
        ),
        get: op('list orders', { parameters: queryParameters(orderListQuerySchema) }, ok('order summaries')),
      },
      '/orders/{id}': {
        get: op('order status', orderId, { ...ok('the order state'), ...notFound('ORDER_NOT_FOUND') }),
      },
      '/orders/{id}/cancel': { post: reasonOp('cancel an order', 'ORDER_NOT_FOUND') },
      '/orders/{id}/amend': {
        post: op(
          'amend quantity or prices',
          { ...orderId, ...body('AmendRequest') },
          {
            ...ok('the result'),
            ...notFound('ORDER_NOT_FOUND'),
            ...refused,
          },
        ),
      },
      '/parents/{algo}': {
        post: op(
          'start a parent order (twap, vwap, pov, is, iceberg, route)',
          {
            parameters: [
              { name: 'algo', in: 'path', required: true, schema: { type: 'string', enum: [...ALGOS] } },
            ],
            requestBody: {
              required: true,
              ...json({ oneOf: ALGOS.map((algo) => ref(`ParentRequest_${algo}`)) }),
            },
          },
          { '202': { description: 'started: {parentId, runId}', ...json({ type: 'object' }) } },
        ),
      },
      '/parents/{id}': {
        get: op('parent progress', orderId, { ...ok('progress'), ...notFound('PARENT_NOT_FOUND') }),
      },
      '/parents/{id}/pause': { post: reasonOp('pause a parent order', 'PARENT_NOT_FOUND') },
      '/parents/{id}/resume': { post: reasonOp('resume a parent order', 'PARENT_NOT_FOUND') },
      '/parents/{id}/cancel': { post: reasonOp('cancel a parent order', 'PARENT_NOT_FOUND') },
      '/trading': { get: op('the trading state (ACTIVE, REDUCING, HALTED)', {}, ok('state')) },
      '/trading/kill': {
        post: op('halt trading; cancelAll: the kill switch', body('KillRequest'), {
          '202': { description: '{requestId}', ...json({ type: 'object' }) },
        }),
      },
      '/trading/resume': { post: op('resume trading', body('ReasonRequest'), ok('state')) },
      '/positions': {
        get: op(
          'positions from the trades ledger',
          { parameters: queryParameters(positionsQuerySchema) },
          ok('positions'),
        ),
      },
      '/trades': {
        get: op(
          'fills from the trades ledger',
          { parameters: queryParameters(tradesQuerySchema) },
          ok('trades'),
        ),
      },
      '/stats': {
        get: op('orders and parent orders of this task queue, counted by status', {}, ok('counts')),
      },
      '/venues': { get: op('circuit breaker and error rate per venue', {}, ok('venue reports')) },
      '/health': {
        get: op(
          'Temporal, venues and ledger',
          {},
          {
            ...ok('all healthy'),
            '503': { description: 'a part is down', ...json({ type: 'object' }) },
          },
        ),
      },
      ...tcaOpenApiPaths(),
      ...monitorPaths,
      '/openapi.json': { get: { summary: 'this document', security: [], responses: ok('OpenAPI 3.1') } },
    },
  };
}
