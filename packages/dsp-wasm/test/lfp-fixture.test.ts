// End to end on the pynwb-written tetrode session: raw int16 ElectricalSeries -> LFP (1 kHz) ->
// ripple band -> Kay and Karlsson detectors with Spyglass's speed gate, scored against the truth.
import { readFileSync } from 'node:fs';
import h5wasm, { type Dataset } from 'h5wasm/node';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bandFilter,
  interpolateToTimes,
  karlssonRippleDetector,
  kayRippleDetector,
  lfp,
  speedFromPosition,
  type DetectedEvent,
} from '../src/index.js';

const fixtures = new URL('../../nwb-io/test/fixtures/', import.meta.url);
const truth = JSON.parse(readFileSync(new URL('tetrode-session.truth.json', fixtures), 'utf8'));
type Ripple = { start_s: number; end_s: number; peak_s: number };

let raw: { data: Float32Array; rows: number; cols: number; fs: number; t0: number };
let pos: { xy: Float64Array; t: Float64Array };

beforeAll(async () => {
  await h5wasm.ready;
  const f = new h5wasm.File(new URL('tetrode-session.nwb', fixtures).pathname, 'r');
  try {
    const ds = f.get('acquisition/e-series/data') as Dataset;
    const conversion = Number(ds.attrs.conversion.value);
    const [rows, cols] = ds.shape as number[];
    const ints = ds.value as Int16Array;
    const data = new Float32Array(ints.length);
    for (let i = 0; i < ints.length; i++) data[i] = ints[i] * conversion * 1e6; // µV
    const start = f.get('acquisition/e-series/starting_time') as Dataset;
    raw = { data, rows, cols, fs: Number(start.attrs.rate.value), t0: Number(start.value) };
    pos = {
      xy: (f.get('processing/behavior/Position/position/data') as Dataset).value as Float64Array,
      t: (f.get('processing/behavior/Position/position/timestamps') as Dataset).value as Float64Array,
    };
  } finally {
    f.close();
  }
});

/** Hit: an event's peak inside the true ripple; false positive: an event whose peak is in none. */
function score(events: DetectedEvent[]) {
  const inside = (e: DetectedEvent, r: Ripple) => e.peak >= r.start_s && e.peak <= r.end_s;
  const hits = truth.ripples.filter((r: Ripple) => events.some((e) => inside(e, r)));
  const falsePositives = events.filter((e) => !truth.ripples.some((r: Ripple) => inside(e, r)));
  return { hits: hits.length, falsePositives };
}

describe('ripples on tetrode-session.nwb (2 true ripples in 30 s)', () => {
  let band: ReturnType<typeof bandFilter>;
  let time: Float64Array;
  let speed: Float64Array;
  beforeAll(() => {
    const l = lfp(raw, { fs: raw.fs, startTime: raw.t0 });
    expect(l.fs).toBe(1000);
    expect(l.data.rows).toBe(30000);
    band = bandFilter(l.data, { fs: l.fs, band: 'ripple' });
    time = l.timestamps;
    // Spyglass: speed from the smoothed velocity (σ 100 ms) of the head position, interpolated to the LFP times.
    speed = interpolateToTimes(
      speedFromPosition({ data: pos.xy, rows: pos.t.length, cols: 2 }, pos.t, { scale: 100 }),
      pos.t,
      time,
    );
  });

  it('the animal is still (≤ 4 cm/s) during both true ripples once velocity is smoothed as Spyglass does', () => {
    for (const r of truth.ripples as Ripple[]) {
      const i0 = Math.round((r.start_s - time[0]) * 1000),
        i1 = Math.round((r.end_s - time[0]) * 1000);
      expect(Math.max(...speed.subarray(i0, i1 + 1))).toBeLessThan(4);
    }
    // …and running most of the session, so the gate has something to remove.
    expect(speed.filter((s) => s > 4).length / speed.length).toBeGreaterThan(0.7);
  });

  it.each([
    ['Kay', kayRippleDetector],
    ['Karlsson', karlssonRippleDetector],
  ] as const)('%s with Spyglass defaults (z 2, 15 ms, σ 4 ms, speed ≤ 4 cm/s) finds both ripples', (name, detector) => {
    const gated = score(detector(band, { fs: 1000, time, speed }));
    const ungated = score(detector(band, { fs: 1000, time }));
    console.log(
      `${name}: with speed gate ${gated.hits}/2 hits, ${gated.falsePositives.length} false positives` +
        ` (${gated.falsePositives.map((e) => `${e.peak.toFixed(3)} s z ${e.maxZscore.toFixed(1)}`).join(', ')});` +
        ` without ${ungated.hits}/2 hits, ${ungated.falsePositives.length} false positives`,
    );
    expect(gated.hits).toBe(2);
    expect(ungated.hits).toBe(2);
    expect(gated.falsePositives.length).toBeLessThanOrEqual(ungated.falsePositives.length);
    expect(gated.falsePositives.length).toBeLessThanOrEqual(name === 'Kay' ? 1 : 3);
  });
});
