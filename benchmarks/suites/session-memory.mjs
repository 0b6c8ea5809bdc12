// `spyglass run` (LFP, position, ripples, sort, marks, decode) on simulated rest/run sessions of increasing
// duration: each step's peak RSS and × real time, per duration. Bounded memory means the peak is flat in
// duration. Default 16 ch × 5, 10, 20 s (the sort step, ~1× real time, is most of the cost). BENCH_LONG=1:
// 128 ch × 5 and 15 min, LFP, position and ripples only (~40 min on the busy 2-core machine; sort and marks
// at 128 ch run at 0.3–0.5× real time here, each tetrode reading every gzip chunk of the 128 columns:
// README). BENCH_SESSION_SECONDS=60,120 and BENCH_SESSION_CHANNELS=32 choose other sizes;
// BENCH_SESSION_STEPS=sort,decode runs only those steps (list the steps a step needs before it: ripples needs
// lfp,position; decode needs sort; clusterless, a clusterless decode, reads the raw file);
// BENCH_SESSION_CLI=<path to another build's packages/cli/dist/bin.js> measures that build (a baseline)
// on the same sessions; BENCH_SESSION_BASELINE_CLI=<path> measures that build too, in the same run on the
// same sessions, as rows '<step> (baseline)'.
// Sort and marks hold a group's samples in memory up to 10 min and stream beyond: their peak grows up to 10 min
// (sort at 128 ch, two workers: 1.5 / 2.2 GB at 2 / 5 min) and is flat from there.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchLong } from '../lib/harness.mjs';
import { makeSession } from '../lib/make-session.mjs';

export const name = 'session-memory';

const CLI = process.env.BENCH_SESSION_CLI ?? fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
const BASELINE_CLI = process.env.BENCH_SESSION_BASELINE_CLI;
const ALL_STEPS = {
  lfp: '  - step: lfp\n    inputs: { raw: $file }',
  position: '  - step: position\n    inputs: { session: $file }',
  ripples: '  - step: ripples\n    params: kay\n    inputs: { lfp: lfp, position: position }',
  'lfp-band': '  - step: lfp-band\n    inputs: { lfp: lfp }', // needs lfp
  sort: '  - step: sort\n    inputs: { raw: $file }',
  marks: '  - step: marks\n    inputs: { raw: $file }',
  decode: '  - step: decode\n    inputs: { units: sort, session: $file }',
  // clusterless decoding: marks from the raw series, no sort
  clusterless:
    '  - step: decode\n    id: clusterless\n    params: clusterless\n    inputs: { units: $file, session: $file }',
};
const STEPS = (
  process.env.BENCH_SESSION_STEPS?.split(',') ??
  (benchLong ? ['lfp', 'position', 'ripples'] : Object.keys(ALL_STEPS).filter((id) => id !== 'clusterless'))
) // clusterless only when asked
  .map((id) => {
    if (!ALL_STEPS[id]) throw new Error(`BENCH_SESSION_STEPS: unknown step ${id} (one of ${Object.keys(ALL_STEPS)})`);
    return ALL_STEPS[id];
  });
const list = (v) => v?.split(',').map(Number);
const durations = list(process.env.BENCH_SESSION_SECONDS) ?? (benchLong ? [300, 900] : [5, 10, 20]);
const channels = Number(process.env.BENCH_SESSION_CHANNELS ?? (benchLong ? 128 : 16));
const MB = 2 ** 20;

export async function run() {
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-session-'));
  const memory = [],
    speed = [];
  try {
    for (const seconds of durations) {
      const file = join(dir, `session-${seconds}s.nwb`);
      const t0 = performance.now();
      await makeSession({ seconds, channels, path: file });
      const writeS = (performance.now() - t0) / 1000;
      const steps = measureSteps(file, join(dir, `store-${seconds}`), dir);
      if (BASELINE_CLI)
        for (const [id, t] of Object.entries(measureSteps(file, join(dir, `base-${seconds}`), dir, BASELINE_CLI)))
          steps[`${id} (baseline)`] = t;
      const peaks = Object.fromEntries(Object.entries(steps).map(([id, t]) => [id, t.peakRssBytes / MB]));
      memory.push({
        seconds,
        channels,
        'peak RSS MB': Math.max(
          ...Object.entries(peaks).flatMap(([id, mb]) => (id.endsWith('(baseline)') ? [] : [mb])),
        ),
        ...Object.fromEntries(Object.entries(peaks).map(([id, mb]) => [`${id} MB`, mb])),
        'write s': writeS,
      });
      speed.push({
        seconds,
        ...Object.fromEntries(Object.entries(steps).map(([id, t]) => [`${id} ×rt`, t.realTime])),
        'run s': Object.values(steps).reduce((s, t) => s + t.wallS, 0),
      });
      rmSync(file, { force: true });
    }
    const peaks = memory.map((r) => r['peak RSS MB']);
    // each step's growth: its peak at the longest duration over its peak at the shortest (1 = flat)
    const growth = Object.keys(memory[0])
      .filter((k) => k.endsWith(' MB') && k !== 'peak RSS MB')
      .map((k) => ({
        step: k.slice(0, -3),
        [`MB at ${durations.join('/')} s`]: memory.map((r) => r[k].toFixed(0)).join(' / '),
        'longest / shortest': memory[memory.length - 1][k] / memory[0][k],
        'MB per added minute':
          ((memory[memory.length - 1][k] - memory[0][k]) / (durations[durations.length - 1] - durations[0])) * 60,
      }));
    return {
      tables: [
        { title: `peak RSS per step (MB) against session duration, ${channels} ch int16 at 30 kHz`, rows: memory },
        { title: "growth of each step's peak RSS with duration", rows: growth },
        { title: 'throughput per step (× real time)', rows: speed },
      ],
      summary: [
        {
          'kernel / step': `spyglass run peak RSS, ${channels} ch × ${durations.join('/')} s`,
          'ours s': speed.reduce((s, r) => s + r['run s'], 0),
          baseline: 'flat in duration (< 1.5 GB)',
          'x baseline': peaks[peaks.length - 1] / peaks[0],
          goal: `MB ${peaks.map((p) => p.toFixed(0)).join(' / ')}`,
          met: peaks[peaks.length - 1] < 1536 && peaks[peaks.length - 1] / peaks[0] < 1.2 ? 'yes' : 'no',
        },
      ],
      notes: [
        'peak RSS per step: each step computed in a fresh process (the steps before it cached in the store), from spyglass run --timing',
        "'x baseline' in the summary is the longest session's peak over the shortest's (1 = flat)",
        'decode encodes on the first 80 % of each session and decodes the last 20 % (2 ms bins): its posterior spans a fifth of the duration',
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Each step's timing, measured alone: the pipeline up to that step runs in a fresh process with the
 * steps before it already in the store (cached), so a step's peak RSS is not what earlier ones left.
 */
export function measureSteps(file, store, dir, cli = CLI) {
  const timing = {};
  STEPS.forEach((_, i) => {
    const pipeline = join(dir, `pipeline-${i}.yaml`);
    writeFileSync(pipeline, `steps:\n${STEPS.slice(0, i + 1).join('\n')}\n`);
    const r = spawnSync(process.execPath, [cli, 'run', pipeline, file, '--store', store, '--timing', '--json', '-q'], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      env: { ...process.env, SPYGLASS_QUIET: '1' },
    });
    if (r.status !== 0) throw new Error(`spyglass run failed on ${file}: ${r.stderr.trim().split('\n').at(-1)}`);
    const results = Object.entries(JSON.parse(r.stdout).runs[0].results);
    const [id, last] = results[results.length - 1];
    if (last.cached) throw new Error(`session-memory: ${id} was cached in a fresh store`);
    timing[id] = last.timing;
  });
  return timing;
}
