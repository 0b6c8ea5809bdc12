// Curation and sharing in the run worker (the one that holds the browser store): a sort's units
// with their metrics, a manual curation recorded as a `curate` step whose parent is the sort (the
// same step, parameters and key as `spyglass curate`), and downloads: the analysis NWB files of a
// result's lineage and an RO-Crate zip of it that `spyglass verify` recomputes.
import * as Comlink from 'comlink';
import { curateStep } from '@spyglass-wasm/pipelines';
import { exportCrateZip, hashBlob, listResults, loadResult, runStep, type Store } from '@spyglass-wasm/provenance';

/** One sorted unit as the Curate tab shows it. */
export interface CurationUnit {
  index: number;
  group: string;
  spikes: number;
  /** The sort's metric-rule label. */
  label: string;
  metrics: Record<string, number>;
  /** Units the sort found to look like the same neuron. */
  mergeWith: number[];
}

export interface SortForCuration {
  key: string;
  createdAt: string;
  units: CurationUnit[];
  /** Whether the sort recorded per-spike amplitudes (needed to split a unit by amplitude). */
  hasAmplitudes: boolean;
}

/** The manual curation as the curate step takes it (sort-unit indices). */
export interface CurationParams {
  labels?: Record<number, string>;
  merge?: number[][];
  split?: { unit: number; amplitudeThreshold: number }[];
  keep?: string[];
}

export interface CurationOutcome {
  key: string;
  cached: boolean;
  summary: Record<string, unknown>;
  params: Record<string, unknown>;
  units: { group: string; label: string; sortedUnits: number[]; split?: string }[];
}

/** A file to download: its name and bytes (transferred, not copied, to the page). */
export interface Download {
  name: string;
  bytes: Uint8Array;
}

/** The newest sort in the store with its units, or undefined when there is none. */
export async function latestSort(store: Store): Promise<SortForCuration | undefined> {
  const sorts = (await listResults(store, { step: 'sort' })).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  if (!sorts.length) return undefined;
  const record = (await store.getResult(sorts[0].key))!;
  const d = await loadResult(store, record);
  const ends = d.arrays.spikeTimesIndex.data;
  const units = (
    d.json.units as { group: string; label?: string; metrics: Record<string, number>; mergeWith?: number[] }[]
  ).map((u, i): CurationUnit => ({
    index: i,
    group: String(u.group),
    spikes: ends[i] - (i ? ends[i - 1] : 0),
    label: u.label ?? 'unlabeled',
    metrics: u.metrics,
    mergeWith: u.mergeWith ?? [],
  }));
  return { key: sorts[0].key, createdAt: sorts[0].createdAt, units, hasAmplitudes: 'spikeAmplitudes' in d.arrays };
}

/** Records a curation of sort `sortKey` (a stored result with the same parameters is reused). */
export async function curate(store: Store, sortKey: string, params: CurationParams): Promise<CurationOutcome> {
  const o = await runStep(
    store,
    curateStep,
    { sorting: { result: sortKey } },
    { overrides: params as Record<string, unknown> },
  );
  const d = await loadResult(store, o.result);
  const units = (
    d.json.units as { group: string; label: string; sortedUnit: number; sortedUnits?: number[]; split?: string }[]
  ).map((u) => ({
    group: String(u.group),
    label: u.label,
    sortedUnits: u.sortedUnits ?? [u.sortedUnit],
    ...(u.split ? { split: u.split } : {}),
  }));
  return { key: o.key, cached: o.cached, summary: o.result.summary, params: o.result.activity.params, units };
}

/** The analysis NWB files of a result and everything upstream, oldest first. */
export async function analysisFiles(store: Store, key: string): Promise<Download[]> {
  const out: Download[] = [];
  for (const r of await store.lineage(key)) {
    const name = r.summary.analysisFile as string | undefined;
    if (name) out.push({ name, bytes: await store.blobs.read(name) });
  }
  return Comlink.transfer(
    out,
    out.map((f) => f.bytes.buffer as ArrayBuffer),
  );
}

/**
 * An RO-Crate zip of a result and everything upstream. The browser store keeps no copy of input
 * files: `input` is the open file, used where its checksum is the one the steps recorded.
 */
export async function crateZip(store: Store, key: string, input: Blob, name: string): Promise<Download> {
  const checksum = await hashBlob(input);
  const { zip } = await exportCrateZip(store, key, {
    input: async (e) => (e.checksum === checksum ? input : undefined),
  });
  const file = { name: `${name.replace(/\.[^.]*$/, '')}-${key.slice(7, 19)}.crate.zip`, bytes: zip };
  return Comlink.transfer(file, [zip.buffer as ArrayBuffer]);
}
