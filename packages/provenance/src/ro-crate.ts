import { ParameterError, StoreError } from '@spyglass-wasm/core';
import { hashFile } from './hash.js';
import { PROV_CONTEXT, provNodes } from './prov.js';
import { resultEntityId, type Entity, type ResultRecord } from './records.js';
import { decodeResult } from './result-file.js';
import { resultDigest } from './result-digest.js';
import { loadResult } from './runner.js';
import type { ResultRepository } from './store/interfaces.js';

export const CRATE_FILE = 'ro-crate-metadata.json';

/** What an export wrote. */
export interface ExportSummary {
  dir: string;
  results: string[];
  files: string[];
}

/**
 * Exports everything upstream of a result as an RO-Crate folder: input files (inputs/), result
 * files and their analysis NWB files (results/), parameter sets (parameters/), and
 * ro-crate-metadata.json with PROV-O activities, BLAKE3 checksums and sizes of every file.
 *
 * @example
 * await exportCrate(store, key, 'crate/');
 */
export async function exportCrate(store: ResultRepository, key: string, dir: string, options: { onProgress?: (f: number) => void } = {}): Promise<ExportSummary> {
  const { copyFile, mkdir, stat, writeFile } = await import('node:fs/promises');
  const chain = await store.lineage(key);
  for (const sub of ['inputs', 'results', 'parameters']) await mkdir(`${dir}/${sub}`, { recursive: true });
  const graph: Record<string, unknown>[] = [];
  const parts: { '@id': string }[] = [];
  const files: string[] = [];
  const fileNode = async (rel: string, extra: Record<string, unknown>) => {
    const s = await stat(`${dir}/${rel}`);
    graph.push({ '@id': rel, '@type': 'File', contentSize: s.size, 'spyglass:blake3': await hashFile(`${dir}/${rel}`), ...extra });
    parts.push({ '@id': rel });
    files.push(rel);
  };
  const copied = new Set<string>();
  for (const [i, r] of chain.entries()) {
    const used: Entity[] = [];
    for (const [role, id] of Object.entries(r.activity.inputs)) {
      if (id.startsWith('result:') || copied.has(id)) continue;
      const e = await store.getEntity(id);
      if (!e?.path) throw new StoreError(`input '${role}' of ${r.step} (${id}) has no recorded path to export from`);
      const rel = `inputs/${e.label ?? id.slice(-16)}`;
      await copyFile(e.path, `${dir}/${rel}`).catch(() => {
        throw new StoreError(`input '${role}' of ${r.step}: ${e.path} is gone`);
      });
      if ((await hashFile(`${dir}/${rel}`)) !== e.checksum) throw new StoreError(`input ${e.path} changed since ${r.step} used it (checksum differs)`);
      await fileNode(rel, { name: e.label, identifier: id, encodingFormat: 'application/x-nwb' });
      copied.add(id);
      used.push(e);
    }
    const rel = `results/${r.file}`;
    await writeFile(`${dir}/${rel}`, await store.blobs.read(r.file));
    await fileNode(rel, { name: `${r.step} result`, identifier: resultEntityId(r.key), 'spyglass:digest': await resultDigest(await loadResult(store, r)) });
    const nwb = r.summary.analysisFile as string | undefined;
    if (nwb) {
      await writeFile(`${dir}/results/${nwb}`, await store.blobs.read(nwb));
      await fileNode(`results/${nwb}`, { name: `${r.step} analysis NWB file`, encodingFormat: 'application/x-nwb', about: { '@id': resultEntityId(r.key) } });
    }
    const paramsRel = `parameters/${r.step}-${r.activity.paramsHash.slice(7, 23)}.json`;
    await writeFile(`${dir}/${paramsRel}`, JSON.stringify({ step: r.step, name: r.activity.paramSetName ?? null, paramsHash: r.activity.paramsHash, params: r.activity.params }, null, 2));
    await fileNode(paramsRel, { name: `${r.step} parameter set ${r.activity.paramSetName ?? '(custom)'}`, identifier: r.activity.paramsHash, encodingFormat: 'application/json' });
    graph.push(...provNodes(r.activity, used).map((n) => (n['@type'] === 'prov:Activity' || (n['@type'] as string[])?.includes?.('prov:Activity') ? { ...n, 'spyglass:parameterFile': { '@id': paramsRel }, 'spyglass:resultFile': { '@id': rel } } : n)));
    options.onProgress?.((i + 1) / chain.length);
  }
  const crate = {
    '@context': ['https://w3id.org/ro/crate/1.1/context', PROV_CONTEXT],
    '@graph': [
      { '@id': CRATE_FILE, '@type': 'CreativeWork', conformsTo: { '@id': 'https://w3id.org/ro/crate/1.1' }, about: { '@id': './' } },
      { '@id': './', '@type': 'Dataset', name: `Spyglass-Wasm result ${key}`, datePublished: new Date().toISOString(), hasPart: parts, mainEntity: { '@id': resultEntityId(key) } },
      ...graph,
    ],
  };
  await writeFile(`${dir}/${CRATE_FILE}`, JSON.stringify(crate, null, 2));
  return { dir, results: chain.map((r) => r.key), files };
}

/** How one exported step fared when recomputed. */
export interface VerifyStep {
  step: string;
  key: string;
  status: 'reproduced' | 'differs' | 'missing input';
  detail?: string;
}

export interface VerifyReport {
  ok: boolean;
  steps: VerifyStep[];
  /** Files whose bytes no longer match the crate's checksum. */
  changedFiles: string[];
}

/**
 * Recomputes every exported step from the exported inputs (in a scratch store) and compares
 * each result's data digest with the exported one; files whose checksums changed are listed,
 * and steps depending on them are reported as differing or missing input.
 *
 * @example
 * const report = await verifyCrate('crate/', { steps: STEPS });
 */
export async function verifyCrate(dir: string, options: { steps: Record<string, import('./step.js').Step>; onProgress?: (f: number) => void }): Promise<VerifyReport> {
  const { readFile, access, mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { openStore } = await import('./store/open-store.js');
  const { runStep } = await import('./runner.js');
  const text = await readFile(`${dir}/${CRATE_FILE}`, 'utf8').catch(() => {
    throw new ParameterError('dir', `an RO-Crate folder with ${CRATE_FILE}`, dir);
  });
  const graph = JSON.parse(text)['@graph'] as Record<string, any>[];
  const files = graph.filter((n) => n['@type'] === 'File');
  const changedFiles: string[] = [];
  const missing = new Set<string>();
  for (const f of files) {
    const path = `${dir}/${f['@id']}`;
    if (!(await access(path).then(() => true, () => false))) missing.add(f['@id']);
    else if ((await hashFile(path)) !== f['spyglass:blake3']) changedFiles.push(f['@id']);
  }
  const byIdentifier = new Map(files.filter((f) => f.identifier).map((f) => [f.identifier as string, f]));
  const activities = graph.filter((n) => Array.isArray(n['@type']) && n['@type'].includes('prov:Activity'));
  const scratch = await mkdtemp(`${tmpdir()}/spyglass-verify-`);
  const store = await openStore({ store: `${scratch}/.spyglass` });
  const recomputed = new Map<string, string>(); // exported key -> recomputed key
  const steps: VerifyStep[] = [];
  try {
    for (const [i, a] of activities.entries()) {
      const name = a['spyglass:step'] as string;
      const key = a['spyglass:resultKey'] as string;
      const resultFile = byIdentifier.get(resultEntityId(key));
      const step = options.steps[name];
      const inputs: Record<string, { file: string } | { result: string }> = {};
      let problem: VerifyStep | undefined;
      for (const u of a['prov:used'] as { '@id': string; 'prov:hadRole': string }[]) {
        const id = u['@id'];
        if (id.startsWith('result:')) {
          const k = recomputed.get(id.slice(7));
          if (!k) problem ??= { step: name, key, status: 'missing input', detail: `upstream result ${id} was not reproduced` };
          else inputs[u['prov:hadRole']] = { result: k };
        } else {
          const f = byIdentifier.get(id);
          if (!f || missing.has(f['@id'])) problem ??= { step: name, key, status: 'missing input', detail: `input ${f?.['@id'] ?? id} is not in the crate` };
          else if (changedFiles.includes(f['@id'])) problem ??= { step: name, key, status: 'differs', detail: `input ${f['@id']} changed (checksum differs)` };
          else inputs[u['prov:hadRole']] = { file: `${dir}/${f['@id']}` };
        }
      }
      if (!step) problem ??= { step: name, key, status: 'missing input', detail: `step '${name}' is not available here` };
      if (!resultFile || missing.has(resultFile['@id'])) problem ??= { step: name, key, status: 'missing input', detail: 'exported result file is missing' };
      if (problem) {
        steps.push(problem);
        continue;
      }
      const out = await runStep(store, step!, inputs, { params: a['spyglass:params'], analysisFile: false });
      recomputed.set(key, out.key);
      const fresh = await resultDigest(await loadResult(store, out.result));
      const tampered = changedFiles.includes(resultFile!['@id']);
      const exported = tampered ? await digestOf(`${dir}/${resultFile!['@id']}`).catch(() => 'unreadable') : resultFile!['spyglass:digest'];
      if (fresh === exported && !tampered) steps.push({ step: name, key, status: 'reproduced', detail: out.key === key ? undefined : 'same data; code version differs' });
      else steps.push({ step: name, key, status: 'differs', detail: tampered ? `exported ${resultFile!['@id']} changed (checksum differs)` : 'recomputed data differ from the exported result' });
      options.onProgress?.((i + 1) / activities.length);
    }
  } finally {
    await store.close();
    await rm(scratch, { recursive: true, force: true });
  }
  return { ok: changedFiles.length === 0 && steps.every((s) => s.status === 'reproduced'), steps, changedFiles };
}

async function digestOf(path: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const b = await readFile(path);
  return resultDigest(decodeResult(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), path));
}

export type { ResultRecord };
