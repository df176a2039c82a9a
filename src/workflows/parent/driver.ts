/**
 * What an algorithm tells the parent engine. The engine owns messages, children, statuses and
 * continue-as-new; a driver only decides what comes next, from pure src/domain/algos math and
 * market data it reads through activities.
 */
import { cmp } from '../../domain/decimal';
import type { MarketRules } from '../../domain/market-rules';
import type { ParentRequest } from '../../domain/algos/params';
import type { PlannedSlice, SlicePricing } from '../../domain/algos/types';
import type { ParentProgress } from '../parent-messages';

export interface ChildOrder {
  venue: string;
  quantity: string;
  pricing: SlicePricing;
  /** 'IOC': trade now or never; an epoch ms: rest until then (GTD); undefined: rest until done. */
  until: 'IOC' | number | undefined;
  /** The progress slice this child executes (a SCHEDULED one), or undefined to add a new slice. */
  sliceIndex?: number;
  scheduledAt: string;
  note?: string;
}

export type Step =
  | { kind: 'wait'; untilMs: number }
  | { kind: 'send'; children: ChildOrder[] }
  | { kind: 'end'; status: 'COMPLETED' | 'EXPIRED'; reason: string };

/** What a driver may read and change of its parent. */
export interface ParentContext {
  readonly parentId: string;
  request(): ParentRequest;
  /** The primary venue's market rules. */
  rules(): MarketRules;
  /** Mid at the start, for notional minimums of market slices. */
  referencePrice(): string | undefined;
  nowMs(): number;
  filled(): string;
  remaining(): string;
  progress(): ParentProgress;
  /** Adds planned slices to progress (SCHEDULED); returns their indexes. */
  schedule(slices: readonly PlannedSlice[]): number[];
  /** Drops the slices still SCHEDULED (before a re-plan schedules new ones). */
  unscheduleRest(): void;
  skipSlice(index: number, note: string): void;
  note(text: string): void;
}

export interface AlgoDriver {
  /** Builds the plan when the schedule starts (not again after continue-as-new). */
  start(ctx: ParentContext): Promise<void>;
  next(ctx: ParentContext): Promise<Step>;
  /** After resume or amend: re-plan what remains. */
  replan(ctx: ParentContext): void;
  /** What the schedule wanted filled by now (for behindSchedule). */
  scheduled(ctx: ParentContext): string;
  /** The driver's state, carried over continue-as-new (JSON). */
  carry(): unknown;
}

/** The end every algorithm shares: filled (COMPLETED), or its end time reached (EXPIRED). */
export function finished(ctx: ParentContext): Step | undefined {
  const remaining = ctx.remaining();
  if (cmp(remaining, '0') <= 0) return { kind: 'end', status: 'COMPLETED', reason: 'FILLED' };
  const endAt = ctx.request().endAt;
  if (endAt !== undefined && ctx.nowMs() >= Date.parse(endAt))
    return { kind: 'end', status: 'EXPIRED', reason: `END_REACHED: ${remaining} not traded` };
  return undefined;
}
