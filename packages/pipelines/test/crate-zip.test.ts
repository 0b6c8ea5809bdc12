// A manual curation through the store, exported as an RO-Crate zip (what the viewer downloads)
// and verified from the zip: recomputed from the parameters alone; zip-slip names, zip bombs and
// non-crate zips refused with one-line errors.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  crateZipFiles,
  decodeResult,
  exportCrateZip,
  lineageGraph,
  openCrate,
  hashBytes,
  openStore,
  runStep,
  verifyCrate,
  type Store,
} from '@spyglass-wasm/provenance';
import { curateStep, resultView, sortStep, STEPS } from '../src/index.js';

const SESSION = new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url).pathname;

describe('crate zip: curate -> export zip -> verify', () => {
  let store: Store;
  let root: string;
  let zipPath: string;
  let curatedKey: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'spyglass-crate-zip-'));
    store = await openStore({ store: join(root, '.spyglass') });
    const sort = await runStep(store, sortStep, { raw: { file: SESSION } });
    const curated = await runStep(
      store,
      curateStep,
      { sorting: { result: sort.key } },
      { overrides: { labels: { 0: 'noise', 1: 'noise' }, merge: [[2, 3]] } },
    );
    curatedKey = curated.key;
    const session = readFileSync(SESSION);
    const sessionHash = await hashBytes(session);
    // as the viewer does: the store has no copy of the input, the caller hands over its bytes
    const { zip } = await exportCrateZip(store, curated.key, {
      input: async (e) => (e.checksum === sessionHash ? new Uint8Array(session) : undefined),
    });
    zipPath = join(root, 'crate.zip');
    writeFileSync(zipPath, zip);
  }, 600_000);
  afterAll(async () => {
    await store?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('records the manual curation as a curate step whose parent is the sort', async () => {
    const lineage = await store.lineage(curatedKey);
    expect(lineage.map((r) => r.step)).toEqual(['sort', 'curate']);
    const curated = lineage[1];
    expect(curated.activity.params).toMatchObject({ labels: { 0: 'noise', 1: 'noise' }, merge: [[2, 3]] });
    const data = decodeResult(readFileSync(join(root, '.spyglass', 'results', curated.file)));
    expect((data.json.units as { sortedUnits: number[] }[]).some((u) => u.sortedUnits.join() === '2,3')).toBe(true);
    expect((data.json.labels as string[]).slice(0, 2)).toEqual(['noise', 'noise']);
  });

  it('verify accepts the zip and recomputes both steps', async () => {
    const report = await verifyCrate(zipPath, { steps: STEPS });
    expect(
      report.steps.map((s) => [s.step, s.status, s.detail]),
      JSON.stringify(report),
    ).toEqual([
      ['sort', 'reproduced', undefined],
      ['curate', 'reproduced', undefined],
    ]);
    expect(report.ok).toBe(true);
  }, 600_000);

  const zipOf = (entries: Record<string, Uint8Array>) => {
    const p = join(root, `bad-${Object.keys(entries).length}-${Math.random().toString(36).slice(2)}.zip`);
    writeFileSync(p, zipSync(entries));
    return p;
  };
  const text = (s: string) => new TextEncoder().encode(s);

  it('refuses entry names that leave the crate (zip-slip)', async () => {
    for (const name of ['../evil.json', '/abs/evil.json', 'a/../../evil.json', 'C:/evil.json']) {
      await expect(
        verifyCrate(zipOf({ 'ro-crate-metadata.json': text('{}'), [name]: text('x') }), { steps: STEPS }),
      ).rejects.toThrow(/relative path inside the crate/);
    }
  });

  it('stops a zip that inflates beyond the byte budget (counted while inflating)', async () => {
    const bomb = zipOf({ 'ro-crate-metadata.json': text('{"@graph":[]}'), 'inputs/big.nwb': new Uint8Array(8 << 20) });
    await expect(
      verifyCrate(bomb, { steps: STEPS, limits: { maxBytes: 1 << 20, maxMetadataBytes: 1 << 10 } }),
    ).rejects.toThrow(/at most \d+ bytes once unpacked/);
  });

  it('a zip that is not a crate, or not a zip, gets a readable message', async () => {
    await expect(verifyCrate(zipOf({ 'notes.txt': text('hello') }), { steps: STEPS })).rejects.toThrow(
      /RO-Crate folder with ro-crate-metadata.json/,
    );
    const notZip = join(root, 'not-a.zip');
    writeFileSync(notZip, 'plain text, not a zip');
    await expect(verifyCrate(notZip, { steps: STEPS })).rejects.toThrow(/not-a\.zip.*zip/);
  });

  it('opens the zip for reading: the same records, lineage graph and result views as the store', async () => {
    const bytes = new Uint8Array(readFileSync(zipPath));
    const crate = await openCrate(await crateZipFiles(bytes, 'crate.zip'));
    expect(crate.root).toBe(curatedKey);
    const chain = await store.lineage(curatedKey);
    expect(crate.results.map((r) => [r.step, r.key, r.file, r.checksum])).toEqual(
      chain.map((r) => [r.step, r.key, r.file, r.checksum]),
    );
    // activities read back whole: the code version, parameters, inputs and the store's summary
    for (const [i, r] of crate.results.entries()) {
      expect({ ...r.activity, runtime: undefined }).toEqual({ ...chain[i].activity, runtime: undefined });
      expect(r.summary).toEqual(chain[i].summary);
    }
    const strip = (g: Awaited<ReturnType<typeof lineageGraph>>) => ({
      ...g,
      nodes: g.nodes.map((n) => ({ ...n, detail: n.kind === 'file' ? '' : n.detail })),
    });
    expect(strip(await lineageGraph(crate.repository, curatedKey))).toEqual(
      strip(await lineageGraph(store, curatedKey)),
    );
    const [fromCrate, fromStore] = [
      await resultView(crate.repository, curatedKey),
      await resultView(store, curatedKey),
    ];
    expect(fromCrate.data).toEqual(fromStore.data);
    expect(crate.changed.size).toBe(0);
    expect([...crate.inputs.values()]).toEqual(['inputs/tetrode-session.nwb']);
  }, 120_000);

  it('opens a zipped crate folder, flags a file whose bytes changed, and names a zip that is no crate', async () => {
    const { unzipSync } = await import('fflate');
    const entries = unzipSync(new Uint8Array(readFileSync(zipPath)));
    const sgr = Object.keys(entries).find((n) => n.startsWith('results/curate-') && n.endsWith('.sgr'))!;
    const edited = entries[sgr].slice();
    edited[edited.length - 1] ^= 1;
    const folder = zipSync(
      Object.fromEntries(Object.entries({ ...entries, [sgr]: edited }).map(([n, b]) => [`my-crate/${n}`, b])),
    );
    const crate = await openCrate(await crateZipFiles(folder, 'folder.zip'));
    await resultView(crate.repository, curatedKey);
    expect([...crate.changed]).toEqual([sgr]);
    await expect(crateZipFiles(zipSync({ 'notes.txt': text('hello') }), 'notes.zip')).rejects.toThrow(
      /parameter 'notes\.zip': expected an RO-Crate zip \(with ro-crate-metadata\.json\), got "a zip of 1 files without it"/,
    );
    await expect(crateZipFiles(text('plain text'), 'plain.zip')).rejects.toThrow(/'plain\.zip'.*unreadable zip/);
  });
});
