#!/usr/bin/env node
// Runs every suite in suites/ (or those named on the command line), prints one table per suite
// and writes all results to results/bench-<timestamp>.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { cpuSeconds, cpuSince } from './lib/cpu-time.mjs';
import { printTable } from './lib/harness.mjs';
import { pythonExited } from './lib/interleave.mjs';

// Much of a filter's time on long recordings is page faults on freshly allocated output arrays.
// glibc (>= 2.35) can ask for transparent huge pages on its large allocations (Node's
// ArrayBuffers, numpy's arrays alike): re-run this script with that tunable unless
// BENCH_HUGEPAGES=0. Both sides of every comparison run under the same setting.
const HUGEPAGES = 'glibc.malloc.hugetlb=1';
if (process.env.BENCH_HUGEPAGES !== '0' && !(process.env.GLIBC_TUNABLES ?? '').includes(HUGEPAGES)) {
  const tunables = [process.env.GLIBC_TUNABLES, HUGEPAGES].filter(Boolean).join(':');
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, GLIBC_TUNABLES: tunables },
  });
  process.exit(r.status ?? 1);
}

const here = new URL('.', import.meta.url);
const wanted = process.argv.slice(2);
const files = readdirSync(new URL('suites/', here))
  .filter((f) => f.endsWith('.mjs'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

const machine = {
  node: process.version,
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model,
  memGiB: Math.round(os.totalmem() / 2 ** 30),
  loadavg: os.loadavg().map((v) => +v.toFixed(2)),
  hugepages: (process.env.GLIBC_TUNABLES ?? '').includes(HUGEPAGES)
    ? `GLIBC_TUNABLES=${HUGEPAGES} (opt out: BENCH_HUGEPAGES=0)`
    : 'off (BENCH_HUGEPAGES=0)',
  rounds: Number(process.env.BENCH_ROUNDS ?? 5),
};
console.log(`# Spyglass-Wasm benchmarks\n\n${JSON.stringify(machine)}`);
const results = { machine, date: new Date().toISOString(), suites: {}, summary: [], cost: [] };
const runStart = { wall: performance.now(), cpu: cpuSeconds() };
for (const file of files) {
  const t0 = performance.now();
  const cpu0 = cpuSeconds();
  // A suite that fails is reported and the run goes on: the summary and JSON of the rest survive.
  const suite = await import(new URL(`suites/${file}`, here)).catch((error) => ({ name: file, error }));
  const out = suite.error ? null : await suite.run().catch((error) => ({ error }));
  await pythonExited(); // reaped, so their CPU time counts for this suite
  if (!out || out.error) {
    const error = String((suite.error ?? out.error)?.stack ?? suite.error ?? out.error).split('\n')[0];
    console.log(`\n## ${suite.name ?? file}: FAILED\n\n${error}`);
    results.suites[suite.name ?? file] = { error };
    results.summary.push({ suite: suite.name ?? file, 'kernel / step': `FAILED: ${error}` });
    results.cost.push(cost(suite.name ?? file, t0, cpu0));
    continue;
  }
  const spent = cost(suite.name, t0, cpu0);
  out.wallSeconds = spent['wall s'];
  out.cpuSeconds = { self: spent['CPU s (this process)'], children: spent['CPU s (child processes)'] };
  results.cost.push(spent);
  for (const table of out.tables) printTable(`${suite.name}: ${table.title}`, table.rows);
  for (const note of out.notes ?? []) console.log(`- ${note}`);
  console.log(
    `- suite ${suite.name} took ${out.wallSeconds.toFixed(0)} s wall, ${spent['CPU s (total)'].toFixed(0)} s CPU`,
  );
  results.suites[suite.name] = out;
  results.summary.push(...(out.summary ?? []).map((r) => ({ suite: suite.name, ...r })));
}
// one table for the whole run: each kernel / step, its baseline, the ratio (regressions show here)
printTable(
  `Summary: every kernel and step against its baseline in this run (huge pages: ${machine.hugepages}; ` +
    `${machine.rounds} interleaved rounds per filter comparison; load average at start ${machine.loadavg.join(' ')})`,
  results.summary,
);
// what each suite cost, and the whole run against the 15-minute budget of the default run
results.cost.push(cost('whole run', runStart.wall, runStart.cpu));
results.wallSeconds = results.cost.at(-1)['wall s'];
printTable(
  `Cost: wall and CPU time per suite (budget for the default run: 15 min wall; this run ${(results.wallSeconds / 60).toFixed(1)} min)`,
  results.cost,
);
mkdirSync(new URL('results/', here), { recursive: true });
const path = new URL(`results/bench-${results.date.replace(/[:.]/g, '-')}.json`, here);
writeFileSync(path, JSON.stringify(results, null, 2));
console.log(`\nwrote ${path.pathname}`);

/** One row of the cost table: wall time since t0 (ms), CPU since cpu0 of this process and its children. */
function cost(suite, t0, cpu0) {
  const cpu = cpuSince(cpu0);
  return {
    suite,
    'wall s': (performance.now() - t0) / 1000,
    'CPU s (this process)': cpu.self,
    'CPU s (child processes)': cpu.children ?? 'n/a',
    'CPU s (total)': cpu.self + (cpu.children ?? 0),
  };
}
