// One dense- or sparse-regime sorting in a fresh process, timed in CPU seconds:
//   node sort-density-child.mjs <dense|sparse> <seconds> <seed> [--stages]
// dense: 10 units at 20–40 Hz (amplitudes 60–240 µV), the regime of real tetrodes with many
// active units; sparse: the package bench's 8 units at the simulator's default 2–20 Hz.
// Prints { cpuSeconds, wallSeconds, units, spikes, trueSpikes, accuracy, stages? } as JSON;
// with --stages, sortGroup's stages are run one by one and each is timed.
import { createHash } from 'node:crypto';
import { whiten } from '@spyglass-wasm/dsp-wasm';
import { simulateRecording } from '@spyglass-wasm/sim';
import {
  compareToTruth,
  detectionGeometry,
  detectPeaks,
  frontEnd,
  learnTemplates,
  matchTemplates,
  noiseLevels,
  sortGroup,
  SortingAccumulator,
} from '@spyglass-wasm/spike-sort';

const [regime, secondsArg, seedArg, flag] = process.argv.slice(2);
const seconds = Number(secondsArg),
  seed = Number(seedArg);
const spec = regime === 'dense' ? denseSpec(seed, seconds) : { seed, seconds, units: 8 };
const rec = simulateRecording(spec);
const raw = { data: rec.data, rows: rec.rows, cols: rec.channels };
const stages = {};
const cpu0 = process.cpuUsage(),
  t0 = performance.now();
const sorting = flag === '--stages' ? stagedSort(raw, rec.fs) : sortGroup(raw, { fs: rec.fs });
const used = process.cpuUsage(cpu0);
const cpuSeconds = (used.user + used.system) / 1e6,
  wallSeconds = (performance.now() - t0) / 1000;
const scores = compareToTruth(
  rec.units.map((u) => u.spikeTimes),
  sorting.units.map((u) => Float64Array.from(u.samples, (s) => s / rec.fs)),
);
const accuracy = scores.map((s) => s.accuracy);
console.log(
  JSON.stringify({
    cpuSeconds,
    wallSeconds,
    units: sorting.units.length,
    spikes: sorting.units.reduce((n, u) => n + u.samples.length, 0),
    trueSpikes: rec.units.reduce((n, u) => n + u.spikeTimes.length, 0),
    amplitudes: rec.units.map((u) => u.amplitude),
    accuracy,
    digest: digest(sorting),
    stages: flag === '--stages' ? stages : undefined,
  }),
);

/** 10 units at 20–40 Hz, amplitudes spread 60–240 µV (SNR about 5–20), seeded. */
function denseSpec(seed, seconds) {
  const units = 10;
  return {
    seed,
    seconds,
    units,
    amplitudes: Array.from({ length: units }, (_, u) => 60 + (180 * u) / (units - 1)),
    ratesHz: Array.from({ length: units }, (_, u) => 20 + (20 * ((u * 7 + seed) % units)) / (units - 1)),
  };
}

/** sortGroup's stages one by one (same calls, same result), each timed in CPU seconds. */
function stagedSort(raw, fs) {
  const time = (name, fn) => {
    const c = process.cpuUsage();
    const out = fn();
    const d = process.cpuUsage(c);
    stages[name] = (stages[name] ?? 0) + (d.user + d.system) / 1e6;
    return out;
  };
  const x = time('front end (filter, blanking)', () => frontEnd(raw, fs, {}));
  const noise = time('noise levels', () => noiseLevels(x));
  const { before, after, sweep, threshold } = detectionGeometry(fs);
  const peaks = time('detection', () => detectPeaks(x, { noise, threshold, sweep, margin: after + 2 }));
  const w = time('whitening', () => whiten(x).y);
  const learned = time('learnTemplates', () =>
    learnTemplates(x, w, peaks, {
      fs,
      before,
      after,
      components: 8,
      seed: 1,
      noiseClass: true,
      noise,
      threshold,
      sweep,
    }),
  );
  const matches = time('matchTemplates', () => matchTemplates(x, w, learned.templates, { noise, threshold, sweep }));
  return time('SortingAccumulator (features, noise overlap)', () => {
    const acc = new SortingAccumulator(learned, { noise, after, totalRows: x.rows, seed: 1 });
    acc.add(x, w, matches);
    return acc.result();
  });
}

/** SHA-256 of the sorting's spike times, labels and noise overlaps: equal digests, equal sortings. */
function digest(sorting) {
  const h = createHash('sha256');
  for (const u of sorting.units) h.update(new Uint8Array(u.samples.buffer, u.samples.byteOffset, u.samples.byteLength));
  h.update(new Uint8Array(sorting.labels.buffer));
  h.update(new Uint8Array(sorting.features.buffer, sorting.features.byteOffset, sorting.features.byteLength));
  h.update(new Uint8Array(sorting.noiseOverlaps.buffer));
  return h.digest('hex').slice(0, 16);
}
