import { describe, expect, it } from 'vitest';
import { createRng } from '@spyglass-wasm/core';
import { isUnimodal } from '../src/index.js';
import { ANY_DIP } from '../src/cluster/unimodality.js';

/**
 * The projection of two tetrode units of one shape (140 and 180 µV, 889 and 661 spikes) on the
 * line between their means in a dense 120-s recording (dense seed 1): modes 5–5.6 apart, each a
 * core of spread 1.55 with a fifth of the spikes (overlapped by other units') spread 3 times wider.
 */
function denseProjection(seed: number, separation: number, modes: 1 | 2) {
  const rng = createRng(seed);
  const heavy = () => (rng.uniform() < 0.2 ? 3 * rng.normal() : rng.normal());
  return Float64Array.from({ length: 1550 }, (_, i) => (modes === 2 && i >= 889 ? separation : 0) + 1.55 * heavy());
}

describe('isUnimodal with heavy-tailed populations', () => {
  it('finds two heavy-tailed modes with t components, which two Gaussians fit as a core and its tails', () => {
    for (const seed of [1, 2, 3])
      for (const separation of [5, 5.6]) {
        const two = denseProjection(seed, separation, 2);
        expect(isUnimodal(two, { heavyTails: true }), `seed ${seed}, ${separation}`).toBe(false);
        // the Gaussian mixture's narrow + broad fit shows no valley: why the two units were one cluster
        expect(isUnimodal(two), `seed ${seed}, ${separation}`).toBe(true);
      }
  });
  it('finds one population in one heavy-tailed or skewed mode, even where any dip counts', () => {
    for (const seed of [1, 2, 3]) {
      const one = denseProjection(seed, 0, 1);
      expect(isUnimodal(one, { heavyTails: true })).toBe(true);
      expect(isUnimodal(one, { heavyTails: true, valley: ANY_DIP })).toBe(true);
      const rng = createRng(seed);
      const skewed = Float64Array.from({ length: 1550 }, () => Math.exp(0.5 * rng.normal()));
      expect(isUnimodal(skewed, { heavyTails: true, valley: ANY_DIP })).toBe(true);
    }
  });
  it('still finds two plain Gaussian modes and a small mode far out with t components', () => {
    const rng = createRng(7);
    const n = 20_000;
    expect(
      isUnimodal(
        Float64Array.from({ length: 500 }, () => rng.normal()),
        { heavyTails: true },
      ),
    ).toBe(true);
    expect(
      isUnimodal(
        Float64Array.from({ length: 500 }, (_, i) => rng.normal() + (i % 2) * 5),
        { heavyTails: true },
      ),
    ).toBe(false);
    expect(
      isUnimodal(
        Float64Array.from({ length: n }, (_, i) => rng.normal() + (i % 20 === 0 ? 8 : 0)),
        { heavyTails: true },
      ),
    ).toBe(false);
  });
});
