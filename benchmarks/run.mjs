#!/usr/bin/env node
// Runs every suite in suites/ (or those named on the command line), prints one table per suite
// and writes all results to results/bench-<timestamp>.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { printTable } from './lib/harness.mjs';

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
const results = { machine, date: new Date().toISOString(), suites: {}, summary: [] };
for (const file of files) {
  const t0 = performance.now();
  // A suite that fails is reported and the run goes on: the summary and JSON of the rest survive.
  const suite = await import(new URL(`suites/${file}`, here)).catch((error) => ({ name: file, error }));
  const out = suite.error ? null : await suite.run().catch((error) => ({ error }));
  if (!out || out.error) {
    const error = String((suite.error ?? out.error)?.stack ?? suite.error ?? out.error).split('\n')[0];
    console.log(`\n## ${suite.name ?? file}: FAILED\n\n${error}`);
    results.suites[suite.name ?? file] = { error };
    results.summary.push({ suite: suite.name ?? file, 'kernel / step': `FAILED: ${error}` });
    continue;
  }
  out.wallSeconds = (performance.now() - t0) / 1000;
  for (const table of out.tables) printTable(`${suite.name}: ${table.title}`, table.rows);
  for (const note of out.notes ?? []) console.log(`- ${note}`);
  console.log(`- suite ${suite.name} took ${out.wallSeconds.toFixed(0)} s (wall)`);
  results.suites[suite.name] = out;
  results.summary.push(...(out.summary ?? []).map((r) => ({ suite: suite.name, ...r })));
}
// one table for the whole run: each kernel / step, its baseline, the ratio (regressions show here)
printTable(
  `Summary: every kernel and step against its baseline in this run (huge pages: ${machine.hugepages}; ` +
    `${machine.rounds} interleaved rounds per filter comparison; load average at start ${machine.loadavg.join(' ')})`,
  results.summary,
);
mkdirSync(new URL('results/', here), { recursive: true });
const path = new URL(`results/bench-${results.date.replace(/[:.]/g, '-')}.json`, here);
writeFileSync(path, JSON.stringify(results, null, 2));
console.log(`\nwrote ${path.pathname}`);
