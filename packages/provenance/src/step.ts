import type { Entity } from './records.js';
import type { ResultReader } from './result-file.js';

/** Typed arrays a result may hold (raw bytes; hashed with their dtype and shape). */
export type ResultArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint8Array;

/** What a step produces: named arrays with shapes, plus JSON (metadata, event lists). */
export interface ResultData {
  arrays: Record<string, { data: ResultArray; shape: number[] }>;
  json: Record<string, unknown>;
}

/** An output array a step wrote in pieces (`arrayPieces`): its rows wait in a scratch file of the store. */
export interface PiecedArray {
  readonly pieced: {
    dtype: string;
    length: number;
    byteLength: number;
    read(offset: number, length: number): Promise<Uint8Array>;
  };
  shape: number[];
}

/** An array of a step's output: whole in memory, or written in pieces. */
export type OutputArray = { data: ResultArray; shape: number[] } | PiecedArray;

/** A step's output: its data and a small summary stored in the database for listing. */
export interface StepOutput {
  arrays: Record<string, OutputArray>;
  json: Record<string, unknown>;
  summary: Record<string, unknown>;
}

/** An output array being written row block by row block (StepContext.pieces, or `arrayPieces`). */
export interface ArrayPieces {
  /**
   * Appends whole rows (row-major, `rowShape` values each; of the array's type), in order; the
   * caller may reuse `rows` after.
   */
  append(rows: ResultArray): Promise<void>;
  /** Rows appended so far. */
  readonly rows: number;
  /** The finished array, to put in StepOutput.arrays. */
  done(): OutputArray;
}

/**
 * One resolved input: a file (on disk at `path`, or the Blob/File `blob` given in memory, whose
 * `path` is then its name), or an upstream result with its data loaded.
 */
export type StepInput =
  | { kind: 'file'; id: string; path: string; entity: Entity; blob?: Blob }
  | {
      kind: 'result';
      id: string;
      key: string;
      /** The result's data; for a role in the step's `windowedInputs`, its JSON only (arrays: {}). */
      data: ResultData;
      summary: Record<string, unknown>;
      /** Reads the stored result's arrays in row windows, never whole (where the store allows). */
      reader?: ResultReader;
    };

export interface StepContext {
  onProgress?: (fraction: number) => void;
  /**
   * How many threads a step may use (e.g. workers for independent parts); absent means one. Never
   * part of the key: a step must give the same result whatever it is.
   */
  threads?: number;
  /**
   * Opens an output array written in pieces to the store (a scratch file, copied into the result
   * file after the step returns), so a long series is never whole in memory. Absent when the store
   * cannot: `arrayPieces(ctx, …)` then collects the rows in memory.
   */
  pieces?<T extends ResultArray>(type: new (n: number) => T, rowShape: readonly number[]): Promise<ArrayPieces>;
}

/** The code a step runs: an npm package and the Wasm modules (KernelLoader-like: name + bytes). */
export interface StepCode {
  package: string;
  packageVersion: string;
  kernels: readonly { name: string; bytes: Uint8Array }[];
  /** SHA-256 of the sources of every package whose code computes the result, by package name. */
  sources?: Readonly<Record<string, string>>;
}

/**
 * One pipeline step. `inputs` names its input roles (`raw`, `lfp`, …); `optionalInputs` may be
 * absent. `run` must be a pure function of its inputs and parameters, so a result key can
 * stand for the result.
 *
 * @example
 * const step: Step = { name: 'lfp', description: 'LFP', code, inputs: ['raw'], run: async ({ raw }, params) => ({
 * arrays: {}, json: {}, summary: {} }) };
 */
export interface Step {
  name: string;
  description: string;
  code: StepCode;
  inputs: readonly string[];
  optionalInputs?: readonly string[];
  /**
   * Result inputs the step reads through their `reader` in windows: the engine loads only their
   * JSON (`data.arrays` is empty), so a long upstream series is never whole in memory.
   */
  windowedInputs?: readonly string[];
  /** Named parameter sets (Spyglass's parameter tables); 'default' is used when none is named. */
  paramSets?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Parameters no set carries but a user may give (e.g. `interval`); any other name is an error. */
  optionalParams?: readonly string[];
  /**
   * Checks the resolved parameters before any work (types, bounds; the engine knows no schema):
   * throws a ParameterError naming the parameter. Must not rewrite them: the key hashes them as given.
   */
  validate?(params: Record<string, unknown>): void;
  run(inputs: Record<string, StepInput>, params: Record<string, unknown>, ctx: StepContext): Promise<StepOutput>;
  /**
   * A file for people and other tools written beside the result (the pipelines write analysis NWB
   * files): the engine stores the bytes under the result's name with this extension, and knows
   * nothing of the format.
   */
  analysisFile?: AnalysisFileWriter;
}

/** Writes a result as a file in some format, with its provenance record embedded. */
export interface AnalysisFileWriter {
  /** File name extension, with the dot (e.g. '.nwb'). */
  extension: string;
  /**
   * The file's bytes (whole, or in pieces), or undefined when this result has nothing to write.
   * Arrays the step wrote in pieces are not in `data`: read them in windows from `stored` (given
   * whenever one is; `resultReader(data)` reads a whole result the same way).
   */
  write(
    data: ResultData,
    provenance: { key: string } & Record<string, unknown>,
    stored?: ResultReader,
  ): Promise<Uint8Array | AsyncIterable<Uint8Array> | undefined>;
  /**
   * Whether a shipped file holds what `regenerated` holds, for formats that stamp the time of
   * writing (undefined: the same; else the first difference). Without it, verify compares bytes.
   */
  compare?(shippedPath: string, regenerated: Uint8Array): Promise<string | undefined>;
}
