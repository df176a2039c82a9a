/**
 * The OrderRequest of DESIGN.md §3: its schema, its normalisation (decimal strings, ISO dates)
 * and every way it can be refused, each with a SCREAMING_SNAKE reason code. Pure: the caller
 * passes what it knows of the world (configured venues, the current time) in `context`.
 */
import { z } from 'zod';
import { isDecimalText, isPositive, toDecimalString } from './decimal';

export const SIDES = ['buy', 'sell'] as const;
export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit'] as const;
export const TIME_IN_FORCES = ['GTC', 'IOC', 'FOK', 'DAY', 'GTD'] as const;

export type Side = (typeof SIDES)[number];
export type OrderType = (typeof ORDER_TYPES)[number];
export type TimeInForce = (typeof TIME_IN_FORCES)[number];

/** A validated, normalised order request: every decimal is a canonical decimal string. */
export interface OrderRequest {
  orderId?: string;
  symbol: string;
  side: Side;
  type: OrderType;
  quantity: string;
  limitPrice?: string;
  stopPrice?: string;
  timeInForce: TimeInForce;
  expireAt?: string;
  postOnly?: boolean;
  reduceOnly?: boolean;
  venue: string;
  strategyId?: string;
  decisionId?: string;
  parentId?: string;
  /** When the strategy decided to trade (ISO-8601): pre-trade risk refuses stale signals. */
  decisionTime?: string;
  /** The price when the strategy decided (TCA's benchmark: the delay cost is measured from it). */
  decisionPrice?: string;
}

export interface RequestIssue {
  code: string;
  field?: string;
  message: string;
}

export class OrderRequestError extends Error {
  readonly code: string;
  constructor(readonly issues: RequestIssue[]) {
    super(issues.map((i) => `${i.code}: ${i.message}`).join('; '));
    this.name = 'OrderRequestError';
    this.code = issues[0]?.code ?? 'INVALID_REQUEST';
  }
}

export interface ValidationContext {
  /** Venue names the caller knows; omitted → the venue is checked later, by the worker. */
  venues?: readonly string[];
  /** The current time (workflow time inside workflows); omitted → expiry is not compared. */
  now?: Date;
}

export type ValidationResult = { ok: true; request: OrderRequest } | { ok: false; issues: RequestIssue[] };

const ID_PATTERN = /^[A-Za-z0-9._:/@-]{1,200}$/;
export const SYMBOL_PATTERN = /^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/;

/** Reason code for a structural problem with a field (wrong type, not in the list). */
const FIELD_REASONS: Record<string, string> = {
  orderId: 'INVALID_ORDER_ID',
  symbol: 'INVALID_SYMBOL',
  side: 'INVALID_SIDE',
  type: 'UNKNOWN_ORDER_TYPE',
  quantity: 'INVALID_QUANTITY',
  limitPrice: 'INVALID_PRICE',
  stopPrice: 'INVALID_STOP_PRICE',
  timeInForce: 'INVALID_TIME_IN_FORCE',
  expireAt: 'INVALID_EXPIRY',
  postOnly: 'INVALID_FLAG',
  reduceOnly: 'INVALID_FLAG',
  venue: 'INVALID_VENUE',
  strategyId: 'INVALID_STRATEGY_ID',
  decisionId: 'INVALID_DECISION_ID',
  parentId: 'INVALID_PARENT_ID',
  decisionTime: 'INVALID_DECISION_TIME',
  decisionPrice: 'INVALID_DECISION_PRICE',
};

/** A positive decimal given as a string or a finite number; normalised to a decimal string. */
export const positiveDecimal = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof value === 'number' && !Number.isFinite(value)) {
    ctx.addIssue({ code: 'custom', message: 'must be a finite number' });
    return z.NEVER;
  }
  if (!isDecimalText(text)) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a decimal number` });
    return z.NEVER;
  }
  if (!isPositive(text)) {
    ctx.addIssue({ code: 'custom', message: `must be greater than zero, got ${text}` });
    return z.NEVER;
  }
  return toDecimalString(text);
});

export const id = z.string().regex(ID_PATTERN, 'must be 1-200 characters of [A-Za-z0-9._:/@-]');

const requestSchema = z.strictObject({
  orderId: id.optional(),
  symbol: z.string().regex(SYMBOL_PATTERN, 'must be a unified symbol like "BTC/USDT"'),
  side: z.enum(SIDES, { error: () => 'must be "buy" or "sell"' }),
  type: z.enum(ORDER_TYPES, { error: () => `must be one of ${ORDER_TYPES.join(', ')}` }),
  quantity: positiveDecimal,
  limitPrice: positiveDecimal.optional(),
  stopPrice: positiveDecimal.optional(),
  timeInForce: z
    .enum(TIME_IN_FORCES, { error: () => `must be one of ${TIME_IN_FORCES.join(', ')}` })
    .optional(),
  expireAt: z.iso.datetime({ offset: true, error: () => 'must be an ISO-8601 date-time' }).optional(),
  postOnly: z.boolean().optional(),
  reduceOnly: z.boolean().optional(),
  venue: z.string().min(1, 'is required'),
  strategyId: id.optional(),
  decisionId: id.optional(),
  parentId: id.optional(),
  decisionTime: z.iso.datetime({ offset: true, error: () => 'must be an ISO-8601 date-time' }).optional(),
  decisionPrice: positiveDecimal.optional(),
});

type ParsedRequest = z.output<typeof requestSchema>;

/**
 * Turns zod's issues into reason-coded ones: UNKNOWN_FIELD, MISSING_<FIELD> for an absent field
 * (parsed with reportInput: an absent field has input undefined, whatever the issue kind), else
 * the field's code from `reasons` (or `fallback`). Shared by every request schema.
 */
export function reasonCodedIssues(
  error: z.ZodError,
  reasons: Record<string, string>,
  fallback: (field: string) => string = () => 'INVALID_REQUEST',
): RequestIssue[] {
  return error.issues.flatMap((issue): RequestIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        code: 'UNKNOWN_FIELD',
        field: key,
        message: `unknown field "${key}"`,
      }));
    }
    const field = issue.path.length > 0 ? String(issue.path[0]) : undefined;
    if (field === undefined)
      return [{ code: 'INVALID_REQUEST', message: 'the request must be a JSON object' }];
    const missing = issue.input === undefined;
    const code = missing ? `MISSING_${snake(field)}` : (reasons[field] ?? fallback(field));
    return [{ code, field, message: `${field} ${missing ? 'is required' : issue.message}` }];
  });
}

function structuralIssues(error: z.ZodError): RequestIssue[] {
  return reasonCodedIssues(error, FIELD_REASONS);
}

export function snake(field: string): string {
  return field.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Rules that join several fields: what each order type needs and refuses. */
function crossFieldIssues(r: ParsedRequest, context: ValidationContext): RequestIssue[] {
  const issues: RequestIssue[] = [];
  const add = (code: string, field: string, message: string) => issues.push({ code, field, message });
  const tif = r.timeInForce ?? 'GTC';
  const needsLimit = r.type === 'limit' || r.type === 'stop_limit';
  const needsStop = r.type === 'stop' || r.type === 'stop_limit';

  if (needsLimit && r.limitPrice === undefined)
    add('MISSING_LIMIT_PRICE', 'limitPrice', `a ${r.type} order needs limitPrice`);
  if (!needsLimit && r.limitPrice !== undefined)
    add('UNEXPECTED_PRICE', 'limitPrice', `a ${r.type} order takes no limitPrice`);
  if (needsStop && r.stopPrice === undefined)
    add('MISSING_STOP_PRICE', 'stopPrice', `a ${r.type} order needs stopPrice`);
  if (!needsStop && r.stopPrice !== undefined)
    add('UNEXPECTED_STOP_PRICE', 'stopPrice', `a ${r.type} order takes no stopPrice`);

  if (r.type === 'market' && (tif === 'FOK' || tif === 'DAY' || tif === 'GTD'))
    add('INVALID_TIME_IN_FORCE', 'timeInForce', `a market order executes at once; ${tif} does not apply`);
  if (tif === 'GTD' && r.expireAt === undefined)
    add('MISSING_EXPIRY', 'expireAt', 'a GTD order needs expireAt');
  if (tif !== 'GTD' && r.expireAt !== undefined)
    add('UNEXPECTED_EXPIRY', 'expireAt', `expireAt applies to GTD orders only, not ${tif}`);
  if (
    r.expireAt !== undefined &&
    context.now !== undefined &&
    Date.parse(r.expireAt) <= context.now.getTime()
  )
    add('EXPIRY_IN_PAST', 'expireAt', `expireAt ${r.expireAt} is not in the future`);

  if (r.postOnly && r.type !== 'limit')
    add('POST_ONLY_NOT_LIMIT', 'postOnly', 'postOnly applies to limit orders only');
  if (r.postOnly && (tif === 'IOC' || tif === 'FOK'))
    add('POST_ONLY_CONFLICT', 'postOnly', `a post-only order rests; it cannot be ${tif}`);

  if (context.venues !== undefined && !context.venues.includes(r.venue))
    add('UNKNOWN_VENUE', 'venue', `unknown venue "${r.venue}"; configured: ${context.venues.join(', ')}`);
  return issues;
}

function normalise(r: ParsedRequest): OrderRequest {
  const request: OrderRequest = {
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    quantity: r.quantity,
    timeInForce: r.timeInForce ?? 'GTC',
    venue: r.venue,
  };
  const optional = {
    orderId: r.orderId,
    limitPrice: r.limitPrice,
    stopPrice: r.stopPrice,
    expireAt: r.expireAt === undefined ? undefined : new Date(r.expireAt).toISOString(),
    postOnly: r.postOnly,
    reduceOnly: r.reduceOnly,
    strategyId: r.strategyId,
    decisionId: r.decisionId,
    parentId: r.parentId,
    decisionTime: r.decisionTime === undefined ? undefined : new Date(r.decisionTime).toISOString(),
    decisionPrice: r.decisionPrice,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(request, { [key]: value });
  }
  return request;
}

/** Validates and normalises; reports every issue found, not just the first. */
export function validateOrderRequest(input: unknown, context: ValidationContext = {}): ValidationResult {
  const parsed = requestSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    const issues = structuralIssues(parsed.error);
    // Unknown fields alone must not hide the other rules: check the rest without them.
    const known = requestSchema.strip().safeParse(input);
    return {
      ok: false,
      issues: known.success ? [...issues, ...crossFieldIssues(known.data, context)] : issues,
    };
  }
  const issues = crossFieldIssues(parsed.data, context);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, request: normalise(parsed.data) };
}

/** Like validateOrderRequest, but throws an OrderRequestError carrying every issue. */
export function parseOrderRequest(input: unknown, context: ValidationContext = {}): OrderRequest {
  const result = validateOrderRequest(input, context);
  if (!result.ok) throw new OrderRequestError(result.issues);
  return result.request;
}
