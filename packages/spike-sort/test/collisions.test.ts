// Collision clusters: synchronous spikes of two units make a cluster whose template is the sum of
// theirs at the lag between them; it is no neuron and curation labels it noise.
import { describe, expect, it } from 'vitest';
import { findCollisions, labelCollisions, startCuration, type Collision, type UnitLabel } from '../src/index.js';
import { resolveCollisions } from '../src/sort/sorting-accumulator.js';
import { C, L, template } from './tetrode-template.js';

function stack(templates: Float32Array[]) {
  const data = new Float32Array(templates.length * L * C);
  templates.forEach((t, i) => data.set(t, i * L * C));
  return { data, units: templates.length, length: L, channels: C };
}

describe('findCollisions', () => {
  const a = template([100, 40, 10, 5], 2),
    b = template([10, 30, 90, 20], 3.5),
    c = template([20, 80, 30, 60], 1.5);
  // a and b firing together, b 5 samples after a
  const sum = Float32Array.from(a, (v, j) => v + template([10, 30, 90, 20], 3.5, 25)[j]);

  it('finds a template that is two others at a lag, with the parts, lags and scales', () => {
    const found = findCollisions(stack([a, b, c, sum]));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ unit: 3, a: 0, b: 1, lagA: 0, lagB: 5 });
    expect(found[0].scaleA).toBeCloseTo(1, 2);
    expect(found[0].scaleB).toBeCloseTo(1, 2);
    expect(found[0].residual).toBeLessThan(1e-3);
    expect(found[0].single).toBeGreaterThan(0.2);
  });

  it('finds none among units of their own shapes, nor where a part would need a scale its unit never has', () => {
    expect(findCollisions(stack([a, b, c]))).toHaveLength(0);
    // the sum with b at half its size: b's spikes are never that small (scales 0.75–1.33 by default)
    const half = Float32Array.from(a, (v, j) => v + 0.5 * template([10, 30, 90, 20], 3.5, 25)[j]);
    expect(findCollisions(stack([a, b, c, half]))).toHaveLength(0);
    // unless the unit's range allows it
    const scaleRange = Float64Array.from([0.75, 1.33, 0.4, 1.33, 0.75, 1.33, 0.75, 1.33]);
    expect(findCollisions(stack([a, b, c, half]), { scaleRange }).map((f) => f.unit)).toEqual([3]);
  });

  it('checks its options', () => {
    expect(() => findCollisions(stack([a, b, c]), { maxLag: -1 })).toThrow(/maxLag/);
    expect(() => findCollisions(stack([a, b, c]), { lag: 3 } as never)).toThrow(/lag/);
  });
});

describe('labelCollisions', () => {
  it('labels collision units noise and leaves the others', () => {
    const times = [Float64Array.of(1), Float64Array.of(2), Float64Array.of(3)];
    const c = labelCollisions({ ...startCuration(times), labels: ['accept', 'mua', 'accept'] }, [
      {},
      {},
      { collisionOf: [0, 1] },
    ]);
    expect(c.labels).toEqual(['accept', 'mua', 'noise']);
    expect(() => labelCollisions(startCuration(times), [{}])).toThrow(/units/);
  });

  it('with maxSpread, labels noise a unit whose spikes spread far more about its template than noise does', () => {
    const times = [Float64Array.of(1), Float64Array.of(2), Float64Array.of(3), Float64Array.of(4)];
    const template = new Float32Array(100); // 100 samples: noise alone leaves about 100
    const curation = { ...startCuration(times), labels: ['accept', 'accept', 'mua', 'accept'] as UnitLabel[] };
    const units = [
      { spread: 95, template }, // a neuron
      { spread: 240, template }, // its spikes are not one waveform
      { spread: 140, template },
      { spread: 240 }, // no template: unknown, passes
    ];
    expect(labelCollisions(curation, units, { maxSpread: 1.5 }).labels).toEqual(['accept', 'noise', 'mua', 'accept']);
    expect(labelCollisions(curation, units, { maxSpread: 3 }).labels).toEqual(['accept', 'accept', 'mua', 'accept']);
    // off by default
    expect(labelCollisions(curation, units).labels).toEqual(['accept', 'accept', 'mua', 'accept']);
    expect(() => labelCollisions(curation, units, { maxSpread: -1 })).toThrow(/maxSpread/);
  });
});

describe('resolveCollisions', () => {
  const fit = { scaleA: 1, scaleB: 1, residual: 0, single: 0.5 };
  // unit 3 is units 0 and 1 firing together (1 five samples later); unit 4 is unit 3 and unit 2
  const collisions: Collision[] = [
    { unit: 3, a: 0, b: 1, lagA: 0, lagB: 5, ...fit },
    { unit: 4, a: 3, b: 2, lagA: 2, lagB: -1, ...fit },
  ];
  it('gives each spike of a collision template back to its two units at their lags, nested ones too', () => {
    const r = resolveCollisions(
      { times: Float64Array.of(100, 200, 300, 400), units: Int32Array.of(0, 3, 2, 4) },
      collisions,
      7,
      [20, 1000],
    );
    expect(Array.from(r.times)).toEqual([100, 200, 205, 300, 399, 402, 407]);
    expect(Array.from(r.units)).toEqual([0, 0, 1, 2, 2, 0, 1]);
  });

  it('leaves out a resolved spike its unit already has, or one with no whole snippet', () => {
    const r = resolveCollisions(
      { times: Float64Array.of(10, 500, 503), units: Int32Array.of(3, 0, 3) },
      collisions,
      7,
      [20, 1000],
    );
    // at 10 neither part has a snippet; at 503 unit 0's part (503) is the spike it has at 500
    expect(Array.from(r.times)).toEqual([500, 508]);
    expect(Array.from(r.units)).toEqual([0, 1]);
  });

  it('keeps the spikes of a sum at one instant, or with a part at a fraction of its size: one neuron between two looks so', () => {
    const m = { times: Float64Array.of(100, 200), units: Int32Array.of(3, 4) };
    const between: Collision[] = [
      { unit: 3, a: 0, b: 1, lagA: 0, lagB: 0, ...fit },
      { unit: 4, a: 0, b: 1, lagA: 0, lagB: 5, ...fit, scaleB: 0.58 },
    ];
    expect(resolveCollisions(m, between, 7, [20, 1000])).toEqual(m);
  });

  it('returns the matches as they are without collisions', () => {
    const m = { times: Float64Array.of(1, 2), units: Int32Array.of(0, 1) };
    expect(resolveCollisions(m, [], 7, [0, 10])).toEqual(m);
  });
});
