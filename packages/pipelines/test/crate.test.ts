import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCrate, lineageText, openStore, runStep, verifyCrate, type Store } from '@spyglass-wasm/provenance';
import { lfpStep, ripplesStep, STEPS } from '../src/index.js';

const SESSION = new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url).pathname;

describe('export -> verify', () => {
  let store: Store;
  let key: string;
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'spyglass-crate-'));
    store = await openStore({ store: join(root, '.spyglass') });
    const lfp = await runStep(store, lfpStep, { raw: { file: SESSION } });
    key = (await runStep(store, ripplesStep, { lfp: { result: lfp.key }, session: { file: SESSION } })).key;
  });
  afterAll(async () => store?.close());

  it('log shows the lineage down to the input file', async () => {
    const text = (await lineageText(store, key)).join('\n');
    expect(text).toMatch(/^ripples /);
    expect(text).toMatch(/<- lfp /);
    expect(text).toMatch(/tetrode-session\.nwb/);
    expect(text).toMatch(/@spyglass-wasm\/dsp-wasm@0\.1\.0\+/);
  });

  it('exports an RO-Crate with PROV terms and checksums, and verify reproduces every step', async () => {
    const dir = join(root, 'crate');
    const summary = await exportCrate(store, key, dir);
    expect(summary.results).toHaveLength(2);
    const crate = JSON.parse(readFileSync(join(dir, 'ro-crate-metadata.json'), 'utf8'));
    const graph = crate['@graph'] as Record<string, any>[];
    expect(graph.filter((n) => n['@type']?.includes?.('prov:Activity')).map((n) => n['spyglass:step'])).toEqual([
      'lfp',
      'ripples',
    ]);
    expect(graph.find((n) => n['@id'] === 'inputs/tetrode-session.nwb')?.['spyglass:blake3']).toMatch(/^blake3:/);
    expect(graph.some((n) => n['@id'].endsWith('.nwb') && n['@id'].startsWith('results/'))).toBe(true);
    expect(
      existsSync(join(dir, graph.find((n) => n['@id']?.startsWith?.('parameters/ripples'))?.['@id'] ?? 'missing')),
    ).toBe(true);
    const report = await verifyCrate(dir, { steps: STEPS });
    expect(report.steps.map((s) => s.status)).toEqual(['reproduced', 'reproduced']);
    expect(report.ok).toBe(true);
  });

  it('detects a tampered result and a changed input', async () => {
    const dir = join(root, 'crate-tampered');
    await exportCrate(store, key, dir);
    const crate = JSON.parse(readFileSync(join(dir, 'ro-crate-metadata.json'), 'utf8'));
    const ripFile = crate['@graph'].find(
      (n: any) => n['@id'].startsWith('results/ripples') && n['@id'].endsWith('.sgr'),
    )['@id'];
    const bytes = readFileSync(join(dir, ripFile));
    bytes[bytes.length - 3] ^= 0xff; // flip bits in the last event's maxZscore
    writeFileSync(join(dir, ripFile), bytes);
    let report = await verifyCrate(dir, { steps: STEPS });
    expect(report.ok).toBe(false);
    expect(report.changedFiles).toEqual([ripFile]);
    expect(report.steps.map((s) => s.status)).toEqual(['reproduced', 'differs']);

    const dir2 = join(root, 'crate-input');
    await exportCrate(store, key, dir2);
    appendFileSync(join(dir2, 'inputs/tetrode-session.nwb'), Buffer.from('x'));
    report = await verifyCrate(dir2, { steps: STEPS });
    expect(report.changedFiles).toEqual(['inputs/tetrode-session.nwb']);
    expect(report.steps.map((s) => s.status)).toEqual(['differs', 'missing input']);
  });
});
