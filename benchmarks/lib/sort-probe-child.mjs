// One probe sorting in a fresh process, so its peak RSS is its own:
//   node sort-probe-child.mjs <group|probe> <seconds> <channels> <units> <driftUm> <workers>
// `group`: the whole probe as one group in memory (sortGroup, detection neighbours within 100 µm):
// how probes were sorted before sortProbe. `probe`: sortProbe, neighbourhoods on a pool of
// `workers` (0: this thread). The recording is the simulator's linear shank (25 µm pitch, varied
// shapes, drift over the recording), read a window at a time as a file would be. Prints
// { seconds, cpuSeconds, units, peakRssMiB, accuracy[] } as JSON (accuracy: SpikeForest's, per true unit).
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
  const sorting = sortGroup(rec.read(0, rec.rows), {
    fs: rec.fs,
    band: [300, 6000],
    neighbours: neighboursWithin(positions, { radius: 100 }),
  });
  found = sorting.units;
} else {
  const probe = await sortProbe({ rows: rec.rows, fs: rec.fs, read: (a, b) => rec.read(a, b) }, { positions, pool });
  found = probe.neighbourhoods.flatMap((n) => n.sorting.units);
}
const elapsed = (performance.now() - t0) / 1000,
  cpu = process.cpuUsage(cpu0);
await pool?.terminate();
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
    accuracy: scores.map((s) => s.accuracy),
  }),
);
