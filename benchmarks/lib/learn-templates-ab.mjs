// learnTemplates of this code against a baseline build, alternated in ONE process on the same
// detections, so both see the same machine load (a cold process per row varies by ±15 % at load):
//   BASE=/tmp/spyglass-bench-baseline-<commit>/packages/spike-sort/dist/index.js \
//     node lib/learn-templates-ab.mjs <dense|sparse|realistic> <seconds> [rounds]
// (the bench's BENCH_DENSITY_BASELINE=<ref> leaves that build in the system temp folder). The
// recording is the density bench's (density-specs.mjs). Prints each
// round's CPU seconds, the medians without the first (JIT) round, and whether every round learned
// the same templates and collisions.
import { whiten } from '@spyglass-wasm/dsp-wasm';
import { simulateRecording } from '@spyglass-wasm/sim';
import * as mine from '@spyglass-wasm/spike-sort';
import { densitySpec } from './density-specs.mjs';
if (!process.env.BASE) throw new Error('BASE: expected the path of a baseline build of spike-sort (dist/index.js)');
const base = await import(process.env.BASE);
const [regime, seconds, rounds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? 4)];
const rec = simulateRecording(densitySpec(regime, 1, seconds));
const raw = { data: rec.data, rows: rec.rows, cols: rec.channels };
const fs = rec.fs;
const x = mine.frontEnd(raw, fs, {});
const noise = mine.noiseLevels(x);
const { before, after, sweep, threshold } = mine.detectionGeometry(fs);
const peaks = mine.detectPeaks(x, { noise, threshold, sweep, margin: after + 2 });
const w = whiten(x).y;
const opts = { fs, before, after, components: 8, seed: 1, noiseClass: true, noise, threshold, sweep };
const times = { base: [], this: [] };
let same = true,
  ref;
for (let r = 0; r < rounds; r++)
  for (const [name, lib] of r % 2
    ? [
        ['this', mine],
        ['base', base],
      ]
    : [
        ['base', base],
        ['this', mine],
      ]) {
    const c = process.cpuUsage();
    const out = lib.learnTemplates(x, w, peaks, opts);
    const d = process.cpuUsage(c);
    times[name].push((d.user + d.system) / 1e6);
    const key = Buffer.from(out.templates.whitened.buffer).toString('base64') + JSON.stringify(out.collisions);
    if (ref === undefined) ref = key;
    else if (key !== ref) same = false;
  }
const med = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
console.log(
  JSON.stringify({
    regime,
    seconds,
    base: times.base.map((t) => +t.toFixed(3)),
    this: times.this.map((t) => +t.toFixed(3)),
    medianBase: med(times.base.slice(1)),
    medianThis: med(times.this.slice(1)),
    same,
  }),
);
