// Runs pipeline steps on the open file in a dedicated Web Worker, through the provenance engine and
// the browser store (PGlite on IndexedDB, result files in OPFS): the same keys as the CLI computes
// on the same bytes and parameters, so a reload, or a rerun, finds them cached.
import {
  blobEntity,
  crateUrlFiles,
  crateZipFiles,
  listResults,
  loadResult,
  openCrate,
  openStore,
  runStep,
  type InputRef,
  type OpenedCrate,
  type ResultListing,
  type Step,
  type Store,
} from '@spyglass-wasm/provenance';
import {
  decodeStep,
  lfpStep,
  positionStep,
  resultView,
  ripplesStep,
  sortStep,
  type ResultView,
} from '@spyglass-wasm/pipelines';
import {
  analysisFiles,
  crateZip,
  curate,
  latestSort,
  type CurationOutcome,
  type CurationParams,
  type Download,
  type SortForCuration,
} from './curate-api.js';

/**
 * Threads a step may use (the sort step's electrode groups sort in nested Web Workers): the
 * browser's cores, at most 4 (each worker holds a group's samples). Never part of a key. A cancel
 * terminates the run worker, and with it its nested workers.
 */
const RUN_THREADS = Math.max(1, Math.min(4, globalThis.navigator?.hardwareConcurrency ?? 1));

/**
 * Which chain to run: LFP → (position →) ripples, spike sorting with metric curation, or position → decoding of the
 * file's Units.
 */
export type RunPipeline = 'ripples' | 'sort' | 'decode';

/** What the page hands over: the File itself, or the URL it opened (fetched whole here, on request). */
export type RunSource = { file: Blob; name: string } | { url: string };

export interface StepOutcome {
  step: string;
  key: string;
  cached: boolean;
  summary: Record<string, unknown>;
  computeMs: number;
}

export interface RunReport {
  pipeline: RunPipeline;
  /** The last step's outcome (ripples or sort); `steps` lists the chain in order. */
  key: string;
  cached: boolean;
  summary: Record<string, unknown>;
  steps: StepOutcome[];
  /** Ripples: each event's [start, end] (s), in the session's time base. */
  events?: { start: number; end: number }[];
  /** Sort: each unit's electrode group and curation label. */
  units?: { group: string; label: string }[];
}

/** An RO-Crate opened for reading: where it is and its results, the one it was exported for last. */
export interface CrateSummary {
  where: string;
  root: string;
  results: { key: string; step: string; paramSetName?: string; endedAt: string }[];
}

/** A crate result's view, and the crate's files read so far whose bytes differ from its metadata. */
export type CrateResultView = ResultView & { changed: string[] };

/** Progress of a run: the stage (a step name, or 'download'), and the whole run's fraction done. */
export type ProgressFn = (stage: string, fraction: number) => void;

/** Weights of each chain's stages in its progress bar (LFP filtering dominates ripples). */
const STAGES: Record<RunPipeline, [string, number][]> = {
  ripples: [
    ['lfp', 0.7],
    ['position', 0.1],
    ['ripples', 0.2],
  ],
  sort: [['sort', 1]],
  decode: [
    ['position', 0.1],
    ['decode', 0.9],
  ],
};

export class RunApi {
  private store?: Promise<Store>;
  private fetched?: { url: string; blob: Blob };
  private crate?: { opened: OpenedCrate; blobs: Map<string, Blob> };

  /** `storeName`: the IndexedDB database (and OPFS folder) of the results. */
  constructor(private readonly storeName = 'spyglass-viewer') {}

  private open(): Promise<Store> {
    this.store ??= openStore({ store: `idb://${this.storeName}` });
    return this.store;
  }

  /** The file's bytes as a Blob: a File as it is (read in slices), a URL fetched once, whole. */
  private async blobOf(source: RunSource, progress: ProgressFn): Promise<{ blob: Blob; name: string }> {
    if ('file' in source) return { blob: source.file, name: source.name };
    const name = decodeURIComponent(new URL(source.url).pathname.split('/').pop() || 'remote.nwb');
    if (this.fetched?.url === source.url) return { blob: this.fetched.blob, name };
    const response = await fetch(source.url);
    if (!response.ok || !response.body)
      throw new Error(`${source.url}: HTTP ${response.status} while fetching the file to run steps on it`);
    const total = Number(response.headers.get('content-length')) || 0;
    const parts: Uint8Array[] = [];
    let got = 0;
    for (const reader = response.body.getReader(); ;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      got += value.length;
      if (total) progress('download', got / total);
    }
    this.fetched = { url: source.url, blob: new Blob(parts as BlobPart[]) };
    return { blob: this.fetched.blob, name };
  }

  /**
   * Runs a chain on the file with each step's default parameters. `withPosition`: gate ripples by
   * the position step's speed (as the CLI does when the file has position).
   */
  async run(
    pipeline: RunPipeline,
    source: RunSource,
    options: { withPosition: boolean },
    progress: ProgressFn,
  ): Promise<RunReport> {
    const store = await this.open();
    const { blob, name } = await this.blobOf(source, progress);
    const file: InputRef = { blob, name };
    const stages = STAGES[pipeline].filter(([s]) => s !== 'position' || options.withPosition);
    const total = stages.reduce((a, [, w]) => a + w, 0);
    const steps: StepOutcome[] = [];
    let done = 0;
    const step = async (s: Step, inputs: Record<string, InputRef>) => {
      const weight = stages.find(([n]) => n === s.name)![1] / total;
      progress(s.name, done);
      const o = await runStep(store, s, inputs, {
        onProgress: (f) => progress(s.name, done + weight * f),
        threads: RUN_THREADS,
      });
      done += weight;
      progress(s.name, done);
      steps.push({
        step: s.name,
        key: o.key,
        cached: o.cached,
        summary: o.result.summary,
        computeMs: o.timing.computeMs,
      });
      return o;
    };
    if (pipeline === 'sort') {
      const o = await step(sortStep, { raw: file });
      const data = await loadResult(store, o.result);
      const units = (data.json.units as { group: string; label?: string }[]).map((u) => ({
        group: String(u.group),
        label: u.label ?? 'unlabelled',
      }));
      return { pipeline, key: o.key, cached: o.cached, summary: o.result.summary, steps, units };
    }
    if (pipeline === 'decode') {
      const position = await step(positionStep, { session: file });
      const o = await step(decodeStep, { units: file, position: { result: position.key } });
      return { pipeline, key: o.key, cached: o.cached, summary: o.result.summary, steps };
    }
    const lfp = await step(lfpStep, { raw: file });
    const position = options.withPosition ? await step(positionStep, { session: file }) : undefined;
    const o = await step(ripplesStep, {
      lfp: { result: lfp.key },
      ...(position ? { position: { result: position.key } } : {}),
    });
    const data = await loadResult(store, o.result);
    const events = (data.json.events as { start: number; end: number }[]).map((e) => ({ start: e.start, end: e.end }));
    return { pipeline, key: o.key, cached: o.cached, summary: o.result.summary, steps, events };
  }

  /**
   * A stored result in plot-ready form with its lineage (resultView). `source`: the open file,
   * so a decode's true position can be read from it (its recorded path is only a name here).
   */
  async view(key: string, source?: RunSource): Promise<ResultView> {
    const store = await this.open();
    const blobs = new Map<string, Blob>();
    if (source && 'file' in source) blobs.set((await blobEntity(source.file, source.name)).id, source.file);
    else if (source && this.fetched?.url === source.url)
      blobs.set((await blobEntity(this.fetched.blob)).id, this.fetched.blob);
    return resultView(store, key, { blobs });
  }

  /** Every result in the browser store, newest first. */
  async results(): Promise<ResultListing[]> {
    return (await listResults(await this.open())).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Curate tab (curate-api.ts): the newest sort's units; a curation; downloads of a result. */
  async latestSort(): Promise<SortForCuration | undefined> {
    return latestSort(await this.open());
  }

  async curate(sortKey: string, params: CurationParams): Promise<CurationOutcome> {
    return curate(await this.open(), sortKey, params);
  }

  async analysisFiles(key: string): Promise<Download[]> {
    return analysisFiles(await this.open(), key);
  }

  /**
   * Opens an RO-Crate for reading (no store is touched): a zip File, a zip's URL (fetched whole),
   * or a crate folder's URL (each file fetched when needed). A zip's input files are handed to the
   * views (a decode's true position is read from the crate's session file).
   */
  async openCrate(source: RunSource): Promise<CrateSummary> {
    this.crate = undefined;
    const isZip = 'file' in source || /\.zip$/i.test(new URL(source.url).pathname);
    const blobs = new Map<string, Blob>();
    let opened: OpenedCrate;
    if (isZip) {
      const { blob, name } = await this.blobOf(source, () => {});
      const files = await crateZipFiles(new Uint8Array(await blob.arrayBuffer()), name);
      opened = await openCrate(files);
      for (const [id, rel] of opened.inputs) blobs.set(id, new Blob([(await files.read(rel)) as BlobPart]));
    } else opened = await openCrate(crateUrlFiles((source as { url: string }).url));
    this.crate = { opened, blobs };
    return {
      where: opened.repository.location,
      root: opened.root,
      results: opened.results.map((r) => ({
        key: r.key,
        step: r.step,
        paramSetName: r.activity.paramSetName,
        endedAt: r.activity.endedAt,
      })),
    };
  }

  /** A result of the open crate in plot-ready form, as `view` gives a stored one. */
  async crateView(key: string): Promise<CrateResultView> {
    if (!this.crate) throw new Error('no RO-Crate is open');
    const { opened, blobs } = this.crate;
    const view = await resultView(opened.repository, key, { blobs });
    return { ...view, changed: [...opened.changed] };
  }

  async crateZip(key: string, source: RunSource): Promise<Download> {
    const { blob, name } = await this.blobOf(source, () => {});
    return crateZip(await this.open(), key, blob, name);
  }
}
