// A unit's spread (SortingAccumulator): the median energy its spikes leave about its template, the
// noise for one neuron's spikes, more for a cluster of two neurons' spikes at lags that vary.
import { describe, expect, it } from 'vitest';
import { createRng } from '@spyglass-wasm/core';
import { SortingAccumulator } from '../src/sort/sorting-accumulator.js';
import { C, L, template } from './tetrode-template.js';

describe('SortingAccumulator spread', () => {
  it('is the noise for one neuron and more for a cluster of two neurons at varying lags', () => {
    const rng = createRng(5);
    const rows = 60000,
      sd = 10,
      before = 20;
    const data = Float32Array.from({ length: rows * C }, () => sd * rng.normal());
    const a = template([100, 40, 10, 5], 2),
      b = template([10, 30, 90, 20], 3.5);
    const add = (t: Float32Array, at: number, shift = 0) => {
      for (let s = 0; s < L; s++) {
        const r = s - shift;
        if (r >= 0 && r < L) for (let c = 0; c < C; c++) data[(at - before + s) * C + c] += t[r * C + c];
      }
    };
    const times: number[] = [],
      units: number[] = [];
    for (let k = 0; k < 200; k++) {
      const at = 200 + 290 * k;
      if (k % 2) {
        // a 6 samples before and b 9 after, each ± 3 samples, apart
        add(a, at, -6 + Math.round(6 * rng.uniform() - 3));
        add(b, at, 9 + Math.round(6 * rng.uniform() - 3));
      } else add(a, at);
      times.push(at);
      units.push(k % 2);
    }
    // the cluster's template: the mean of its spikes, as learned
    const cluster = new Float32Array(L * C);
    times.forEach((at, i) => {
      if (!units[i]) return;
      for (let j = 0; j < L * C; j++) cluster[j] += data[(at - before) * C + j] / 100;
    });
    const x = { data, rows, cols: C };
    const acc = new SortingAccumulator(
      {
        templates: {
          filtered: Float32Array.from([...a, ...cluster]),
          whitened: Float32Array.from([...a, ...cluster]),
          units: 2,
          length: L,
          channels: C,
          before,
        },
        pca: {
          mean: new Float64Array(L * C),
          components: new Float64Array(L * C).fill(1 / Math.sqrt(L * C)),
          k: 1,
          d: L * C,
        },
        collisions: [],
      },
      { noise: Float64Array.from({ length: C }, () => sd), after: L - before, totalRows: rows },
    );
    acc.add(x, x, {
      times: Float64Array.from(times),
      units: Int32Array.from(units),
      scales: new Float32Array(times.length).fill(1),
      unmatched: [],
    });
    const [neuron, collisions] = acc.result().units.map((u) => u.spread!);
    // white noise of sd 1 on L × C samples, less the one fitted scale
    expect(neuron).toBeGreaterThan(0.9 * (L * C));
    expect(neuron).toBeLessThan(1.1 * (L * C));
    expect(collisions).toBeGreaterThan(1.5 * neuron);
  });
});
