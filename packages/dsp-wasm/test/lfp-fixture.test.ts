// End to end on the pynwb-written tetrode session: raw int16 ElectricalSeries -> LFP -> ripple
// band -> Kay detector with the speed gate, scored against the file's truth.
import { readFileSync } from 'node:fs';
import h5wasm, { type Dataset } from 'h5wasm/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { bandFilter, kayRippleDetector, lfp } from '../src/index.js';

const fixtures = new URL('../../nwb-io/test/fixtures/', import.meta.url);
const truth = JSON.parse(readFileSync(new URL('tetrode-session.truth.json', fixtures), 'utf8'));

let raw: { data: Float32Array; rows: number; cols: number; fs: number };
let speedAt: (t: number) => number;

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
    const fs = Number((f.get('acquisition/e-series/starting_time') as Dataset).attrs.rate.value);
    raw = { data, rows, cols, fs };
    const pos = (f.get('processing/behavior/Position/position/data') as Dataset).value as Float64Array;
    const pt = (f.get('processing/behavior/Position/position/timestamps') as Dataset).value as Float64Array;
    const speed = Array.from(pt, (_, i) => {
      const j = Math.min(i + 1, pt.length - 1), k = Math.max(i - 1, 0);
      return (Math.hypot(pos[j * 2] - pos[k * 2], pos[j * 2 + 1] - pos[k * 2 + 1]) * 100) / (pt[j] - pt[k]);
    });
    speedAt = (t) => speed[Math.min(speed.length - 1, Math.max(0, Math.round((t - pt[0]) / (pt[1] - pt[0]))))];
  } finally {
    f.close();
  }
});

describe('ripples on tetrode-session.nwb', () => {
  type Ripple = { start_s: number; end_s: number; peak_s: number };
  const matches = (e: { peak: number }, r: Ripple) => e.peak >= r.start_s - 0.01 && e.peak <= r.end_s + 0.01;

  it('finds every true ripple, with few false positives (no speed gate)', () => {
    const l = lfp(raw, { fs: raw.fs });
    expect(l.fs).toBe(1000);
    expect(l.data.rows).toBe(30000);
    const band = bandFilter(l.data, { fs: l.fs, band: 'ripple' });
    const events = kayRippleDetector(band, { fs: l.fs, time: l.timestamps });
    const hits = truth.ripples.filter((r: Ripple) => events.some((e) => matches(e, r)));
    const falsePositives = events.filter((e) => !truth.ripples.some((r: Ripple) => matches(e, r)));
    console.log(`Kay, no speed gate: ${hits.length}/${truth.ripples.length} ripples found, ${falsePositives.length} false positives in 30 s`);
    expect(hits.length).toBe(truth.ripples.length);
    expect(falsePositives.length).toBeLessThanOrEqual(4);
    expect(Math.max(...falsePositives.map((e) => e.maxZscore))).toBeLessThan(Math.min(...events.filter((e) => !falsePositives.includes(e)).map((e) => e.maxZscore)));
  });

  it('with the speed gate keeps exactly the true ripples that happen while the animal is still', () => {
    const l = lfp(raw, { fs: raw.fs });
    const band = bandFilter(l.data, { fs: l.fs, band: 'ripple' });
    const speed = Float64Array.from(l.timestamps, speedAt);
    const events = kayRippleDetector(band, { fs: l.fs, time: l.timestamps, speed, zscoreThreshold: 5 });
    const still = truth.ripples.filter((r: Ripple) => speedAt(r.start_s) <= 4 && speedAt(r.end_s) <= 4);
    const moving = truth.ripples.filter((r: Ripple) => !still.includes(r));
    console.log(`speed at ripples (cm/s): ${truth.ripples.map((r: Ripple) => `${speedAt(r.start_s).toFixed(1)}-${speedAt(r.end_s).toFixed(1)}`).join(', ')}`);
    for (const r of still) expect(events.some((e) => matches(e, r))).toBe(true);
    for (const r of moving) expect(events.some((e) => matches(e, r))).toBe(false);
    expect(moving.length + still.length).toBe(truth.ripples.length);
  });
});
