/**
 * A small seeded PRNG (mulberry32). Algorithms that randomise (TWAP jitter, iceberg display) take
 * their randomness from here so a workflow replays to the same slices: Math.random() is off limits
 * in the deterministic sandbox, and a seed in the request makes a plan reproducible with --plan.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    // 32 random bits over 2^32: in [0, 1), never 1.
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
