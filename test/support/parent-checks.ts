/**
 * Checks every parent-order test wants: the parent never over-trades, judged from what its
 * children and the venue themselves say, not from the parent's own bookkeeping.
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { add, cmp } from '../../src/domain/decimal';
import type { OrderState } from '../../src/domain/order-state';
import type { ParentProgress } from '../../src/workflows/parent-messages';

export async function workflowExists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/**
 * Children are `<parentId>-1 … -n` and no other; each one's own result matches its slice; their
 * fills add up to the parent's filled quantity, and so do the venue's executed quantities
 * (`venueExecuted`: what the venue executed for the parent's client order ids); the parent's
 * filled quantity is at most its quantity. Returns the children's final states.
 */
export async function expectChildrenAddUp(
  client: Client,
  final: ParentProgress,
  venueExecuted: () => Promise<readonly { executedQty: string }[]>,
): Promise<OrderState[]> {
  const ids = final.slices.flatMap((s) => (s.childId === undefined ? [] : [s.childId]));
  expect(ids).toEqual(ids.map((_, i) => `${final.parentId}-${i + 1}`));
  expect(await workflowExists(client, `${final.parentId}-${ids.length + 1}`)).toBe(false);
  const children = await Promise.all(
    ids.map((id) => client.workflow.getHandle(id).result() as Promise<OrderState>),
  );
  let childrenFilled = '0';
  for (const child of children) {
    const slice = final.slices.find((s) => s.childId === child.orderId);
    expect(child.request.parentId).toBe(final.parentId);
    expect({ status: slice?.status, filled: slice?.filledQuantity }).toEqual({
      status: child.status,
      filled: child.filledQuantity,
    });
    childrenFilled = add(childrenFilled, child.filledQuantity);
  }
  expect(cmp(childrenFilled, final.filledQuantity)).toBe(0);
  expect(cmp(final.filledQuantity, final.quantity)).toBeLessThanOrEqual(0);
  const venueFilled = (await venueExecuted()).reduce((sum, o) => add(sum, o.executedQty), '0');
  expect(cmp(venueFilled, final.filledQuantity)).toBe(0);
  return children;
}
