/**
 * Pushed fills in the worker: one order stream per venue that has one (ccxt pro `watchOrders`,
 * src/venues/order-stream.ts), feeding the router that signals the order workflows this worker
 * follows (src/workers/pushed-fills-router.ts). Started with the worker, stopped on shutdown.
 *
 * Polling stays: while a venue's stream is up its follows poll every `stream.fallbackPollIntervalMs`
 * (a safety net), while it is down every `pollIntervalMs`, as without a stream.
 */
import type { Client } from '@temporalio/client';
import type { MetricMeter } from '@temporalio/common';
import type { Logger } from 'pino';
import type { FollowPushes } from '../activities/order-activities';
import { createCcxtProExchange, orderStreamEnabled } from '../venues/factory';
import {
  OrderStream,
  type OrderWatchingExchange,
  type PushedOrderUpdate,
  type StreamHealth,
} from '../venues/order-stream';
import { reconcileSignal } from '../workflows/messages';
import type { CcxtVenueConfig, WorkerConfig } from './config';
import { PushedFillRouter, type SignalWorkflow } from './pushed-fills-router';

export interface PushedFillsOptions {
  venues: WorkerConfig['venues'];
  client: Client;
  logger: Logger;
  /** The runtime's meter: `ordo_order_stream_up{venue}` and `ordo_order_stream_reconnects{venue}`. */
  meter?: MetricMeter;
  /** Builds a venue's pro exchange (default: from its configuration). */
  exchangeFor?(venue: string, config: CcxtVenueConfig): OrderWatchingExchange;
}

export class PushedFills {
  readonly router: PushedFillRouter;
  private readonly streams: OrderStream[] = [];

  constructor(options: PushedFillsOptions) {
    const { logger, meter } = options;
    const signal: SignalWorkflow = (workflowId, reason) =>
      options.client.workflow.getHandle(workflowId).signal(reconcileSignal, { reason });
    this.router = new PushedFillRouter(signal, (workflowId, err) =>
      logger.warn({ err, workflowId }, 'pushed update could not be signalled; polling covers it'),
    );
    const upGauge = meter?.createGauge(
      'ordo_order_stream_up',
      'int',
      'state',
      "Each venue's order stream in this worker: 1 up, 0 down",
    );
    const reconnects = meter?.createCounter(
      'ordo_order_stream_reconnects',
      'reconnects',
      "Times a venue's order stream came back after a drop",
    );
    const exchangeFor = options.exchangeFor ?? ((_venue, config) => proExchange(config));
    for (const [venue, config] of Object.entries(options.venues)) {
      if (config.kind !== 'ccxt' || !orderStreamEnabled(config)) continue;
      this.router.addVenue(venue, config.stream.fallbackPollIntervalMs);
      let lastReconnects = 0;
      this.streams.push(
        new OrderStream({
          venue,
          exchange: exchangeFor(venue, config),
          reconnectMaxMs: config.stream.reconnectMaxMs,
          onUpdate: (update) => this.route(update, logger),
          onState: (health) => {
            this.router.setStreamUp(venue, health.state === 'up');
            upGauge?.set(health.state === 'up' ? 1 : 0, { venue });
            if (health.reconnects > lastReconnects)
              reconnects?.add(health.reconnects - lastReconnects, { venue });
            lastReconnects = health.reconnects;
            if (health.state === 'up')
              logger.info({ venue, reconnects: health.reconnects }, 'order stream up');
            else if (health.state === 'down')
              logger.warn({ venue, error: health.lastError }, 'order stream down');
          },
        }),
      );
    }
  }

  /** Venues with an order stream. */
  venues(): string[] {
    return this.streams.map((s) => s.venue);
  }

  /** What the follow activities use (createOrderActivities' `pushes`). */
  get pushes(): FollowPushes {
    return this.router;
  }

  start(): void {
    for (const stream of this.streams) stream.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.streams.map((s) => s.stop()));
  }

  health(): StreamHealth[] {
    return this.streams.map((s) => s.health());
  }

  private route(update: PushedOrderUpdate, logger: Logger): void {
    const outcome = this.router.route(update);
    if (outcome !== 'unregistered') logger.debug({ ...update, outcome }, 'pushed order update');
  }
}

function proExchange(config: CcxtVenueConfig): OrderWatchingExchange {
  return createCcxtProExchange(config) as unknown as OrderWatchingExchange;
}
