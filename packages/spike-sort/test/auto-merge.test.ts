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

  it('merges pieces less alike (a drifting unit) when their spikes look alike where they take over', () => {
    const neuron = train(3, 10, 300);
    const early = neuron.filter((t) => t < 150),
      late = neuron.filter((t) => t >= 150);
    // templates 0.93 alike: below closeSimilarity, as a drifting unit's averaged over each stretch
    const [first, second] = [shape([1, 0.5, 0.2, 0.1]), shape([0.75, 0.85, 0.3, 0.1])];
    const rng = createRng(11);
    // two features per spike: the first drifts with time (continuous across the handover at 150 s),
    // or jumps there by 6 sd (two neurons)
    const features = (times: Float64Array, jump: number) =>
      Float32Array.from({ length: 2 * times.length }, (_, j) =>
        j % 2 ? rng.normal() : (4 * times[j >> 1]) / 300 + jump + rng.normal(),
      );
    const drifting = [
      { times: early, template: first, features: features(early, 0) },
      { times: late, template: second, features: features(late, 0) },
    ];
    expect(autoMergeGroups(drifting, pieces).groups).toEqual([[0, 1]]);
    expect(autoMergeGroups(drifting, pieces).pairs[0].reason).toBe('pieces in time');
    // without features, or with a jump where they take over: two neurons, apart
    expect(
      autoMergeGroups(
        drifting.map(({ times, template }) => ({ times, template })),
        pieces,
      ).groups,
    ).toEqual([]);
    const twoNeurons = [drifting[0], { ...drifting[1], features: features(late, 6) }];
    expect(autoMergeGroups(twoNeurons, pieces).groups).toEqual([]);
  });

  it('merges one neuron split in two by amplitude, and keeps apart two neurons of one shape without a refractory dip', () => {
    // one 20 Hz neuron whose spike amplitudes (100 µV, spread 10) were cut at 100 µV into two units
    const rng = createRng(11);
    const neuron = train(9, 20, 300);
    const amplitude = Float64Array.from(neuron, () => 100 + 10 * rng.normal());
    const side = (big: boolean) => neuron.map((_, i) => i).filter((i) => amplitude[i] >= 100 === big);
    const part = (big: boolean) => {
      const rows = side(big);
      return {
        times: Float64Array.from(rows, (i) => neuron[i]),
        amplitudes: Float64Array.from(rows, (i) => amplitude[i]),
        template: shape([1, 0.5, 0.2, 0.1], big ? 1.08 : 0.92),
      };
    };
    const split = autoMergeGroups([part(true), part(false)], options);
    expect(split.groups).toEqual([[0, 1]]);
    expect(split.pairs[0]).toMatchObject({ reason: 'refractory dip', merged: true, refractoryRatio: 0 });
    expect(split.pairs[0].mergedContamination).toBe(0);
    expect(split.candidates).toEqual([]);
    // two neurons, templates alike (cosine 0.97) but firing independently: no dip, left apart and said why
    const two = autoMergeGroups(
      [
        { times: train(12, 20, 300), template: shape([1, 0.5, 0.2, 0.1]) },
        { times: train(13, 20, 300), template: shape([1, 0.6, 0.35, 0.1], 0.9) },
      ],
      options,
    );
    expect(two.groups).toEqual([]);
    expect(two.candidates).toHaveLength(1);
    expect(two.candidates[0]).toMatchObject({ a: 0, b: 1, merged: false, reason: 'no refractory dip' });
    expect(two.candidates[0].similarity).toBeGreaterThan(0.95);
    expect(two.candidates[0].refractoryRatio).toBeGreaterThan(0.5);
  });

  it('refuses a merge whose unit would be contaminated, and one whose amplitudes form two modes', () => {
    // three units of one shape: 0 and 1 one neuron split in two, 2 a neuron whose spikes fall 1 ms
    // after some of 1's (a dip against 0 only: merging it into {0, 1} would contaminate the unit)
    const neuron = train(14, 20, 300);
    const a = neuron.filter((_, i) => i % 2 === 0),
      b = neuron.filter((_, i) => i % 2 === 1);
    // 1 ms after every fourth spike of 1 that is followed by none of 0 within 3 ms (so none within 1.5 ms of 2)
    const late = Float64Array.from(
      neuron.filter((t, i) => i % 8 === 1 && !(neuron[i + 1] - t <= 0.003)),
      (t) => t + 0.001,
    );
    const t = shape([1, 0.5, 0.2, 0.1]);
    const { groups, candidates } = autoMergeGroups(
      [
        { times: a, template: t },
        { times: b, template: t },
        { times: late, template: shape([1, 0.5, 0.2, 0.1], 0.97) },
      ],
      options,
    );
    expect(groups).toEqual([[0, 1]]);
    expect(candidates.map((c) => [c.a, c.b, c.reason])).toEqual([
      [0, 2, 'merged contamination'],
      [1, 2, 'no refractory dip'],
    ]);
    expect(candidates[0].refractoryRatio).toBeLessThan(0.2);
    expect(candidates[0].mergedContamination).toBeGreaterThan(0.2);
    // the same split neuron, but its parts' amplitudes 60 and 140 µV: two neurons of one shape
    const modes = autoMergeGroups(
      [
        { times: a, template: t, amplitudes: a.map(() => 60) },
        { times: b, template: t, amplitudes: b.map(() => 140) },
      ],
      { ...options, maxShift: 0 },
    );
    expect(modes.groups).toEqual([]);
    expect(modes.candidates[0].reason).toBe('amplitude modes');
    expect(
      autoMergeGroups(
        [
          { times: a, template: t, amplitudes: a.map(() => 60) },
          { times: b, template: t, amplitudes: b.map(() => 140) },
        ],
        { ...options, amplitudeContinuity: false },
      ).groups,
    ).toEqual([[0, 1]]);
  });

  it('rejoins a bursting neuron cut by size (its smaller spikes follow its larger within a burst), not two neurons of one shape', () => {
    // bursts of 2–5 spikes 3–6 ms apart, each ×0.8 the one before, after a third of the spikes;
    // 60 s at 4 Hz: too few spikes for a refractory dip to be seen between the pieces
    const rng = createRng(21);
    const times: number[] = [],
      amplitudes: number[] = [];
    let free = 0;
    for (const t of train(20, 4, 60)) {
      if (t < free) continue; // a spike within a burst's refractory tail is not fired
      const n = rng.uniform() < 0.3 ? 2 + rng.int(4) : 1;
      for (let k = 0, at = t; k < n; k++, at += 0.003 + 0.003 * rng.uniform()) {
        times.push(at);
        amplitudes.push(100 * 0.8 ** k * (1 + 0.05 * rng.normal()));
        free = at + 0.002;
      }
    }
    const burstUnit = (large: boolean) => {
      const keep = times.flatMap((_, i) => (amplitudes[i] > 72 === large ? [i] : []));
      const amplitude = keep.reduce((s, i) => s + amplitudes[i], 0) / keep.length;
      return {
        times: Float64Array.from(keep, (i) => times[i]),
        template: shape([1, 0.5, 0.2, 0.1], amplitude / 100),
        amplitudes: Float64Array.from(keep, (i) => amplitudes[i]),
      };
    };
    const pieces = [burstUnit(true), burstUnit(false)];
    const minute = { ...options, duration: 60 };
    const burst = autoMergeGroups(pieces, minute);
    expect(burst.groups).toEqual([[0, 1]]);
    expect(burst.pairs[0].reason).toBe('burst pieces');
    expect(burst.pairs[0].burstRatio).toBeGreaterThan(5);
    // without the burst test the pair is left apart
    expect(autoMergeGroups(pieces, { ...minute, minBurstRatio: 1e9 }).candidates[0].reason).toBe('dip not testable');
    // two neurons of that shape at those sizes and rates, firing independently: flat cross-correlogram
    const independent = [
      { times: train(22, 4, 60), template: pieces[0].template },
      { times: train(23, 2, 60), template: pieces[1].template },
    ];
    const apart = autoMergeGroups(independent, minute);
    expect(apart.groups).toEqual([]);
    expect(apart.candidates[0].burstRatio).toBeLessThan(2);
  });

  it('does not join two neurons each put together from its pieces in time', () => {
    // two sparse neurons (1 Hz, too few shared spikes for a dip), each cut at 150 s into two pieces
    // of nearly its template; a piece of one and the other piece of the other look like pieces too
    // (no spike of one within 2 ms of the other's, so only the way they share time tells them apart)
    const x = train(15, 1, 300);
    const y = train(16, 1, 300).filter((t) => x.every((v) => Math.abs(v - t) > 0.002));
    const early = (t: Float64Array) => t.filter((v) => v < 150),
      late = (t: Float64Array) => t.filter((v) => v >= 150);
    const units = [
      { times: early(x), template: shape([1, 0.5, 0.2, 0.1]) },
      { times: late(x), template: shape([1, 0.52, 0.2, 0.1]) },
      { times: early(y), template: shape([1, 0.5, 0.3, 0.1]) },
      { times: late(y), template: shape([1, 0.52, 0.3, 0.1]) },
    ];
    const { groups, candidates } = autoMergeGroups(units, pieces);
    expect(groups).toEqual([
      [0, 1],
      [2, 3],
    ]);
    const across = candidates.filter((c) => c.reason === 'groups side by side');
    expect(across.map((c) => [c.a, c.b])).toEqual([
      [0, 3],
      [1, 2],
    ]);
    // each of those pairs alone passes as pieces in time
    for (const c of across) expect(c.presenceOverlap).toBe(0);
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
    // what was merged is recorded in the sorting, in the unit numbers before merging
    expect(merged.merges?.parents).toEqual([[0, 2], [1]]);
    expect(merged.merges?.pairs.map((p) => [p.a, p.b, p.reason])).toEqual([[0, 2, 'refractory dip']]);
    // nothing to merge: the same units back
    const again = autoMerge(merged, { fs, duration: 300 });
    expect(again.groups).toEqual([]);
    expect(again.sorting.units).toBe(merged.units);
    expect(again.sorting.merges?.parents).toEqual([[0], [1]]);
  });
});
