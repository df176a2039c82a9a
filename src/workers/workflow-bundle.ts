/**
 * Where the worker gets its workflow code: a prebuilt bundle when ORDO_WORKFLOW_BUNDLE names one
 * (tests and restarts skip the few seconds of bundling), otherwise bundled from source at start.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode, type WorkerOptions } from '@temporalio/worker';

export const WORKFLOWS_PATH = require.resolve('../workflows');

export async function workflowSource(
  bundlePath = process.env['ORDO_WORKFLOW_BUNDLE'],
): Promise<Pick<WorkerOptions, 'workflowsPath' | 'workflowBundle'>> {
  if (bundlePath !== undefined && existsSync(bundlePath)) return { workflowBundle: { codePath: bundlePath } };
  return { workflowsPath: WORKFLOWS_PATH };
}

/** Bundles the workflows once into a file that workers can load. */
export async function writeWorkflowBundle(file: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, code);
  return file;
}
