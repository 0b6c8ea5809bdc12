import { concatArrays, ParameterError, StoreError } from '@spyglass-wasm/core';
import type { BlobWriter } from './blobs/blob-store.js';
import { hashBlob, hashBytes, hashFile, hashJson } from './hash.js';
import { provNodes, PROV_CONTEXT } from './prov.js';
import { fileEntityId, resultEntityId, type Activity, type Entity, type ResultRecord } from './records.js';
import {
  decodeResult,
  encodeResult,
  openResultFile,
  resultReader,
  writeResult,
  type ResultReader,
} from './result-file.js';
import { ScratchPieces } from './pieces.js';
import { resultKey } from './result-key.js';
import { resolveParams } from './parameter-sets.js';
import type { AnalysisFileWriter, ResultData, Step, StepInput, StepOutput } from './step.js';
import { stepVersion } from './step-version.js';
import type { ResultRepository } from './store/interfaces.js';
import { nodeFsPromises, nodePath } from './platform.node.js';

/**
 * An input by reference: an NWB (or other) file on disk, its bytes as a Blob/File (a browser's
 * file picker, or a URL fetched whole; `name` labels it, default the File's name), or a stored
 * result's key. A Blob is the same input as the file with the same bytes: same id, same keys.
 */
export type InputRef = { file: string } | { blob: Blob; name?: string } | { result: string };

export interface RunStepOptions {
  /** Parameter-set name (default 'default') or a parameter object. */
  params?: string | Record<string, unknown>;
  /** Overrides applied on top of the set. */
  overrides?: Record<string, unknown>;
  /** Also write the step's analysis file next to the result (default true when the step has one). */
  analysisFile?: boolean;
  /** Who runs it (default $USER or 'spyglass'). */
  agent?: string;
  onProgress?: (fraction: number) => void;
  /** How many threads the step may use (StepContext.threads; default one). Never part of the key. */
  threads?: number;
}

export interface RunOutcome {
  key: string;
  cached: boolean;
  result: ResultRecord;
  /** Absolute path of the result file. */
  path: string;
  /** Time in the step's own work, and everything else (hashing, store, files). */
  timing: { computeMs: number; totalMs: number };
}

const fileHashes = new Map<string, { stamp: string; checksum: string }>();

/**
 * A file input's entity. The BLAKE3 of its bytes is computed once per (path, size, mtime): kept
 * in this process and, with a store, in the store's entity row, so a rerun in a new process does
 * not hash an unchanged file again (the same rule as make and git's stat cache).
 */
export async function fileEntity(path: string, store?: ResultRepository): Promise<Entity> {
  const { stat } = await nodeFsPromises();
  const { basename, resolve } = await nodePath();
  const abs = resolve(path);
  const s = await stat(abs).catch(() => {
    throw new ParameterError('file', 'an existing file', path);
  });
  const meta = { size: s.size, mtimeMs: s.mtimeMs };
  const stamp = `${s.size}:${s.mtimeMs}`;
  let hit = fileHashes.get(abs);
  if (!hit || hit.stamp !== stamp) {
    const known = store ? await store.fileChecksum(abs, meta) : undefined;
    fileHashes.set(abs, (hit = { stamp, checksum: known ?? (await hashFile(abs)) }));
  }
  return {
    id: fileEntityId(hit.checksum),
    kind: 'file',
    label: basename(abs),
    checksum: hit.checksum,
    path: abs,
    meta,
  };
}

const blobHashes = new WeakMap<Blob, string>();

/**
 * A Blob input's entity: the BLAKE3 of its bytes (streamed in slices, once per Blob object), so
 * its id equals `fileEntity`'s for the same bytes on disk. It has no path; `label` is its name.
 *
 * @example
 * const e = await blobEntity(file);  // e.id === (await fileEntity('session.nwb')).id for equal bytes
 */
export async function blobEntity(blob: Blob, name?: string): Promise<Entity> {
  if (typeof Blob === 'undefined' || !(blob instanceof Blob))
    throw new ParameterError('blob', 'a Blob or File', typeof blob);
  let checksum = blobHashes.get(blob);
  if (!checksum) blobHashes.set(blob, (checksum = await hashBlob(blob)));
  const label = name ?? (blob as File).name ?? 'blob';
  return { id: fileEntityId(checksum), kind: 'file', label, checksum, meta: { size: blob.size } };
}

/** Loads a stored result's data from its file. */
export async function loadResult(store: ResultRepository, r: ResultRecord): Promise<ResultData> {
  const path = blobPath(store, r.file);
  const bytes = await store.blobs.read(r.file).catch(() => {
    throw new StoreError(`result ${r.key} is recorded but its file ${path} is missing`);
  });
  return decodeResult(bytes, path);
}

/**
 * A stored result read in windows (ResultReader): only its header at once, array rows on demand
 * where the blob store reads ranges (else the file is read whole once).
 *
 * @example
 * const lfp = await openResult(store, record);
 * const minute = await lfp.read('data', 0, 60_000);
 */
export async function openResult(store: ResultRepository, r: ResultRecord): Promise<ResultReader> {
  const path = blobPath(store, r.file);
  const missing = () => {
    throw new StoreError(`result ${r.key} is recorded but its file ${path} is missing`);
  };
  const blobs = store.blobs;
  if (!blobs.readRange) return resultReader(decodeResult(await blobs.read(r.file).catch(missing), path));
  if (!(await blobs.exists(r.file))) missing();
  return openResultFile((offset, length) => blobs.readRange!(r.file, offset, length), path);
}

/** Where a result file is: its local path in Node, else `<location>/<name>`. */
export function blobPath(store: ResultRepository, name: string): string {
  return store.blobs.localPath?.(name) ?? `${store.blobs.location}/${name}`;
}

/**
 * Runs one step through the store: the key is computed from step, code version, parameters and
 * input ids; a valid stored result with that key is reused; otherwise the step runs, its result
 * file is written under a temporary name and renamed, and only then are the records committed,
 * so a killed run leaves neither a partial file nor a row.
 *
 * @example
 * const { key, cached } = await runStep(store, lfpStep, { raw: { file: 'session.nwb' } });
 */
export async function runStep(
  store: ResultRepository,
  step: Step,
  inputs: Record<string, InputRef>,
  options: RunStepOptions = {},
): Promise<RunOutcome> {
  const t0 = performance.now();
  for (const role of step.inputs)
    if (!inputs[role]) throw new ParameterError(`${step.name} input '${role}'`, 'a file or a result', 'nothing');
  const { name: paramSetName, params } = resolveParams(step, options.params, options.overrides);
  step.validate?.(params);
  const paramsHash = await hashJson(params);
  const version = await stepVersion(step.code);
  const ids: Record<string, string> = {};
  const entities: Entity[] = [];
  const refs: Record<string, { entity?: Entity; blob?: Blob; result?: ResultRecord }> = {};
  for (const [role, ref] of Object.entries(inputs)) {
    if ('file' in ref || 'blob' in ref) {
      const e = 'file' in ref ? await fileEntity(ref.file, store) : await blobEntity(ref.blob, ref.name);
      ids[role] = e.id;
      entities.push(e);
      refs[role] = { entity: e, blob: 'blob' in ref ? ref.blob : undefined };
    } else {
      const r = await store.getResult(ref.result);
      if (!r)
        throw new StoreError(`${step.name} input '${role}': no result ${ref.result} in the store at ${store.location}`);
      if (r.status !== 'valid')
        throw new StoreError(`${step.name} input '${role}': result ${ref.result} was invalidated; run its step again`);
      ids[role] = resultEntityId(r.key);
      refs[role] = { result: r };
    }
  }
  const key = await resultKey({ step: step.name, version, paramsHash, inputs: ids });
  const existing = await store.getResult(key);
  if (existing?.status === 'valid' && (await store.blobs.exists(existing.file))) {
    return {
      key,
      cached: true,
      result: existing,
      path: blobPath(store, existing.file),
      timing: { computeMs: 0, totalMs: performance.now() - t0 },
    };
  }

  const resolved: Record<string, StepInput> = {};
  for (const [role, ref] of Object.entries(refs)) {
    if (ref.entity) {
      resolved[role] = {
        kind: 'file',
        id: ref.entity.id,
        path: ref.entity.path ?? ref.entity.label!,
        entity: ref.entity,
        ...(ref.blob ? { blob: ref.blob } : {}),
      };
      continue;
    }
    const r = ref.result!;
    const windowed = step.windowedInputs?.includes(role) ?? false;
    const reader = windowed ? await openResult(store, r) : undefined;
    const data = reader ? { json: reader.json, arrays: {} } : await loadResult(store, r);
    resolved[role] = {
      kind: 'result',
      id: ids[role],
      key: r.key,
      data,
      summary: r.summary,
      reader: reader ?? resultReader(data),
    };
  }
  // one file name per run, so two workers racing on one key never overwrite each other's file
  const file = `${step.name}-${key.replace(/^blake3:/, '')}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}.sgr`;
  const blobs = store.blobs;
  const pieces =
    blobs.scratch && blobs.writer ? new ScratchPieces(blobs as typeof blobs & { scratch: never }, file) : undefined;
  const startedAt = new Date().toISOString();
  const c0 = performance.now();
  let output: StepOutput, checksum: string, computeMs: number, activity: Activity, record: Record<string, unknown>;
  try {
    output = await step.run(resolved, params, {
      onProgress: options.onProgress,
      threads: options.threads,
      ...(pieces ? { pieces: pieces.open } : {}),
    });
    computeMs = performance.now() - c0;
    activity = {
      key,
      step: step.name,
      version,
      params,
      paramsHash,
      paramSetName,
      inputs: ids,
      outputs: [resultEntityId(key)],
      startedAt,
      endedAt: new Date().toISOString(),
      agent: options.agent ?? agentName(),
      runtime: runtimeInfo(),
    };
    record = { '@context': PROV_CONTEXT, '@graph': provNodes(activity, entities) };
    checksum = await storeResult(store, file, output, record);
  } finally {
    await pieces?.discard();
  }
  const analysis =
    step.analysisFile && options.analysisFile !== false
      ? await writeAnalysis(store, step.analysisFile, file, output, { key, ...record }).catch(async (err) => {
          await store.blobs.remove(file); // no orphan result file without its row
          throw err;
        })
      : undefined;
  if (analysis) output.summary = { ...output.summary, analysisFile: analysis };
  const committed = await store.commitResult(entities, activity, {
    key,
    step: step.name,
    file,
    checksum,
    summary: output.summary,
  });
  if (!committed) {
    // another run of the same key committed first: keep its files, drop ours
    await store.blobs.remove(file);
    if (output.summary.analysisFile) await store.blobs.remove(output.summary.analysisFile as string);
    const winner = (await store.getResult(key))!;
    return {
      key,
      cached: false,
      result: winner,
      path: blobPath(store, winner.file),
      timing: { computeMs, totalMs: performance.now() - t0 },
    };
  }
  // what was just committed (a racing writer of the same key wrote equal content under this name)
  const result: ResultRecord = {
    key,
    step: step.name,
    file,
    checksum,
    summary: output.summary,
    activity,
    status: 'valid',
  };
  return {
    key,
    cached: false,
    result,
    path: blobPath(store, file),
    timing: { computeMs, totalMs: performance.now() - t0 },
  };
}

/** Writes the result file (under a temporary name, then renamed); returns its BLAKE3. */
async function storeResult(
  store: ResultRepository,
  file: string,
  output: StepOutput,
  record: Record<string, unknown>,
): Promise<string> {
  const blobs = store.blobs;
  if (!blobs.writer) {
    // a store that takes whole buffers (a step writes pieces only where the store offers scratch files)
    const bytes = encodeResult(output as ResultData, record);
    await blobs.write(file, bytes, { sync: store.durable });
    return hashBytes(bytes);
  }
  return throughWriter(store, file, (w) => writeResult(w, output, record));
}

/** Fills blob `name` through the store's writer: renamed into place on success, nothing under the name on failure. */
async function throughWriter<T>(
  store: ResultRepository,
  name: string,
  fill: (w: BlobWriter) => Promise<T>,
): Promise<T> {
  const w = await store.blobs.writer!(name, { sync: store.durable });
  try {
    const out = await fill(w);
    await w.close();
    return out;
  } catch (err) {
    await w.abort();
    throw err;
  }
}

/**
 * The step's analysis file beside the result (same name, its extension); its name, or undefined
 * when it writes none. Arrays written in pieces reach it as a reader of the stored result.
 */
async function writeAnalysis(
  store: ResultRepository,
  writer: AnalysisFileWriter,
  file: string,
  output: StepOutput,
  provenance: { key: string } & Record<string, unknown>,
): Promise<string | undefined> {
  const whole: ResultData['arrays'] = {};
  for (const [name, a] of Object.entries(output.arrays)) if (!('pieced' in a)) whole[name] = a;
  const data: ResultData = { arrays: whole, json: output.json };
  const pieced = Object.keys(whole).length < Object.keys(output.arrays).length;
  const stored = pieced
    ? await openResultFile((o, n) => store.blobs.readRange!(file, o, n), blobPath(store, file))
    : resultReader({ ...data, provenance });
  const out = await writer.write(data, provenance, stored);
  if (!out) return undefined;
  const name = file.replace(/\.sgr$/, writer.extension);
  if (out instanceof Uint8Array) {
    await store.blobs.write(name, out, { sync: store.durable });
    return name;
  }
  if (!store.blobs.writer) {
    await store.blobs.write(name, await collectBytes(out), { sync: store.durable });
    return name;
  }
  await throughWriter(store, name, async (w) => {
    for await (const piece of out) await w.write(piece);
  });
  return name;
}

/** Bytes given in pieces, joined. */
export async function collectBytes(pieces: Uint8Array | AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  if (pieces instanceof Uint8Array) return pieces;
  const parts: Uint8Array[] = [];
  for await (const p of pieces) parts.push(p.slice());
  return concatArrays(parts, Uint8Array);
}

function agentName(): string {
  return (typeof process !== 'undefined' && (process.env.SPYGLASS_AGENT ?? process.env.USER)) || 'spyglass';
}

function runtimeInfo(): Activity['runtime'] {
  if (typeof process !== 'undefined' && process.versions?.node)
    return { platform: `${process.platform}-${process.arch}`, runtime: `node ${process.versions.node}` };
  return { platform: 'browser', runtime: typeof navigator !== 'undefined' ? navigator.userAgent : 'unknown' };
}
