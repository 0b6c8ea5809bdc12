// Querying the store as Spyglass users query DataJoint tables: ls, show, params, rm (cascading).
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const SESSION = fileURLToPath(new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url));
let store: string;
let ripples: { result: string; lfp: { result: string }; analysisFile: string };

beforeAll(async () => {
  store = join(mkdtempSync(join(os.tmpdir(), 'spyglass-query-')), 'store');
  ripples = JSON.parse((await runCli(['ripples', SESSION, '--store', store, '--json'])).stdout);
});

describe('spyglass ls / show / params / rm', () => {
  it('ls lists every result, and filters by step, parameter set and file', async () => {
    const all = JSON.parse((await runCli(['ls', '--store', store, '--json'])).stdout) as {
      key: string;
      step: string;
      paramSetName: string;
    }[];
    expect(all.map((r) => r.step).sort()).toEqual(['lfp', 'position', 'ripples']);
    const rip = JSON.parse((await runCli(['ls', '--step', 'ripples', '--store', store, '--json'])).stdout);
    expect(rip).toHaveLength(1);
    expect(rip[0]).toMatchObject({ key: ripples.result, paramSetName: 'default' });
    expect(JSON.parse((await runCli(['ls', '--file', SESSION, '--store', store, '--json'])).stdout)).toHaveLength(3);
    expect(JSON.parse((await runCli(['ls', '--params', 'karlsson', '--store', store, '--json'])).stdout)).toHaveLength(
      0,
    );
    const text = await runCli(['ls', '--store', store]);
    expect(text.stdout).toMatch(/3 results in /);
    const bad = await runCli(['ls', '--step', 'nope', '--store', store]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--step.*one of lfp/);
  });
  it('show prints a result with its parameters and lineage', async () => {
    const r = await runCli(['show', ripples.result.slice(7, 19), '--store', store]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/step +ripples/);
    expect(r.stdout).toMatch(/<- lfp/);
  });
  it('params lists the named sets with their values', async () => {
    const sets = JSON.parse((await runCli(['params', '--json'])).stdout);
    expect(sets.ripples.karlsson).toMatchObject({ detector: 'karlsson', zscoreThreshold: 3 });
    expect(sets.position.default).toMatchObject({ maxLedSeparation: 9, speedSmoothingStd: 0.1 });
    expect((await runCli(['params', 'ripples'])).stdout).toMatch(/^ripples +default/m);
  });
  it('rm lists what it would delete, and with --yes deletes the result and everything downstream', async () => {
    const dry = await runCli(['rm', ripples.lfp.result, '--store', store]);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toMatch(/would delete 2 results/);
    const r = JSON.parse((await runCli(['rm', ripples.lfp.result, '--yes', '--store', store, '--json'])).stdout);
    expect(r.deleted).toBe(2);
    expect(existsSync(ripples.analysisFile)).toBe(false);
    const left = JSON.parse((await runCli(['ls', '--store', store, '--json'])).stdout);
    expect(left.map((x: { step: string }) => x.step)).toEqual(['position']);
  });
});
