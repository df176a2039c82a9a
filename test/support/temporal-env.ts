/**
 * Temporal environments for test files. Nothing here downloads a server:
 *  - connectToTestServer(): the one dev server global-setup.ts started for this run (real server:
 *    updates, visibility queries, search attributes). Use it for most workflow tests.
 *  - createTimeSkippingEnv(): a private Java time-skipping test server from .tools/bin, for tests
 *    of long timers. Updates do not skip time there: test updates on the dev server.
 * Call env.teardown() in afterAll either way.
 */
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import { testServerPath } from './temporal-binaries';

/**
 * Installs the SDK runtime with a logger at TEMPORAL_TEST_LOG_LEVEL (default WARN), so workers
 * in tests do not print webpack and lifecycle INFO lines. Called by the helpers below; call it
 * yourself before Worker.create if you use none of them. A no-op once a runtime exists.
 */
export function installTestRuntime(): void {
  const level = (process.env.TEMPORAL_TEST_LOG_LEVEL ?? 'WARN').toUpperCase() as LogLevel;
  try {
    Runtime.install({ logger: new DefaultLogger(level) });
  } catch {
    // Already installed or instantiated in this process: keep it.
  }
}

/** Address and namespace of the run's dev server (set by global-setup.ts). */
export function testServerAddress(): { address: string; namespace: string } {
  const address = process.env.TEMPORAL_TEST_ADDRESS;
  if (!address) {
    throw new Error(
      'TEMPORAL_TEST_ADDRESS is not set: run these tests through jest\'s "temporal" project ' +
        '(npx jest --selectProjects temporal), whose globalSetup starts the Temporal dev server.',
    );
  }
  return { address, namespace: process.env.TEMPORAL_TEST_NAMESPACE ?? 'default' };
}

/** A TestWorkflowEnvironment on the run's shared dev server (teardown() does not stop the server). */
export async function connectToTestServer(): Promise<TestWorkflowEnvironment> {
  const { address, namespace } = testServerAddress();
  installTestRuntime();
  return await TestWorkflowEnvironment.createFromExistingServer({ address, namespace });
}

/** A fresh time-skipping environment on the installed Java test server (random free port). */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  installTestRuntime();
  return await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServerPath() } },
  });
}

/** A task queue name no other test (or earlier run on the same server) uses. */
export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${randomUUID()}`;
}
