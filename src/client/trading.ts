/**
 * The typed client of the trading state and the kill switch: signals tradingControlWorkflow
 * (starting it on demand: signalWithStart) and reads its `state` query. Used by `ordo kill`,
 * `ordo resume`, `ordo reduce-only` and `ordo trading`.
 */
import { randomUUID } from 'node:crypto';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import { OrderRequestError } from '../domain/order-request';
import { MAX_REASON_LENGTH } from '../domain/trading-state';
import {
  type HaltRequest,
  type KillReport,
  TRADING_CONTROL_ID,
  type TradingControlView,
  haltSignal,
  reduceOnlySignal,
  resumeSignal,
  tradingStateQuery,
} from '../workflows/trading-messages';
import type { tradingControlWorkflow } from '../workflows/trading-control-workflow';

const tradingControlWorkflowName = 'tradingControlWorkflow';

/** The state as the client shows it: `running` false means no control workflow (ACTIVE). */
export type TradingStatus = Omit<TradingControlView, 'since'> & { since?: string; running: boolean };

/** Refuses an empty or oversized reason before anything is sent (typed, exit code 2 in the CLI). */
export function checkReason(reason: unknown): string {
  const text = typeof reason === 'string' ? reason.trim() : '';
  if (text === '') {
    throw new OrderRequestError([
      {
        code: 'REASON_REQUIRED',
        field: 'reason',
        message: 'say why (--reason TEXT): it goes in the audit trail',
      },
    ]);
  }
  if (text.length > MAX_REASON_LENGTH) {
    throw new OrderRequestError([
      { code: 'REASON_TOO_LONG', field: 'reason', message: `at most ${MAX_REASON_LENGTH} characters` },
    ]);
  }
  return text;
}

export class OrdoTrading {
  constructor(
    private readonly client: Client,
    private readonly taskQueue = 'execution',
    readonly workflowId = TRADING_CONTROL_ID,
  ) {}

  /**
   * Halts trading; with cancelAll, the kill switch. Returns the request id to wait on
   * (waitForKill).
   */
  async halt(request: Omit<HaltRequest, 'requestId'>): Promise<{ requestId: string }> {
    const requestId = randomUUID();
    const signal: HaltRequest = { ...request, reason: checkReason(request.reason), requestId };
    await this.signalWithStart(haltSignal, signal);
    return { requestId };
  }

  async reduceOnly(reason: string): Promise<void> {
    await this.signalWithStart(reduceOnlySignal, { reason: checkReason(reason) });
  }

  async resume(reason: string): Promise<void> {
    await this.signalWithStart(resumeSignal, { reason: checkReason(reason) });
  }

  async state(): Promise<TradingStatus> {
    try {
      const view = await this.client.workflow.getHandle(this.workflowId).query(tradingStateQuery);
      return { ...view, running: true };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      return { state: 'ACTIVE', history: [], running: false };
    }
  }

  /** Polls until the kill serving `requestId` is done; its report. */
  async waitForKill(requestId: string, timeoutMs = 120_000): Promise<KillReport> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const kill = (await this.state()).lastKill;
      if (kill?.done && kill.requestIds.includes(requestId)) return kill;
      if (Date.now() > deadline) {
        throw new Error(`the kill switch did not finish within ${Math.round(timeoutMs / 1000)} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  private async signalWithStart<T>(signal: SignalDefinition<[T]>, arg: T): Promise<void> {
    await this.client.workflow.signalWithStart<typeof tradingControlWorkflow, [T]>(
      tradingControlWorkflowName,
      {
        workflowId: this.workflowId,
        taskQueue: this.taskQueue,
        args: [{}],
        signal,
        signalArgs: [arg],
      },
    );
  }
}

/** A kill that left something behind: an error, or open orders a venue still listed. */
export function killIncomplete(kill: KillReport): boolean {
  return kill.errors.length > 0 || kill.venuesCancelled.some((v) => v.error !== undefined || v.remaining > 0);
}
