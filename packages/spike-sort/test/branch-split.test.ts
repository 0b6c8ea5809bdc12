import { describe, expect, it } from 'vitest';
import { createRng } from '@spyglass-wasm/core';
import { splitBranches } from '../src/index.js';

/**
 * One cluster of 2 × 1500 points in 60 dimensions: a shared template, unit noise, and a large
 * nuisance spread along 3 fixed directions (standing in for overlapping spikes and jitter); the
 * second unit differs by `separation` along one direction of its own.
 */
function cluster(seed: number, separation: number) {
  const rng = createRng(seed),
    dim = 60,
    n = 3000;
  const unitVector = () => {
    const v = Float64Array.from({ length: dim }, () => rng.normal());
    const norm = Math.hypot(...v);
    return v.map((q) => q / norm);
  };
  const template = Float64Array.from({ length: dim }, (_, j) => -8 * Math.exp(-0.5 * ((j - 20) / 3) ** 2));
  const nuisance = [unitVector(), unitVector(), unitVector()];
  const delta = unitVector();
  const data = new Float32Array(n * dim),
    truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    truth[i] = rng.uniform() < 0.5 ? 1 : 0;
    const spread = nuisance.map(() => 4 * rng.normal());
    for (let j = 0; j < dim; j++) {
      let q = template[j] + rng.normal() + truth[i] * separation * delta[j];
      nuisance.forEach((v, c) => (q += spread[c] * v[j]));
      data[i * dim + j] = q;
    }
  }
  return { data, dim, n, truth };
}

describe('splitBranches', () => {
  it("separates two units that differ along a minor axis (d' 3) beneath a larger nuisance spread", () => {
    const { data, dim, n, truth } = cluster(1, 3);
    const labels = splitBranches({ data, rows: n, cols: dim }, new Int32Array(n));
    expect(Math.max(...labels)).toBeGreaterThanOrEqual(1);
    // the two largest pieces match the two units (up to naming) for ≥ 85 % of the points
    let agree = 0;
    for (let i = 0; i < n; i++) if ((labels[i] === 0) === (truth[i] === 0)) agree++;
    expect(Math.max(agree, n - agree) / n).toBeGreaterThan(0.85);
  });
  it('leaves one population whole, on several seeds', () => {
    for (const seed of [2, 3, 4]) {
      const { data, dim, n } = cluster(seed, 0);
      expect(Math.max(...splitBranches({ data, rows: n, cols: dim }, new Int32Array(n))), `seed ${seed}`).toBe(0);
    }
  });
  it('leaves negative labels (noise) alone and numbers units from 0', () => {
    const { data, dim, n } = cluster(5, 0);
    const labels = Int32Array.from({ length: n }, (_, i) => (i < 100 ? -1 : 7));
    const out = splitBranches({ data, rows: n, cols: dim }, labels);
    expect(out.slice(0, 100).every((l) => l === -1)).toBe(true);
    expect(out.slice(100).every((l) => l === 0)).toBe(true);
  });
});
