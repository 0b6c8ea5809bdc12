// Auto-merge: units that are one neuron split in several (SpikeInterface's criteria) are merged;
// two neurons of the same shape, contaminated units and collisions are not.
import { describe, expect, it } from 'vitest';
import { createRng } from '@spyglass-wasm/core';
import { autoMerge, autoMergeGroups, type GroupSorting } from '../src/index.js';

const L = 30,
  C = 4;

/** A refractory (2 ms) Poisson train, s. */
function train(seed: number, rate: number, duration: number): Float64Array {
  const rng = createRng(seed),
    out: number[] = [];
  for (let t = rng.exponential(rate); t < duration; t += 0.002 + rng.exponential(rate)) out.push(t);
  return Float64Array.from(out);
}

/** A template with a trough on the channels by `gains`, scaled by `size`. */
const shape = (gains: number[], size = 1) =>
  Float32Array.from(
    { length: L * C },
    (_, j) => -size * gains[j % C] * Math.exp(-(((Math.floor(j / C) - 10) / 2) ** 2)),
  );

describe('autoMergeGroups', () => {
  const options = { duration: 300, length: L, channels: C };
  const pieces = { ...options, pieces: true };

  it('merges one neuron split in two (same template, refractory dip) and not two neurons of that template', () => {
    const neuron = train(1, 20, 300);
    const units = [
      { times: neuron.filter((_, i) => i % 2 === 0), template: shape([1, 0.5, 0.2, 0.1]) },
      { times: neuron.filter((_, i) => i % 2 === 1), template: shape([1, 0.5, 0.2, 0.1], 0.95) },
      { times: train(2, 20, 300), template: shape([1, 0.5, 0.2, 0.1]) },
    ];
    const { groups, pairs } = autoMergeGroups(units, options);
    expect(groups).toEqual([[0, 1]]);
    expect(pairs[0].refractoryRatio).toBe(0);
    expect(pairs[0].expected).toBeGreaterThan(5);
  });

  it('merges pieces of a unit that take over from each other in time (too few shared spikes for a dip) only when alike in shape and size', () => {
    const neuron = train(3, 10, 300);
    const early = neuron.filter((t) => t < 150),
      late = neuron.filter((t) => t >= 150);
    const drifted = shape([0.9, 0.6, 0.2, 0.1]);
    expect(
      autoMergeGroups(
        [
          { times: early, template: shape([1, 0.5, 0.2, 0.1]) },
          { times: late, template: drifted },
        ],
        pieces,
      ).groups,
    ).toEqual([[0, 1]]);
    const alike = [
      { times: early, template: shape([1, 0.5, 0.2, 0.1]) },
      { times: late, template: drifted },
    ];
    // without `pieces` (a tetrode: no drift across channels) a dip too small to see merges nothing
    expect(autoMergeGroups(alike, options).groups).toEqual([]);
    // two sparse neurons of that shape firing side by side (not taking over in time) stay apart
    const sideBySide = [
      { times: train(7, 0.2, 300), template: shape([1, 0.5, 0.2, 0.1]) },
      { times: train(8, 0.2, 300), template: drifted },
    ];
    expect(autoMergeGroups(sideBySide, { ...pieces, minSpikes: 20 }).groups).toEqual([]);
    // the same trains with a template twice the size: another neuron, not merged without a dip to see
    const big = shape([0.9, 0.6, 0.2, 0.1], 2);
    expect(
      autoMergeGroups(
        [
          { times: early, template: shape([1, 0.5, 0.2, 0.1]) },
          { times: late, template: big },
        ],
        pieces,
      ).groups,
    ).toEqual([]);
  });

  it('never merges a collision unit or a contaminated one', () => {
    const neuron = train(4, 20, 300);
    const a = neuron.filter((_, i) => i % 2 === 0),
      b = neuron.filter((_, i) => i % 2 === 1);
    const t = shape([1, 0.5, 0.2, 0.1]);
    expect(
      autoMergeGroups(
        [
          { times: a, template: t },
          { times: b, template: t, collisionOf: [2, 3] },
        ],
        options,
      ).groups,
    ).toEqual([]);
    // a unit with a spike 1 ms after each of its own spikes
    const doubled = Float64Array.from([...a, ...a.map((x) => x + 0.001)]).sort();
    expect(
      autoMergeGroups(
        [
          { times: doubled, template: t },
          { times: b, template: t },
        ],
        options,
      ).groups,
    ).toEqual([]);
  });

  it('checks its options', () => {
    expect(() => autoMergeGroups([], { ...options, duration: 0 })).toThrow(/duration/);
    expect(() => autoMergeGroups([], { ...options, minSimilaritty: 0.5 } as never)).toThrow(/minSimilaritty/);
  });
});

describe('autoMerge', () => {
  it('joins the spike trains and labels of the merged units and renumbers the rest', () => {
    const fs = 1000;
    const neuron = train(5, 20, 300);
    const a = neuron.filter((_, i) => i % 2 === 0),
      b = neuron.filter((_, i) => i % 2 === 1),
      other = train(6, 5, 300);
    const t = shape([1, 0.5, 0.2, 0.1]);
    const unit = (times: Float64Array, template: Float32Array) => ({
      samples: times.map((x) => x * fs),
      template,
      peakChannel: 0,
      snr: 10,
    });
    const peaks = [...a, ...other, ...b].map((x) => ({ sample: Math.round(x * fs), time: x * fs, channel: 0, z: -8 }));
    const sorting: GroupSorting = {
      units: [unit(a, t), unit(other, shape([0.1, 0.2, 0.5, 1])), unit(b, t)],
      peaks,
      labels: Int32Array.from([...a.map(() => 0), ...other.map(() => 1), ...b.map(() => 2)]),
      features: new Float32Array(peaks.length),
      components: 1,
      noise: Float64Array.of(10, 10, 10, 10),
      snippetLength: L,
      channels: C,
      noiseOverlaps: Float64Array.of(0.02, 0.05, 0.04),
    };
    const { sorting: merged, groups } = autoMerge(sorting, { fs, duration: 300 });
    expect(groups).toEqual([[0, 2]]);
    expect(merged.units).toHaveLength(2);
    expect(Array.from(merged.units[0].samples)).toEqual(Array.from(neuron, (x) => x * fs));
    expect(merged.units[1].samples).toEqual(sorting.units[1].samples);
    expect(Array.from(merged.labels)).toEqual([...a.map(() => 0), ...other.map(() => 1), ...b.map(() => 0)]);
    expect(merged.noiseOverlaps[0]).toBeCloseTo((0.02 * a.length + 0.04 * b.length) / neuron.length, 12);
    // nothing to merge: the same object back
    expect(autoMerge(merged, { fs, duration: 300 }).sorting).toBe(merged);
  });
});
