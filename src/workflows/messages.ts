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

export interface KillSwitchRequest {
  reason: string;
}

export const statusQuery = defineQuery<OrderState>('status');
export const cancelUpdate = defineUpdate<CommandResult, [CancelRequest]>('cancel');
export const amendUpdate = defineUpdate<CommandResult, [AmendRequest]>('amend');
export const killSwitchSignal = defineSignal<[KillSwitchRequest]>('killSwitch');
