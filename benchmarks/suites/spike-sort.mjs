// Sorting speed as multiples of real time, and peak memory, side by side: the whole recording in
// memory (sortGroup) against the streaming path (sortStream: 10 s chunks, templates learned from
// 120 s spread over the recording). Each row runs in a fresh process, so its peak RSS is its own.
// A 64-channel probe is 8 shanks of 8 channels sorted one after another, single thread.
// BENCH_SORT_LONG_MINUTES sets the longest streamed recording (default 16 min, an hour with BENCH_LONG=1).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchLong, versus } from '../lib/harness.mjs';

export const name = 'spike-sort';

const child = fileURLToPath(new URL('../lib/sort-child.mjs', import.meta.url));
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
  const summary = [...memory.map((r) => realTime(r, '>= 60x')), ...probe.map((r) => realTime(r, '>= 4x'))];
  return {
    summary,
    tables: [
      { title: 'tetrode: peak memory against duration, in memory vs streamed', rows: memory },
      { title: '64-channel probe (8 shanks x 8 channels), 1 min', rows: probe },
    ],
    notes: [
      `in memory, 2 -> 8 min adds ${grow(whole).toFixed(0)} MiB of peak RSS; streamed, 2 -> ${longMinutes} min adds ${grow(streamed).toFixed(0)} MiB (spike times and features only)`,
      'single thread; sortNwb sorts electrode groups in parallel on a worker pool (createSortPool)',
    ],
  };
}
