/**
 * The zod schemas of the API's own inputs (command bodies, list filters), and `parseInput`, which
 * refuses with the same reason-coded issues (OrderRequestError) as the CLI and the client library.
 * Order and parent-order requests are validated by the client library itself; openapi.ts documents
 * all of them from these schemas and the domain's.
 */
import { z } from 'zod';
import {
  ORDER_TYPES,
  OrderRequestError,
  SIDES,
  SYMBOL_PATTERN,
  TIME_IN_FORCES,
  id,
  positiveDecimal,
  reasonCodedIssues,
  snake,
} from '../domain/order-request';
import { ORDER_STATUSES } from '../domain/status';
import { MAX_REASON_LENGTH } from '../domain/trading-state';

const isoTime = z.iso.datetime({ offset: true, error: () => 'must be an ISO-8601 date-time' });
const limit = z.coerce.number().int().positive().max(1000);

/**
 * OrderRequest (DESIGN.md §3) for the document, built from the very field schemas
 * src/domain/order-request.ts validates with. That module does not export its object schema;
 * test/unit/api-openapi.test.ts checks that every field here is one parseOrderRequest knows.
 */
export const orderRequestSchema = z.strictObject({
  orderId: id.optional(),
  symbol: z.string().regex(SYMBOL_PATTERN),
  side: z.enum(SIDES),
  type: z.enum(ORDER_TYPES),
  quantity: positiveDecimal,
  limitPrice: positiveDecimal.optional(),
  stopPrice: positiveDecimal.optional(),
  timeInForce: z.enum(TIME_IN_FORCES).optional(),
  expireAt: isoTime.optional(),
  postOnly: z.boolean().optional(),
  reduceOnly: z.boolean().optional(),
  venue: z.string().min(1).optional().describe('default: sim'),
  strategyId: id.optional(),
  decisionId: id.optional(),
  parentId: id.optional(),
  decisionTime: isoTime.optional(),
  decisionPrice: positiveDecimal.optional(),
});

export const reasonBodySchema = z.strictObject({ reason: z.string().max(MAX_REASON_LENGTH).optional() });

export const amendBodySchema = z.strictObject({
  quantity: positiveDecimal.optional(),
  limitPrice: positiveDecimal.optional(),
  stopPrice: positiveDecimal.optional(),
});

export const killBodySchema = z.strictObject({
  reason: z.string().optional(),
  cancelAll: z.boolean().optional(),
  flatten: z.boolean().optional(),
});

/** `GET /orders`: the filters of `ordo order list`, under the same names. */
export const orderListQuerySchema = z.strictObject({
  symbol: z.string().min(1).optional(),
  side: z.enum(SIDES).optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  venue: z.string().min(1).optional(),
  strategy: z.string().min(1).optional(),
  parent: z.string().min(1).optional(),
  limit: limit.optional(),
});

/** `GET /trades`: the filters of `ordo trades`. */
export const tradesQuerySchema = z.strictObject({
  symbol: z.string().min(1).optional(),
  venue: z.string().min(1).optional(),
  strategy: z.string().min(1).optional(),
  order: z.string().min(1).optional(),
  parent: z.string().min(1).optional(),
  since: z.string().min(1).optional().describe('ISO-8601 time, or a duration back from now (30m, 2h, 1d)'),
  limit: limit.optional(),
});

/** `GET /positions`: the filters of `ordo positions`. */
export const positionsQuerySchema = z.strictObject({
  symbol: z.string().min(1).optional(),
  venue: z.string().min(1).optional(),
  strategy: z.string().min(1).optional(),
});

const REASONS: Record<string, string> = {
  quantity: 'INVALID_QUANTITY',
  limitPrice: 'INVALID_PRICE',
  stopPrice: 'INVALID_STOP_PRICE',
  side: 'INVALID_SIDE',
  reason: 'REASON_TOO_LONG',
};

/** Parses `input` (undefined: an empty object) or throws an OrderRequestError with coded issues. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input ?? {}, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new OrderRequestError(reasonCodedIssues(parsed.error, REASONS, (field) => `INVALID_${snake(field)}`));
}
