/**
 * EXECUTION_ALERT: one event per alert transition (raised, cleared). Its id is the monitor's
 * workflow id, the first run of its chain and the transition's sequence number — the identity of
 * the fact, stable across redelivery and continue-as-new, like TRADING_STATE_CHANGED. The cleared
 * event is correlated to the raised one (correlationId = the raise's event id).
 */
import type { OrdoEvent } from '../../events/types';
import type { AlertTransition } from './types';

/** Which monitor made the transition: its workflow id and the first run id of its chain. */
export interface MonitorIdentity {
  workflowId: string;
  epoch: string;
}

function eventIdOf(monitor: MonitorIdentity, sequence: number): string {
  return `${monitor.workflowId}:${monitor.epoch}:${sequence}`;
}

export function executionAlertEvent(transition: AlertTransition, monitor: MonitorIdentity): OrdoEvent {
  return {
    eventId: eventIdOf(monitor, transition.sequence),
    type: 'EXECUTION_ALERT',
    occurredAt: transition.at,
    correlationId: eventIdOf(monitor, transition.raisedSequence),
    ...(transition.venue === undefined ? {} : { venue: transition.venue }),
    data: {
      state: transition.state,
      alertType: transition.type,
      severity: transition.severity,
      scope: transition.scope,
      value: transition.value,
      limit: transition.limit,
      clearAt: transition.clearAt,
      samples: transition.samples,
      sequence: transition.sequence,
      raisedSequence: transition.raisedSequence,
      message: transition.message,
    },
  };
}
