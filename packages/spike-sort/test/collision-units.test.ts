// Collision units in a finished sorting: a cluster of two units' spikes fired together, at any
// pair of lags (not only the same instant the learned collision templates cover), is marked a
// collision of the two; a neuron of a similar shape, or one firing in synchrony with a part, is not.
import { describe, expect, it } from 'vitest';
import { createRng } from '@spyglass-wasm/core';
import { autoMerge, collisionUnits, type GroupSorting } from '../src/index.js';
import { C, L, template } from './tetrode-template.js';

const fs = 30000,
  duration = 60;

/** A refractory (2 ms) Poisson train, s. */
function train(seed: number, rate: number): Float64Array {
  const rng = createRng(seed),
    out: number[] = [];
  for (let t = rng.exponential(rate); t < duration; t += 0.002 + rng.exponential(rate)) out.push(t);
  return Float64Array.from(out);
}

/** `times` without the spikes within 2 ms of `lag` after any of `at` (they went into a collision unit). */
function without(times: Float64Array, at: Float64Array, lag: number): Float64Array {
  return times.filter((t) => !at.some((x) => Math.abs(t - x - lag) < 0.002));
}

const gA = [100, 40, 10, 5],
  gB = [10, 30, 90, 20],
  gC = [20, 80, 30, 60];
const a = template(gA, 2),
  b = template(gB, 3.5),
  c = template(gC, 1.5);
// a 6 samples before the unit's spike time and b 9 after it: neither at the same instant
const collision = Float32Array.from(template(gA, 2, 14), (v, j) => v + template(gB, 3.5, 29)[j]);
const noise = Float64Array.of(10, 10, 10, 10);
const options = { duration, fs, length: L, channels: C, noise };
const collisionTimes = train(9, 1);
// the parts' trains lose the spikes the collision unit holds (a 6 samples before it, b 9 after)
const unitsWith = (d: Float64Array, dTemplate = collision, keepParts = false) => [
  { times: keepParts ? train(1, 10) : without(train(1, 10), d, -6 / fs), template: a },
  { times: keepParts ? train(2, 12) : without(train(2, 12), d, 9 / fs), template: b },
  { times: train(3, 8), template: c },
  { times: d, template: dTemplate },
];

describe('collisionUnits', () => {
  it('finds a unit that is two others fired together at two different lags, with its parts', () => {
    const found = collisionUnits(unitsWith(collisionTimes), options);
    expect(found.map((f) => [f.unit, f.a, f.b, f.lagA, f.lagB])).toEqual([[3, 0, 1, -6, 9]]);
    expect(found[0].residual).toBeLessThan(1e-3);
  });

  it('finds none when one template explains the unit about as well (a neuron of that shape)', () => {
    // a neuron like a, a little wider, with a trace of a small unit: the pair explains it within
    // 5 % of its energy, but a alone within 10 %, less than twice as much left
    const small = template([4, 10, 25, 8], 3);
    const likeA = Float32Array.from(template(gA, 2.5, 14), (v, j) => v + 0.9 * template([4, 10, 25, 8], 3, 26)[j]);
    const units = [...unitsWith(collisionTimes, likeA), { times: train(4, 5), template: small }];
    expect(collisionUnits(units, options)).toEqual([]);
    // with no gain asked, it would be one
    expect(collisionUnits(units, { ...options, minGain: 1 }).map((f) => [f.unit, f.a, f.b])).toEqual([[3, 0, 4]]);
  });

  it('finds none when a part fires at the unit’s spikes, or around them with no refractory dip', () => {
    // a neuron firing in synchrony with a: a's own spikes are found at its spikes' instants too
    const synchronous = unitsWith(collisionTimes);
    synchronous[0].times = Float64Array.from([
      ...synchronous[0].times,
      ...collisionTimes.map((t) => t - 6 / fs),
    ]).sort();
    expect(collisionUnits(synchronous, options)).toEqual([]);
    // a busy unit whose parts fire around its spikes at chance: no dip, a neuron
    expect(collisionUnits(unitsWith(train(7, 10), collision, true), options)).toEqual([]);
  });

  it('finds a collision whose part is detected again at a few of its spikes, not when at most of them', () => {
    // a's spike detected twice at every 10th spike of the cluster: far above chance, but a
    // neuron firing with a would hold a's shape only if a fired at most of its spikes
    const withPart = (every: number) => {
      const units = unitsWith(collisionTimes);
      const twice = collisionTimes.filter((_, i) => i % every === 0).map((t) => t - 6 / fs);
      units[0].times = Float64Array.from([...units[0].times, ...twice]).sort();
      return units;
    };
    expect(collisionUnits(withPart(10), options).map((f) => [f.unit, f.a, f.b])).toEqual([[3, 0, 1]]);
    // the former rule (any excess over chance: a neuron in synchrony) kept it
    expect(collisionUnits(withPart(10), { ...options, minSynchrony: 0 })).toEqual([]);
    // a at 2 of every 3 spikes: a neuron in synchrony with a
    const most = unitsWith(collisionTimes);
    const synchronous = collisionTimes.filter((_, i) => i % 3 !== 0).map((t) => t - 6 / fs);
    most[0].times = Float64Array.from([...most[0].times, ...synchronous]).sort();
    expect(collisionUnits(most, options)).toEqual([]);
  });

  it('finds none when the unit’s spikes spread about its template no more than its parts’ (one neuron)', () => {
    // the template is exactly a's and b's summed at two lags, but its spikes leave the noise about
    // it, as a's and b's do about theirs: one neuron of that shape, not two neurons' spikes
    const spread = (s: number[]) => unitsWith(collisionTimes).map((u, i) => ({ ...u, spread: s[i] }));
    expect(collisionUnits(spread([360, 362, 358, 365]), options)).toEqual([]);
    // a cluster of collisions spreads more than both parts: still one
    const found = collisionUnits(spread([360, 362, 358, 420]), options);
    expect(found.map((f) => [f.unit, f.a, f.b])).toEqual([[3, 0, 1]]);
    // more than one part only is not enough; with no spread asked, or a spread unknown, it is one
    expect(collisionUnits(spread([300, 420, 358, 400]), options)).toEqual([]);
    expect(collisionUnits(spread([360, 362, 358, 365]), { ...options, minSpread: 0 })).toHaveLength(1);
    expect(collisionUnits(spread([360, NaN, 358, 365]), options)).toHaveLength(1);
  });

  it('never takes a known collision as a part, nor tests it again', () => {
    const units = unitsWith(collisionTimes);
    units[3] = { ...units[3], collisionOf: [0, 1] } as (typeof units)[number];
    expect(collisionUnits(units, options)).toEqual([]);
  });

  it('checks its options', () => {
    expect(() => collisionUnits([], { ...options, minGain: 0.5 })).toThrow(/minGain/);
    expect(() => collisionUnits([], { ...options, lag: 1 } as never)).toThrow(/lag/);
    expect(() => collisionUnits([], { ...options, minSynchrony: 1.5 })).toThrow(/minSynchrony/);
    expect(() => collisionUnits([], { ...options, minSpread: -1 })).toThrow(/minSpread/);
  });
});

describe('autoMerge marks collision units', () => {
  it('sets collisionOf on a unit that is two others fired together', () => {
    const units = unitsWith(collisionTimes);
    const peaks = units.flatMap((u) =>
      Array.from(u.times, (t) => ({ sample: Math.round(t * fs), time: t * fs, channel: 0, z: -8 })),
    );
    const sorting: GroupSorting = {
      units: units.map((u) => ({ samples: u.times.map((t) => t * fs), template: u.template, peakChannel: 0, snr: 10 })),
      peaks,
      labels: Int32Array.from(units.flatMap((u, i) => Array.from(u.times, () => i))),
      features: new Float32Array(peaks.length),
      components: 1,
      noise,
      snippetLength: L,
      channels: C,
      noiseOverlaps: Float64Array.of(0, 0, 0, 0),
    };
    const marked = autoMerge(sorting, { fs, duration });
    expect(marked.sorting.units.map((u) => u.collisionOf)).toEqual([undefined, undefined, undefined, [0, 1]]);
    // unless asked not to
    const plain = autoMerge(sorting, { fs, duration, collisions: false });
    expect(plain.sorting.units.every((u) => !u.collisionOf)).toBe(true);
    // nor when its spikes spread as one neuron's (the accumulator's `spread`)
    const steady = { ...sorting, units: sorting.units.map((u) => ({ ...u, spread: 360 })) };
    expect(autoMerge(steady, { fs, duration }).sorting.units.every((u) => !u.collisionOf)).toBe(true);
  });
});
