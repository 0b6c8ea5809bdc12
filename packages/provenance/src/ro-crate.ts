import { ParameterError, StoreError } from '@spyglass-wasm/core';
import { hashBytes, hashFile, hashJson } from './hash.js';
import { PROV_CONTEXT, provNodes } from './prov.js';
import { resultEntityId, type Entity } from './records.js';
import { decodeResult, resultReader } from './result-file.js';
import { resultDigest } from './result-digest.js';
import { collectBytes, loadResult } from './runner.js';
import type { ResultData } from './step.js';
import type { ResultRepository } from './store/interfaces.js';
import { nodeFsPromises, nodeOs } from './platform.node.js';

export const CRATE_FILE = 'ro-crate-metadata.json';

/** What an export wrote. */
export interface ExportSummary {
  dir: string;
  results: string[];
  files: string[];
}

/**
 * Where a crate's files go: a folder (Node) or a zip in memory (browsers too). Each call stores one
 * file and returns its size and BLAKE3, which the metadata records.
 */
export interface CrateSink {
  /** Stores the bytes of an input file the store recorded (`entity`, whose checksum they must match). */
  input(entity: Entity, rel: string): Promise<{ size: number; blake3: string }>;
  /** Stores bytes the export made (result files, analysis files, parameters, the metadata). */
  write(rel: string, bytes: Uint8Array): Promise<{ size: number; blake3: string }>;
}

/**
 * Exports everything upstream of a result as an RO-Crate folder: input files (inputs/), result
 * files and their analysis NWB files (results/), parameter sets (parameters/), and
 * ro-crate-metadata.json with PROV-O activities, BLAKE3 checksums and sizes of every file.
 *
 * @example
 * await exportCrate(store, key, 'crate/');
 */
export async function exportCrate(
  store: ResultRepository,
  key: string,
  dir: string,
  options: { onProgress?: (f: number) => void } = {},
): Promise<ExportSummary> {
  const { copyFile, mkdir, stat, writeFile } = await nodeFsPromises();
  for (const sub of ['inputs', 'results', 'parameters']) await mkdir(`${dir}/${sub}`, { recursive: true });
  const written = async (rel: string) => ({
    size: (await stat(`${dir}/${rel}`)).size,
    blake3: await hashFile(`${dir}/${rel}`),
  });
  const sink: CrateSink = {
    async input(e, rel) {
      await copyFile(e.path!, `${dir}/${rel}`).catch(() => {
        throw new StoreError(`input ${e.label ?? e.id}: ${e.path} is gone`);
      });
      return written(rel);
    },
    async write(rel, bytes) {
      await writeFile(`${dir}/${rel}`, bytes);
      return written(rel);
    },
  };
  const { results, files } = await buildCrate(store, key, sink, { ...options, needsPath: true });
  return { dir, results, files };
}

/**
 * An RO-Crate of a result and everything upstream as one zip (the same files and metadata as
 * `exportCrate` writes to a folder), for a download from a browser or a mail attachment.
 * `input` gives the bytes of each input file the store recorded (a browser store keeps none:
 * the page hands back the File it ran on); they must match the recorded checksum.
 *
 * @example
 * const zip = await exportCrateZip(store, key, { input: async (e) => (e.checksum === openChecksum ? openFile :
 * undefined) });
 */
export async function exportCrateZip(
  store: ResultRepository,
  key: string,
  options: { input: (entity: Entity) => Promise<Blob | Uint8Array | undefined>; onProgress?: (f: number) => void },
): Promise<{ zip: Uint8Array; results: string[]; files: string[] }> {
  const { zipSync } = await import('fflate');
  const entries: Record<string, Uint8Array> = {};
  const put = async (rel: string, bytes: Uint8Array) => {
    entries[rel] = bytes;
    return { size: bytes.length, blake3: await hashBytes(bytes) };
  };
  const sink: CrateSink = {
    async input(e, rel) {
      const got = await options.input(e);
      if (!got)
        throw new StoreError(
          `input ${e.label ?? e.id} is not available to export (open the file it was computed from)`,
        );
      const bytes = got instanceof Uint8Array ? got : new Uint8Array(await got.arrayBuffer());
      return put(rel, bytes);
    },
    write: put,
  };
  const { results, files } = await buildCrate(store, key, sink, options);
  // NWB (HDF5) files are mostly compressed or float data: store them, deflate the JSON
  const zip = zipSync(
    Object.fromEntries(
      Object.entries(entries).map(([rel, b]) => [rel, [b, { level: rel.endsWith('.json') ? 6 : 0 }]]),
    ) as Parameters<typeof zipSync>[0],
  );
  return { zip, results, files: [...files, CRATE_FILE] };
}

/** The crate itself, through a sink: every file of the lineage, then ro-crate-metadata.json. */
async function buildCrate(
  store: ResultRepository,
  key: string,
  sink: CrateSink,
  options: { onProgress?: (f: number) => void; needsPath?: boolean },
): Promise<{ results: string[]; files: string[] }> {
  const chain = await store.lineage(key);
  const graph: Record<string, unknown>[] = [];
  const parts: { '@id': string }[] = [];
  const files: string[] = [];
  const fileNode = (rel: string, got: { size: number; blake3: string }, extra: Record<string, unknown>) => {
    graph.push({ '@id': rel, '@type': 'File', contentSize: got.size, 'spyglass:blake3': got.blake3, ...extra });
    parts.push({ '@id': rel });
    files.push(rel);
  };
  const copied = new Set<string>();
  for (const [i, r] of chain.entries()) {
    const used: Entity[] = [];
    for (const [role, id] of Object.entries(r.activity.inputs)) {
      if (id.startsWith('result:') || copied.has(id)) continue;
      const e = await store.getEntity(id);
      if (!e || (options.needsPath && !e.path))
        throw new StoreError(`input '${role}' of ${r.step} (${id}) has no recorded path to export from`);
      const rel = `inputs/${safeName(e.label ?? id.slice(-16))}`;
      const got = await sink.input(e, rel);
      if (got.blake3 !== e.checksum)
        throw new StoreError(`input ${e.path ?? e.label} changed since ${r.step} used it (checksum differs)`);
      fileNode(rel, got, { name: e.label, identifier: id, encodingFormat: 'application/x-nwb' });
      copied.add(id);
      used.push(e);
    }
    const rel = `results/${r.file}`;
    fileNode(rel, await sink.write(rel, await store.blobs.read(r.file)), {
      name: `${r.step} result`,
      identifier: resultEntityId(r.key),
      'spyglass:digest': await resultDigest(await loadResult(store, r)),
    });
    const nwb = r.summary.analysisFile as string | undefined;
    if (nwb)
      fileNode(`results/${nwb}`, await sink.write(`results/${nwb}`, await store.blobs.read(nwb)), {
        name: `${r.step} analysis NWB file`,
        encodingFormat: 'application/x-nwb',
        about: { '@id': resultEntityId(r.key) },
      });
    const paramsRel = `parameters/${r.step}-${r.activity.paramsHash.slice(7, 23)}.json`;
    const paramsBytes = new TextEncoder().encode(
      JSON.stringify(
        {
          step: r.step,
          name: r.activity.paramSetName ?? null,
          paramsHash: r.activity.paramsHash,
          params: r.activity.params,
        },
        null,
        2,
      ),
    );
    fileNode(paramsRel, await sink.write(paramsRel, paramsBytes), {
      name: `${r.step} parameter set ${r.activity.paramSetName ?? '(custom)'}`,
      identifier: r.activity.paramsHash,
      encodingFormat: 'application/json',
    });
    graph.push(
      ...provNodes(r.activity, used).map((n) =>
        n['@type'] === 'prov:Activity' || (n['@type'] as string[])?.includes?.('prov:Activity')
          ? {
              ...n,
              'spyglass:parameterFile': { '@id': paramsRel },
              'spyglass:resultFile': { '@id': rel },
              // what a reader of the crate lists without opening the result file (the store's summary)
              'spyglass:summary': r.summary,
            }
          : n,
      ),
    );
    options.onProgress?.((i + 1) / chain.length);
  }
  const crate = {
    '@context': ['https://w3id.org/ro/crate/1.1/context', PROV_CONTEXT],
    '@graph': [
      {
        '@id': CRATE_FILE,
        '@type': 'CreativeWork',
        conformsTo: { '@id': 'https://w3id.org/ro/crate/1.1' },
        about: { '@id': './' },
      },
      {
        '@id': './',
        '@type': 'Dataset',
        name: `Spyglass-Wasm result ${key}`,
        datePublished: new Date().toISOString(),
        hasPart: parts,
        mainEntity: { '@id': resultEntityId(key) },
      },
      ...graph,
    ],
  };
  await sink.write(CRATE_FILE, new TextEncoder().encode(JSON.stringify(crate, null, 2)));
  return { results: chain.map((r) => r.key), files };
}

/** A file name as a crate path part: the last path part of a label, no separators or leading dots. */
function safeName(label: string): string {
  return label.split(/[\\/]/).pop()!.replace(/^\.+/, '_') || 'input';
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
  /** Files the crate ships that no step accounts for (verify cannot vouch for them). */
  unverifiedFiles: string[];
}

/** How much work a crate may ask of verify; a crate beyond them is refused with a ParameterError. */
export interface VerifyLimits {
  /** Activities (steps to recompute), default 1000. */
  maxActivities?: number;
  /** File nodes, default 10 000. */
  maxFiles?: number;
  /** Total bytes of the shipped files, default 64 GiB. */
  maxBytes?: number;
  /** Size of ro-crate-metadata.json, default 64 MiB. */
  maxMetadataBytes?: number;
}

export interface VerifyOptions {
  steps: Record<string, import('./step.js').Step>;
  onProgress?: (f: number) => void;
  limits?: VerifyLimits;
  /**
   * Compares a shipped analysis file with its regeneration when their bytes differ (formats that
   * stamp the time of writing, like NWB's file_create_date): a description of the first
   * difference, or undefined when they hold the same data. Without it, bytes must be equal.
   */
  compareAnalysisFile?: (shippedPath: string, regenerated: Uint8Array, step: string) => Promise<string | undefined>;
}

// JSON-LD nodes of a crate read from disk: any shape until checked.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = Record<string, any>;

/**
 * Recomputes every exported step from the exported inputs (`dir`: a crate folder, or a crate zip,
 * unpacked first within the same limits, entry names refused when they leave the crate) (in a scratch store) and checks
 * every
 * shipped file against its recomputation, trusting nothing the crate claims:
 * - each file's BLAKE3 and size are recomputed from the file itself and compared with the metadata;
 * - each result file's data digest must equal the recomputed result's (a result file edited with
 *   its hash fixed in the metadata still differs from the recomputation);
 * - each analysis file is regenerated from the (verified) result file and the provenance record it
 *   embeds, and must equal the shipped one byte for byte or, through `compareAnalysisFile`, in
 *   every dataset and attribute but the time of writing;
 * - each parameters file must hold the parameters whose hash the activity names;
 * - a file no step accounts for is listed as unverified and fails the crate.
 * `@id`s that leave the crate (absolute, `..`, URLs), symlinks pointing outside it and non-regular
 * files are refused, as are crates beyond `limits` (activities, files, bytes) or with repeated
 * or malformed activities, with a one-line ParameterError.
 *
 * @example
 * const report = await verifyCrate('crate/', { steps: STEPS });
 */
export async function verifyCrate(dir: string, options: VerifyOptions): Promise<VerifyReport> {
  const { readFile, mkdtemp, rm, stat, realpath } = await nodeFsPromises();
  const { tmpdir } = await nodeOs();
  const { openStore } = await import('./store/open-store.js');
  const { runStep } = await import('./runner.js');
  const limits = {
    maxActivities: 1000,
    maxFiles: 10_000,
    maxBytes: 64 * 2 ** 30,
    maxMetadataBytes: 64 * 2 ** 20,
    ...options.limits,
  };
  if ((await stat(dir).catch(() => undefined))?.isFile()) return verifyZip(dir, options, limits);
  const root = await realpath(dir).catch(() => {
    throw new ParameterError('dir', `an RO-Crate folder with ${CRATE_FILE}`, dir);
  });
  const metaPath = `${root}/${CRATE_FILE}`;
  const metaSize = (await stat(metaPath).catch(() => undefined))?.size;
  if (metaSize === undefined) throw new ParameterError('dir', `an RO-Crate folder with ${CRATE_FILE}`, dir);
  if (metaSize > limits.maxMetadataBytes)
    throw new ParameterError(`${dir}/${CRATE_FILE}`, `at most ${limits.maxMetadataBytes} bytes`, `${metaSize} bytes`);
  let graph: Node[];
  try {
    graph = JSON.parse(await readFile(metaPath, 'utf8'))['@graph'];
  } catch {
    throw new ParameterError(`${dir}/${CRATE_FILE}`, 'RO-Crate JSON-LD', 'unreadable JSON');
  }
  if (!Array.isArray(graph) || graph.some((n) => !n || typeof n !== 'object'))
    throw new ParameterError(`${dir}/${CRATE_FILE}`, 'an @graph array of objects', 'something else');
  const files = graph.filter((n) => n['@type'] === 'File');
  const activities = graph.filter((n) => Array.isArray(n['@type']) && n['@type'].includes('prov:Activity'));
  if (files.length > limits.maxFiles)
    throw new ParameterError(`${dir}/${CRATE_FILE}`, `at most ${limits.maxFiles} files`, `${files.length} files`);
  if (activities.length > limits.maxActivities)
    throw new ParameterError(
      `${dir}/${CRATE_FILE}`,
      `at most ${limits.maxActivities} activities`,
      `${activities.length} activities`,
    );
  checkActivities(activities, `${dir}/${CRATE_FILE}`);

  // every file: inside the crate, a regular file, within the byte budget; then hashed itself
  const missing = new Set<string>();
  const paths = new Map<string, string>();
  let totalBytes = 0;
  for (const f of files) {
    const path = await cratePath(root, f['@id'], dir);
    if (!path) {
      missing.add(f['@id']);
      continue;
    }
    paths.set(f['@id'], path);
    totalBytes += (await stat(path)).size;
    if (totalBytes > limits.maxBytes)
      throw new ParameterError(`crate ${dir}`, `at most ${limits.maxBytes} bytes of files`, `more (at ${f['@id']})`);
  }
  const changed = new Set<string>();
  for (const f of files) {
    const path = paths.get(f['@id']);
    if (!path) continue;
    if (
      (await hashFile(path)) !== f['spyglass:blake3'] ||
      (f.contentSize !== undefined && (await stat(path)).size !== f.contentSize)
    )
      changed.add(f['@id']);
  }

  const byIdentifier = new Map(
    files.filter((f) => typeof f.identifier === 'string').map((f) => [f.identifier as string, f]),
  );
  const byId = new Map(files.map((f) => [f['@id'] as string, f]));
  const accounted = new Set<string>();
  const scratch = await mkdtemp(`${tmpdir()}/spyglass-verify-`);
  const store = await openStore({ store: `${scratch}/.spyglass` });
  const recomputed = new Map<string, string>(); // exported key -> recomputed key
  const steps: VerifyStep[] = [];
  try {
    for (const [i, a] of activities.entries()) {
      const name = a['spyglass:step'] as string;
      const key = a['spyglass:resultKey'] as string;
      const resultFile = byIdentifier.get(resultEntityId(key));
      const paramsFile = byId.get(a['spyglass:parameterFile']?.['@id']);
      const analysis = files.find((f) => f.about?.['@id'] === resultEntityId(key));
      for (const f of [resultFile, paramsFile, analysis]) if (f) accounted.add(f['@id']);
      const step = options.steps[name];
      const inputs: Record<string, { file: string } | { result: string }> = {};
      let problem: VerifyStep | undefined;
      const differs = (detail: string): VerifyStep => ({ step: name, key, status: 'differs', detail });
      for (const u of a['prov:used'] as { '@id': string; 'prov:hadRole': string }[]) {
        const id = u['@id'];
        if (id.startsWith('result:')) {
          const k = recomputed.get(id.slice(7));
          if (!k)
            problem ??= {
              step: name,
              key,
              status: 'missing input',
              detail: `upstream result ${id} was not reproduced`,
            };
          else inputs[u['prov:hadRole']] = { result: k };
        } else {
          const f = byIdentifier.get(id);
          if (f) accounted.add(f['@id']);
          if (!f || missing.has(f['@id']))
            problem ??= {
              step: name,
              key,
              status: 'missing input',
              detail: `input ${f?.['@id'] ?? id} is not in the crate`,
            };
          else if (changed.has(f['@id'])) problem ??= differs(`input ${f['@id']} changed (checksum differs)`);
          // the input's own checksum is part of its id: a file swapped together with its hash is another input
          else if (id !== `file:${f['spyglass:blake3']}`)
            problem ??= differs(`input ${f['@id']} is not the file ${id} the step used`);
          else inputs[u['prov:hadRole']] = { file: paths.get(f['@id'])! };
        }
      }
      if (!step)
        problem ??= { step: name, key, status: 'missing input', detail: `step '${name}' is not available here` };
      if (!resultFile || missing.has(resultFile['@id']))
        problem ??= { step: name, key, status: 'missing input', detail: 'exported result file is missing' };
      else if (changed.has(resultFile['@id']))
        problem ??= differs(`exported ${resultFile['@id']} changed (checksum differs)`);
      if (!problem) problem = await paramsProblem(a, paramsFile, paths, changed, differs);
      if (problem) {
        steps.push(problem);
        continue;
      }
      const out = await runStep(store, step!, inputs, { params: a['spyglass:params'], analysisFile: false });
      recomputed.set(key, out.key);
      const fresh = await resultDigest(await loadResult(store, out.result));
      const shipped = await readResult(paths.get(resultFile!['@id'])!).catch(() => undefined);
      if (!shipped || fresh !== (await resultDigest(shipped))) {
        steps.push(differs(`recomputed data differ from the exported ${resultFile!['@id']}`));
        continue;
      }
      const analysisProblem = await checkAnalysis({
        step: step!,
        key,
        shipped,
        analysis,
        paths,
        changed,
        compare:
          options.compareAnalysisFile ??
          (step!.analysisFile?.compare
            ? (shipped, regenerated) => step!.analysisFile!.compare!(shipped, regenerated)
            : undefined),
      });
      if (analysisProblem) steps.push(differs(analysisProblem));
      else
        steps.push({
          step: name,
          key,
          status: 'reproduced',
          detail: out.key === key ? undefined : 'same data; code version differs',
        });
      options.onProgress?.((i + 1) / activities.length);
    }
  } finally {
    await store.close();
    await rm(scratch, { recursive: true, force: true });
  }
  const unverifiedFiles = files.map((f) => f['@id'] as string).filter((id) => !accounted.has(id));
  const changedFiles = [...changed];
  return {
    ok:
      changedFiles.length === 0 &&
      unverifiedFiles.length === 0 &&
      steps.length > 0 &&
      steps.every((s) => s.status === 'reproduced'),
    steps,
    changedFiles,
    unverifiedFiles,
  };
}

/** A crate zip: unpacked (bounded, no zip-slip) into a scratch folder, verified there, removed. */
async function verifyZip(zip: string, options: VerifyOptions, limits: Required<VerifyLimits>): Promise<VerifyReport> {
  const { mkdtemp, rm } = await nodeFsPromises();
  const { tmpdir } = await nodeOs();
  const { extractCrateZip } = await import('./crate-zip.js');
  const scratch = await mkdtemp(`${tmpdir()}/spyglass-crate-zip-`);
  try {
    await extractCrateZip(zip, scratch, {
      maxEntries: limits.maxFiles + 1,
      maxBytes: limits.maxBytes + limits.maxMetadataBytes,
    });
    return await verifyCrate(scratch, options);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Activities must be well formed and each key appear once (a crafted crate could repeat one step many times). */
function checkActivities(activities: Node[], where: string): void {
  const keys = new Set<string>();
  for (const a of activities) {
    const key = a['spyglass:resultKey'];
    if (
      typeof key !== 'string' ||
      typeof a['spyglass:step'] !== 'string' ||
      !Array.isArray(a['prov:used']) ||
      a['prov:used'].length > 64 ||
      a['prov:used'].some((u: Node) => !u || typeof u['@id'] !== 'string' || typeof u['prov:hadRole'] !== 'string')
    ) {
      throw new ParameterError(
        where,
        'activities with a step, a result key and at most 64 used inputs',
        `activity ${String(a['@id']).slice(0, 80)}`,
      );
    }
    if (keys.has(key)) throw new ParameterError(where, 'each result key once', `${key} repeated`);
    keys.add(key);
  }
}

/**
 * The real path of a File `@id`, or undefined when it does not exist. Refuses ids that leave the
 * crate (absolute, `..`, URLs, backslashes), symlinks resolving outside it and non-regular files.
 */
async function cratePath(root: string, id: unknown, dir: string): Promise<string | undefined> {
  const { realpath, stat } = await nodeFsPromises();
  const bad = (why: string) =>
    new ParameterError(`@id in ${dir}/${CRATE_FILE}`, `a relative path inside the crate (${why})`, id);
  if (typeof id !== 'string' || id === '' || id.includes('\0') || id.includes('\\')) throw bad('a plain path');
  if (id.startsWith('/') || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(id)) throw bad('not absolute, not a URL');
  if (id.split('/').some((part) => part === '..')) throw bad('no ..');
  const real = await realpath(`${root}/${id}`).catch(() => undefined);
  if (real === undefined) return undefined;
  if (!real.startsWith(`${root}/`)) throw bad('symlinks must stay inside the crate');
  if (!(await stat(real)).isFile()) throw bad('a regular file');
  return real;
}

/** The parameters file must be intact and hold the parameters the activity names and ran with. */
async function paramsProblem(
  a: Node,
  paramsFile: Node | undefined,
  paths: Map<string, string>,
  changed: Set<string>,
  differs: (d: string) => VerifyStep,
): Promise<VerifyStep | undefined> {
  const { readFile } = await nodeFsPromises();
  const hash = a['spyglass:paramsHash'];
  if ((await hashJson(a['spyglass:params'] ?? null)) !== hash)
    return differs("the activity's parameters do not match its parameter hash");
  if (!paramsFile) return undefined; // crates from before parameter files: the activity's own parameters were checked
  if (changed.has(paramsFile['@id'])) return differs(`${paramsFile['@id']} changed (checksum differs)`);
  const path = paths.get(paramsFile['@id']);
  if (!path) return differs(`${paramsFile['@id']} is missing`);
  const shipped = await readFile(path, 'utf8').then(
    (t) => JSON.parse(t),
    () => undefined,
  );
  if (!shipped || shipped.paramsHash !== hash || (await hashJson(shipped.params ?? null)) !== hash)
    return differs(`${paramsFile['@id']} does not hold the parameters the step ran with`);
  return undefined;
}

/** Regenerates the analysis file from the verified result and its embedded record; compares. */
async function checkAnalysis(o: {
  step: import('./step.js').Step;
  key: string;
  shipped: ResultData & { provenance: unknown };
  analysis?: Node;
  paths: Map<string, string>;
  changed: Set<string>;
  compare?: VerifyOptions['compareAnalysisFile'];
}): Promise<string | undefined> {
  const { readFile } = await nodeFsPromises();
  if (!o.analysis) return undefined; // the export shipped none (the step writes none, or it was turned off)
  const id = o.analysis['@id'] as string;
  if (o.changed.has(id)) return `${id} changed (checksum differs)`;
  const path = o.paths.get(id);
  if (!path) return `${id} is missing`;
  if (!o.step.analysisFile) return `${id}: step ${o.step.name} writes no analysis file`;
  const record = (o.shipped.provenance ?? {}) as Record<string, unknown>;
  // the runner's argument exactly ({ key, ...record }): key first, as the writer may serialise it
  const written = await o.step.analysisFile.write(
    o.shipped,
    Object.assign({ key: o.key }, record, { key: o.key }),
    resultReader(o.shipped),
  );
  if (!written) return `${id}: the result yields no analysis file`;
  const regenerated = await collectBytes(written);
  const bytes = new Uint8Array(await readFile(path));
  if (sameBytes(bytes, regenerated)) return undefined;
  if (!o.compare) return `${id} differs from the analysis file its result yields`;
  const difference = await o
    .compare(path, regenerated, o.step.name)
    .catch((err: Error) => `not comparable (${err.message})`);
  return difference === undefined ? undefined : `${id} differs from the analysis file its result yields: ${difference}`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

async function readResult(path: string): Promise<ResultData & { provenance: unknown }> {
  const { readFile } = await nodeFsPromises();
  const b = await readFile(path);
  return decodeResult(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), path);
}
