// One probe sorting in a fresh process, so its peak RSS is its own:
//   node sort-probe-child.mjs <group|probe> <seconds> <channels> <units> <driftUm> <workers>
// `group`: the whole probe as one group in memory (sortGroup, detection neighbours within 100 µm):
// how probes were sorted before sortProbe. `probe`: sortProbe, neighbourhoods on a pool of
// `workers` (0: this thread). The recording is the simulator's linear shank (25 µm pitch, varied
// shapes, drift over the recording), written first (not timed) to a temporary int16 file that the
// sort then reads, a window at a time for sortProbe, as it would read a recording. Prints { seconds,
// cpuSeconds, units, peakRssMiB, sourcePasses, accuracy[] } as JSON (accuracy: SpikeForest's, per true
// unit; time and CPU from the start of the sort, reading included; sourcePasses: rows read / rows).
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateStream } from '@spyglass-wasm/sim';
import { compareToTruth, createSortPool, neighboursWithin, sortGroup, sortProbe } from '@spyglass-wasm/spike-sort';

const [mode, ...args] = process.argv.slice(2);
const [seconds, channels, units, driftUm, workers] = args.map(Number);
const rec = simulateStream({
  seed: 16,
  seconds,
  channels,
  units,
  regimes: { shapes: 'varied', ...(driftUm ? { driftUm } : {}) },
});
const UV_PER_BIT = 0.195;
const dir = mkdtempSync(join(tmpdir(), 'sort-probe-')),
  path = join(dir, 'probe.i16');
writeRecording(rec, path);
const fd = openSync(path, 'r');
/** Rows [a, b) of every channel from the file, µV. */
let rowsRead = 0; // for the passes over the recording the sort made (sourcePasses)
const read = (a, b) => {
  rowsRead += b - a;
  const bytes = Buffer.alloc((b - a) * channels * 2);
  readSync(fd, bytes, 0, bytes.length, a * channels * 2);
  const ints = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
  // a plain loop: Float32Array.from with a map function costs ~30× more (1.3 CPU-s per second of 384 channels)
  const data = new Float32Array(ints.length);
  for (let i = 0; i < ints.length; i++) data[i] = ints[i] * UV_PER_BIT;
  return { data, rows: b - a, cols: channels };
};
const positions = {
  data: Float64Array.from({ length: 2 * channels }, (_, i) => (i % 2) * 25 * (i >> 1)),
  rows: channels,
  cols: 2,
};
const pool = mode === 'probe' && workers > 0 ? await createSortPool({ size: workers }) : undefined;
const t0 = performance.now(),
  cpu0 = process.cpuUsage();
let found;
if (mode === 'group') {
  const sorting = sortGroup(read(0, rec.rows), {
    fs: rec.fs,
    band: [300, 6000],
    neighbours: neighboursWithin(positions, { radius: 100 }),
  });
  found = sorting.units;
} else {
  const probe = await sortProbe({ rows: rec.rows, fs: rec.fs, read }, { positions, pool });
  found = probe.neighbourhoods.flatMap((n) => n.sorting.units);
}
const elapsed = (performance.now() - t0) / 1000,
  cpu = process.cpuUsage(cpu0);
await pool?.terminate();
closeSync(fd);
rmSync(dir, { recursive: true, force: true });
const scores = compareToTruth(
  rec.units.map((u) => u.spikeTimes),
  found.map((u) => Float64Array.from(u.samples, (s) => s / rec.fs)),
);
console.log(
  JSON.stringify({
    seconds: elapsed,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    units: found.length,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    sourcePasses: rowsRead / rec.rows,
    accuracy: scores.map((s) => s.accuracy),
  }),
);

/** The recording as int16 (0.195 µV per bit, as Intan headstages), a second at a time. */
function writeRecording(rec, file) {
  const out = openSync(file, 'w');
  for (let a = 0; a < rec.rows; a += rec.fs) {
    const x = rec.read(a, Math.min(rec.rows, a + rec.fs));
    const ints = Int16Array.from(x.data, (v) => Math.max(-32768, Math.min(32767, Math.round(v / UV_PER_BIT))));
    writeSync(out, new Uint8Array(ints.buffer));
  }
  closeSync(out);
}
