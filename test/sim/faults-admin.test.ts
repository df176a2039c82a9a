/** The faults admin API: what POST accepts and refuses, what GET shows, what DELETE clears. */
import type { FaultSettings } from '../../src/sim/faults/fault-settings';
import type { RunningSimulator } from '../../src/sim/server';
import { faultSettings, setFaults } from './faults-harness';
import { admin, startTestSimulator } from './harness';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startTestSimulator();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await admin(sim, 'POST', '/admin/reset');
});

async function status(body: unknown): Promise<number> {
  const response = await fetch(`${sim.url}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.text();
  return response.status;
}

it('starts with no faults', async () => {
  expect(await faultSettings(sim)).toEqual<FaultSettings>({
    errorRate: 0,
    latencyMs: 0,
    timeoutAfterAcceptRate: 0,
    holdMs: 30_000,
    rateLimitEvery: 0,
    retryAfterSeconds: 1,
    seed: null,
    latency: null,
    errors: [],
    timeoutAfterAccept: null,
    connectionResets: null,
    clockSkewMs: 0,
    maintenance: null,
  });
});

it('merges updates: given fields replace, others stay; null switches a fault off', async () => {
  await setFaults(sim, { errorRate: 0.1, clockSkewMs: 500, connectionResets: { rate: 0.05 } });
  const merged = await setFaults(sim, {
    errors: [{ kind: 'badGateway', rate: 0.2 }],
    connectionResets: null,
  });
  expect(merged).toMatchObject({
    errorRate: 0.1,
    clockSkewMs: 500,
    connectionResets: null,
    errors: [{ kind: 'badGateway', rate: 0.2, fired: 0 }],
  });
  const replaced = await setFaults(sim, { errors: [{ kind: 'ipBanned', every: 3 }] });
  expect(replaced.errors).toEqual([{ kind: 'ipBanned', every: 3, fired: 0 }]);
});

it('DELETE switches every fault off', async () => {
  await setFaults(sim, {
    latencyMs: 5,
    errors: [{ kind: 'internalError' }],
    maintenance: { forMs: 60_000 },
    clockSkewMs: -3_000,
    timeoutAfterAccept: { mode: 'drop' },
  });
  const cleared = await admin<FaultSettings>(sim, 'DELETE', '/admin/faults');
  expect(cleared).toMatchObject({
    latencyMs: 0,
    errors: [],
    maintenance: null,
    clockSkewMs: 0,
    timeoutAfterAccept: null,
  });
  expect((await fetch(`${sim.url}/api/v3/ping`)).status).toBe(200);
});

it.each([
  ['an unknown fault kind', { errors: [{ kind: 'meteorStrike' }] }],
  ['both rate and every', { errors: [{ kind: 'internalError', rate: 0.5, every: 2 }] }],
  ['a rate above 1', { connectionResets: { rate: 1.5 } }],
  ['a malformed scope entry', { errors: [{ kind: 'internalError', scope: ['api/v3/order'] }] }],
  ['an unknown scope tag', { errors: [{ kind: 'internalError', scope: ['@everything'] }] }],
  ['uniform min above max', { latency: { distribution: 'uniform', minMs: 9, maxMs: 3 } }],
  ['an unknown distribution', { latency: { distribution: 'pareto', ms: 3 } }],
  ['a bad maintenance time', { maintenance: { until: 'tomorrow' } }],
  ['an unknown timeout mode', { timeoutAfterAccept: { mode: 'explode' } }],
  ['an unknown field', { meteorStrike: 1 }],
])('refuses %s with 400', async (_what, body) => {
  expect(await status(body)).toBe(400);
});
