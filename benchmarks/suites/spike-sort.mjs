// Sorting speed as multiples of real time, and peak memory, side by side: the whole recording in
// memory (sortGroup) against the streaming path (sortStream: 10 s chunks, templates learned from
// 120 s spread over the recording). Each row runs in a fresh process, so its peak RSS is its own.
// A 64-channel probe is 8 shanks of 8 channels sorted one after another, single thread.
// BENCH_SORT_LONG_MINUTES sets the longest streamed recording (default 16 min, an hour with BENCH_LONG=1).
// Probes (sort-probe-child; 10 s and 20 s by default, 30 s and 60 s with BENCH_LONG=1): the issue's
// 32-channel drift regime sorted as one group (sortGroup, as sortNwb did before) and by
// neighbourhoods (sortProbe, 2 workers) on the same recording, with CPU time (all threads), peak RSS
// and SpikeForest accuracy; a 64-channel shank by neighbourhoods; with BENCH_LONG=1 a 384-channel
// shank (simulated Neuropixels 1.0 column count).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchLong, versus } from '../lib/harness.mjs';

export const name = 'spike-sort';

const child = fileURLToPath(new URL('../lib/sort-child.mjs', import.meta.url));
const probeChild = fileURLToPath(new URL('../lib/sort-probe-child.mjs', import.meta.url));

// What the two reference sorters publish for these channel counts (in words, from their sources).
const PUBLISHED = {
  MS5: "MountainSort5 (no paper; README: fast on CPU, faster than earlier versions at high channel counts, no timing per channel count); on the issue's 32-ch, 300 s file it used 104 CPU-s and 2.2 GB",
  KS4: 'Kilosort4 (Pachitariu et al. 2024, Nat. Methods): accuracy on simulated 384-ch Neuropixels with drift, on a GPU, no CPU timing; the first Kilosort (Pachitariu et al. 2016) reported about real time for 384 channels on a GPU',
};

/** One probe sorting in a fresh process: `group` (one sortGroup) or `probe` (sortProbe on `workers`). */
function measureProbe(mode, { seconds, channels, units, driftUm = 0, workers = 2 }) {
  const args = [probeChild, mode, seconds, channels, units, driftUm, workers].map(String);
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`sort-probe-child failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1));
  const acc = out.accuracy;
  return {
    path: mode === 'group' ? 'sortGroup, one group (before)' : `sortProbe, ${workers} workers`,
    recording: `${channels}-ch shank, ${units} units${driftUm ? `, ${driftUm} µm drift` : ''}, ${seconds} s`,
    units: out.units,
    'true units': acc.length,
    'mean accuracy': acc.reduce((a, b) => a + b, 0) / acc.length,
    'units >= 0.8': acc.filter((a) => a >= 0.8).length,
    'wall s': out.seconds,
    'CPU s': out.cpuSeconds,
    // what 2 cores give when the work is ours alone: recording seconds per CPU second × 2
    'x real time (2 cores, CPU)': (2 * seconds) / out.cpuSeconds,
    'peak RSS MiB': out.peakRssMiB,
  };
}
const longMinutes = Number(process.env.BENCH_SORT_LONG_MINUTES ?? (benchLong ? 60 : 16));

function measure(mode, seconds, channels, groups) {
  const r = spawnSync(process.execPath, [child, mode, String(seconds), String(channels), String(groups)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`sort-child failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1));
  return {
    path: mode === 'whole' ? 'sortGroup (in memory)' : 'sortStream',
    recording: `${groups > 1 ? `${groups * channels}-ch probe` : 'tetrode'}, ${seconds / 60} min`,
    units: out.units,
    spikes: out.spikes,
    seconds: out.seconds,
    'x real time': seconds / out.seconds,
    'peak RSS MiB': out.peakRssMiB,
  };
}

export async function run() {
  const memory = [];
  for (const minutes of [2, 8]) memory.push(measure('whole', minutes * 60, 4, 1));
  for (const minutes of [2, 8, longMinutes]) memory.push(measure('stream', minutes * 60, 4, 1));
  const probe = [measure('whole', 60, 8, 8), measure('stream', 60, 8, 8)];
  // Default sizes keep `npm run bench` within 15 minutes; BENCH_LONG=1 sorts 30 s and 60 s as in the README.
  const drift = { seconds: benchLong ? 30 : 10, channels: 32, units: 25, driftUm: 4 };
  const probes = [
    measureProbe('group', drift),
    measureProbe('probe', drift),
    measureProbe('probe', { seconds: benchLong ? 60 : 20, channels: 64, units: 48 }),
    ...(benchLong ? [measureProbe('probe', { seconds: 10, channels: 384, units: 288 })] : []),
  ];
  const cpuRealTime = (r, goal) =>
    versus(
      `sort ${r.recording}, ${r.path} (CPU / 2 cores)`,
      r['CPU s'] / 2,
      'real time',
      (r['CPU s'] / 2) * r['x real time (2 cores, CPU)'],
      goal,
    );
  const grow = (rows) => rows.at(-1)['peak RSS MiB'] - rows[0]['peak RSS MiB'];
  const whole = memory.filter((r) => r.path.startsWith('sortGroup')),
    streamed = memory.filter((r) => r.path === 'sortStream');
  const realTime = (r, goal) =>
    versus(
      `sort ${r.recording}, ${r.path}`,
      r.seconds,
      'real time (recording length)',
      r.seconds * r['x real time'],
      goal,
    );
  const summary = [
    ...memory.map((r) => realTime(r, '>= 60x')),
    ...probe.map((r) => realTime(r, '>= 4x')),
    ...probes.map((r) =>
      cpuRealTime(r, r.recording.startsWith('384') ? '>= 1x' : r.recording.startsWith('64') ? '>= 4x' : ''),
    ),
  ];
  return {
    summary,
    tables: [
      { title: 'tetrode: peak memory against duration, in memory vs streamed', rows: memory },
      { title: '64-channel probe (8 shanks x 8 channels), 1 min', rows: probe },
      { title: 'probes sorted by channel neighbourhoods (sortProbe) against one group (sortGroup)', rows: probes },
    ],
    notes: [
      `in memory, 2 -> 8 min adds ${grow(whole).toFixed(0)} MiB of peak RSS; streamed, 2 -> ${longMinutes} min adds ${grow(streamed).toFixed(0)} MiB (spike times and features only)`,
      'single thread; sortNwb sorts electrode groups in parallel on a worker pool (createSortPool)',
      'probes: neighbourhoods of 8 core channels + 60 µm, on 2 workers; peak RSS of the whole process (workers included)',
      `published, MountainSort5: ${PUBLISHED.MS5}`,
      `published, Kilosort4: ${PUBLISHED.KS4}`,
    ],
  };
}
