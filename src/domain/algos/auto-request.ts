/**
 * An order left to Ordo's automatic choice (autoOrderWorkflow): the OrderRequest without a type,
 * plus how urgent it is and the thresholds of the choice (configurable per order, with defaults).
 * Pure; every refusal has a reason code.
 */
import { validateOrderRequest, type OrderRequest, type RequestIssue } from '../order-request';
import { isDecimalText, isPositive, toDecimalString } from '../decimal';
import type { AutoChoiceConfig, Urgency } from './auto-choice';
import { DurationError, parseDuration } from './duration';

export const URGENCIES = ['low', 'normal', 'high'] as const;

export interface AutoOrderRequest {
  /** The order as it would be sent; its type and price are the choice's. */
  order: OrderRequest;
  urgency: Urgency;
  config: AutoChoiceConfig;
}

/** Defaults: orders of 100,000 (quote currency) or more go to a 10-minute TWAP of 1-minute slices. */
export const AUTO_DEFAULTS = {
  twapNotionalThreshold: '100000',
  twapDuration: '10m',
  twapInterval: '1m',
  maxSpreadBpsForMarket: 5,
} as const;

const AUTO_FIELDS = [
  'urgency',
  'twapNotionalThreshold',
  'twapDuration',
  'twapInterval',
  'maxSpreadBpsForMarket',
];

export function validateAutoOrderRequest(
  input: unknown,
  now: Date,
): { ok: true; request: AutoOrderRequest } | { ok: false; issues: RequestIssue[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { ok: false, issues: [{ code: 'INVALID_REQUEST', message: 'the request must be a JSON object' }] };
  const raw = input as Record<string, unknown>;
  const issues: RequestIssue[] = [];
  const add = (code: string, field: string, message: string) => issues.push({ code, field, message });
  if ('type' in raw) add('UNEXPECTED_TYPE', 'type', 'an automatic order has no type: Ordo chooses it');

  const orderFields = Object.fromEntries(
    Object.entries(raw).filter(([k]) => !AUTO_FIELDS.includes(k) && k !== 'type'),
  );
  const type = raw['limitPrice'] === undefined ? 'market' : 'limit';
  const order = validateOrderRequest({ ...orderFields, type }, { now });
  if (!order.ok) issues.push(...order.issues);

  const urgency = raw['urgency'] ?? 'normal';
  if (typeof urgency !== 'string' || !(URGENCIES as readonly string[]).includes(urgency))
    add('INVALID_URGENCY', 'urgency', `urgency must be one of ${URGENCIES.join(', ')}`);
  const threshold = raw['twapNotionalThreshold'] ?? AUTO_DEFAULTS.twapNotionalThreshold;
  const thresholdText = typeof threshold === 'number' ? String(threshold) : threshold;
  if (typeof thresholdText !== 'string' || !isDecimalText(thresholdText) || !isPositive(thresholdText))
    add('INVALID_THRESHOLD', 'twapNotionalThreshold', 'twapNotionalThreshold must be a positive decimal');
  const durations: Record<string, number> = {};
  for (const field of ['twapDuration', 'twapInterval'] as const) {
    const text = raw[field] ?? AUTO_DEFAULTS[field];
    try {
      if (typeof text !== 'string') throw new DurationError(String(text));
      durations[field] = parseDuration(text);
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      add('INVALID_DURATION', field, `${field} ${err.message}`);
    }
  }
  const spread = raw['maxSpreadBpsForMarket'] ?? AUTO_DEFAULTS.maxSpreadBpsForMarket;
  if (typeof spread !== 'number' || !Number.isFinite(spread) || spread < 0)
    add('INVALID_SPREAD_LIMIT', 'maxSpreadBpsForMarket', 'maxSpreadBpsForMarket must be a number ≥ 0');
  if (issues.length > 0 || !order.ok) return { ok: false, issues };
  return {
    ok: true,
    request: {
      order: order.request,
      urgency: urgency as Urgency,
      config: {
        twapNotionalThreshold: toDecimalString(thresholdText as string),
        twapDurationMs: durations['twapDuration'] as number,
        twapIntervalMs: durations['twapInterval'] as number,
        maxSpreadBpsForMarket: spread as number,
      },
    },
  };
}
