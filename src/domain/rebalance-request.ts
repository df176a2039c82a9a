/**
 * The targets file of `ordo rebalance` (the order planner): target net positions per venue, symbol
 * and strategy. Validated here, in the CLI before anything is started and again in the workflow;
 * every refusal carries a SCREAMING_SNAKE code and the field it is about ("targets[1].quantity").
 * Pure.
 */
import { z } from 'zod';
import { AUTO_DEFAULTS, URGENCIES } from './algos/auto-request';
import type { AutoChoiceConfig, Urgency } from './algos/auto-choice';
import { parseDuration } from './algos/duration';
import { isDecimalText, toDecimalString } from './decimal';
import { SYMBOL_PATTERN, id, positiveDecimal, snake, type RequestIssue } from './order-request';

/** Enough for any book we rebalance, small enough for one workflow payload. */
export const MAX_TARGETS = 500;
/**
 * Order ids append venue, symbol and strategy to the rebalance id, and order ids are at most 200
 * characters: a long rebalance id would leave no room for them.
 */
export const MAX_REBALANCE_ID_LENGTH = 100;

export interface RebalanceTarget {
  venue: string;
  symbol: string;
  /** Target net position in the base asset: signed canonical decimal ("-0.5" is short). */
  quantity: string;
  /** The target's own, else the file's; absent: the whole account's position on the venue. */
  strategyId?: string;
}

export interface RebalanceRequest {
  id?: string;
  decisionId?: string;
  urgency: Urgency;
  /** The automatic choice's settings (the auto order's defaults unless the file overrides). */
  config: AutoChoiceConfig;
  targets: RebalanceTarget[];
}

/** A decimal of any sign, given as a string or a finite number; normalised to a decimal string. */
const signedDecimal = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof value === 'number' && !Number.isFinite(value)) {
    ctx.addIssue({ code: 'custom', message: 'must be a finite number' });
    return z.NEVER;
  }
  if (!isDecimalText(text)) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a decimal number` });
    return z.NEVER;
  }
  return toDecimalString(text);
});

const targetSchema = z.strictObject({
  venue: z.string().min(1, 'is required'),
  symbol: z.string().regex(SYMBOL_PATTERN, 'must be a unified symbol like "BTC/USDT"'),
  quantity: signedDecimal,
  strategyId: id.optional(),
});

const fileSchema = z.strictObject({
  id: id.max(MAX_REBALANCE_ID_LENGTH, `must be at most ${MAX_REBALANCE_ID_LENGTH} characters`).optional(),
  strategyId: id.optional(),
  decisionId: id.optional(),
  urgency: z.enum(URGENCIES, { error: () => `must be one of ${URGENCIES.join(', ')}` }).optional(),
  twapNotionalThreshold: positiveDecimal.optional(),
  targets: z
    .array(targetSchema, { error: () => 'must be a list of targets' })
    .min(1, 'must name at least one target')
    .max(MAX_TARGETS, `must have at most ${MAX_TARGETS} targets`),
});

const FIELD_REASONS: Record<string, string> = {
  id: 'INVALID_REBALANCE_ID',
  strategyId: 'INVALID_STRATEGY_ID',
  decisionId: 'INVALID_DECISION_ID',
  urgency: 'INVALID_URGENCY',
  twapNotionalThreshold: 'INVALID_THRESHOLD',
  targets: 'INVALID_TARGETS',
  venue: 'INVALID_VENUE',
  symbol: 'INVALID_SYMBOL',
  quantity: 'INVALID_QUANTITY',
};

/** "targets[1].quantity" from zod's path. */
function fieldOf(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

function issuesOf(error: z.ZodError): RequestIssue[] {
  return error.issues.flatMap((issue): RequestIssue[] => {
    const at = fieldOf(issue.path);
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => {
        const field = at === '' ? key : `${at}.${key}`;
        return { code: 'UNKNOWN_FIELD', field, message: `unknown field "${field}"` };
      });
    if (issue.path.length === 0)
      return [{ code: 'INVALID_REQUEST', message: 'the targets file must be a JSON object' }];
    const last = issue.path[issue.path.length - 1];
    const name = typeof last === 'string' ? last : 'targets';
    if (issue.input === undefined)
      return [{ code: `MISSING_${snake(name)}`, field: at, message: `${at} is required` }];
    const code = name === 'targets' && issue.code === 'too_small' ? 'NO_TARGETS' : FIELD_REASONS[name];
    return [{ code: code ?? 'INVALID_REQUEST', field: at, message: `${at} ${issue.message}` }];
  });
}

/** One target per venue, symbol and strategy; a strategy-less target is the whole account's. */
function overlapIssues(targets: readonly RebalanceTarget[]): RequestIssue[] {
  const issues: RequestIssue[] = [];
  const seen = new Map<string, number>();
  targets.forEach((t, i) => {
    const key = JSON.stringify([t.venue, t.symbol, t.strategyId ?? null]);
    const first = seen.get(key);
    if (first !== undefined)
      issues.push({
        code: 'DUPLICATE_TARGET',
        field: `targets[${i}]`,
        message: `targets[${i}] repeats targets[${first}] (${t.venue} ${t.symbol}${t.strategyId === undefined ? '' : ` strategy ${t.strategyId}`})`,
      });
    else seen.set(key, i);
  });
  // The account's target counts every strategy's position, so it cannot sit beside a strategy's.
  targets.forEach((t, i) => {
    if (t.strategyId !== undefined) return;
    const j = targets.findIndex(
      (o) => o.strategyId !== undefined && o.venue === t.venue && o.symbol === t.symbol,
    );
    if (j >= 0)
      issues.push({
        code: 'OVERLAPPING_TARGETS',
        field: `targets[${i}]`,
        message: `targets[${i}] (no strategy: the whole account on ${t.venue} ${t.symbol}) overlaps targets[${j}] (strategy ${targets[j]?.strategyId ?? ''})`,
      });
  });
  return issues;
}

export function validateRebalanceRequest(
  input: unknown,
): { ok: true; request: RebalanceRequest } | { ok: false; issues: RequestIssue[] } {
  const parsed = fileSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: issuesOf(parsed.error) };
  const file = parsed.data;
  const targets = file.targets.map((t): RebalanceTarget => {
    const strategyId = t.strategyId ?? file.strategyId;
    return {
      venue: t.venue,
      symbol: t.symbol,
      quantity: t.quantity,
      ...(strategyId === undefined ? {} : { strategyId }),
    };
  });
  const issues = overlapIssues(targets);
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    request: {
      ...(file.id === undefined ? {} : { id: file.id }),
      ...(file.decisionId === undefined ? {} : { decisionId: file.decisionId }),
      urgency: file.urgency ?? 'normal',
      config: {
        twapNotionalThreshold: file.twapNotionalThreshold ?? AUTO_DEFAULTS.twapNotionalThreshold,
        twapDurationMs: parseDuration(AUTO_DEFAULTS.twapDuration),
        twapIntervalMs: parseDuration(AUTO_DEFAULTS.twapInterval),
        maxSpreadBpsForMarket: AUTO_DEFAULTS.maxSpreadBpsForMarket,
      },
      targets,
    },
  };
}
