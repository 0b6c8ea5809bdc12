// The tiny harness every suite shares: time a function, run a Python baseline, format results.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Median wall time (s) of `fn` over `repeat` runs after one warm-up. */
export async function timeIt(fn, { repeat = 3, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    await fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Debian's python3 with numpy+scipy, or null (the suites say so in their notes). */
export function findScipy() {
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (py.startsWith('/') && !existsSync(py)) continue;
    const r = spawnSync(py, ['-c', 'import scipy, numpy; print(scipy.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { python: py, version: r.stdout.trim() };
  }
  return null;
}

/** Runs a Python snippet; returns its stdout parsed as JSON. */
export function runPython(python, code, { env = {} } = {}) {
  const r = spawnSync(python, ['-c', code], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

/** Prints rows as an aligned text table. */
export function printTable(title, rows) {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]);
  const cell = (v) =>
    typeof v === 'number' ? (Math.abs(v) >= 1000 ? v.toExponential(3) : +v.toPrecision(4)).toString() : String(v ?? '');
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals) => vals.map((v, i) => v.padEnd(width[i])).join('  ');
  console.log(`\n## ${title}\n`);
  console.log(line(cols));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c]))));
}

/** max|a − b| / RMS(b): the accuracy figure every filter suite reports. */
export function maxAbsOverRms(a, b) {
  let worst = 0,
    ss = 0;
  for (let i = 0; i < b.length; i++) {
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
    ss += b[i] * b[i];
  }
  return worst / Math.sqrt(ss / b.length);
}

/** Seeded (time × channels) float32 test data: Gaussian noise of RMS `noise` plus a slow sine. */
export function benchSignal(rows, cols, { seed = 2024, noise = 20, slow = 50 } = {}) {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++)
    data[i] = noise * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()) + slow * Math.sin((i / cols) * 0.002);
  return data;
}

/**
 * One row of the run's summary table: our time against a baseline's, measured in the same run
 * unless the baseline's name says otherwise; `x baseline` is how many times faster we are: the
 * ratio of the two times, or `{ ratio }` when the suite measured it round by round (interleave);
 * `{ throughput }` says how much data ours went through per second (e.g. '41.2 Msamples/s').
 */
export function versus(what, oursSeconds, baseline, baselineSeconds, goal = '', { ratio: measured, throughput } = {}) {
  const ratio = measured ?? (baselineSeconds > 0 && oursSeconds > 0 ? baselineSeconds / oursSeconds : NaN);
  return {
    'kernel / step': what,
    throughput: throughput ?? '',
    'ours s': oursSeconds,
    baseline,
    'baseline s': baselineSeconds,
    'x baseline': ratio,
    goal,
    met: goalMet(goal, ratio),
  };
}

/** Goals read '>= 5x' (times faster than the baseline) or 'overhead < 2 %' (ours over the baseline). */
function goalMet(goal, ratio) {
  const times = /^>= ([\d.]+)x$/.exec(goal),
    overhead = /^overhead < ([\d.]+) %$/.exec(goal);
  if (times) return ratio >= Number(times[1]) ? 'yes' : 'no';
  if (overhead) return (1 / ratio - 1) * 100 < Number(overhead[1]) ? 'yes' : 'no';
  return '';
}

/**
 * Summary rows of a table of `impl`/`seconds` rows: each of ours against the fastest baseline row;
 * a row's `ratio` (median of interleaved rounds against that baseline) wins over seconds / seconds,
 * and its `Msamples/s`, if set, is the row's throughput.
 */
export function versusBaseline(what, rows, isBaseline, goals = {}) {
  const base = rows.filter((r) => isBaseline(r.impl)).sort((a, b) => a.seconds - b.seconds)[0];
  if (!base) return [];
  return rows
    .filter((r) => !isBaseline(r.impl))
    .map((r) =>
      versus(`${what}: ${r.impl}`, r.seconds, base.impl, base.seconds, goals[r.impl] ?? '', {
        ratio: r.ratio,
        throughput: r['Msamples/s'] === undefined ? undefined : `${r['Msamples/s'].toPrecision(3)} Msamples/s`,
      }),
    );
}

/** BENCH_LONG=1: the suites' longer sizes (the default run stays within 15 minutes). */
export const benchLong = process.env.BENCH_LONG === '1';
