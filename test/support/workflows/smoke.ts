/** Tiny workflows for test/temporal/smoke.test.ts. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { proxyActivities, sleep, upsertSearchAttributes } from '@temporalio/workflow';

/** Sleeps one day of workflow time; returns the workflow clock before and after. */
export async function sleepOneDay(): Promise<{ before: number; after: number }> {
  const before = Date.now();
  await sleep('1 day');
  return { before, after: Date.now() };
}

export interface SmokeActivities {
  echo(text: string): Promise<string>;
}

const { echo } = proxyActivities<SmokeActivities>({ startToCloseTimeout: '10 seconds' });

const ORDER_STATUS = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);

/** Sets one Ordo search attribute from inside the workflow and round-trips one activity. */
export async function echoWithSearchAttribute(text: string): Promise<string> {
  upsertSearchAttributes([{ key: ORDER_STATUS, value: 'FILLED' }]);
  return await echo(text);
}
