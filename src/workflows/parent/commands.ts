/**
 * Validators of the parent-order updates: they run before an update is accepted into history,
 * so a refused command leaves no trace and the caller gets a typed reason at once.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import {
  add,
  cmp,
  isDecimalText,
  isMultipleOfStep,
  isPositive,
  sub,
  toDecimalString,
} from '../../domain/decimal';
import type { MarketRules } from '../../domain/market-rules';
import { type ParentAmendRequest, type ParentProgress, isParentTerminal } from '../parent-messages';

/** An amend, normalised: decimal strings, epoch ms. */
export interface ParentAmend {
  quantity?: string;
  endAtMs?: number;
  limitPrice?: string;
}

function refuse(code: string, message: string): never {
  throw ApplicationFailure.create({ type: code, message: `${code}: ${message}`, nonRetryable: true });
}

function refuseIfEnded(progress: ParentProgress) {
  if (isParentTerminal(progress.status))
    refuse(`PARENT_${progress.status}`, `the parent order is ${progress.status}`);
}

export function validatePause(progress: ParentProgress) {
  refuseIfEnded(progress);
  if (progress.status === 'PAUSED') refuse('ALREADY_PAUSED', 'the parent order is already paused');
}

export function validateResume(progress: ParentProgress) {
  refuseIfEnded(progress);
  if (progress.status !== 'PAUSED') refuse('NOT_PAUSED', 'only a paused parent order can resume');
}

export function validateCancel(progress: ParentProgress) {
  refuseIfEnded(progress);
}

function decimalField(value: unknown, field: string): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !isDecimalText(text) || !isPositive(text))
    refuse(
      field === 'quantity' ? 'INVALID_QUANTITY' : 'INVALID_PRICE',
      `${field} must be a positive decimal`,
    );
  return toDecimalString(text);
}

/**
 * `committed` is what is filled plus what working children could still fill: a new quantity
 * below it could be over-traded by a fill racing the cancel, so it is refused (pause first).
 */
export function validateParentAmend(
  progress: ParentProgress,
  request: ParentAmendRequest,
  context: { rules?: MarketRules; committed: string; nowMs: number },
): ParentAmend {
  refuseIfEnded(progress);
  if (typeof request !== 'object' || request === null)
    refuse('INVALID_REQUEST', 'the amend must be an object');
  const known = new Set(['quantity', 'endAt', 'limitPrice']);
  for (const key of Object.keys(request))
    if (!known.has(key)) refuse('UNKNOWN_FIELD', `unknown field "${key}"`);
  const amend: ParentAmend = {};
  if (request.quantity !== undefined) {
    const quantity = decimalField(request.quantity, 'quantity');
    if (context.rules !== undefined && !isMultipleOfStep(quantity, context.rules.amountStep))
      refuse(
        'QUANTITY_PRECISION',
        `quantity ${quantity} is not a multiple of the lot size ${context.rules.amountStep}`,
      );
    if (cmp(quantity, context.committed) < 0)
      refuse(
        'QUANTITY_BELOW_COMMITTED',
        `quantity ${quantity} is below what is filled or working (${context.committed}); pause first to cancel working slices`,
      );
    amend.quantity = quantity;
  }
  if (request.endAt !== undefined) {
    const endAtMs = typeof request.endAt === 'string' ? Date.parse(request.endAt) : Number.NaN;
    if (!Number.isFinite(endAtMs)) refuse('INVALID_END', 'endAt must be an ISO-8601 date-time');
    if (endAtMs <= context.nowMs) refuse('END_IN_PAST', 'endAt is not in the future');
    amend.endAtMs = endAtMs;
  }
  if (request.limitPrice !== undefined) {
    const limitPrice = decimalField(request.limitPrice, 'limitPrice');
    if (context.rules !== undefined && !isMultipleOfStep(limitPrice, context.rules.priceStep))
      refuse(
        'PRICE_PRECISION',
        `limitPrice ${limitPrice} is not a multiple of the tick size ${context.rules.priceStep}`,
      );
    amend.limitPrice = limitPrice;
  }
  if (Object.keys(amend).length === 0) refuse('NOTHING_TO_AMEND', 'give quantity, endAt or limitPrice');
  return amend;
}

export function committedQuantity(progress: ParentProgress, working: ReadonlyMap<string, string>): string {
  let committed = progress.filledQuantity;
  for (const slice of progress.slices) {
    const quantity = slice.childId === undefined ? undefined : working.get(slice.childId);
    // A working child can still fill what it has not filled yet.
    if (quantity !== undefined) committed = add(committed, sub(quantity, slice.filledQuantity));
  }
  return committed;
}
