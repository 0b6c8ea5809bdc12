import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashFile } from '@spyglass-wasm/provenance';
import { runCli } from './run-cli.js';

const SESSION = new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url).pathname;

describe('spyglass verify on a forged crate', () => {
  it('reproduces an honest lfp crate (analysis NWB compared dataset by dataset) and catches an analysis file swapped for /etc/passwd with its hash fixed', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'spyglass-forge-'));
    let r = await runCli(['lfp', SESSION, '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const key = JSON.parse(r.stdout).result;
    r = await runCli(['export', key, '--out', 'crate', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    r = await runCli(['verify', 'crate'], cwd);
    expect(r.stdout).toMatch(/reproduced\s+lfp[\s\S]*all steps reproduced/);
    expect(r.code).toBe(0);

    const metaPath = join(cwd, 'crate', 'ro-crate-metadata.json');
    const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    const nwb = meta['@graph'].find((n: Record<string, any>) => n['@type'] === 'File' && n.about);
    writeFileSync(join(cwd, 'crate', nwb['@id']), readFileSync('/etc/passwd'));
    nwb['spyglass:blake3'] = await hashFile(join(cwd, 'crate', nwb['@id']));
    nwb.contentSize = readFileSync('/etc/passwd').length;
    writeFileSync(metaPath, JSON.stringify(meta));
    r = await runCli(['verify', 'crate'], cwd);
    expect(r.stdout).toMatch(/differs\s+lfp[\s\S]*not an HDF5 file[\s\S]*NOT reproduced/);
    expect(r.code).toBe(1);
  }, 300_000);
});
