// ISI histograms and correlograms against brute-force counting on seeded random spike trains.
import { describe, expect, it } from 'vitest';
import { correlogram, firingRate, isiHistogram, refractoryViolations } from '../src/lib/spikes.js';

/** A seeded train: exponential intervals (Poisson) with a 2 ms dead time, sorted seconds. */
function train(seed: number, n: number, rate: number): Float64Array {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const t = new Float64Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) t[i] = at += 0.002 + -Math.log(rand()) / rate;
  return t;
}

function bruteCorrelogram(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  binMs: number,
  windowMs: number,
  auto: boolean,
): number[] {
  const half = Math.round(windowMs / binMs);
  const counts = new Array(2 * half).fill(0);
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      if (auto && i === j) continue;
      const lag = (b[j] - a[i]) * 1000;
      const bin = Math.floor(lag / binMs) + half;
      if (lag >= -half * binMs && lag < half * binMs && bin >= 0 && bin < 2 * half) counts[bin]++;
    }
  }
  return counts;
}

describe('spike-train statistics', () => {
  const a = train(1, 800, 20);
  const b = train(2, 600, 15);

  it('ISI histogram counts every interval below maxMs in its bin', () => {
    const { edges, counts } = isiHistogram(a, { binMs: 2, maxMs: 100 });
    expect(edges).toHaveLength(51);
    expect(edges[0]).toBe(0);
    expect(edges[50]).toBe(100);
    const expected = new Array(50).fill(0);
    for (let i = 1; i < a.length; i++) {
      const ms = (a[i] - a[i - 1]) * 1000;
      if (ms < 100) expected[Math.floor(ms / 2)]++;
    }
    expect(Array.from(counts)).toEqual(expected);
    expect(counts[0]).toBe(0); // the 2 ms dead time
  });

  it('refractory violations: none with a 2 ms dead time, one pair 0.5 ms apart adds one', () => {
    expect(refractoryViolations(a, 1.5)).toEqual({ count: 0, fraction: 0 });
    const withDoublet = Float64Array.from([...a.slice(0, 10), a[9] + 0.0005, ...a.slice(10)]);
    expect(refractoryViolations(withDoublet, 1.5).count).toBe(1);
  });

  it('autocorrelogram equals brute force, symmetric, empty at zero lag', () => {
    const acg = correlogram(a, a, { binMs: 1, windowMs: 50 });
    expect(Array.from(acg.counts)).toEqual(bruteCorrelogram(a, a, 1, 50, true));
    expect(acg.edges[0]).toBe(-50);
    const c = Array.from(acg.counts);
    expect(c).toEqual([...c].reverse());
    expect(c[49] + c[50]).toBe(0);
  });

  it('cross-correlogram equals brute force and mirrors when the pair is swapped', () => {
    const ab = correlogram(a, b, { binMs: 2, windowMs: 40 });
    expect(Array.from(ab.counts)).toEqual(bruteCorrelogram(a, b, 2, 40, false));
    const ba = correlogram(b, a, { binMs: 2, windowMs: 40 });
    // A lag exactly on a bin edge falls in the bin above it, so the mirror holds up to edges; none here.
    expect(Array.from(ba.counts)).toEqual(Array.from(ab.counts).reverse());
  });

  it('firing rate over the spikes’ span or a given span', () => {
    expect(firingRate(Float64Array.of(1, 2, 3, 5))).toBe(1);
    expect(firingRate(Float64Array.of(1, 2, 3, 5), [0, 8])).toBe(0.5);
    expect(firingRate(new Float64Array())).toBe(0);
  });
});
