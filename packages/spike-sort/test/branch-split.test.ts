import { describe, expect, it } from 'vitest';
import { createRng } from '@spyglass-wasm/core';
import { splitBranches } from '../src/index.js';
import { splitBranchesShared, type BranchPart } from '../src/cluster/branch-split.js';

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

  it('splitBranchesShared: clusters shared with elsewhere give splitBranches’ labels to the bit', async () => {
    // two clusters that split, rows interleaved, every 10th row noise (−1), and one cluster too small to examine
    const a = cluster(7, 4),
      b = cluster(8, 4);
    const { dim } = a,
      n = 2 * a.n;
    const data = new Float32Array(n * dim),
      labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const from = i % 2 ? b : a;
      data.set(from.data.subarray((i >> 1) * dim, ((i >> 1) + 1) * dim), i * dim);
      labels[i] = i % 10 === 9 ? -1 : i < 40 ? 9 : i % 2 ? 2 : 5;
    }
    const points = { data, rows: n, cols: dim };
    const whole = splitBranches(points, labels);
    expect(Math.max(...whole)).toBeGreaterThanOrEqual(4);
    const parts: BranchPart[] = [];
    const shared = await splitBranchesShared(points, labels, {}, async (part) => {
      parts.push(part);
      return splitBranches(part.points, part.labels, part.options);
    });
    expect(shared).toEqual(whole);
    // one part went elsewhere: one of the two large clusters, whole, its rows in order
    expect(parts).toHaveLength(1);
    const sent = [...new Set(parts[0].labels)];
    expect(sent).toHaveLength(1);
    expect([2, 5]).toContain(sent[0]);
    expect(parts[0].points.rows).toBe(labels.filter((l) => l === sent[0]).length);
    // declined, after taking the part's buffer (as a transfer to a worker does): done here, the same labels
    const declined = await splitBranchesShared(points, labels, {}, async (part) => {
      structuredClone(part.points.data.buffer, { transfer: [part.points.data.buffer] });
      expect(part.points.data.length).toBe(0);
      return undefined;
    });
    expect(declined).toEqual(whole);
    await expect(splitBranchesShared(points, labels.subarray(1), {}, async () => undefined)).rejects.toThrow(/labels/);
  });
});
