// The public functions at their edges: position units are explicit ({ unit: 'm' }), and a wrong
// input type or shape is a ParameterError naming the parameter, never a silent wrong answer.
import { describe, expect, it } from 'vitest';
import { ParameterError } from '@spyglass-wasm/core';
import { decodingError, fitClusterless, fitSortedSpikes } from '@spyglass-wasm/decoding';
import { simulatePlaceSession } from '@spyglass-wasm/sim';

const s = simulatePlaceSession({ seed: 5, seconds: 120, nUnits: 8 });
const spikes = s.units.map((u) => u.spikeTimes);
const cols = s.position.cols;
const scaled = (k: number) => ({ data: s.position.data.map((v) => v * k), rows: s.position.rows, cols });
const input = { position: s.position, positionTimes: s.times, interval: [0, 100] as [number, number] };

/** Throws a ParameterError whose message names `parameter`. */
function expectParameterError(fn: () => unknown, parameter: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ParameterError);
  expect((caught as ParameterError).message).toContain(`'${parameter}'`);
  expect((caught as Error).message.split('\n')).toHaveLength(1);
}

function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1e-12, Math.abs(b[i])));
  return worst;
}

describe('position units', () => {
  const cm = fitSortedSpikes(input, spikes);
  it("fitSortedSpikes converts metres and millimetres to cm (unit: 'm' | 'mm'; default 'cm')", () => {
    for (const [unit, k] of [
      ['m', 0.01],
      ['mm', 10],
      ['meters', 0.01],
    ] as const) {
      const m = fitSortedSpikes({ ...input, position: scaled(k), unit }, spikes);
      expect(m.env.nBins, unit).toBe(cm.env.nBins);
      expect(maxRelDiff(m.rates, cm.rates), unit).toBeLessThan(1e-9);
    }
    expect(fitSortedSpikes({ ...input, unit: 'cm' }, spikes).rates).toEqual(cm.rates);
  });
  it('metres read as cm (the default) are refused with a hint to pass the unit', () => {
    expect(() => fitSortedSpikes({ ...input, position: scaled(0.01) }, spikes)).toThrow(/position.*unit: 'm'/);
  });
  it('fitClusterless converts too', () => {
    const groups = [
      {
        times: spikes[0],
        marks: { data: Float64Array.from(spikes[0], (_, i) => 50 + (i % 7)), rows: spikes[0].length, cols: 1 },
      },
    ];
    const a = fitClusterless(input, groups),
      b = fitClusterless({ ...input, position: scaled(0.01), unit: 'm' }, groups);
    expect(b.env.nBins).toBe(a.env.nBins);
    expect(maxRelDiff(b.groups[0].groundIntensity, a.groups[0].groundIntensity)).toBeLessThan(1e-9);
    expect(maxRelDiff(b.groups[0].positions.data, a.groups[0].positions.data)).toBeLessThan(1e-12);
  });
  it('an unknown unit (or pixels) is refused, naming unit', () => {
    expectParameterError(() => fitSortedSpikes({ ...input, unit: 'px' as 'cm' }, spikes), 'unit');
    expectParameterError(() => fitSortedSpikes({ ...input, unit: 'inch' as 'cm' }, spikes), 'unit');
    expectParameterError(() => fitClusterless({ ...input, unit: 'feet' as 'cm' }, []), 'unit');
  });
});

describe('fitSortedSpikes and fitClusterless check their inputs', () => {
  const nested = Array.from({ length: s.position.rows }, (_, i) => [s.position.data[i * cols]]);
  it('fitSortedSpikes names the wrong parameter', () => {
    const fit =
      (over: object, trains: unknown = spikes) =>
      () =>
        fitSortedSpikes({ ...input, ...over } as typeof input, trains as Float64Array[]);
    expectParameterError(() => fitSortedSpikes(undefined as unknown as typeof input, spikes), 'input');
    expectParameterError(fit({ position: nested }), 'position');
    expectParameterError(fit({ position: Int32Array.from(s.position.data) }), 'position');
    expectParameterError(fit({ position: { data: new Float64Array(30), rows: 10, cols: 3 } }), 'position');
    expectParameterError(fit({ positionTimes: Array.from(s.times) }), 'positionTimes');
    expectParameterError(fit({ positionTimes: s.times.subarray(1) }), 'positionTimes');
    expectParameterError(fit({}, spikes[0]), 'spikeTimes');
    expectParameterError(fit({}, [spikes[0], Array.from(spikes[1])]), 'spikeTimes[1]');
  });
  it('fitClusterless names the wrong group, times or marks', () => {
    const marks = { data: new Float64Array(spikes[0].length * 2), rows: spikes[0].length, cols: 2 };
    expectParameterError(() => fitClusterless(input, { times: spikes[0], marks } as never), 'groups');
    expectParameterError(() => fitClusterless(input, [null as never]), 'groups[0]');
    expectParameterError(
      () => fitClusterless(input, [{ times: Array.from(spikes[0]), marks } as never]),
      'groups[0].times',
    );
    expectParameterError(
      () => fitClusterless(input, [{ times: spikes[0], marks: [[1, 2]] } as never]),
      'groups[0].marks',
    );
    expectParameterError(
      () => fitClusterless(input, [{ times: spikes[0], marks: { ...marks, rows: 3, data: new Float64Array(6) } }]),
      'groups[0].marks',
    );
  });
});

describe('decodingError checks its arguments instead of returning a median of 0', () => {
  const t = s.times.subarray(3000, 3100);
  const truth = { data: s.position.data.subarray(3000 * cols, 3100 * cols), rows: 100, cols };
  it('gives a real error for right arguments', () => {
    const shifted = { data: truth.data.map((v) => v + 3), rows: 100, cols };
    expect(decodingError(t, shifted, s.times, s.position).median).toBeCloseTo(3 * Math.sqrt(cols), 6);
  });
  it('names the argument of a wrong type or shape', () => {
    expectParameterError(() => decodingError(Array.from(t) as never, truth, s.times, s.position), 'times');
    expectParameterError(() => decodingError(t, Array.from(truth.data) as never, s.times, s.position), 'decoded');
    expectParameterError(
      () => decodingError(t, { ...truth, data: Int32Array.from(truth.data) } as never, s.times, s.position),
      'decoded',
    );
    expectParameterError(() => decodingError(t, { map: truth } as never, s.times, s.position), 'decoded');
    expectParameterError(
      () => decodingError(t, truth, s.times, { ...s.position, data: Int16Array.from(s.position.data) } as never),
      'truth',
    );
    expectParameterError(
      () => decodingError(t, { data: new Float64Array(300), rows: 100, cols: 3 }, s.times, s.position),
      'decoded',
    );
    expectParameterError(() => decodingError(t.subarray(1), truth, s.times, s.position), 'times');
    expectParameterError(() => decodingError(t, truth, Array.from(s.times) as never, s.position), 'truthTimes');
    expectParameterError(() => decodingError(truth as never, t as never, s.times, s.position), 'times');
    expectParameterError(() => decodingError(t, truth, s.times, s.position, { minSpeed: 'fast' as never }), 'minSpeed');
  });
});
