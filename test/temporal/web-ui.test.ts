/**
 * The Temporal Web UI, as a person uses it, in headless Chromium (Debian's, driven by
 * playwright-core, which never downloads a browser): the workflows page filtered by Ordo's search
 * attributes lists exactly the orders asked for, and a parent's children. Screenshots go to
 * test-output/screenshots/. Skipped, with a warning, when Chromium is not installed
 * (scripts/ensure-chromium.sh installs it where apt works) or the dev server has no UI.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { OrdoAlgos } from '../../src/client/algos';
import type { OrderState } from '../../src/domain/order-state';
import type { ParentProgress } from '../../src/workflows/parent-messages';
import { type TestOrdo, startTestOrdo, testWorkerConfig, uniqueOrderId } from '../support/ordo-worker';
import { TEST_BALANCES, createSimAccount } from '../support/simulator-admin';

jest.setTimeout(120_000);

const CHROMIUM = process.env['ORDO_TEST_CHROMIUM'] ?? '/usr/bin/chromium';
// What works on a machine with no network but loopback (each closes a source of failing
// connections at start); playwright adds --headless, --no-sandbox and a fresh user data dir.
const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-output', 'screenshots');

function unavailable(): string | undefined {
  if (!existsSync(CHROMIUM))
    return `${CHROMIUM} not found (make test installs Debian's chromium where apt works)`;
  if (!process.env['TEMPORAL_TEST_UI_URL']) return 'the Temporal dev server of this run has no Web UI';
  return undefined;
}

const why = unavailable();
if (why !== undefined) console.warn(`Web UI tests SKIPPED: ${why}`);

(why === undefined ? describe : describe.skip)('Temporal Web UI', () => {
  const strategyId = uniqueOrderId('webui');
  let ordo: TestOrdo;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const account = await createSimAccount(TEST_BALANCES);
    ordo = await startTestOrdo(testWorkerConfig({ ...account }));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      chromiumSandbox: false,
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await ordo?.shutdown();
  });

  /** The workflows page filtered by `query`, once it lists `count` rows. */
  async function listWorkflows(query: string, count: number): Promise<string> {
    const base = process.env['TEMPORAL_TEST_UI_URL'] as string;
    const url = `${base}/namespaces/default/workflows?query=${encodeURIComponent(query)}`;
    // Visibility can lag a moment behind a workflow's change: load the page again until every row
    // is there (the rows of one load come from one answer, so they arrive all at once).
    const rows = page.locator(`[data-testid="workflows-summary-configurable-table-row"]`);
    for (let attempt = 1; ; attempt++) {
      await page.goto(url);
      const loaded = await rows
        .nth(count - 1)
        .waitFor({ timeout: 10_000 })
        .then(() => true)
        .catch(() => false);
      if (loaded || attempt >= 3) break;
    }
    expect(await rows.count()).toBe(count);
    return await page.locator('table tbody').innerText();
  }

  async function submit(symbol: string, n: number): Promise<string> {
    const orderId = uniqueOrderId(`webui-${symbol.slice(0, 3).toLowerCase()}-${n}`);
    await ordo.orders.submit({
      orderId,
      symbol,
      side: 'buy',
      type: 'market',
      quantity: '0.01',
      venue: 'sim',
      strategyId,
    });
    return orderId;
  }

  test("filtering by Symbol and StrategyId lists those orders only; ParentId lists a TWAP's children", async () => {
    const btc = [await submit('BTC/USDT', 1), await submit('BTC/USDT', 2)];
    const eth = [await submit('ETH/USDT', 1)];
    const algos = new OrdoAlgos(ordo.client, ordo.taskQueue);
    const { parentId } = await algos.start('twap', {
      symbol: 'BTC/USDT',
      side: 'buy',
      quantity: '0.03',
      venue: 'sim',
      duration: '4s',
      interval: '2s',
      strategyId,
    });
    for (const id of [...btc, ...eth]) {
      const state = (await ordo.client.workflow.getHandle(id).result()) as OrderState;
      expect(state.status).toBe('FILLED');
    }
    const parent = (await ordo.client.workflow.getHandle(parentId).result()) as ParentProgress;
    const childIds = parent.slices.flatMap((s) => (s.childId === undefined ? [] : [s.childId]));
    expect(childIds.length).toBeGreaterThanOrEqual(2);

    // The children inherit the parent's strategy: one filter shows the orders, the parent and its children.
    const btcRows = await listWorkflows(
      `Symbol = "BTC/USDT" AND StrategyId = "${strategyId}"`,
      btc.length + 1 + childIds.length,
    );
    for (const id of [...btc, parentId, ...childIds]) expect(btcRows).toContain(id);
    for (const id of eth) expect(btcRows).not.toContain(id);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'web-ui-orders.png') });

    const children = await listWorkflows(`ParentId = "${parentId}"`, childIds.length);
    for (const id of childIds) expect(children).toContain(id);
    for (const id of btc) expect(children).not.toContain(id);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'web-ui-children.png') });

    const base = process.env['TEMPORAL_TEST_UI_URL'] as string;
    await page.goto(`${base}/namespaces/default/workflows/${encodeURIComponent(parentId)}`);
    await page.getByText('twapWorkflow').first().waitFor({ timeout: 30_000 });
    await expect(page.getByText(parentId).first().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'web-ui-parent.png') });
  });
});
