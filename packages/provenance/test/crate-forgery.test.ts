import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeResult,
  encodeResult,
  exportCrate,
  hashFile,
  openStore,
  runStep,
  verifyCrate,
  CRATE_FILE,
  type Step,
} from '../src/index.js';

/** Scales the numbers of a text file; its analysis file is JSON of the result (deterministic bytes). */
const scaleStep: Step = {
  name: 'scale',
  description: 'test step: numbers of a text file times a factor',
  code: { package: 'crate-test', packageVersion: '1', kernels: [] },
  inputs: ['raw'],
  paramSets: { default: { factor: 2 } },
  async run(inputs, params) {
    const { readFile } = await import('node:fs/promises');
    const input = inputs.raw as { path: string };
    const numbers = (await readFile(input.path, 'utf8')).trim().split(/\s+/).map(Number);
    return {
      arrays: {
        x: { data: Float64Array.from(numbers, (v) => v * (params.factor as number)), shape: [numbers.length] },
      },
      json: { n: numbers.length },
      summary: { n: numbers.length },
    };
  },
  analysisFile: {
    extension: '.json',
    async write(data, provenance) {
      return new TextEncoder().encode(
        JSON.stringify({ key: provenance.key, x: Array.from(data.arrays.x.data as Float64Array) }),
      );
    },
  },
} as Step;

const sumStep: Step = {
  name: 'sum',
  description: 'test step: the sum of a scale result',
  code: { package: 'crate-test', packageVersion: '1', kernels: [] },
  inputs: ['scaled'],
  paramSets: { default: {} },
  async run(inputs) {
    const x = (inputs.scaled as unknown as { data: { arrays: { x: { data: Float64Array } } } }).data.arrays.x.data;
    return {
      arrays: { sum: { data: Float64Array.of(x.reduce((a, b) => a + b, 0)), shape: [1] } },
      json: {},
      summary: {},
    };
  },
} as Step;

const STEPS = { scale: scaleStep, sum: sumStep };
let base: string;
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'spyglass-forgery-'));
  writeFileSync(join(work, 'raw.txt'), '1 2 3 4 5');
  const store = await openStore({ store: join(work, '.spyglass') });
  try {
    const scaled = await runStep(store, scaleStep, { raw: { file: join(work, 'raw.txt') } });
    const sum = await runStep(store, sumStep, { scaled: { result: scaled.key } });
    base = join(work, 'crate');
    await exportCrate(store, sum.key, base);
  } finally {
    await store.close();
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

let copies = 0;
function copy(): string {
  const dir = join(work, `copy-${copies++}`);
  cpSync(base, dir, { recursive: true });
  return dir;
}
const meta = (dir: string) => JSON.parse(readFileSync(join(dir, CRATE_FILE), 'utf8'));
const saveMeta = (dir: string, m: unknown) => writeFileSync(join(dir, CRATE_FILE), JSON.stringify(m));
const fileNode = (m: { '@graph': Record<string, any>[] }, pred: (n: Record<string, any>) => boolean) =>
  m['@graph'].find((n) => n['@type'] === 'File' && pred(n))!;

/** Replaces a shipped file and fixes its checksum and size in the metadata, as a forger would. */
async function forge(
  dir: string,
  pred: (n: Record<string, any>) => boolean,
  bytes: Uint8Array | string,
): Promise<string> {
  const m = meta(dir);
  const node = fileNode(m, pred);
  writeFileSync(join(dir, node['@id']), bytes);
  node['spyglass:blake3'] = await hashFile(join(dir, node['@id']));
  node.contentSize = Buffer.byteLength(bytes as string);
  saveMeta(dir, m);
  return node['@id'];
}

const analysisNode = (n: Record<string, any>) => n.about !== undefined;
const scaleResult = (n: Record<string, any>) =>
  typeof n.identifier === 'string' && n.identifier.startsWith('result:') && n['@id'].includes('scale-');
const scaleParams = (n: Record<string, any>) => n['@id'].startsWith('parameters/scale-');

describe('verify trusts nothing the crate claims', () => {
  it('an untouched crate is reproduced', async () => {
    const report = await verifyCrate(copy(), { steps: STEPS });
    expect(report.steps.map((s) => s.status)).toEqual(['reproduced', 'reproduced']);
    expect(report.ok).toBe(true);
  });

  it('an analysis file swapped for /etc/passwd, its hash fixed, differs', async () => {
    const dir = copy();
    const id = await forge(dir, analysisNode, readFileSync('/etc/passwd'));
    const report = await verifyCrate(dir, { steps: STEPS });
    expect(report.ok).toBe(false);
    expect(report.changedFiles).toEqual([]);
    expect(report.steps[0]).toMatchObject({ step: 'scale', status: 'differs' });
    expect(report.steps[0].detail).toContain(id);
  });

  it('an analysis file edited but with its hash left alone is a changed file', async () => {
    const dir = copy();
    const node = fileNode(meta(dir), analysisNode);
    writeFileSync(join(dir, node['@id']), '{}');
    const report = await verifyCrate(dir, { steps: STEPS });
    expect(report.ok).toBe(false);
    expect(report.changedFiles).toEqual([node['@id']]);
  });

  it('a result file with other data, its hash fixed, differs from the recomputation', async () => {
    const dir = copy();
    const node = fileNode(meta(dir), scaleResult);
    const shipped = decodeResult(new Uint8Array(readFileSync(join(dir, node['@id']))));
    (shipped.arrays.x.data as Float64Array)[0] = 1000;
    await forge(dir, scaleResult, encodeResult(shipped, shipped.provenance));
    const report = await verifyCrate(dir, { steps: STEPS });
    expect(report.ok).toBe(false);
    expect(report.steps[0]).toMatchObject({ step: 'scale', status: 'differs' });
  });

  it('a parameters file edited, its hash fixed, differs', async () => {
    const dir = copy();
    const node = fileNode(meta(dir), scaleParams);
    const params = JSON.parse(readFileSync(join(dir, node['@id']), 'utf8'));
    params.params.factor = 3;
    await forge(dir, scaleParams, JSON.stringify(params));
    const report = await verifyCrate(dir, { steps: STEPS });
    expect(report.ok).toBe(false);
    expect(report.steps[0]).toMatchObject({ status: 'differs' });
    expect(report.steps[0].detail).toMatch(/parameters/);
  });

  it('an activity whose parameters were edited differs (they no longer match its parameter hash)', async () => {
    const dir = copy();
    const m = meta(dir);
    m['@graph'].find((n: Record<string, any>) => n['spyglass:step'] === 'scale')['spyglass:params'] = { factor: 3 };
    saveMeta(dir, m);
    expect((await verifyCrate(dir, { steps: STEPS })).steps[0]).toMatchObject({ status: 'differs' });
  });

  it('a file no step accounts for fails the crate', async () => {
    const dir = copy();
    const m = meta(dir);
    writeFileSync(join(dir, 'extra.bin'), 'x');
    m['@graph'].push({
      '@id': 'extra.bin',
      '@type': 'File',
      'spyglass:blake3': await hashFile(join(dir, 'extra.bin')),
    });
    saveMeta(dir, m);
    const report = await verifyCrate(dir, { steps: STEPS });
    expect(report).toMatchObject({ ok: false, unverifiedFiles: ['extra.bin'] });
  });

  for (const [what, id] of [
    ['a ../ @id', '../../etc/passwd'],
    ['an absolute @id', '/etc/passwd'],
    ['a URL @id', 'file:///etc/passwd'],
    ['an https @id', 'https://example.org/x.nwb'],
  ]) {
    it(`refuses ${what}`, async () => {
      const dir = copy();
      const m = meta(dir);
      fileNode(m, analysisNode)['@id'] = id;
      saveMeta(dir, m);
      await expect(verifyCrate(dir, { steps: STEPS })).rejects.toThrow(/a relative path inside the crate/);
    });
  }

  it('refuses a symlink pointing out of the crate', async () => {
    const dir = copy();
    const node = fileNode(meta(dir), (n) => n['@id'].startsWith('inputs/'));
    rmSync(join(dir, node['@id']));
    symlinkSync('/etc/passwd', join(dir, node['@id']));
    await expect(verifyCrate(dir, { steps: STEPS })).rejects.toThrow(/symlinks must stay inside the crate/);
  });

  it('refuses a crate with more activities or bytes than its limits, and repeated keys', async () => {
    const dir = copy();
    const m = meta(dir);
    const activity = m['@graph'].find((n: Record<string, any>) => n['spyglass:step'] === 'sum');
    const many = Array.from({ length: 5000 }, (_, i) => ({
      ...activity,
      '@id': `#a${i}`,
      'spyglass:resultKey': `blake3:${i}`,
    }));
    saveMeta(dir, { ...m, '@graph': [...m['@graph'], ...many] });
    await expect(verifyCrate(dir, { steps: STEPS })).rejects.toThrow(/at most 1000 activities/);
    saveMeta(dir, { ...m, '@graph': [...m['@graph'], activity] });
    await expect(verifyCrate(dir, { steps: STEPS })).rejects.toThrow(/each result key once/);
    saveMeta(dir, m);
    await expect(verifyCrate(dir, { steps: STEPS, limits: { maxBytes: 10 } })).rejects.toThrow(
      /at most 10 bytes of files/,
    );
  });

  it("a cyclic graph (steps using each other's results) is reported, not looped on", async () => {
    const dir = copy();
    const m = meta(dir);
    const activities = m['@graph'].filter((n: Record<string, any>) => n['spyglass:step']);
    const [a, b] = activities;
    a['prov:used'] = [{ '@id': `result:${b['spyglass:resultKey']}`, 'prov:hadRole': 'raw' }];
    saveMeta(dir, m);
    const report = await verifyCrate(dir, { steps: STEPS });
    expect(report.ok).toBe(false);
    expect(report.steps.map((s) => s.status)).toEqual(['missing input', 'missing input']);
  });
});
