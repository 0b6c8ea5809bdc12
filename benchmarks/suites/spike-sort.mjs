// Sorting speed as multiples of real time, and peak memory, side by side: the whole recording in
// memory (sortGroup) against the streaming path (sortStream: 10 s chunks, templates learned from
// 120 s spread over the recording). Each row runs in a fresh process, so its peak RSS is its own.
// A 64-channel probe is 8 shanks of 8 channels sorted one after another, single thread.
// BENCH_SORT_LONG_MINUTES sets the longest streamed recording (default 16 min, an hour with BENCH_LONG=1).
// Probes (sort-probe-child; 10 s and 20 s by default, 30 s and 60 s with BENCH_LONG=1): the issue's
// 32-channel drift regime sorted as one group (sortGroup, as sortNwb did before) and by
// neighbourhoods (sortProbe, 2 workers) on the same recording, with CPU time (all threads), peak RSS
// and SpikeForest accuracy; a 64-channel shank by neighbourhoods; with BENCH_LONG=1 a 384-channel
// shank (simulated Neuropixels 1.0 column count). BENCH_PROBE_ONLY=1 runs the probe rows alone, with
// the 64-channel shank at 20 s and 60 s and the 384-channel one; BENCH_PROBE_BASELINE=<git ref> builds
// that ref in a temporary worktree and sorts every probe row with it too, interleaved with this code
// (baseline, then this, per row, the same child script), so both see the same machine load.
// BENCH_LONG=1 adds 5 min of the 64-channel shank (a real session's length, learning's share smaller).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { baselineTree } from '../lib/baseline-tree.mjs';
import { benchLong, versus } from '../lib/harness.mjs';

export const name = 'spike-sort';

const child = fileURLToPath(new URL('../lib/sort-child.mjs', import.meta.url));
const probeChild = fileURLToPath(new URL('../lib/sort-probe-child.mjs', import.meta.url));

// What the two reference sorters publish for these channel counts (in words, from their sources).
const PUBLISHED = {
  MS5: "MountainSort5 (no paper; README: fast on CPU, faster than earlier versions at high channel counts, no timing per channel count); on the issue's 32-ch, 300 s file it used 104 CPU-s and 2.2 GB",
  KS4: 'Kilosort4 (Pachitariu et al. 2024, Nat. Methods): accuracy on simulated 384-ch Neuropixels with drift, on a GPU, no CPU timing; the first Kilosort (Pachitariu et al. 2016) reported about real time for 384 channels on a GPU',
};

const probeOnly = process.env.BENCH_PROBE_ONLY === '1';
const probeBaselineRef = process.env.BENCH_PROBE_BASELINE;

/**
 * One probe sorting in a fresh process: `group` (one sortGroup) or `probe` (sortProbe on `workers`),
 * by this code or by `baseline` ({ script, label }: the child script in a baselineTree).
 */
function measureProbe(mode, { seconds, channels, units, driftUm = 0, workers = 2 }, baseline) {
  const args = [baseline?.script ?? probeChild, mode, seconds, channels, units, driftUm, workers].map(String);
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`sort-probe-child failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1));
  const acc = out.accuracy;
  return {
    path: mode === 'group' ? 'sortGroup, one group (before)' : `sortProbe, ${workers} workers`,
    code: baseline ? `baseline ${baseline.label}` : 'this',
    recording: `${channels}-ch shank, ${units} units${driftUm ? `, ${driftUm} µm drift` : ''}, ${seconds} s`,
    units: out.units,
    'true units': acc.length,
    'mean accuracy': acc.reduce((a, b) => a + b, 0) / acc.length,
    'units >= 0.8': acc.filter((a) => a >= 0.8).length,
    'wall s': out.seconds,
    'CPU s': out.cpuSeconds,
    // what 2 cores give when the work is ours alone: recording seconds per CPU second × 2
    'x real time (2 cores, CPU)': (2 * seconds) / out.cpuSeconds,
    'x real time (wall)': seconds / out.seconds,
    'peak RSS MiB': out.peakRssMiB,
    // rows read from the recording / its rows (a baseline child that does not count them: undefined)
    'passes over the source': out.sourcePasses,
    accuracy: acc,
  };
}

/**
 * Each probe recording sorted by the baseline (when given), then this code; rows of both, and per
 * recording the side-by-side figures: CPU s of each, accuracy mean, units >= 0.8 and the largest fall
 * of one true unit's accuracy from the baseline to this code (negative: every unit gained).
 */
function probeRows(recordings, baseline) {
  const rows = [],
    sideBySide = [];
  for (const [mode, recording] of recordings) {
    const base = baseline && measureProbe(mode, recording, baseline);
    const mine = measureProbe(mode, recording);
    // each pair as it is measured: the largest rows take minutes
    for (const r of [base, mine].filter(Boolean)) console.error(JSON.stringify({ ...r, accuracy: undefined }));
    if (base) {
      rows.push(base);
      sideBySide.push({
        recording: mine.recording,
        path: mine.path,
        'baseline CPU s': base['CPU s'],
        'this CPU s': mine['CPU s'],
        'CPU ratio': base['CPU s'] / mine['CPU s'],
        'this x real time (2 cores, CPU)': mine['x real time (2 cores, CPU)'],
        'this x real time (wall)': mine['x real time (wall)'],
        'baseline / this peak RSS MiB': `${base['peak RSS MiB'].toFixed(0)} / ${mine['peak RSS MiB'].toFixed(0)}`,
        'baseline / this passes over the source': `${base['passes over the source']?.toFixed(2) ?? '-'} / ${mine[
          'passes over the source'
        ].toFixed(2)}`,
        'accuracy mean baseline / this': `${base['mean accuracy'].toFixed(3)} / ${mine['mean accuracy'].toFixed(3)}`,
        'units >= 0.8 baseline / this': `${base['units >= 0.8']} / ${mine['units >= 0.8']}`,
        'largest fall of one unit': Math.max(...base.accuracy.map((a, u) => a - mine.accuracy[u])),
      });
    }
    rows.push(mine);
  }
  return { rows: rows.map(({ accuracy, ...r }) => r), sideBySide };
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
  const baseline = probeBaselineRef && {
    ...baselineTree({
      ref: probeBaselineRef,
      packages: ['@spyglass-wasm/spike-sort', '@spyglass-wasm/sim'],
      script: probeChild,
    }),
    label: probeBaselineRef,
  };
  const memory = [];
  if (!probeOnly) {
    for (const minutes of [2, 8]) memory.push(measure('whole', minutes * 60, 4, 1));
    for (const minutes of [2, 8, longMinutes]) memory.push(measure('stream', minutes * 60, 4, 1));
  }
  const probe = probeOnly ? [] : [measure('whole', 60, 8, 8), measure('stream', 60, 8, 8)];
  // Default sizes keep `npm run bench` within 15 minutes; BENCH_LONG=1 sorts 30 s and 60 s as in the README.
  const drift = { seconds: benchLong ? 30 : 10, channels: 32, units: 25, driftUm: 4 };
  const shank64 = (seconds) => ['probe', { seconds, channels: 64, units: 48 }];
  const recordings = probeOnly
    ? [shank64(20), shank64(60)]
    : [['group', drift], ['probe', drift], shank64(benchLong ? 60 : 20)];
  // learning is about a fixed cost per neighbourhood (learnSpikes), so a long session sorts faster
  // per second than the short rows: 5 min of the 64-channel shank with BENCH_LONG=1 (~7 CPU-min)
  if (benchLong) recordings.push(shank64(300));
  if (probeOnly || benchLong) recordings.push(['probe', { seconds: 10, channels: 384, units: 288 }]);
  const { rows: probes, sideBySide } = probeRows(recordings, baseline);
  const cpuRealTime = (r, goal) =>
    versus(
      `sort ${r.recording}, ${r.path} (CPU / 2 cores)`,
      r['CPU s'] / 2,
      'real time',
      (r['CPU s'] / 2) * r['x real time (2 cores, CPU)'],
      goal,
    );
  const grow = (rows) => (rows.length ? rows.at(-1)['peak RSS MiB'] - rows[0]['peak RSS MiB'] : NaN);
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
    ...probes
      .filter((r) => r.code === 'this')
      .map((r) =>
        cpuRealTime(r, r.recording.startsWith('384') ? '>= 1x' : r.recording.startsWith('64') ? '>= 4x' : ''),
      ),
  ];
  return {
    summary,
    tables: [
      ...(probeOnly ? [] : [{ title: 'tetrode: peak memory against duration, in memory vs streamed', rows: memory }]),
      ...(probeOnly ? [] : [{ title: '64-channel probe (8 shanks x 8 channels), 1 min', rows: probe }]),
      { title: 'probes sorted by channel neighbourhoods (sortProbe) against one group (sortGroup)', rows: probes },
      ...(baseline
        ? [
            {
              title: `probes: ${baseline.label} (${baseline.commit.slice(0, 8)}) against this code, same run`,
              rows: sideBySide,
            },
          ]
        : []),
    ],
    notes: [
      ...(probeOnly
        ? []
        : [
            `in memory, 2 -> 8 min adds ${grow(whole).toFixed(0)} MiB of peak RSS; streamed, 2 -> ${longMinutes} min adds ${grow(streamed).toFixed(0)} MiB (spike times and features only)`,
          ]),
      'single thread; sortNwb sorts electrode groups in parallel on a worker pool (createSortPool)',
      'probes: neighbourhoods of 8 core channels + 60 µm, on 2 workers; peak RSS of the whole process (workers included)',
      `published, MountainSort5: ${PUBLISHED.MS5}`,
      `published, Kilosort4: ${PUBLISHED.KS4}`,
    ],
  };
}
