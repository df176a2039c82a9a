/**
 * The parent-order workflows (DESIGN.md §3): each runs the parent engine with its algorithm's
 * driver. Input: the raw request (src/domain/algos/params.ts); the second argument is only
 * passed by continue-as-new.
 */
import { type ParentCarried, runParent } from './parent/engine';
import { icebergDriver } from './parent/iceberg-driver';
import { povDriver } from './parent/pov-driver';
import { smartRouteDriver } from './parent/route-driver';
import { implementationShortfallDriver, twapDriver, vwapDriver } from './parent/scheduled-algos';
import type { ParentProgress } from './parent-messages';

export async function twapWorkflow(input: unknown, carried?: ParentCarried): Promise<ParentProgress> {
  return runParent('twap', input, carried, twapDriver);
}

export async function vwapWorkflow(input: unknown, carried?: ParentCarried): Promise<ParentProgress> {
  return runParent('vwap', input, carried, vwapDriver);
}

export async function povWorkflow(input: unknown, carried?: ParentCarried): Promise<ParentProgress> {
  return runParent('pov', input, carried, povDriver);
}

export async function implementationShortfallWorkflow(
  input: unknown,
  carried?: ParentCarried,
): Promise<ParentProgress> {
  return runParent('is', input, carried, implementationShortfallDriver);
}

export async function icebergWorkflow(input: unknown, carried?: ParentCarried): Promise<ParentProgress> {
  return runParent('iceberg', input, carried, icebergDriver);
}

export async function smartRouteWorkflow(input: unknown, carried?: ParentCarried): Promise<ParentProgress> {
  return runParent('route', input, carried, smartRouteDriver);
}
