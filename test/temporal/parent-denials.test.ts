/**
 * Parent orders the workflow itself refuses (started with the raw client, so the client
 * library's own checks do not get there first): each ends DENIED with its reason code and no
 * child; and a slice the venue refuses pauses its parent, which can then be cancelled.
 */
import { OrdoAlgos, ParentRequestError } from '../../src/client/algos';
import type { ParentProgress } from '../../src/workflows/parent-messages';
import { expectChildrenAddUp as expectAddUp, workflowExists } from '../support/parent-checks';
import { type TestOrdo, startTestOrdo, testWorkerConfig, uniqueOrderId } from '../support/ordo-worker';
import { createSimAccount, simOrdersFor } from '../support/simulator-admin';

jest.setTimeout(60_000);

let ordo: TestOrdo;
let algos: OrdoAlgos;

beforeAll(async () => {
  // Small balances: a sell of more BTC than the account holds is refused by the venue.
  const account = await createSimAccount({ USDT: '100000', BTC: '0.002' });
  ordo = await startTestOrdo(testWorkerConfig({ ...account }));
  algos = new OrdoAlgos(ordo.client, ordo.taskQueue);
});

afterAll(async () => {
  await ordo?.shutdown();
});

const TWAP = {
  symbol: 'BTC/USDT',
  side: 'buy',
  quantity: '0.01',
  venue: 'sim',
  duration: '20s',
  interval: '5s',
};

/** Starts `workflowType` with `input` as is, under the id `parentId`, and waits for its end. */
async function runParent(workflowType: string, parentId: string, input: unknown): Promise<ParentProgress> {
  const handle = await ordo.client.workflow.start(workflowType, {
    taskQueue: ordo.taskQueue,
    workflowId: parentId,
    args: [input],
  });
  return (await handle.result()) as ParentProgress;
}

const childExists = (childId: string) => workflowExists(ordo.client, childId);

const expectChildrenAddUp = (final: ParentProgress) =>
  expectAddUp(ordo.client, final, () => simOrdersFor(`${final.parentId}-`));

interface DenialCase {
  name: string;
  workflowType: string;
  input: (parentId: string) => Record<string, unknown>;
  code: string;
}

const DENIALS: DenialCase[] = [
  {
    name: 'a TWAP without a duration or end',
    workflowType: 'twapWorkflow',
    input: () => ({ symbol: 'BTC/USDT', side: 'buy', quantity: '0.01', venue: 'sim', interval: '5s' }),
    code: 'MISSING_END',
  },
  {
    name: 'a field a TWAP does not take (urgency is an IS parameter)',
    workflowType: 'twapWorkflow',
    input: () => ({ ...TWAP, urgency: 3 }),
    code: 'UNKNOWN_FIELD',
  },
  {
    name: 'a parentId other than the workflow id',
    workflowType: 'twapWorkflow',
    input: (parentId) => ({ ...TWAP, parentId: `${parentId}-other` }),
    code: 'PARENT_ID_MISMATCH',
  },
  {
    name: "a quantity that is not a multiple of the venue's lot",
    workflowType: 'twapWorkflow',
    input: () => ({ ...TWAP, quantity: '0.010005' }),
    code: 'QUANTITY_PRECISION',
  },
  {
    // One lot of BTC is worth well under the venue's 5 USDT minimum notional.
    name: "a quantity below the venue's minimum",
    workflowType: 'twapWorkflow',
    input: () => ({ ...TWAP, quantity: '0.00001' }),
    code: 'MIN_NOTIONAL',
  },
  {
    name: 'a venue that is not configured',
    workflowType: 'twapWorkflow',
    input: () => ({ ...TWAP, venue: 'nowhere' }),
    code: 'UNKNOWN_VENUE',
  },
  {
    name: 'a symbol the venue does not list',
    workflowType: 'twapWorkflow',
    input: () => ({ ...TWAP, symbol: 'NOPE/USDT' }),
    code: 'BAD_SYMBOL',
  },
  {
    name: 'an iceberg without a limit price',
    workflowType: 'icebergWorkflow',
    input: () => ({
      symbol: 'BTC/USDT',
      side: 'buy',
      quantity: '0.01',
      venue: 'sim',
      displayQuantity: '0.002',
    }),
    code: 'MISSING_LIMIT_PRICE',
  },
  {
    name: 'an iceberg showing more than its quantity',
    workflowType: 'icebergWorkflow',
    input: () => ({
      symbol: 'BTC/USDT',
      side: 'buy',
      quantity: '0.01',
      venue: 'sim',
      limitPrice: '50000',
      displayQuantity: '0.02',
    }),
    code: 'DISPLAY_ABOVE_QUANTITY',
  },
  {
    name: 'a POV whose minimum participation is above its target',
    workflowType: 'povWorkflow',
    input: () => ({
      symbol: 'BTC/USDT',
      side: 'buy',
      quantity: '0.01',
      venue: 'sim',
      duration: '20s',
      participation: 0.1,
      minParticipation: 0.2,
    }),
    code: 'PARTICIPATION_RANGE',
  },
];

describe('a bad request ends DENIED with its reason code and no child', () => {
  test.each(DENIALS)('$name: $code', async ({ workflowType, input, code }) => {
    const parentId = uniqueOrderId('deny');
    const final = await runParent(workflowType, parentId, input(parentId));
    expect(final.status).toBe('DENIED');
    expect(final.history.map((h) => h.status)).toEqual(['PENDING', 'DENIED']);
    // The history keeps the codes; `reason` says "<CODE>: <why>" for each.
    expect(final.history.at(-1)?.reason?.split(',')).toContain(code);
    expect(final.reason).toContain(`${code}: `);
    expect(final.filledQuantity).toBe('0');
    expect(final.slices).toEqual([]);
    expect(await childExists(`${parentId}-1`)).toBe(false);
    expect(await simOrdersFor(`${parentId}-`)).toEqual([]);
  });
});

test('the client library refuses the same request before starting anything', async () => {
  const parentId = uniqueOrderId('deny-client');
  const refused = await algos
    .start('twap', { symbol: 'BTC/USDT', side: 'buy', quantity: '0.01', venue: 'sim', parentId })
    .then(
      () => undefined,
      (err: unknown) => err,
    );
  expect(refused).toBeInstanceOf(ParentRequestError);
  expect((refused as ParentRequestError).issues.map((i) => i.code)).toContain('MISSING_END');
  expect(await childExists(parentId)).toBe(false);
});

test('a slice the venue refuses pauses the parent, which can then be cancelled', async () => {
  const parentId = uniqueOrderId('deny-funds');
  // 0.01 BTC to sell with 0.002 BTC in the account: the first slice (0.0025) cannot be funded.
  await algos.start('twap', { ...TWAP, side: 'sell', parentId });
  const deadline = Date.now() + 30_000;
  let paused = await algos.progress(parentId);
  while (paused.status !== 'PAUSED') {
    if (Date.now() > deadline) throw new Error(`never paused: ${JSON.stringify(paused, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    paused = await algos.progress(parentId);
  }
  expect(paused.reason).toMatch(/^CHILD_(REJECTED|DENIED): /);
  expect(paused.reason).toContain(`${parentId}-1`);
  expect(paused.reason).toContain('INSUFFICIENT_FUNDS');
  expect(paused.filledQuantity).toBe('0');
  expect(paused.slices.filter((s) => s.childId !== undefined).map((s) => s.status)).toEqual([
    expect.stringMatching(/^(REJECTED|DENIED)$/),
  ]);

  expect(await algos.cancel(parentId, 'out of BTC')).toEqual({ accepted: true, status: 'CANCELLED' });
  const final = await algos.waitFor(parentId);
  expect(final.status).toBe('CANCELLED');
  expect(final.reason).toBe('out of BTC');
  expect(final.filledQuantity).toBe('0');
  const children = await expectChildrenAddUp(final);
  expect(children).toHaveLength(1);
  expect(children[0]?.reason).toContain('INSUFFICIENT_FUNDS');
});
