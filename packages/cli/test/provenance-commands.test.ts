import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectReadmeFigures } from './readme-figures.js';
import { runCli } from './run-cli.js';

const SESSION = new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url).pathname;
const BIN = new URL('../dist/bin.js', import.meta.url).pathname; // built by npm run build
const truth = JSON.parse(readFileSync(SESSION.replace('.nwb', '.truth.json'), 'utf8'));

describe('store-backed commands', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'spyglass-cli-'));

  it('lfp writes an LFP analysis file and caches; ripples lists events; log, export, verify', async () => {
    let r = await runCli(['lfp', SESSION, '--out', 'lfp.nwb', '--json'], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lfp = JSON.parse(r.stdout);
    expect(lfp).toMatchObject({ step: 'lfp', cached: false, summary: { fs: 1000, channels: 8 } });
    expect(existsSync(join(cwd, 'lfp.nwb'))).toBe(true);
    expect(existsSync(join(cwd, '.spyglass/results'))).toBe(true);
    r = await runCli(['lfp', SESSION, '--json'], cwd);
    expect(JSON.parse(r.stdout)).toMatchObject({ cached: true, result: lfp.result });

    r = await runCli(['ripples', SESSION, '--out', 'ripples.nwb', '--json'], cwd);
    expect(r.code).toBe(0);
    const rip = JSON.parse(r.stdout);
    expect(rip).toMatchObject({ step: 'ripples', cached: false, lfp: { result: lfp.result, cached: true } });
    expect(rip.events).toHaveLength(truth.ripples.length);
    for (const [i, t] of truth.ripples.entries()) {
      expect(Math.abs(rip.events[i].peak - t.peak_s)).toBeLessThan(0.02);
      expect(rip.events[i].start).toBeLessThan(rip.events[i].peak);
      expect(rip.events[i].end).toBeGreaterThan(rip.events[i].peak);
    }
    const { openNwb } = await import('@spyglass-wasm/nwb-io');
    const nwb = await openNwb(join(cwd, 'ripples.nwb'));
    expect(nwb.intervals().map((t) => t.name)).toContain('ripple_times');
    nwb.close();
    expect(JSON.parse((await runCli(['ripples', SESSION, '--json'], cwd)).stdout).cached).toBe(true);

    r = await runCli(['log', rip.result.slice(7, 20)], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ripples[\s\S]*<- lfp[\s\S]*tetrode-session\.nwb/);

    r = await runCli(['export', rip.result, '--out', 'crate', '--json'], cwd);
    expect(r.code).toBe(0);
    r = await runCli(['verify', 'crate'], cwd);
    expect(r.stdout).toMatch(/reproduced\s+lfp[\s\S]*reproduced\s+ripples[\s\S]*all steps reproduced/);
    expect(r.code).toBe(0);
  });

  it('run takes a YAML pipeline and reuses results; bad input is a one-line error', async () => {
    writeFileSync(
      join(cwd, 'p.yaml'),
      'steps:\n  - step: lfp\n    inputs: { raw: $file }\n  - step: ripples\n    params: karlsson\n    inputs: { lfp: lfp, session: $file }\n  - id: theta\n    step: lfp-band\n    params: theta\n    inputs: { lfp: lfp }\n',
    );
    let r = await runCli(['run', 'p.yaml', SESSION, '--json'], cwd);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.runs[0].results.lfp.cached).toBe(true); // computed by the test above
    expect(out.runs[0].results.ripples).toMatchObject({ step: 'ripples', cached: false });
    expect(out.runs[0].results.theta).toMatchObject({
      step: 'lfp-band',
      cached: false,
      summary: { band: [5, 11], channels: 8 },
    });
    writeFileSync(join(cwd, 'bad.json'), JSON.stringify({ steps: [{ step: 'ripples', inputs: { lfp: 'nope' } }] }));
    r = await runCli(['run', 'bad.json', SESSION], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/steps\[0\]\.inputs\.lfp/);
    writeFileSync(join(cwd, 'not.nwb'), 'not an HDF5 file');
    r = await runCli(['lfp', 'not.nwb', '--json'], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not\.nwb/);
    r = await runCli(['log', 'deadbeef'], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no result deadbeef/);
  });

  it('demo runs the main pipeline, and a second run reuses every result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spyglass-demo-'));
    const first = JSON.parse((await runCli(['demo', '--json'], dir)).stdout);
    expect(first.steps.lfp.cached).toBe(false);
    expect(first.steps.ripples.summary.events).toBe(truth.ripples.length);
    expect(first.steps.decode.summary.medianErrorRunningCm).toBeLessThan(15);
    expect(first.resultsDir).toBe(join(dir, '.spyglass/results'));
    const second = JSON.parse((await runCli(['demo', '--json'], dir)).stdout);
    expect(second.cached).toBe(true);
    expect(Object.keys(second.steps)).toEqual(Object.keys(first.steps));
    expect(second.figures).toEqual({ ...first.figures, seconds: second.figures.seconds });
    expectReadmeFigures(first.figures);
  }, 600_000); // the whole demo twice: about a minute on a busy 2-core machine
});

describe('run --enqueue and worker', () => {
  it('queues one pipeline job per file; a worker completes them into the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spyglass-queue-'));
    writeFileSync(
      join(dir, 'p.json'),
      JSON.stringify({
        steps: [
          { step: 'lfp', inputs: { raw: '$file' } },
          { step: 'ripples', inputs: { lfp: 'lfp', session: '$file' } },
        ],
      }),
    );
    let r = await runCli(['run', 'p.json', SESSION, '--enqueue', '--json'], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).jobs).toHaveLength(1);
    // the worker runs steps in a worker thread, which loads built code: run the built bin
    const worker = spawnSync(process.execPath, [BIN, 'worker', '--exit-when-idle', '--json'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, SPYGLASS_QUIET: '1' },
    });
    expect(worker.status, worker.stderr).toBe(0);
    expect(JSON.parse(worker.stdout)).toEqual({ completed: 1 });
    r = await runCli(['run', 'p.json', SESSION, '--json'], dir);
    const results = JSON.parse(r.stdout).runs[0].results;
    expect(results.lfp.cached && results.ripples.cached).toBe(true);
    expect(results.ripples.summary.events).toBe(truth.ripples.length);
  });
});

describe('--store postgres://', () => {
  it('records into a real PostgreSQL server and reuses the result', async () => {
    const { startPgServer } = await import('../../provenance/test/pg-server.js');
    const server = await startPgServer();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'spyglass-pg-cli-'));
      const first = JSON.parse((await runCli(['lfp', SESSION, '--store', server.url, '--json'], dir)).stdout);
      expect(first.cached).toBe(false);
      const again = JSON.parse((await runCli(['lfp', SESSION, '--store', server.url, '--json'], dir)).stdout);
      expect(again).toMatchObject({ cached: true, result: first.result });
      const log = await runCli(['log', first.result, '--store', server.url], dir);
      expect(log.stdout).toMatch(/^lfp [\s\S]*tetrode-session\.nwb/);
    } finally {
      server.stop();
    }
  });
});

describe('spyglass worker as N processes on one machine (PostgreSQL store, shared results folder)', () => {
  it('3 workers share the queued pipeline jobs: each job completed once, results in the folder the store names', async () => {
    const { startPgServer } = await import('../../provenance/test/pg-server.js');
    const { openStore } = await import('@spyglass-wasm/provenance');
    const server = await startPgServer();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'spyglass-workers-'));
      const shared = join(dir, 'shared-results');
      const url = `${server.url}?results=${shared}`;
      const lfp = { step: 'lfp', inputs: { raw: '$file' } };
      writeFileSync(join(dir, 'a.json'), JSON.stringify({ steps: [lfp] }));
      writeFileSync(
        join(dir, 'b.json'),
        JSON.stringify({ steps: [lfp, { step: 'ripples', inputs: { lfp: 'lfp', session: '$file' } }] }),
      );
      const enqueue = async (pipeline: string) => {
        const r = await runCli(['run', pipeline, SESSION, '--enqueue', '--store', url, '--json'], dir);
        expect(r.code, r.stderr).toBe(0);
        return JSON.parse(r.stdout).jobs[0].job as number;
      };
      const a = await enqueue('a.json');
      const b = await enqueue('b.json');
      expect(await enqueue('a.json')).toBe(a); // the same job, still waiting, is not queued twice
      // workers are given the store URL only: the store names the results folder
      const workers = ['w1', 'w2', 'w3'].map((name) => {
        const p = spawn(
          process.execPath,
          [BIN, 'worker', '--store', server.url, '--name', name, '--exit-when-idle', '--json'],
          { cwd: dir, env: { ...process.env, SPYGLASS_QUIET: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        let err = '';
        p.stdout!.on('data', (d) => (out += d));
        p.stderr!.on('data', (d) => (err += d));
        return new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
          p.on('exit', (code) => resolve({ code, out, err })),
        );
      });
      const ends = await Promise.all(workers);
      for (const e of ends) expect(e.code, e.err).toBe(0);
      const completed = ends.map((e) => (JSON.parse(e.out) as { completed: number }).completed);
      expect(completed.reduce((x, y) => x + y)).toBe(2);
      // nothing but what the CLI says itself: no runtime warnings (e.g. from the job engine or pg)
      expect(ends.map((e) => e.err).join('')).toBe('');
      const store = await openStore({ store: server.url });
      try {
        const jobs = await store.jobs();
        expect(jobs.map((j) => [j.id, j.status])).toEqual([
          [a, 'done'],
          [b, 'done'],
        ]);
        const events = await store.jobEvents();
        for (const j of jobs) expect(events.filter((e) => e.jobId === j.id && e.event === 'completed')).toHaveLength(1);
        expect(store.resultsDir).toBe(shared);
        expect(readdirSync(shared).length).toBeGreaterThan(0);
        expect(existsSync(join(dir, '.spyglass'))).toBe(false);
      } finally {
        await store.close();
      }
    } finally {
      server.stop();
    }
  }, 300_000);
});
