import { setTimeout as delay } from 'node:timers/promises';
import type { ApiRequest, ApiResponse } from '../http/http-types';
import type { Fault, FaultInjector } from './fault-injector';
import {
  badGatewayPage,
  droppedConnection,
  nonJsonPage,
  type FaultRenderer,
  type InjectedError,
} from './fault-renderer';
import type { FaultTarget } from './scope';

/** Where a fault struck: before the request was processed, or after (its effects happened). */
export type FaultPhase = 'before' | 'after';

export interface FaultedRequest {
  request: ApiRequest;
  injector: FaultInjector;
  renderer: FaultRenderer;
  target: FaultTarget;
  /** Real (unskewed) time when the request arrived. */
  now: number;
  /** Processes the request normally and returns the venue's answer (success or error). */
  process(): Promise<ApiResponse> | ApiResponse;
  /**
   * Told when a fault changed the answer, with what the client gets (status 0: nothing, the
   * connection was dropped). Dialects use it for the order-request log.
   */
  onFault?(label: string, phase: FaultPhase, sent: ApiResponse): void;
}

/**
 * The one place a dialect's request meets the fault injector: plan the request's faults on
 * arrival, wait out the latency, then either answer with a fault instead of processing, or
 * process and maybe replace a successful answer (hold it, drop the connection, or send an error
 * though the order was placed). Waits end early when the server shuts down (request.signal).
 */
export async function answerWithFaults(faulted: FaultedRequest): Promise<ApiResponse> {
  const { request, injector, target, now } = faulted;
  const plan = injector.plan(target, now);
  if (plan.delayMs > 0) await delay(plan.delayMs, undefined, { signal: request.signal });

  if (plan.before !== undefined) {
    const sent = faultAnswer(plan.before, faulted, undefined);
    faulted.onFault?.(plan.before.label, 'before', sent);
    return sent;
  }
  const answer = await faulted.process();
  const after = plan.afterSuccess;
  const succeeded = faulted.renderer.succeeded?.(answer) ?? (answer.status >= 200 && answer.status < 300);
  if (after === undefined || !succeeded || !after.claim()) return answer;
  const sent = faultAnswer(after.fault, faulted, answer);
  // Logged before a hold starts, so /admin/orders shows the fault while the client waits.
  faulted.onFault?.(after.fault.label, 'after', sent);
  // The answer is late, not lost: a client that waits long enough still gets it.
  if (after.fault.action === 'hold') await delay(after.fault.holdMs, undefined, { signal: request.signal });
  return sent;
}

/** What the client gets for a fault; `answer` is the real answer if the request was processed. */
function faultAnswer(fault: Fault, faulted: FaultedRequest, answer: ApiResponse | undefined): ApiResponse {
  switch (fault.action) {
    case 'drop':
      return droppedConnection();
    case 'hold':
      return answer ?? droppedConnection();
    case 'answer':
      return renderError(fault.error, faulted, answer);
  }
}

function renderError(
  error: InjectedError,
  faulted: FaultedRequest,
  answer: ApiResponse | undefined,
): ApiResponse {
  const { renderer, injector, now } = faulted;
  switch (error.kind) {
    case 'badGateway':
      return renderer.badGateway?.() ?? badGatewayPage();
    case 'nonJsonBody':
      return renderer.nonJsonBody?.(answer) ?? nonJsonPage(answer);
    default:
      return renderer.venueError(error, injector.serverTime(now));
  }
}
