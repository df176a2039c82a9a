/**
 * Jest globalSetup of the `temporal` project: starts what the workflow and end-to-end tests need,
 * once per test run, and tells the test files where it is through environment variables (jest's
 * test workers are forked after this runs and inherit process.env).
 *
 * To add a service (e.g. the exchange simulator), append a starter to SERVICES: it starts the thing,
 * sets its environment variables and returns how to stop it. Services start in order and stop in
 * reverse order (global-teardown.ts); if one fails to start, those already started are stopped.
 */
import os from 'node:os';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { startSimulator } from '../../src/sim/server';
import { writeWorkflowBundle } from '../../src/workers/workflow-bundle';
import { startDevServer } from './temporal-dev-server';

export interface StartedService {
  name: string;
  stop(): Promise<void>;
}
export type ServiceStarter = () => Promise<StartedService>;

/**
 * One Temporal dev server for the whole run: in-memory, on a free port, with every search
 * attribute of temporal/search-attributes.txt, from .tools/bin/temporal (never downloaded).
 * Sets TEMPORAL_TEST_ADDRESS / TEMPORAL_TEST_NAMESPACE, and TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE
 * too, so code under test (and processes it spawns) can never reach a developer's own server.
 * Its Web UI runs on a free port too (it costs no measurable start-up time) and is published as
 * TEMPORAL_TEST_UI_URL for test/temporal/web-ui.test.ts.
 * If TEMPORAL_TEST_ADDRESS is already set, that server is used as is and nothing is started.
 */
export const startTemporal: ServiceStarter = async () => {
  const existing = process.env.TEMPORAL_TEST_ADDRESS;
  if (existing) {
    const namespace = (process.env.TEMPORAL_TEST_NAMESPACE ??= 'default');
    process.env.TEMPORAL_ADDRESS = existing;
    process.env.TEMPORAL_NAMESPACE = namespace;
    return { name: `temporal (existing ${existing})`, stop: async () => undefined };
  }
  const server = await startDevServer({ namespace: 'default', uiPort: 0 });
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
  process.env.TEMPORAL_TEST_NAMESPACE = server.namespace;
  process.env.TEMPORAL_ADDRESS = server.address;
  process.env.TEMPORAL_NAMESPACE = server.namespace;
  if (server.uiUrl) process.env.TEMPORAL_TEST_UI_URL = server.uiUrl;
  return { name: `temporal dev server ${server.address} (pid ${server.pid})`, stop: server.stop };
};

/**
 * One exchange simulator for the run (in this process, on a free port, market ticking so resting
 * orders meet synthetic flow). Tests find it through SIM_TEST_URL.
 */
export const startExchangeSimulator: ServiceStarter = async () => {
  const sim = await startSimulator({ port: 0, seed: 42, tickMs: 250 });
  process.env.SIM_TEST_URL = sim.url;
  return { name: `exchange simulator ${sim.url}`, stop: sim.close };
};

/**
 * The workflow code bundled once per run: every test worker (in-process or a spawned worker
 * process) loads it through ORDO_WORKFLOW_BUNDLE instead of bundling for seconds each.
 */
export const bundleWorkflows: ServiceStarter = async () => {
  const file = path.join(os.tmpdir(), `ordo-workflows-${process.pid}.js`);
  process.env.ORDO_WORKFLOW_BUNDLE = await writeWorkflowBundle(file);
  return { name: `workflow bundle ${file}`, stop: async () => rmSync(file, { force: true }) };
};

export const SERVICES: ServiceStarter[] = [startTemporal, startExchangeSimulator, bundleWorkflows];

const KEY = Symbol.for('ordo.test.services');
type WithServices = typeof globalThis & { [KEY]?: StartedService[] };

/** Stops every started service, last started first; throws the first error after trying all. */
export async function stopServices(): Promise<void> {
  const started = (globalThis as WithServices)[KEY] ?? [];
  (globalThis as WithServices)[KEY] = [];
  const errors: unknown[] = [];
  for (const service of started.reverse()) {
    await service.stop().catch((err: unknown) => errors.push(err));
  }
  if (errors.length > 0) throw errors[0];
}

export default async function globalSetup(): Promise<void> {
  const started: StartedService[] = [];
  (globalThis as WithServices)[KEY] = started;
  try {
    for (const start of SERVICES) started.push(await start());
  } catch (err) {
    await stopServices().catch(() => undefined);
    throw err;
  }
}
