import { existsSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('spyglass store check', () => {
  it('reports a partial --out file left by a crash (exit 1), removes it with --repair (exit 0), then is ok', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'spyglass-check-'));
    let r = await runCli(['store', 'check', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, orphanFiles: [], partialFiles: [] });

    const partial = join(cwd, 'lfp.nwb.4242-abc.partial');
    writeFileSync(partial, 'half an NWB file');
    const then = new Date(Date.now() - 5 * 60_000);
    utimesSync(partial, then, then);
    r = await runCli(['store', 'check'], cwd);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/partial file: .*lfp\.nwb\.4242-abc\.partial[\s\S]*problems found/);
    r = await runCli(['store', 'check', '--repair'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/repaired: removed 1 file/);
    expect(existsSync(partial)).toBe(false);
    expect((await runCli(['store', 'check'], cwd)).stdout).toMatch(/: ok/);
  });

  it('a subcommand other than check is a usage error naming it', async () => {
    const r = await runCli(['store', 'fix'], mkdtempSync(join(tmpdir(), 'spyglass-check-')));
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/store subcommand/);
    expect(lines.slice(1)).toEqual([expect.stringMatching(/^usage: spyglass store check/)]);
  });
});
