import type { Rng } from '../market/prng';
import type { LatencySpec } from './fault-settings';

/** The standard normal's 99th percentile: a lognormal's p99 is exp(mu + Z99 * sigma). */
const Z99 = 2.3263478740408408;

/**
 * One delay drawn from a latency distribution, in whole milliseconds. The lognormal is given by
 * its median and p99 (how people describe latency) rather than by mu and sigma: mu = ln(median),
 * sigma = ln(p99 / median) / Z99. Draws come from the seeded PRNG, so a seed replays the same
 * delays in the same request order.
 */
export function sampleLatency(spec: LatencySpec, rng: Rng): number {
  switch (spec.distribution) {
    case 'fixed':
      return spec.ms;
    case 'uniform':
      return Math.round(rng.between(spec.minMs, spec.maxMs));
    case 'lognormal': {
      const sigma = Math.log(spec.p99Ms / spec.medianMs) / Z99;
      const drawn = Math.round(spec.medianMs * Math.exp(sigma * rng.normal()));
      return spec.maxMs === undefined ? drawn : Math.min(drawn, spec.maxMs);
    }
  }
}
