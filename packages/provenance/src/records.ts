/** What a provenance entity stands for. */
export type EntityKind = 'file' | 'series' | 'paramset' | 'result';

/**
 * A PROV entity: an input file (with checksum), a dataset inside a file, a parameter set or a
 * result. Its id is derived from content, so equal content has one id everywhere.
 */
export interface Entity {
  id: string;
  kind: EntityKind;
  /** Human label: file name, HDF5 path, parameter-set name, step name. */
  label?: string;
  /** Content hash of the bytes behind the entity (files and result files). */
  checksum?: string;
  /** Where the bytes were when recorded (not part of the identity). */
  path?: string;
  meta?: Record<string, unknown>;
}

/** Which code ran: the package version plus the hash of the .wasm it executed. */
export interface StepVersion {
  package: string;
  packageVersion: string;
  /** BLAKE3 of each kernel module's .wasm bytes, by module name. */
  wasm: Record<string, string>;
  /**
   * SHA-256 of the TypeScript sources of each package that computes the result, taken at build
   * time: a code change without a version bump still changes the key.
   */
  source?: Record<string, string>;
}

/** Who ran a step, and on what. */
export interface Runtime {
  platform: string;
  runtime: string;
  host?: string;
}

/**
 * A PROV activity: one run of one step. `key` is the result key; `outputs` are entity ids of
 * what the run produced.
 */
export interface Activity {
  key: string;
  step: string;
  version: StepVersion;
  params: Record<string, unknown>;
  paramsHash: string;
  paramSetName?: string;
  /** Input role -> entity id. */
  inputs: Record<string, string>;
  outputs: string[];
  startedAt: string;
  endedAt: string;
  agent: string;
  runtime: Runtime;
}

/** A stored result: the output of one activity, in one analysis file. */
export interface ResultRecord {
  /** Equal to the activity key; its entity id is `result:<key>`. */
  key: string;
  step: string;
  /** File holding the result, relative to the store's results folder. */
  file: string;
  /** Content hash of that file. */
  checksum: string;
  /** Small JSON summary (counts, rates, event lists…) for listing without opening the file. */
  summary: Record<string, unknown>;
  activity: Activity;
  status: 'valid' | 'invalid';
}

/** Entity id of a result. */
export function resultEntityId(key: string): string {
  return `result:${key}`;
}

/** Entity id of a file: its checksum, so a renamed copy is the same input and an edited one is not. */
export function fileEntityId(checksum: string): string {
  return `file:${checksum}`;
}

/** Entity id of a dataset inside a file. */
export function seriesEntityId(fileId: string, path: string): string {
  return `${fileId}#${path}`;
}

/** Version string used in keys and logs, e.g. `@spyglass-wasm/dsp-wasm@0.1.0+blake3:ab12…`. */
export function versionString(v: StepVersion): string {
  const wasm = Object.keys(v.wasm)
    .sort()
    .map((k) => `${k}=${v.wasm[k]}`)
    .join(',');
  const source = Object.keys(v.source ?? {})
    .sort()
    .map((k) => `${k}=${v.source![k]}`)
    .join(',');
  return `${v.package}@${v.packageVersion}${wasm ? `+${wasm}` : ''}${source ? `+source:${source}` : ''}`;
}
