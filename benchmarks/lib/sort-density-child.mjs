// One dense-, sparse- or realistic-regime sorting in a fresh process, timed in CPU seconds:
//   node sort-density-child.mjs <dense|sparse|realistic> <seconds> <seed> [--stages]
//   node sort-density-child.mjs session <seconds> <seed>
//   node sort-density-child.mjs <split|split-dense> <seconds> <seed>
// dense: 10 units at 20–40 Hz (amplitudes 60–240 µV), the regime of real tetrodes with many
// active units; sparse: the package bench's 8 units at the simulator's default 2–20 Hz;
// realistic: the density of the file MountainSort5 was measured on (9 units per tetrode, ~74
// spikes/s, each unit its own waveform). session: 4 realistic tetrodes (seeds seed … seed + 3)
// sorted on a pool of 2 workers; its CPU seconds are the whole process's (every thread), from
// the pool's start to its end. split (split-dense): one realistic (dense) tetrode on a pool of 2
// workers, its matching cut in time spans (sortGroupOnPool), timed the same way (the same sorting
// as sortGroup on one thread); with the wall seconds of its phases (learn, match, gather) and the
// CPU seconds of their busiest thread and of all threads.
// Prints { cpuSeconds, wallSeconds, units, spikes, trueSpikes, accuracy, stages? } as JSON;
// with --stages, sortGroup's stages are run one by one and each is timed.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { whiten } from '@spyglass-wasm/dsp-wasm';
import { simulateRecording } from '@spyglass-wasm/sim';
import { densitySpec as spec } from './density-specs.mjs';
import {
  compareToTruth,
  createSortPool,
  detectionGeometry,
  detectPeaks,
  frontEnd,
  learnTemplates,
  matchTemplates,
  noiseLevels,
  sortGroup,
  sortGroupOnPool,
  SortingAccumulator,
} from '@spyglass-wasm/spike-sort';

const [regime, secondsArg, seedArg, flag] = process.argv.slice(2);
const seconds = Number(secondsArg),
  seed = Number(seedArg);
// the simulated tetrode of each pooled regime
const KIND = { session: 'realistic', split: 'realistic', 'split-dense': 'dense' };
const SESSION_TETRODES = 4,
  SESSION_WORKERS = 2;
const recs = (regime === 'session' ? Array.from({ length: SESSION_TETRODES }, (_, k) => k) : [0]).map((k) =>
  simulateRecording(spec(KIND[regime] ?? regime, seed + k, seconds)),
);
const raws = recs.map((rec) => ({ data: rec.data, rows: rec.rows, cols: rec.channels }));
const fs = recs[0].fs;
const stages = {};
const phases = {};
const cpu0 = process.cpuUsage(),
  t0 = performance.now();
const sortings =
  regime === 'session'
    ? await sortOnPool(raws)
    : regime.startsWith('split')
      ? [await splitOnPool(raws[0])]
      : [flag === '--stages' ? stagedSort(raws[0], fs) : sortGroup(raws[0], { fs })];
const used = process.cpuUsage(cpu0);
const cpuSeconds = (used.user + used.system) / 1e6,
  wallSeconds = (performance.now() - t0) / 1000;
const accuracy = recs.flatMap((rec, k) =>
  compareToTruth(
    rec.units.map((u) => u.spikeTimes),
    sortings[k].units.map((u) => Float64Array.from(u.samples, (s) => s / fs)),
  ).map((s) => s.accuracy),
);
console.log(
  JSON.stringify({
    cpuSeconds,
    wallSeconds,
    tetrodes: recs.length,
    units: sortings.reduce((n, s) => n + s.units.length, 0),
    spikes: sortings.reduce((n, s) => n + s.units.reduce((m, u) => m + u.samples.length, 0), 0),
    trueSpikes: recs.reduce((n, rec) => n + rec.units.reduce((m, u) => m + u.spikeTimes.length, 0), 0),
    amplitudes: recs.flatMap((rec) => rec.units.map((u) => u.amplitude)),
    accuracy,
    digest: digest(sortings),
    stages: flag === '--stages' ? stages : undefined,
    phases: regime.startsWith('split') ? phases : undefined,
  }),
);

/** The tetrodes sorted on a pool of SESSION_WORKERS workers (createSortPool), one tetrode per worker at a time. */
async function sortOnPool(raws) {
  const pool = await createSortPool({ size: SESSION_WORKERS });
  try {
    return await pool.map(raws, (api, raw) => api.sortGroup(raw, { fs }));
  } finally {
    await pool.terminate();
  }
}

/**
 * One tetrode on a pool of SESSION_WORKERS workers, its matching split in time spans (sortGroupOnPool).
 * Per phase also the CPU seconds of its busiest thread and of all threads (Linux: /proc/self/task),
 * and `idle2Seconds`: the wall seconds those would take on 2 idle cores, the sum over phases of
 * max(busiest thread, all threads / 2) (at load the wall seconds measure the machine's sharing).
 */
async function splitOnPool(raw) {
  const pool = await createSortPool({ size: SESSION_WORKERS });
  try {
    // wall seconds of its phases, from the fractions the caller reports as each starts (weights 15, 4, 2)
    const t = performance.now();
    const cpu = [threadSeconds()];
    const onProgress = (f) => {
      if (f >= 15 / 21 && phases.learn === undefined) {
        phases.learn = (performance.now() - t) / 1000;
        cpu.push(threadSeconds());
      }
      if (f >= 19 / 21 && phases.match === undefined) {
        phases.match = (performance.now() - t) / 1000 - phases.learn;
        cpu.push(threadSeconds());
      }
    };
    const sorting = await sortGroupOnPool(pool, raw, { fs, onProgress });
    phases.gather = (performance.now() - t) / 1000 - phases.learn - phases.match;
    cpu.push(threadSeconds());
    if (cpu.length === 4 && cpu[0].size) {
      phases.threads = {};
      phases.idle2Seconds = 0;
      ['learn', 'match', 'gather'].forEach((name, k) => {
        const used = [...cpu[k + 1]].map(([id, s]) => s - (cpu[k].get(id) ?? 0));
        const busiest = Math.max(...used),
          all = used.reduce((a, b) => a + b, 0);
        phases.threads[name] = { busiest: +busiest.toFixed(2), all: +all.toFixed(2) };
        phases.idle2Seconds += Math.max(busiest, all / 2);
      });
      phases.idle2Seconds = +phases.idle2Seconds.toFixed(2);
    }
    return sorting;
  } finally {
    await pool.terminate();
  }
}

/** CPU seconds of each thread of this process, by thread id (Linux; empty elsewhere). */
function threadSeconds() {
  const out = new Map();
  if (!existsSync('/proc/self/task')) return out;
  for (const id of readdirSync('/proc/self/task')) {
    // utime and stime, the 14th and 15th fields, in clock ticks (100 per second)
    let stat;
    try {
      stat = readFileSync(`/proc/self/task/${id}/stat`, 'utf8');
    } catch {
      continue; // a thread that ended meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(id, (Number(fields[11]) + Number(fields[12])) / 100);
  }
  return out;
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
  const matches = time('matchTemplates', () =>
    matchTemplates(x, w, learned.templates, { noise, threshold, sweep, belowRange: true }),
  );
  return time('SortingAccumulator (features, noise overlap)', () => {
    const acc = new SortingAccumulator(learned, { noise, after, totalRows: x.rows, seed: 1 });
    acc.add(x, w, matches);
    return acc.result();
  });
}

/** SHA-256 of the sortings' spike times, labels, features and noise overlaps: equal digests, equal sortings. */
function digest(sortings) {
  const h = createHash('sha256');
  for (const sorting of sortings) hashSorting(h, sorting);
  return h.digest('hex').slice(0, 16);
}

function hashSorting(h, sorting) {
  for (const u of sorting.units) h.update(new Uint8Array(u.samples.buffer, u.samples.byteOffset, u.samples.byteLength));
  h.update(new Uint8Array(sorting.labels.buffer));
  h.update(new Uint8Array(sorting.features.buffer, sorting.features.byteOffset, sorting.features.byteLength));
  h.update(new Uint8Array(sorting.noiseOverlaps.buffer));
}
