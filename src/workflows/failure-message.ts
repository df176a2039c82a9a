/** What went wrong, for a workflow's logs and reports: an activity's typed failure as `TYPE: message`. */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

export function failureMessage(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'ERROR'}: ${cause.message}`;
  return err instanceof Error ? err.message : String(err);
}
