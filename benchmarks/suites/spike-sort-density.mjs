// Sorting cost against spike density: CPU seconds per tetrode-second and SpikeForest accuracy of
// sortGroup on a dense tetrode (10 units at 20–40 Hz, ~300 spikes/s, the regime of real tetrodes
// with many active units) beside the sparse simulator of the package bench (8 units at 2–20 Hz),
// with MountainSort5's cost on a dense tetrode recording (0.07 CPU-s per tetrode-second, measured
// elsewhere) and the goal of half that. A realistic tetrode of 300 s has the density of the file
// MountainSort5 was measured on (9 units, ~74 spikes/s, each unit its own waveform); with
// BENCH_LONG=1 a session of 4 such tetrodes is sorted on a pool of 2 workers (createSortPool), its
// CPU seconds the whole process's, with the wall-clock multiple of real time. The realistic tetrode is
// also sorted alone on a pool of 2 workers, its matching split in time spans (sortGroupOnPool), against
// the one-thread row of the same run: wall and CPU seconds, × real time, same digest. Each row is a fresh
// process. A separate staged run (dense, 60 s, first seed) gives the time of each stage of
// sortGroup. BENCH_DENSITY_SEEDS sets the seeds
// (default "1,2"); BENCH_DENSITY_BASELINE=<git ref> builds that ref in a temporary worktree and
// sorts every recording with it too, interleaved with this code (baseline, then this, per row), so
// both see the same machine load.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { baselineTree } from '../lib/baseline-tree.mjs';
import { benchLong, versus } from '../lib/harness.mjs';

export const name = 'spike-sort-density';

const child = fileURLToPath(new URL('../lib/sort-density-child.mjs', import.meta.url));
const seeds = (process.env.BENCH_DENSITY_SEEDS ?? '1,2').split(',').map(Number);
const MS5_CPU_PER_TETRODE_SECOND = 0.07;
const baselineRef = process.env.BENCH_DENSITY_BASELINE;
const REALISTIC = 'realistic (9 units, 2–20 Hz, 74 spikes/s, varied shapes)';

function sortOnce(regime, seconds, seed, { script = child, stages = false } = {}) {
  const args = [script, regime, String(seconds), String(seed), ...(stages ? ['--stages'] : [])];
  const r = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`sort-density-child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

function row(regime, seconds, seed, out, code) {
  const mean = out.accuracy.reduce((a, b) => a + b, 0) / out.accuracy.length;
  // Units of amplitude ≥ 100 µV (SNR ≳ 6 after the band-pass): those a sorter should get.
  const large = out.accuracy.filter((_, u) => out.amplitudes[u] >= 100);
  const tetrodes = out.tetrodes ?? 1;
  return {
    regime,
    recording: `${tetrodes > 1 ? `${tetrodes} tetrodes on 2 workers` : out.phases ? 'tetrode on 2 workers, split' : 'tetrode'}, ${seconds} s, seed ${seed}`,
    code,
    'true spikes/s per tetrode': out.trueSpikes / seconds / tetrodes,
    'units true/found': `${out.accuracy.length}/${out.units}`,
    'CPU s': out.cpuSeconds,
    'CPU-s per tetrode-s': out.cpuSeconds / seconds / tetrodes,
    'tetrode-s per wall-s': (seconds * tetrodes) / out.wallSeconds,
    'MS5 CPU-s per tetrode-s': MS5_CPU_PER_TETRODE_SECOND,
    'goal (MS5 / 2)': MS5_CPU_PER_TETRODE_SECOND / 2,
    'accuracy mean': mean,
    'accuracy min (≥100 µV)': Math.min(...large),
    digest: out.digest,
  };
}

/** Largest fall of a true unit's accuracy from the baseline to this code (negative: every unit gained). */
function worstFall(base, mine) {
  return Math.max(...base.accuracy.map((a, u) => a - mine.accuracy[u]));
}

export async function run() {
  const baseline = baselineRef
    ? baselineTree({
        ref: baselineRef,
        packages: ['@spyglass-wasm/spike-sort', '@spyglass-wasm/sim', '@spyglass-wasm/dsp-wasm'],
        script: child,
      })
    : undefined;
  const label = baseline ? `${baselineRef} (${baseline.commit.slice(0, 8)})` : '';
  const recordings = [
    ...seeds.map((seed) => ['dense (10 units, 20–40 Hz)', 'dense', 60, seed]),
    ['dense (10 units, 20–40 Hz)', 'dense', 120, seeds[0]],
    // The length of the recording MountainSort5's figure was measured on: the fixed cost of learning is spread alike.
    ['dense (10 units, 20–40 Hz)', 'dense', 300, seeds[0]],
    ...seeds.map((seed) => ['sparse (8 units, 2–20 Hz)', 'sparse', 60, seed]),
    // The density and length of MountainSort5's file, and (BENCH_LONG=1) its 4 tetrodes sorted together.
    [REALISTIC, 'realistic', 300, seeds[0]],
    // the same tetrode alone on 2 workers, its matching split in time spans
    [REALISTIC, 'split', 300, seeds[0]],
    ...(benchLong ? [[REALISTIC, 'session', 300, seeds[0]]] : []),
  ];
  const rows = [];
  const summary = [];
  const sideBySide = [];
  const outs = {};
  for (const [regime, kind, seconds, seed] of recordings) {
    // the baseline's child may not know 'split'; its one-thread row is the realistic one
    const base = baseline && kind !== 'split' && sortOnce(kind, seconds, seed, { script: baseline.script });
    const mine = sortOnce(kind, seconds, seed);
    outs[`${kind} ${seconds} ${seed}`] = mine;
    if (base) rows.push(row(regime, seconds, seed, base, `baseline ${label}`));
    rows.push(row(regime, seconds, seed, mine, 'this'));
    const what = `sort CPU-s per tetrode-s, ${regime}, ${kind === 'session' ? '4 tetrodes, 2 workers' : 'tetrode'} ${seconds} s, seed ${seed}`;
    const perTetrodeSecond = (out) => out.cpuSeconds / seconds / (out.tetrodes ?? 1);
    summary.push(
      versus(
        what,
        perTetrodeSecond(mine),
        'MountainSort5 (measured elsewhere, not run here)',
        MS5_CPU_PER_TETRODE_SECOND,
        '>= 2x',
      ),
    );
    if (base) {
      summary.push(versus(what, perTetrodeSecond(mine), `baseline ${label}`, perTetrodeSecond(base)));
      sideBySide.push({
        recording: `${kind}, ${seconds} s, seed ${seed}`,
        'baseline CPU-s per tetrode-s': perTetrodeSecond(base),
        'this CPU-s per tetrode-s': perTetrodeSecond(mine),
        speedup: base.cpuSeconds / mine.cpuSeconds,
        'this tetrode-s per wall-s': (seconds * (mine.tetrodes ?? 1)) / mine.wallSeconds,
        'MS5 CPU-s per tetrode-s': MS5_CPU_PER_TETRODE_SECOND,
        goal: MS5_CPU_PER_TETRODE_SECOND / 2,
        'accuracy mean, baseline → this': `${mean(base.accuracy).toFixed(3)} → ${mean(mine.accuracy).toFixed(3)}`,
        'largest per-unit accuracy fall': worstFall(base, mine),
        'digest same': base.digest === mine.digest,
      });
    }
  }
  const single = outs[`realistic 300 ${seeds[0]}`],
    split = outs[`split 300 ${seeds[0]}`];
  const perSecond = (out) => ({
    'wall s': out.wallSeconds,
    'CPU s': out.cpuSeconds,
    '× real time': 300 / out.wallSeconds,
    'CPU-s per s': out.cpuSeconds / 300,
  });
  const splitRows = [
    {
      code: 'one thread (sortGroup)',
      ...perSecond(single),
      'digest same': '',
      'phases wall s (learn / match / gather)': '',
    },
    {
      code: '2 workers, matching split (sortGroupOnPool)',
      ...perSecond(split),
      'digest same': single.digest === split.digest,
      'phases wall s (learn / match / gather)': ['learn', 'match', 'gather']
        .map((k) => split.phases[k].toFixed(2))
        .join(' / '),
    },
  ];
  const { stages } = sortOnce('dense', 60, seeds[0], { stages: true });
  const total = Object.values(stages).reduce((a, b) => a + b, 0);
  const stageRows = Object.entries(stages).map(([stage, s]) => ({ stage, 'CPU s': s, share: s / total }));
  return {
    summary,
    tables: [
      ...(baseline ? [{ title: `this code against ${label}, same run, interleaved`, rows: sideBySide }] : []),
      { title: 'CPU time and accuracy by spike density (sortGroup; one thread, or the session on 2 workers)', rows },
      { title: `one realistic tetrode, 300 s, seed ${seeds[0]}: one thread and 2 workers`, rows: splitRows },
      { title: `stages of sortGroup, dense tetrode, 60 s, seed ${seeds[0]}`, rows: stageRows },
    ],
    notes: [
      `MountainSort5 reference: ${MS5_CPU_PER_TETRODE_SECOND} CPU-s per tetrode-second on a dense tetrode recording (measured elsewhere, not run here); goal ${MS5_CPU_PER_TETRODE_SECOND / 2}`,
      `tetrode-s per wall-s: tetrodes × seconds sorted per wall-clock second (× real time of one tetrode; goal ≥ 60 on 2 cores); load average ${os.loadavg()[0].toFixed(1)} at the end`,
      'accuracy: SpikeForest accuracy tp/(tp+fn+fp) per true unit (compareToTruth, 0.4 ms); digest: SHA-256 of spike times, labels, features and noise overlaps',
      ...(baseline
        ? []
        : ['no baseline in this run: BENCH_DENSITY_BASELINE=<git ref> sorts each recording with that ref too']),
    ],
  };
}

function mean(a) {
  return a.reduce((p, q) => p + q, 0) / a.length;
}
