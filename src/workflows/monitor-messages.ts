/**
 * Messages of executionMonitorWorkflow (one per task queue, id `ordo-monitor` on the default queue
 * `execution`, else `ordo-monitor-<queue>`): shared by the workflow, the workers' monitor sink and
 * the clients (src/client/monitor.ts).
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type {
  ActiveAlert,
  AlertTransition,
  MonitorLimits,
  Observation,
  ScopeMetrics,
} from '../domain/monitor/types';

export const MONITOR_WORKFLOW_ID = 'ordo-monitor';
export const MONITOR_WORKFLOW_TYPE = 'executionMonitorWorkflow';
const DEFAULT_TASK_QUEUE = 'execution';

/** The monitor of a task queue: its orders' events feed it. */
export function monitorWorkflowId(taskQueue: string): string {
  return taskQueue === DEFAULT_TASK_QUEUE ? MONITOR_WORKFLOW_ID : `${MONITOR_WORKFLOW_ID}-${taskQueue}`;
}

export interface ObserveRequest {
  observations: Observation[];
}

export interface ConfigureRequest {
  limits: MonitorLimits;
}

/** What the monitor saw, as of its last evaluation. */
export interface MonitorView {
  workflowId: string;
  /** ISO-8601 (workflow time): when the metrics were computed. */
  asOf: string;
  /** When this monitor's chain started. */
  startedAt: string;
  limits: MonitorLimits;
  /** `all` first, then each venue. */
  metrics: ScopeMetrics[];
  activeAlerts: ActiveAlert[];
  /** The latest raises and clears, newest last. */
  recentAlerts: AlertTransition[];
  window: {
    observations: number;
    /** Oldest observation in the window (ISO-8601). */
    oldestAt?: string;
    /** Since the chain started: dropped because the window was full, arrived too old, seen twice. */
    overflowed: number;
    stale: number;
    duplicates: number;
    malformed: number;
  };
  /** Alert transitions whose EXECUTION_ALERT events are not confirmed delivered yet. */
  undeliveredAlerts: number;
}

/** A batch of observations (deduplicated by id in the monitor). */
export const observeSignal = defineSignal<[ObserveRequest]>('observe');
/** The limits to evaluate with (each worker sends its configuration's at start-up). */
export const configureSignal = defineSignal<[ConfigureRequest]>('configure');
export const monitorQuery = defineQuery<MonitorView>('monitor');
