import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkStore, openStore, runStep, type Step } from '../src/index.js';

const tinyStep = {
  name: 'tiny',
  description: 'test step: two numbers',
  code: { package: 'leftover-test', packageVersion: '1', kernels: [] },
  inputs: [],
  async run(_inputs: unknown, params: Record<string, unknown>) {
    return {
      arrays: { x: { data: Float64Array.of(Number(params.n), 1), shape: [2] } },
      json: {},
      summary: { n: params.n },
    };
  },
} as unknown as Step;

const old = (path: string) => {
  const then = new Date(Date.now() - 10 * 60_000);
  utimesSync(path, then, then);
};

describe('crash leftovers', () => {
  it('the next store open sweeps old partial files and dead verify scratch stores, keeping young partials and final names', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'spyglass-left-')), '.spyglass');
    const s = await openStore({ store: dir });
    const kept = await runStep(s, tinyStep, {}, { params: { n: 1 } });
    await s.close();
    const results = join(dir, 'results');
    writeFileSync(join(results, 'tiny-dead.sgr.123-ab.partial'), 'half');
    old(join(results, 'tiny-dead.sgr.123-ab.partial'));
    writeFileSync(join(results, 'tiny-young.sgr.123-cd.partial'), 'half'); // a writer may still be at it
    // young, but its writer on this host is gone (a dead child's pid): removed at once, dots in the name or not
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const tag = `${hostname().replace(/[^A-Za-z0-9.-]/g, '_')}~${child.stdout}`;
    writeFileSync(join(results, `tiny-gone.sgr.${tag}-ef.partial`), 'half');
    const scratch = mkdtempSync(join(tmpdir(), 'spyglass-verify-'));
    mkdirSync(join(scratch, '.spyglass', 'db'), { recursive: true });
    old(scratch);

    const s2 = await openStore({ store: dir });
    try {
      const names = readdirSync(results);
      expect(names).not.toContain('tiny-dead.sgr.123-ab.partial');
      expect(names).toContain('tiny-young.sgr.123-cd.partial');
      expect(names.filter((n) => n.startsWith('tiny-gone'))).toEqual([]);
      expect(names).toContain(kept.result.file);
      expect(existsSync(scratch)).toBe(false);
    } finally {
      await s2.close();
    }
  });

  it('store check finds orphans, missing and altered files; --repair removes orphans and invalidates broken rows, never a valid result', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'spyglass-left-')), '.spyglass');
    const s = await openStore({ store: dir });
    try {
      const good = await runStep(s, tinyStep, {}, { params: { n: 1 } });
      const altered = await runStep(s, tinyStep, {}, { params: { n: 2 } });
      const lost = await runStep(s, tinyStep, {}, { params: { n: 3 } });
      const results = s.resultsDir;
      // a run killed after renaming its file, before committing its row
      writeFileSync(join(results, 'tiny-orphan.sgr'), 'result bytes');
      old(join(results, 'tiny-orphan.sgr'));
      writeFileSync(join(results, 'tiny-new.sgr'), 'a writer about to commit');
      writeFileSync(join(results, altered.result.file), 'altered');
      const { rm } = await import('node:fs/promises');
      await rm(join(results, lost.result.file));
      const out = mkdtempSync(join(tmpdir(), 'spyglass-out-'));
      writeFileSync(join(out, 'lfp.nwb.999-zz.partial'), 'half');
      old(join(out, 'lfp.nwb.999-zz.partial'));

      const report = await checkStore(s, { dirs: [out] });
      expect(report.ok).toBe(false);
      expect(report.orphanFiles).toEqual(['tiny-orphan.sgr']);
      expect(report.missingFiles).toEqual([{ key: lost.key, file: lost.result.file }]);
      expect(report.checksumMismatches).toEqual([{ key: altered.key, file: altered.result.file }]);
      expect(report.partialFiles).toEqual([join(out, 'lfp.nwb.999-zz.partial')]);

      const repaired = await checkStore(s, { dirs: [out], repair: true });
      expect(repaired.repaired!.invalidated.sort()).toEqual([altered.key, lost.key].sort());
      expect(repaired.repaired!.removed).toContain('tiny-orphan.sgr');
      expect(existsSync(join(results, 'tiny-orphan.sgr'))).toBe(false);
      expect(existsSync(join(results, 'tiny-new.sgr'))).toBe(true);
      expect(existsSync(join(out, 'lfp.nwb.999-zz.partial'))).toBe(false);
      expect((await s.getResult(good.key))!.status).toBe('valid');
      expect(existsSync(join(results, good.result.file))).toBe(true);
      expect((await s.getResult(altered.key))!.status).toBe('invalid');

      const after = await checkStore(s, { dirs: [out] });
      expect(after.ok).toBe(true);
      // an invalidated result is recomputed on next use, and valid again
      const rerun = await runStep(s, tinyStep, {}, { params: { n: 3 } });
      expect(rerun.cached).toBe(false);
      expect((await s.getResult(lost.key))!.status).toBe('valid');
    } finally {
      await s.close();
    }
  });
});

describe('a writer killed with SIGKILL mid-write', () => {
  it('leaves nothing store check --repair cannot clean: afterwards every row has its intact file and nothing else is left', async () => {
    const { spawn } = await import('node:child_process');
    const { readdirSync: list } = await import('node:fs');
    const root = mkdtempSync(join(tmpdir(), 'spyglass-crash-'));
    const dir = join(root, '.spyglass');
    const marker = join(root, 'marker');
    const p = spawn(process.execPath, [new URL('./fixtures/crash-writer.mjs', import.meta.url).pathname, dir, marker], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 3000 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(marker)).toBe(true);
    await new Promise((r) => setTimeout(r, 150));
    p.kill('SIGKILL');
    await new Promise((r) => p.on('exit', r));
    // age whatever it left past the one-minute guard, as if the crash were long ago
    for (const name of list(join(dir, 'results'))) old(join(dir, 'results', name));

    const s = await openStore({ store: dir }); // takes over the dead writer's lock, sweeps partials
    try {
      expect(list(s.resultsDir).filter((n) => n.endsWith('.partial'))).toEqual([]);
      await checkStore(s, { repair: true });
      const after = await checkStore(s);
      expect(after).toMatchObject({ ok: true, orphanFiles: [], missingFiles: [], checksumMismatches: [] });
      const rows = await s.sql.query<{ file: string }>(`SELECT file FROM results WHERE status = 'valid'`);
      expect(rows.length).toBeGreaterThan(0);
      expect(list(s.resultsDir).sort()).toEqual(rows.map((r) => r.file).sort());
    } finally {
      await s.close();
    }
  }, 120_000);
});

describe('writing an --out file', () => {
  it('removes the old .partial siblings a killed writer of the same file left, not young ones or other files', async () => {
    const { writeAtomically } = await import('../src/index.js');
    const out = mkdtempSync(join(tmpdir(), 'spyglass-out-'));
    for (const name of ['lfp.nwb.1-a.partial', 'lfp.nwb.2-b.partial', 'other.nwb.3-c.partial'])
      writeFileSync(join(out, name), 'half');
    old(join(out, 'lfp.nwb.1-a.partial'));
    old(join(out, 'other.nwb.3-c.partial'));
    await writeAtomically(join(out, 'lfp.nwb'), new Uint8Array([1, 2, 3]), { sync: false });
    expect(readdirSync(out).sort()).toEqual(['lfp.nwb', 'lfp.nwb.2-b.partial', 'other.nwb.3-c.partial']);
  });
});
