// Sorting speed as multiples of real time, and peak memory: a simulated tetrode and a simulated
// 64-channel probe (sorted as 8 shanks of 8 channels), single thread.
import { sortGroup } from '@spyglass-wasm/spike-sort';
import { simulateRecording } from '@spyglass-wasm/sim';

export const name = 'spike-sort';

const seconds = Number(process.env.BENCH_SORT_SECONDS ?? 60);

function rss() {
  return process.memoryUsage().rss / 2 ** 20;
}

function timeSort(rec, groupChannels) {
  const t0 = performance.now();
  let units = 0;
  for (let g = 0; g < rec.channels / groupChannels; g++) {
    const data = new Float32Array(rec.rows * groupChannels);
    for (let r = 0; r < rec.rows; r++) for (let c = 0; c < groupChannels; c++) data[r * groupChannels + c] = rec.data[r * rec.channels + g * groupChannels + c];
    units += sortGroup({ data, rows: rec.rows, cols: groupChannels }, { fs: rec.fs }).units.length;
  }
  return { seconds: (performance.now() - t0) / 1000, units };
}

export async function run() {
  const rows = [];
  const before = rss();
  const tetrode = simulateRecording({ seed: 1, seconds, units: 8 });
  const t = timeSort(tetrode, 4);
  rows.push({ recording: `tetrode, ${seconds} s`, channels: 4, units: t.units, seconds: t.seconds, 'x real time': seconds / t.seconds, 'peak RSS MiB': rss() - before });
  const probe = simulateRecording({ seed: 2, seconds, units: 40, channels: 64 });
  const p = timeSort(probe, 8);
  rows.push({ recording: `64-ch probe (8 shanks), ${seconds} s`, channels: 64, units: p.units, seconds: p.seconds, 'x real time': seconds / p.seconds, 'peak RSS MiB': rss() - before });
  return {
    tables: [{ title: 'sorting speed (single thread, whole recording in memory)', rows }],
    notes: ['no streaming path yet: memory grows with duration (the recording, filtered copy and snippets are held in memory)'],
  };
}
