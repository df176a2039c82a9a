/**
 * Messages of tradingControlWorkflow (singleton `trading-control`): shared by the workflow and
 * its clients (src/client/trading.ts, the trading activities).
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { FlattenResult, VenueCancelAllResult } from '../activities/types';
import type { TradingControl } from '../domain/trading-state';

/** The workflow id of the one trading control workflow of a namespace (DESIGN.md §3). */
export const TRADING_CONTROL_ID = 'trading-control';

/**
 * Halt trading. `cancelAll` makes it the kill switch: every working order and parent order is
 * signalled `killSwitch`, and every venue's open orders are cancelled as a backstop; `flatten`
 * then closes positions with market orders.
 */
export interface HaltRequest {
  reason: string;
  cancelAll?: boolean;
  flatten?: boolean;
  /** The caller's id for this kill, so it can wait for the kill's report (KillReport.requestIds). */
  requestId?: string;
}

export interface TradingReasonRequest {
  reason: string;
}

/** The last kill switch and how far it got. */
export interface KillReport {
  /** Unique per kill (the flattening orders' ids derive from it). */
  killId: string;
  /** The requestIds of the halts this kill serves (kills asked while one ran are coalesced). */
  requestIds: string[];
  /** ISO-8601 (workflow time when the halt was applied). */
  requestedAt: string;
  reason: string;
  /** orderWorkflows signalled `killSwitch`, over every sweep round. */
  ordersSignalled: number;
  /** Parent-order workflows signalled `killSwitch` (the parent engine pauses them). */
  parentsPaused?: number;
  /** Selected by the query but closed before their signal (e.g. the venue backstop was faster). */
  alreadyClosed?: number;
  /** Per venue, summed over the sweep rounds. */
  venuesCancelled: VenueCancelAllResult[];
  /** Sweep rounds run: the second catches orders whose workflows were not yet visible. */
  rounds: number;
  flatten?: FlattenResult | { status: 'REQUESTED' | 'FAILED'; orders: []; error?: string };
  /** Steps that failed for good (the sweep carries on without them). */
  errors: string[];
  /** What else happened (e.g. round 2 skipped because trading was resumed meanwhile). */
  notes?: string[];
  done: boolean;
  doneAt?: string;
}

export interface TradingControlView extends TradingControl {
  lastKill?: KillReport;
  /** Order ids allowed through while HALTED: the kill switch's flattening orders. */
  exempt?: string[];
}

export const haltSignal = defineSignal<[HaltRequest]>('halt');
export const reduceOnlySignal = defineSignal<[TradingReasonRequest]>('reduceOnly');
export const resumeSignal = defineSignal<[TradingReasonRequest]>('resume');
export const tradingStateQuery = defineQuery<TradingControlView>('state');
