// Over-split units: one neuron's spikes split in two look alike and never fire within 1.5 ms of each other.
import { describe, expect, it } from 'vitest';
import { createRng } from '@spyglass-wasm/core';
import { mergeCandidates } from '../src/index.js';

/** A refractory Poisson train (s). */
function train(seed: number, rate: number, duration: number): Float64Array {
  const rng = createRng(seed),
    out: number[] = [];
  for (let t = rng.exponential(rate); t < duration; t += 0.002 + rng.exponential(rate)) out.push(t);
  return Float64Array.from(out);
}

const shape = (scale: number, shift = 0) =>
  Float32Array.from(
    { length: 90 * 4 },
    (_, i) => scale * Math.exp(-(((i % 90) - 30 - shift) ** 2) / 20) * (1 + (i % 4)),
  );

describe('mergeCandidates', () => {
  it('flags one neuron split in two (same shape, refractory dip) and not two neurons', () => {
    const neuron = train(1, 20, 300);
    const halfA = neuron.filter((_, i) => i % 2 === 0),
      halfB = neuron.filter((_, i) => i % 2 === 1);
    const other = train(2, 20, 300);
    const templates = [shape(100), shape(90), shape(100, 8)];
    const c = mergeCandidates(templates, [halfA, halfB, other], { duration: 300 });
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ a: 0, b: 1 });
    expect(c[0].refractoryRatio).toBeLessThan(0.1);
    // the same shapes with independent firing (two neurons): no dip, no candidate
    expect(
      mergeCandidates([shape(100), shape(90)], [train(3, 20, 300), train(4, 20, 300)], { duration: 300 }),
    ).toHaveLength(0);
  });
  it('checks its options', () => {
    expect(() => mergeCandidates([], [], { duration: 0 })).toThrow(/duration/);
  });
});
