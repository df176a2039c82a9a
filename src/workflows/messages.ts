/**
 * Messages of orderWorkflow, exactly as DESIGN.md §3: shared by the workflow and its clients.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OrderState } from '../domain/order-state';
import type { OrderStatus } from '../domain/status';

export interface CancelRequest {
  reason?: string;
}

export interface AmendRequest {
  quantity?: string | number;
  limitPrice?: string | number;
  stopPrice?: string | number;
}

export interface CommandResult {
  accepted: boolean;
  reason?: string;
  status: OrderStatus;
}

/** An operator's word on an order parked in DEAD_LETTER. */
export interface OperatorRequest {
  reason?: string;
}

export interface KillSwitchRequest {
  reason: string;
}

/** Reconciliation found the venue's word differs from the order's: look the order up now. */
export interface ReconcileRequest {
  reason: string;
}

export const statusQuery = defineQuery<OrderState>('status');
export const cancelUpdate = defineUpdate<CommandResult, [CancelRequest]>('cancel');
export const amendUpdate = defineUpdate<CommandResult, [AmendRequest]>('amend');
export const killSwitchSignal = defineSignal<[KillSwitchRequest]>('killSwitch');
/** DEAD_LETTER only: carry on (resend after a look-up, or follow the live order again). */
export const retryUpdate = defineUpdate<CommandResult, [OperatorRequest]>('retry');
/** DEAD_LETTER only: end the order, cancelling it at the venue if it might be live. */
export const abandonUpdate = defineUpdate<CommandResult, [OperatorRequest]>('abandon');
/** Not in DESIGN's list (an addition): reconciliation tells a working order to look again. */
export const reconcileSignal = defineSignal<[ReconcileRequest]>('reconcile');
