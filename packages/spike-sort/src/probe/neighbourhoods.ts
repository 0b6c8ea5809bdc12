import { checkNumber, checkOptionNames, ParameterError, type Matrix } from '@spyglass-wasm/core';
import type { GroupSorting } from '../sort/sort-group.js';

/** Part of a probe sorted on its own: its channels (ascending) and the core ones whose units it reports. */
export interface Neighbourhood {
  /** Channels of the probe (columns), ascending: the core and those within `marginUm` of it. */
  channels: number[];
  /** Core channels (a subset of `channels`): a unit is reported here when its template peaks on one. */
  core: number[];
}

export interface NeighbourhoodOptions {
  /** Core channels per neighbourhood, consecutive along the probe (default 8). */
  coreChannels?: number;
  /** Channels within this distance (µm) of a core channel join it, so its units are seen whole (default 60). */
  marginUm?: number;
}

/**
 * Cuts a probe into overlapping neighbourhoods: the channels, ordered along the probe (by their
 * last coordinate, then the others), are cut into blocks of `coreChannels` (each channel in one
 * core), and each block takes the channels within `marginUm` of it. A neighbourhood's units whose
 * templates peak on its core are its own; those peaking in its margin belong to the next. Sorting
 * cost grows with the square of a group's channels (its waveform dimension), so neighbourhoods sort
 * a probe in time linear in its channels, and apart on a worker pool.
 *
 * @example
 * const y = Float64Array.from({ length: 128 }, (_, i) => (i % 2 ? 25 * (i >> 1) : 0));
 * probeNeighbourhoods({ data: y, rows: 64, cols: 2 }, { coreChannels: 8 }); // 8 neighbourhoods of 10–12 channels
 */
export function probeNeighbourhoods(
  positions: Matrix<Float64Array>,
  options: NeighbourhoodOptions = {},
): Neighbourhood[] {
  checkOptionNames('probeNeighbourhoods', options, ['coreChannels', 'marginUm']);
  const core = checkNumber('coreChannels', options.coreChannels ?? 8, { min: 1, integer: true });
  const margin = checkNumber('marginUm', options.marginUm ?? 60, { min: 0 });
  const { data, rows, cols } = positions;
  if (!(data instanceof Float64Array) || rows < 1 || cols < 1 || data.length !== rows * cols)
    throw new ParameterError('positions', 'channels × coordinates µm (a Float64Array matrix)', positions);
  const at = (c: number, k: number) => data[c * cols + k];
  const along = Array.from({ length: rows }, (_, c) => c).sort((a, b) => {
    for (let k = cols - 1; k >= 0; k--) if (at(a, k) !== at(b, k)) return at(a, k) - at(b, k);
    return a - b;
  });
  const distance = (a: number, b: number) => {
    let s = 0;
    for (let k = 0; k < cols; k++) s += (at(a, k) - at(b, k)) ** 2;
    return Math.sqrt(s);
  };
  const out: Neighbourhood[] = [];
  for (let i = 0; i < rows; i += core) {
    const block = along.slice(i, i + core).sort((a, b) => a - b);
    const channels = along.filter((c) => block.includes(c) || block.some((b) => distance(b, c) <= margin));
    out.push({ channels: channels.sort((a, b) => a - b), core: block });
  }
  return out;
}

/**
 * A neighbourhood's sorting with only its own units (templates peaking on `core`, given as columns
 * of the sorting) and the unmatched detections on core channels: the units of the margin, and
 * their detections, are another neighbourhood's. Labels, collisions and merge records are renumbered.
 */
export function keepCoreUnits(sorting: GroupSorting, core: readonly number[]): GroupSorting {
  const isCore = new Set(core);
  const kept = sorting.units.map((u) => isCore.has(u.peakChannel));
  if (kept.every(Boolean) && sorting.peaks.every((p, i) => sorting.labels[i] >= 0 || isCore.has(p.channel)))
    return sorting;
  const renumber = new Int32Array(sorting.units.length).fill(-1);
  let next = 0;
  kept.forEach((k, u) => k && (renumber[u] = next++));
  const rows: number[] = [];
  sorting.labels.forEach((l, i) => {
    if (l >= 0 ? kept[l] : isCore.has(sorting.peaks[i].channel)) rows.push(i);
  });
  const k = sorting.components;
  const features = new Float32Array(rows.length * k);
  rows.forEach((r, i) => features.set(sorting.features.subarray(r * k, (r + 1) * k), i * k));
  const units = sorting.units
    .filter((_, u) => kept[u])
    .map((u) => (u.collisionOf ? { ...u, collisionOf: u.collisionOf.map((p) => (p >= 0 ? renumber[p] : -1)) } : u));
  return {
    ...sorting,
    units,
    peaks: rows.map((r) => sorting.peaks[r]),
    labels: Int32Array.from(rows, (r) => (sorting.labels[r] < 0 ? -1 : renumber[sorting.labels[r]])),
    features,
    noiseOverlaps: sorting.noiseOverlaps.filter((_, u) => kept[u]),
    merges: sorting.merges && keptMerges(sorting.merges, kept),
  };
}

/** Merge records of the kept units: `parents` of kept units, pairs and candidates among their parts. */
function keptMerges(merges: NonNullable<GroupSorting['merges']>, kept: boolean[]): GroupSorting['merges'] {
  const parents = merges.parents.filter((_, u) => kept[u]);
  const parts = new Set(parents.flat());
  const within = (e: { a: number; b: number }) => parts.has(e.a) && parts.has(e.b);
  return { parents, pairs: merges.pairs.filter(within), candidates: merges.candidates.filter(within) };
}
