/**
 * Crash tests: the worker process is SIGKILLed after the venue accepted an order but before the
 * workflow recorded it, and the Temporal server is restarted while an order is working. Every
 * order must reach its right terminal state, and the venue must see each client order id once.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { OrdoOrders } from '../../src/client/orders';
import { openLedger } from '../../src/ledger/open-ledger';
import type { OrderState } from '../../src/domain/order-state';
import { testWorkerConfig, temporalAddress, uniqueOrderId } from '../support/ordo-worker';
import { midOf, setFaults, setMid, simOrdersFor } from '../support/simulator-admin';
import { freePort, startDevServer } from '../support/temporal-dev-server';
import { startWorkerProcess } from '../support/worker-process';

jest.setTimeout(180_000);

async function connect(address: string, taskQueue: string): Promise<{ client: Client; orders: OrdoOrders }> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  return { client, orders: new OrdoOrders(client, taskQueue) };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

afterEach(async () => {
  await setFaults({ timeoutAfterAcceptRate: 0, errorRate: 0, latencyMs: 0 });
});

test('SIGKILL after the venue accepted, before the workflow recorded: no order is sent twice', async () => {
  const taskQueue = `crash-${randomUUID()}`;
  const { client, orders } = await connect(temporalAddress(), taskQueue);
  const config = testWorkerConfig({ timeoutMs: 60_000 }); // the held answers must not time out first
  const mid = await midOf('ETH/USDT');
  // One ledger file for both worker processes: fills are recorded once across the crash.
  const ledgerDir = mkdtempSync(path.join(os.tmpdir(), 'ordo-crash-ledger-'));
  const ledgerUrl = `sqlite:${path.join(ledgerDir, 'ledger.sqlite')}`;
  let worker = await startWorkerProcess({ temporalAddress: temporalAddress(), taskQueue, config, ledgerUrl });
  try {
    const requests = [
      {
        orderId: uniqueOrderId('crash-mkt'),
        symbol: 'ETH/USDT',
        side: 'buy',
        type: 'market',
        quantity: '0.1',
        venue: 'sim',
      },
      {
        orderId: uniqueOrderId('crash-lmt'),
        symbol: 'ETH/USDT',
        side: 'buy',
        type: 'limit',
        quantity: '0.2',
        limitPrice: (mid * 0.97).toFixed(2),
        venue: 'sim',
      },
      {
        orderId: uniqueOrderId('crash-sell'),
        symbol: 'ETH/USDT',
        side: 'sell',
        type: 'market',
        quantity: '0.1',
        venue: 'sim',
      },
    ];
    // The venue accepts (and matches) every order but holds its answer: the worker never hears back.
    await setFaults({ timeoutAfterAcceptRate: 1, holdMs: 120_000 });
    for (const r of requests) await orders.submit(r);
    await until('the venue to accept all three', async () => {
      const seen = await Promise.all(requests.map((r) => simOrdersFor(r.orderId)));
      return seen.every((s) => s.length === 1);
    });
    await worker.kill('SIGKILL');
    await setFaults({ timeoutAfterAcceptRate: 0 });

    worker = await startWorkerProcess({ temporalAddress: temporalAddress(), taskQueue, config, ledgerUrl });
    const [market, limit, sell] = requests.map((r) => r.orderId) as [string, string, string];
    const settled = await orders.waitFor(limit, (s) => s.status === 'ACCEPTED', 60_000);
    expect(settled.status).toBe('ACCEPTED');
    await setMid('ETH/USDT', (mid * 0.95).toFixed(2)); // trade through the resting order

    const finals: OrderState[] = [];
    for (const id of [market, limit, sell]) {
      const final = (await client.workflow.getHandle(id).result()) as OrderState;
      expect({ id, status: final.status }).toEqual({ id, status: 'FILLED' });
      expect(final.filledQuantity).toBe(requests.find((r) => r.orderId === id)?.quantity);
      const sent = await simOrdersFor(id);
      expect(sent.map((o) => o.clientOrderId)).toEqual([id]); // each client order id exactly once
      finals.push(final);
    }
    await worker.kill('SIGTERM'); // closes the ledger
    const ledger = await openLedger(ledgerUrl);
    try {
      for (const final of finals) {
        const trades = await ledger.trades({ orderId: final.orderId });
        expect({ id: final.orderId, trades: trades.map((t) => t.venueTradeId).sort() }).toEqual({
          id: final.orderId,
          trades: final.fills.map((f) => f.tradeId).sort(),
        });
      }
    } finally {
      await ledger.close();
    }
  } finally {
    await setMid('ETH/USDT', mid.toFixed(2));
    await worker.kill('SIGTERM');
    await client.connection.close();
    rmSync(ledgerDir, { recursive: true, force: true });
  }
});

test('a Temporal server restart (durable file) while an order works: it completes after', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ordo-durable-'));
  const port = await freePort();
  const serverOptions = {
    port,
    dbFilename: path.join(dir, 'temporal.db'),
    sqlitePragmas: { journal_mode: 'WAL', synchronous: 'NORMAL' },
  };
  let server = await startDevServer(serverOptions);
  const taskQueue = `restart-${randomUUID()}`;
  const worker = await startWorkerProcess({
    temporalAddress: server.address,
    taskQueue,
    config: testWorkerConfig(),
  });
  const mid = await midOf('SOL/USDT');
  try {
    const orderId = uniqueOrderId('restart');
    let { client, orders } = await connect(server.address, taskQueue);
    await orders.submit({
      orderId,
      symbol: 'SOL/USDT',
      side: 'buy',
      type: 'limit',
      quantity: '3',
      limitPrice: (mid * 0.97).toFixed(2),
      venue: 'sim',
    });
    expect((await orders.waitFor(orderId, (s) => s.status === 'ACCEPTED')).status).toBe('ACCEPTED');
    await client.connection.close();

    await server.stop();
    await setMid('SOL/USDT', (mid * 0.95).toFixed(2)); // fills while the server is down
    server = await startDevServer(serverOptions);

    ({ client, orders } = await connect(server.address, taskQueue));
    const final = (await client.workflow.getHandle(orderId).result()) as OrderState;
    expect(final.status).toBe('FILLED');
    expect(final.filledQuantity).toBe('3');
    expect(await simOrdersFor(orderId)).toHaveLength(1);
    await client.connection.close();
  } finally {
    await setMid('SOL/USDT', mid.toFixed(2));
    await worker.kill('SIGTERM');
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
