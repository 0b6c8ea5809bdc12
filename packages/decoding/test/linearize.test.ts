import { describe, expect, it } from 'vitest';
import { createRng } from '@spyglass-wasm/core';
import { linearize, type TrackGraph } from '@spyglass-wasm/decoding';

// A W-like T maze: stem 0→1 (100 cm up), left arm 1→2 (50 cm), right arm 1→3 (50 cm).
const maze: TrackGraph = {
  nodes: [
    [0, 0],
    [0, 100],
    [-50, 100],
    [50, 100],
  ],
  edges: [
    [0, 1],
    [1, 2],
    [1, 3],
  ],
};
const xy = (pts: number[][]) => ({ data: Float64Array.from(pts.flat()), rows: pts.length, cols: 2 });

describe('linearize (track graph)', () => {
  it('projects onto the nearest segment and lays edges end to end with spacing', () => {
    const r = linearize(
      xy([
        [1, 30],
        [-20, 102],
        [40, 97],
        [0, -5],
      ]),
      maze,
      { edgeSpacing: 15 },
    );
    expect(Array.from(r.segment)).toEqual([0, 1, 2, 0]);
    expect(r.linearPosition[0]).toBeCloseTo(30, 12);
    expect(r.linearPosition[1]).toBeCloseTo(100 + 15 + 20, 12);
    expect(r.linearPosition[2]).toBeCloseTo(100 + 15 + 50 + 15 + 40, 12);
    expect(r.linearPosition[3]).toBeCloseTo(0, 12); // clamped to the segment's end
    expect(Array.from(r.projected.data.subarray(2, 4))).toEqual([-20, 100]);
  });

  it('follows edgeOrder and per-gap spacing', () => {
    const r = linearize(xy([[40, 100]]), maze, { edgeOrder: [2, 0, 1], edgeSpacing: [10, 20] });
    expect(r.linearPosition[0]).toBeCloseTo(40, 12);
    expect(Array.from(r.edgeStart)).toEqual([60, 180, 0]);
  });

  it('the HMM keeps noisy samples near the junction on the arm being run', () => {
    // Running out the right arm, with noise that sometimes puts samples nearer the stem.
    const rng = createRng(2),
      pts: number[][] = [];
    for (let i = 0; i < 200; i++) pts.push([0, i / 2]); // up the stem
    for (let i = 0; i < 100; i++) pts.push([i / 2, 100 + 10 * rng.normal()]); // right arm, noisy y
    const plain = linearize(xy(pts), maze),
      hmm = linearize(xy(pts), maze, { useHmm: true });
    const offArm = (s: Int32Array) => s.subarray(215).filter((e) => e !== 2).length;
    expect(offArm(plain.segment)).toBeGreaterThan(3);
    expect(offArm(hmm.segment)).toBeLessThan(offArm(plain.segment) / 3);
    expect(hmm.segment.subarray(240).every((e) => e === 2)).toBe(true); // 20 cm out: always on the arm
    expect(hmm.segment[50]).toBe(0);
  });

  it('rejects bad graphs with typed errors', () => {
    expect(() => linearize(xy([[0, 0]]), { nodes: [[0, 0]], edges: [[0, 1]] })).toThrow(/graph.edges/);
    expect(() => linearize(xy([[0, 0]]), maze, { edgeOrder: [0, 0, 1] })).toThrow(/edgeOrder/);
  });
});
