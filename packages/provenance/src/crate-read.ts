// Reading an exported RO-Crate (a zip in memory, or a folder behind a URL) back into the records a
// store holds, so a crate's results and lineage draw with the same code as a store's. Browser-safe:
// no node: imports; fflate unzips, fetch reads folders. Nothing is trusted: every file read is
// hashed against the metadata, and a file whose bytes differ is reported, never silently used.
import { ParameterError, StoreError } from '@spyglass-wasm/core';
import { hashBytes } from './hash.js';
import { resultEntityId, type Activity, type Entity, type EntityKind, type ResultRecord } from './records.js';
import type { BlobStore } from './blobs/blob-store.js';
import type { ResultRepository } from './store/interfaces.js';

const METADATA = 'ro-crate-metadata.json';

/** The files of a crate, by their path inside it (`results/…`, `inputs/…`). */
export interface CrateFiles {
  /** The zip's file name or the folder's address, for messages. */
  readonly where: string;
  read(rel: string): Promise<Uint8Array>;
}

/** Bounds on a zip read into memory (its entries' sizes as the zip declares them). */
export interface CrateZipLimits {
  /** Entries, default 10 001. */
  maxEntries?: number;
  /** Bytes once unpacked, default 2 GiB (the zip is held in memory). */
  maxBytes?: number;
}

/** A relative path of plain parts: no absolute path, drive, backslash, NUL, empty part, `.` or `..`. */
export function isPlainPath(name: string): boolean {
  if (!name || name.includes('\0') || name.includes('\\') || name.startsWith('/') || /^[A-Za-z]:/.test(name))
    return false;
  return name.split('/').every((p) => p !== '' && p !== '.' && p !== '..');
}

/**
 * A crate zip's files, unpacked in memory. The crate may sit in one top folder of the zip (a zipped
 * `spyglass export` folder). Throws a one-line ParameterError naming `name` for a file that is no
 * zip, a zip without ro-crate-metadata.json, unsafe entry names, or contents beyond `limits`.
 *
 * @example
 * const files = crateZipFiles(new Uint8Array(await file.arrayBuffer()), file.name);
 */
export async function crateZipFiles(bytes: Uint8Array, name: string, limits: CrateZipLimits = {}): Promise<CrateFiles> {
  const { unzipSync } = await import('fflate');
  const maxEntries = limits.maxEntries ?? 10_001,
    maxBytes = limits.maxBytes ?? 2 ** 31;
  let entries = 0,
    total = 0;
  let unpacked: Record<string, Uint8Array>;
  try {
    unpacked = unzipSync(bytes, {
      filter(f) {
        if (++entries > maxEntries) throw new ParameterError(name, `a zip of at most ${maxEntries} entries`, 'more');
        if (f.name.endsWith('/')) return false;
        if (!isPlainPath(f.name))
          throw new ParameterError(name, 'zip entries with relative paths inside the crate', f.name.slice(0, 200));
        if ((total += f.originalSize) > maxBytes)
          throw new ParameterError(name, `a zip of at most ${maxBytes} bytes once unpacked`, `more (at ${f.name})`);
        return true;
      },
    });
  } catch (err) {
    if (err instanceof ParameterError) throw err;
    throw new ParameterError(name, 'a zip file (an RO-Crate zip)', `unreadable zip (${(err as Error).message})`);
  }
  const names = Object.keys(unpacked);
  const meta = names
    .filter((n) => n === METADATA || n.endsWith(`/${METADATA}`))
    .sort((a, b) => a.split('/').length - b.split('/').length)[0];
  if (!meta || meta.split('/').length > 2)
    throw new ParameterError(name, `an RO-Crate zip (with ${METADATA})`, `a zip of ${names.length} files without it`);
  const prefix = meta.slice(0, -METADATA.length);
  return {
    where: name,
    async read(rel) {
      const b = unpacked[prefix + rel];
      if (!b) throw new StoreError(`${name}: the crate lists ${rel} but the zip has no such entry`);
      return b;
    },
  };
}

/**
 * A crate folder behind a URL (its address, or that of its ro-crate-metadata.json): each file is
 * fetched when read.
 *
 * @example
 * const files = crateUrlFiles('https://host/crates/sort-1/');
 */
export function crateUrlFiles(url: string, fetchFn: typeof fetch = fetch): CrateFiles {
  const base = url.endsWith(METADATA) ? url.slice(0, -METADATA.length) : url.endsWith('/') ? url : `${url}/`;
  return {
    where: base,
    async read(rel) {
      const r = await fetchFn(new URL(rel, base).href).catch((err: Error) => {
        throw new StoreError(`${base}${rel}: ${err.message}`);
      });
      if (!r.ok) throw new StoreError(`${base}${rel}: HTTP ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    },
  };
}

// JSON-LD nodes as read: any shape until checked.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = Record<string, any>;

/** A crate opened for reading: its records behind the ResultRepository interface. */
export interface OpenedCrate {
  /** Read-only: getResult, lineage, getEntity, and the result files through `blobs`. */
  repository: ResultRepository;
  /** The result the crate was exported for (its mainEntity), and every result in it, upstream first. */
  root: string;
  results: ResultRecord[];
  /** Each input file's path in the crate, by entity id (`file:blake3:…`). */
  inputs: Map<string, string>;
  /** Files read so far whose bytes do not match the metadata's BLAKE3 (grows as files are read). */
  changed: Set<string>;
}

/**
 * Reads a crate's ro-crate-metadata.json into result records, entities and lineage, as a read-only
 * ResultRepository: `resultView`, `lineageGraph` and `loadResult` work on it as on a store. Result
 * files are read (and checked against their BLAKE3) when asked for.
 *
 * @example
 * const crate = await openCrate(await crateZipFiles(bytes, 'sort.crate.zip'));
 * const view = await resultView(crate.repository, crate.root);
 */
export async function openCrate(files: CrateFiles): Promise<OpenedCrate> {
  const where = `${files.where} ${METADATA}`;
  let graph: Node[];
  try {
    graph = JSON.parse(new TextDecoder().decode(await files.read(METADATA)))['@graph'];
  } catch (err) {
    if (err instanceof StoreError) throw new ParameterError(files.where, `an RO-Crate with ${METADATA}`, err.message);
    throw new ParameterError(where, 'RO-Crate JSON-LD', 'unreadable JSON');
  }
  if (!Array.isArray(graph) || graph.some((n) => !n || typeof n !== 'object'))
    throw new ParameterError(where, 'an @graph array of objects', 'something else');
  const fileNodes = graph.filter((n) => n['@type'] === 'File' && typeof n['@id'] === 'string');
  const byIdentifier = new Map(fileNodes.filter((f) => typeof f.identifier === 'string').map((f) => [f.identifier, f]));
  const changed = new Set<string>();
  const blake3 = new Map(fileNodes.map((f) => [f['@id'] as string, f['spyglass:blake3'] as string | undefined]));
  const readChecked = async (rel: string): Promise<Uint8Array> => {
    if (!isPlainPath(rel)) throw new ParameterError(where, 'file ids that are relative paths inside the crate', rel);
    const bytes = await files.read(rel);
    if ((await hashBytes(bytes)) !== blake3.get(rel)) changed.add(rel);
    return bytes;
  };

  const entities = new Map<string, Entity>();
  const inputs = new Map<string, string>();
  for (const n of graph) {
    const kind = n['spyglass:kind'] as EntityKind | undefined;
    if (typeof n['@id'] !== 'string' || !kind || n['@id'].startsWith('result:')) continue;
    const file = byIdentifier.get(n['@id']);
    if (file) inputs.set(n['@id'], file['@id']);
    entities.set(n['@id'], {
      id: n['@id'],
      kind,
      label: n.name,
      checksum: n['spyglass:checksum'],
      ...(file ? { path: file['@id'] } : {}),
    });
  }

  const records = new Map<string, ResultRecord>();
  const names = new Map<string, string>(); // blob name -> path in the crate
  for (const a of graph.filter((n) => Array.isArray(n['@type']) && n['@type'].includes('prov:Activity'))) {
    const r = recordOf(a, byIdentifier, where);
    // crates exported before activities carried their summary: the analysis file is the File about the result
    const about = fileNodes.find((f) => f.about?.['@id'] === resultEntityId(r.key))?.['@id'];
    if (r.summary.analysisFile === undefined && typeof about === 'string' && about.startsWith('results/'))
      r.summary = { ...r.summary, analysisFile: about.slice('results/'.length) };
    names.set(r.file, `results/${r.file}`);
    const analysis = r.summary.analysisFile;
    if (typeof analysis === 'string') names.set(analysis, `results/${analysis}`);
    records.set(r.key, r);
  }
  if (!records.size) throw new ParameterError(where, 'an RO-Crate of Spyglass-Wasm results', 'no activities');
  const main = graph.find((n) => n['@id'] === './')?.mainEntity?.['@id'];
  const root = typeof main === 'string' && records.has(main.replace(/^result:/, '')) ? main.slice(7) : undefined;

  const blobs: BlobStore = {
    location: files.where,
    async read(name) {
      const rel = names.get(name);
      if (!rel) throw new StoreError(`result file ${name} is not in the crate ${files.where}`);
      return readChecked(rel);
    },
    async exists(name) {
      return names.has(name);
    },
    async list() {
      return [...names.keys()];
    },
    write: readOnly,
    remove: readOnly,
  };
  const repository: ResultRepository = {
    blobs,
    location: files.where,
    durable: false,
    async getResult(key) {
      return records.get(key);
    },
    async findResults(prefix) {
      return [...records.keys()].filter((k) => k.startsWith(prefix) || k.replace(/^blake3:/, '').startsWith(prefix));
    },
    async getEntity(id) {
      return entities.get(id);
    },
    async fileChecksum() {
      return undefined;
    },
    commitResult: readOnly,
    invalidate: readOnly,
    async lineage(key) {
      const order: ResultRecord[] = [];
      const visit = (k: string) => {
        const r = records.get(k);
        if (!r) throw new StoreError(`no result ${k} in the crate ${files.where}`);
        if (order.includes(r)) return;
        for (const id of Object.values(r.activity.inputs)) if (id.startsWith('result:')) visit(id.slice(7));
        order.push(r);
      };
      visit(key);
      return order;
    },
  };
  const results = root ? await repository.lineage(root) : [...records.values()];
  for (const r of records.values()) if (!results.includes(r)) results.push(r);
  return { repository, root: root ?? results[results.length - 1].key, results, inputs, changed };
}

async function readOnly(): Promise<never> {
  throw new StoreError('a crate opened for reading cannot be written to');
}

/** A result record from its activity node and the File nodes of its result and analysis files. */
function recordOf(a: Node, byIdentifier: Map<string, Node>, where: string): ResultRecord {
  const key = a['spyglass:resultKey'],
    step = a['spyglass:step'];
  const used = a['prov:used'];
  if (typeof key !== 'string' || typeof step !== 'string' || !Array.isArray(used))
    throw new ParameterError(where, 'activities with a step, a result key and their inputs', String(a['@id']));
  const resultFile = byIdentifier.get(resultEntityId(key));
  const rel: unknown = a['spyglass:resultFile']?.['@id'] ?? resultFile?.['@id'];
  if (typeof rel !== 'string' || !rel.startsWith('results/'))
    throw new ParameterError(where, `a result file for ${step} ${key}`, rel);
  const named = /^(.*) \((.*)\)$/.exec(String(a.name ?? ''));
  const activity: Activity = {
    key,
    step,
    version: parseVersion(String(a['spyglass:stepVersion'] ?? ''), a['spyglass:wasm'] ?? {}),
    params: a['spyglass:params'] ?? {},
    paramsHash: a['spyglass:paramsHash'],
    ...(named && named[2] !== 'custom parameters' ? { paramSetName: named[2] } : {}),
    inputs: Object.fromEntries(used.map((u: Node) => [u['prov:hadRole'], u['@id']])),
    outputs: (a['prov:generated'] ?? []).map((g: Node) => g['@id']),
    startedAt: a['prov:startedAtTime'] ?? '',
    endedAt: a['prov:endedAtTime'] ?? '',
    agent: a['prov:wasAssociatedWith']?.name ?? '',
    runtime: a['spyglass:runtime'] ?? { platform: '', runtime: '' },
  };
  return {
    key,
    step,
    file: rel.slice('results/'.length),
    checksum: resultFile?.['spyglass:blake3'] ?? '',
    summary: a['spyglass:summary'] ?? {},
    activity,
    status: 'valid',
  };
}

/** A version string (`versionString`: package@version+kernels+source:…) back into its parts. */
function parseVersion(s: string, wasm: Record<string, string>): Activity['version'] {
  const at = s.indexOf('@', 1);
  const [packageVersion, ...rest] = s.slice(at + 1).split('+');
  const source = rest.find((p) => p.startsWith('source:'));
  return {
    package: s.slice(0, at),
    packageVersion,
    wasm,
    ...(source
      ? {
          source: Object.fromEntries(
            source
              .slice('source:'.length)
              .split(',')
              .map((kv) => [kv.slice(0, kv.lastIndexOf('=')), kv.slice(kv.lastIndexOf('=') + 1)]),
          ),
        }
      : {}),
  };
}
