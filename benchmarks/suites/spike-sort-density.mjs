// Sorting cost against spike density: CPU seconds per tetrode-second and SpikeForest accuracy of
// sortGroup on a dense tetrode (10 units at 20–40 Hz, ~300 spikes/s, the regime of real tetrodes
// with many active units) beside the sparse simulator of the package bench (8 units at 2–20 Hz),
// with MountainSort5's cost on a dense tetrode recording (0.07 CPU-s per tetrode-second, measured
// elsewhere) and the goal of half that. Each row is a fresh process; the dense seed-1 row also
// gives the time of each stage of sortGroup (the staged run makes the same calls and the same
// sorting, checked by its digest). BENCH_DENSITY_SEEDS sets the seeds (default "1,2").
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { versus } from '../lib/harness.mjs';

export const name = 'spike-sort-density';

const child = fileURLToPath(new URL('../lib/sort-density-child.mjs', import.meta.url));
const seeds = (process.env.BENCH_DENSITY_SEEDS ?? '1,2').split(',').map(Number);
const MS5_CPU_PER_TETRODE_SECOND = 0.07;

function sortOnce(regime, seconds, seed) {
  const r = spawnSync(process.execPath, [child, regime, String(seconds), String(seed), '--stages'], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`sort-density-child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

function row(regime, seconds, seed, out) {
  const mean = out.accuracy.reduce((a, b) => a + b, 0) / out.accuracy.length;
  // Units of amplitude ≥ 100 µV (SNR ≳ 6 after the band-pass): those a sorter should get.
  const large = out.accuracy.filter((_, u) => out.amplitudes[u] >= 100);
  return {
    regime,
    recording: `tetrode, ${seconds} s, seed ${seed}`,
    'true spikes/s': out.trueSpikes / seconds,
    'units true/found': `${out.accuracy.length}/${out.units}`,
    'CPU s': out.cpuSeconds,
    'CPU-s per tetrode-s': out.cpuSeconds / seconds,
    'MS5 CPU-s per tetrode-s': MS5_CPU_PER_TETRODE_SECOND,
    'goal (MS5 / 2)': MS5_CPU_PER_TETRODE_SECOND / 2,
    'accuracy mean': mean,
    'accuracy min (≥100 µV)': Math.min(...large),
    digest: out.digest,
  };
}

export async function run() {
  const rows = [];
  let stages;
  for (const seed of seeds) {
    const dense = sortOnce('dense', 60, seed);
    stages ??= dense.stages;
    rows.push(row('dense (10 units, 20–40 Hz)', 60, seed, dense));
  }
  rows.push(row('dense (10 units, 20–40 Hz)', 120, seeds[0], sortOnce('dense', 120, seeds[0])));
  for (const seed of seeds) rows.push(row('sparse (8 units, 2–20 Hz)', 60, seed, sortOnce('sparse', 60, seed)));
  const total = Object.values(stages).reduce((a, b) => a + b, 0);
  const stageRows = Object.entries(stages).map(([stage, s]) => ({ stage, 'CPU s': s, share: s / total }));
  const summary = rows.map((r) =>
    versus(
      `sort CPU-s per tetrode-s, ${r.regime}, ${r.recording}`,
      r['CPU-s per tetrode-s'],
      'MountainSort5 (measured elsewhere, not run here)',
      MS5_CPU_PER_TETRODE_SECOND,
      '>= 2x',
    ),
  );
  return {
    summary,
    tables: [
      { title: 'CPU time and accuracy, dense vs sparse tetrode (sortGroup, one thread)', rows },
      { title: `stages of sortGroup, dense tetrode, 60 s, seed ${seeds[0]}`, rows: stageRows },
    ],
    notes: [
      `MountainSort5 reference: ${MS5_CPU_PER_TETRODE_SECOND} CPU-s per tetrode-second on a dense tetrode recording (measured elsewhere, not run here)`,
      'accuracy: SpikeForest accuracy tp/(tp+fn+fp) per true unit (compareToTruth, 0.4 ms); digest: SHA-256 of spike times, labels, features and noise overlaps',
    ],
  };
}
