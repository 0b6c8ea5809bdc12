// The simulator's hard regimes (sortingRegime: varied shapes, bursts, overlapping units with
// synchronous spikes, drift on a 32-channel probe, rates 0.1–40 Hz), at sizes that sort in seconds.
// Each is sorted once without merging (the sorting as it was before autoMerge and collision
// labels), then merged as sortGroup does by default: no true unit's SpikeForest accuracy may fall,
// and the units the default curation accepts must come closer to the true count. The goal
// is ±10 % of the true count; where it is not reached the test holds the bound measured here.
import { describe, expect, it } from 'vitest';
import { simulateRecording, sortingRegime, type RecordingSpec, type SortingRegime } from '@spyglass-wasm/sim';
import {
  autoCurate,
  autoMerge,
  compareToTruth,
  labelCollisions,
  neighboursWithin,
  probeMerge,
  qualityMetrics,
  sortGroup,
  startCuration,
  type GroupSorting,
} from '../src/index.js';

/**
 * Regime, seconds, the largest |accepted − true| reached, and whether that is the goal
 * (within ±10 % of the true count), which is then asserted as such.
 */
const CASES: [SortingRegime, number, number, boolean][] = [
  ['varied-shapes', 30, 2, false],
  ['bursting', 30, 2, false],
  ['overlapping', 30, 0, true],
  ['rates', 60, 2, false],
  ['drift', 5, 0, true],
];

function sortRegime(regime: SortingRegime, seconds: number) {
  return sortSpec(sortingRegime(regime, { seed: 1, seconds }));
}

function sortSpec(spec: RecordingSpec) {
  const seconds = spec.seconds;
  const rec = simulateRecording(spec);
  const probe = rec.channels > 4;
  const positions = Float64Array.from({ length: 2 * rec.channels }, (_, i) => (i % 2 ? 25 * ((i - 1) / 2) : 0));
  const neighbours = neighboursWithin({ data: positions, rows: rec.channels, cols: 2 }, { radius: 100 });
  const unmerged = sortGroup(
    { data: rec.data, rows: rec.rows, cols: rec.channels },
    { fs: rec.fs, autoMerge: false, ...(probe ? { band: [300, 6000] as const, neighbours } : {}) },
  );
  const merged = autoMerge(unmerged, {
    fs: rec.fs,
    duration: seconds,
    ...probeMerge(rec.channels),
    ...(probe ? { neighbours } : {}),
  });
  const times = (s: GroupSorting) => s.units.map((u) => Float64Array.from(u.samples, (x) => x / rec.fs));
  const score = (s: GroupSorting) =>
    compareToTruth(
      rec.units.map((u) => u.spikeTimes),
      times(s),
    ).map((x) => x.accuracy);
  const accepted = (s: GroupSorting, collisions: boolean) => {
    const metric = autoCurate(startCuration(times(s)), qualityMetrics(s, { fs: rec.fs, duration: seconds }));
    return (collisions ? labelCollisions(metric, s.units) : metric).labels.filter((l) => l === 'accept').length;
  };
  return {
    trueUnits: rec.units.length,
    before: { accuracy: score(unmerged), accepted: accepted(unmerged, false), units: unmerged.units.length },
    after: {
      accuracy: score(merged.sorting),
      accepted: accepted(merged.sorting, true),
      units: merged.sorting.units.length,
    },
  };
}

/** Holds a regime's result: no accuracy falls; accepted within `bound` of the truth and no farther than before. */
function check(name: string, r: ReturnType<typeof sortSpec>, bound: number) {
  const digits = (v: number[]) => v.map((a) => a.toFixed(2)).join(' ');
  console.log(
    `${name}: ${r.trueUnits} true; units ${r.before.units} → ${r.after.units};`,
    `accepted ${r.before.accepted} → ${r.after.accepted};`,
    `accuracy ${digits(r.before.accuracy)} → ${digits(r.after.accuracy)}`,
  );
  r.after.accuracy.forEach((a, i) => expect(a, `true unit ${i}`).toBeGreaterThanOrEqual(r.before.accuracy[i]));
  expect(Math.abs(r.after.accepted - r.trueUnits)).toBeLessThanOrEqual(bound);
  expect(Math.abs(r.after.accepted - r.trueUnits)).toBeLessThanOrEqual(Math.abs(r.before.accepted - r.trueUnits));
}

describe('sorting the hard regimes (seed 1): merges and collision labels', () => {
  for (const [regime, seconds, bound, goal] of CASES)
    it(`${regime}, ${seconds} s: accepted within ${bound}${goal ? ' (±10 %)' : ''} of the true count, no accuracy falls`, () => {
      const r = sortRegime(regime, seconds);
      check(`${regime} ${seconds} s`, r, bound);
      if (goal) expect(Math.abs(r.after.accepted - r.trueUnits)).toBeLessThanOrEqual(0.1 * r.trueUnits);
    }, 300_000);

  // sortingRegime('drift') splits its units only over longer recordings (10 s of its 32 channels: 22
  // units for 12, merged to 14, two true units from 0.33 and 0.21 to 1.00), too slow for a test; the
  // same drift on a 12-channel probe with 6 units shows it in 10 s
  it('drift of 30 µm over 10 s on a 12-channel probe, 6 units: fragments merged, 5 of them back to accuracy 1', () => {
    const amplitudes = Array.from({ length: 6 }, (_, u) => 80 + 24 * u);
    const spec: RecordingSpec = {
      seed: 1,
      seconds: 10,
      units: 6,
      channels: 12,
      amplitudes,
      regimes: { shapes: 'varied', driftUm: 30 },
    };
    const r = sortSpec(spec);
    // 6 true units: 16 units unmerged, 14 accepted; merged on the units' neighbourhood channels, 9 and 7
    check('drift 12 channels 10 s', r, 1);
    expect(r.after.units).toBeLessThan(r.before.units);
    expect(r.after.accuracy.filter((a) => a >= 0.99).length).toBeGreaterThanOrEqual(5);
  }, 300_000);
});
