import { sharedProbe } from '../../src/api/shared-probe';

function controlledProbe() {
  const pending: { resolve: (v: number) => void; reject: (e: Error) => void }[] = [];
  let calls = 0;
  const probe = () =>
    new Promise<number>((resolve, reject) => {
      calls += 1;
      pending.push({ resolve, reject });
    });
  return { probe, pending, calls: () => calls };
}

describe('sharedProbe', () => {
  it('shares one call among callers that arrive while it is in flight', async () => {
    const p = controlledProbe();
    const clock = 0;
    const shared = sharedProbe(p.probe, 1_000, () => clock);
    const a = shared();
    const b = shared();
    expect(p.calls()).toBe(1);
    p.pending[0]?.resolve(7);
    await expect(Promise.all([a, b])).resolves.toEqual([7, 7]);
  });

  it('reuses an answer while fresh, asks again once it is not', async () => {
    const p = controlledProbe();
    let clock = 0;
    const shared = sharedProbe(p.probe, 1_000, () => clock);
    const first = shared();
    p.pending[0]?.resolve(1);
    await first;
    clock = 999;
    await expect(shared()).resolves.toBe(1);
    expect(p.calls()).toBe(1);
    clock = 1_000;
    const second = shared();
    expect(p.calls()).toBe(2);
    p.pending[1]?.resolve(2);
    await expect(second).resolves.toBe(2);
  });

  it('does not reuse a failure: every waiter sees it, the next caller asks again', async () => {
    const p = controlledProbe();
    const shared = sharedProbe(p.probe, 1_000, () => 0);
    const a = shared();
    const b = shared();
    p.pending[0]?.reject(new Error('worker gone'));
    await expect(a).rejects.toThrow('worker gone');
    await expect(b).rejects.toThrow('worker gone');
    const c = shared();
    expect(p.calls()).toBe(2);
    p.pending[1]?.resolve(3);
    await expect(c).resolves.toBe(3);
  });
});
