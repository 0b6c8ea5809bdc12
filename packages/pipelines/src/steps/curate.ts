import { ParameterError, raggedFrom, raggedRows } from '@spyglass-wasm/core';
import type { ResultData, Step, StepOutput } from '@spyglass-wasm/provenance';
import {
  DEFAULT_CURATION_RULES,
  autoCurate,
  codeHash as sortCode,
  labelCollisions,
  labelUnits,
  mergeUnits,
  splitUnit,
  startCuration,
  type Curation,
  type CurationRule,
  type QualityMetrics,
  type UnitLabel,
} from '@spyglass-wasm/spike-sort';
import sortPackage from '@spyglass-wasm/spike-sort/package.json';
import { analysisNwb } from '../nwb/analysis-file.js';
import { unitSpikeTimes, writeUnitsNwb } from '../nwb/units.js';
import { stepCode } from './code.js';

/**
 * A manual split: the spikes of sort unit `unit` with amplitude above `amplitudeThreshold` (µV, by magnitude) become a
 * new unit.
 */
export interface CurationSplit {
  unit: number;
  amplitudeThreshold: number;
}

/** One curated unit as the curate step records it (json.units). */
export interface CuratedUnit {
  group: string;
  label: UnitLabel;
  /** First sort unit it came from (for a merge, the lowest), as before manual curation existed. */
  sortedUnit: number;
  /** Every sort unit it came from (manual curation only). */
  sortedUnits?: number[];
  /** 'below' / 'above': which side of a split amplitude threshold its spikes are (manual curation only). */
  split?: 'below' | 'above';
  /** The sort's metrics for an unchanged unit; NaN for a merged or split one (its spikes differ). */
  metrics: QualityMetrics;
}

const LABELS: readonly UnitLabel[] = ['accept', 'mua', 'noise'];

/**
 * Curation of a sort result (Spyglass's Curation table): every unit is first labelled by the
 * metric rules (the first rule it fails: 'noise', then 'mua'; else 'accept'; a collision of two
 * units, `collisionOf`, is 'noise'); then the manual curation, all in sort-unit indices so the
 * parameters alone reproduce it: `labels` relabels units, `split` cuts a unit's spikes by
 * amplitude into two, `merge` joins groups of units (spike trains combined and sorted; the merged
 * unit takes the label of its lowest unit). The units whose label is in `keep` (default accept
 * and mua) go on, in the same spikeTimes + spikeTimesIndex form as a sort result, so `decode`
 * takes either.
 *
 * @example
 * await runStep(store, curateStep, { sorting: { result: sortKey } }, { overrides: { labels: { 3: 'noise' }, merge: [[0,
 * 4]] } });
 */
export const curateStep: Step = {
  name: 'curate',
  description:
    'Curation of a sorting: metric rules, then manual labels (accept / mua / noise), merges and amplitude splits; keeps the chosen labels',
  code: stepCode(sortPackage, [], { [sortPackage.name]: sortCode }),
  inputs: ['sorting'],
  paramSets: { default: { keep: ['accept', 'mua'] } },
  optionalParams: ['rules', 'labels', 'merge', 'split'],
  async run({ sorting }, params) {
    if (sorting.kind !== 'result') throw new ParameterError('sorting', 'a sort result', sorting.kind);
    return curateData(sorting.data, params);
  },
  analysisFile: analysisNwb('curate', (d, w) => {
    const units = d.json.units as CuratedUnit[];
    writeUnitsNwb(d, w, {
      curation_label: {
        values: units.map((u) => u.label),
        description: 'curation label (accept, mua, noise): metric rules, then manual labels',
      },
      sorted_unit: {
        values: units.map((u) => u.sortedUnit),
        description: 'row of the unit in the sort result it was curated from (the lowest, for a merge)',
      },
      ...(d.json.manual
        ? {
            sorted_units: {
              values: units.map((u) => (u.sortedUnits ?? [u.sortedUnit]).join(',')),
              description: 'rows of the sort result the unit was made from (several for a merge)',
            },
          }
        : {}),
    });
  }),
};

/** The manual part of a curation, checked against the sort's unit count. */
interface Manual {
  labels: Record<number, UnitLabel>;
  merge: number[][];
  split: CurationSplit[];
}

/** The curation itself, on a sort result's data. */
export function curateData(d: ResultData, params: Record<string, unknown>): ResultData & StepOutput {
  const units = d.json.units as { group: string; metrics: QualityMetrics; collisionOf?: number[] }[] | undefined;
  if (!units)
    throw new ParameterError('sorting', 'a sort result with per-unit metrics', Object.keys(d.json).join(', '));
  const rules = (params.rules as CurationRule[] | undefined) ?? DEFAULT_CURATION_RULES;
  const keep = new Set((params.keep as UnitLabel[] | undefined) ?? ['accept', 'mua']);
  const manual = checkManual(params, units.length);
  const spikeTimes = unitSpikeTimes(d);
  const amplitudes = d.arrays.spikeAmplitudes ? spikeAmplitudes(d) : undefined;
  const auto = labelCollisions(
    autoCurate(
      startCuration(spikeTimes),
      units.map((u) => u.metrics),
      { rules },
    ),
    units,
  );
  const summary = (labels: UnitLabel[], kept: number) => ({
    units: kept,
    noise: labels.filter((l) => l === 'noise').length,
    mua: labels.filter((l) => l === 'mua').length,
  });
  if (!manual) {
    // metric rules only: the output as it was before manual curation (same json, same file)
    const kept = auto.labels.flatMap((l, i) => (keep.has(l) ? [i] : []));
    const flat = raggedFrom(kept.map((i) => auto.spikeTimes[i]));
    return {
      arrays: {
        spikeTimes: { data: flat.values, shape: [flat.values.length] },
        spikeTimesIndex: { data: flat.ends, shape: [kept.length] },
        ...unitArrays(
          d,
          kept,
          kept.map((i) => (amplitudes ? amplitudes[i] : undefined)),
        ),
      },
      json: {
        ...d.json,
        units: kept.map((i) => ({ ...units[i], label: auto.labels[i], sortedUnit: i })),
        labels: auto.labels,
        rules,
        keep: [...keep],
      },
      summary: summary(auto.labels, kept.length),
    };
  }
  const { curation, sides } = applyManual(auto, manual, d);
  const kept = curation.labels.flatMap((l, i) => (keep.has(l) ? [i] : []));
  const flat = raggedFrom(kept.map((i) => curation.spikeTimes[i]));
  const nanMetrics = (m: QualityMetrics) =>
    Object.fromEntries(Object.keys(m).map((k) => [k, Number.NaN])) as unknown as QualityMetrics;
  const curated: CuratedUnit[] = kept.map((i) => {
    const parents = [...curation.parents[i]].sort((a, b) => a - b);
    const from = units[Math.min(...parents)];
    const changed = parents.length > 1 || sides[i] !== undefined;
    return {
      ...from,
      label: curation.labels[i],
      sortedUnit: Math.min(...parents),
      sortedUnits: parents,
      ...(sides[i] ? { split: sides[i] } : {}),
      metrics: changed ? nanMetrics(from.metrics) : from.metrics,
    };
  });
  return {
    arrays: {
      spikeTimes: { data: flat.values, shape: [flat.values.length] },
      spikeTimesIndex: { data: flat.ends, shape: [kept.length] },
      // a merged or split unit's mean waveform is not recomputed here: its lowest sort unit's stands in
      ...unitArrays(
        d,
        curated.map((u) => u.sortedUnit),
        amplitudes
          ? kept.map((i) => curatedAmplitudes(amplitudes, spikeTimes, curation.parents[i], sides[i], manual))
          : [],
      ),
    },
    json: {
      ...d.json,
      units: curated,
      labels: curation.labels,
      autoLabels: auto.labels,
      rules,
      keep: [...keep],
      manual,
    },
    summary: {
      ...summary(curation.labels, kept.length),
      merged: manual.merge.length,
      split: manual.split.length,
      relabelled: Object.keys(manual.labels).length,
    },
  };
}

/**
 * Manual labels, then splits (the new unit appended, so sort indices stay put), then merges
 * (found by the sort unit they hold). Returns the curation and which side of a split each unit is.
 */
function applyManual(
  auto: Curation,
  manual: Manual,
  d: ResultData,
): { curation: Curation; sides: ('below' | 'above' | undefined)[] } {
  let c = labelUnits(auto, manual.labels);
  const sides: ('below' | 'above' | undefined)[] = c.labels.map(() => undefined);
  if (manual.split.length) {
    const amplitudes = spikeAmplitudes(d);
    for (const s of manual.split) {
      const amps = amplitudes[s.unit];
      try {
        c = splitUnit(c, s.unit, (i) => Math.abs(amps[i]) > s.amplitudeThreshold);
      } catch {
        throw new ParameterError(
          `split unit ${s.unit}`,
          'an amplitude threshold with spikes on both sides',
          s.amplitudeThreshold,
        );
      }
      sides[s.unit] = 'below';
      sides.push('above');
    }
  }
  for (const group of manual.merge) {
    const at = group.map((u) => c.parents.findIndex((p) => p.includes(u)));
    const keepAt = Math.min(...at);
    const dropped = new Set(at.filter((i) => i !== keepAt));
    c = mergeUnits(c, at);
    for (let i = sides.length - 1; i >= 0; i--) if (dropped.has(i)) sides.splice(i, 1);
  }
  return { curation: c, sides };
}

/**
 * The per-unit arrays a curation carries over from its sort: mean waveforms (rows of `waveformRows`) and, when the
 * sort has them, spike amplitudes (one array per kept unit, aligned with its spike times).
 */
function unitArrays(
  d: ResultData,
  waveformRows: number[],
  amplitudes: (Float64Array | undefined)[],
): ResultData['arrays'] {
  const out: ResultData['arrays'] = {};
  for (const name of ['waveformMean', 'waveformMeanChannels'])
    if (d.arrays[name]) out[name] = keptRows(d.arrays[name], waveformRows);
  if (d.arrays.spikeAmplitudes) {
    const flat = Float32Array.from(raggedFrom(amplitudes.map((a) => a!)).values);
    out.spikeAmplitudes = { data: flat, shape: [flat.length] };
  }
  return out;
}

/**
 * A curated unit's spike amplitudes in the order of its spike times: its sort units' spikes (one side of the
 * threshold for a split unit), ordered by time as a merge orders them.
 */
function curatedAmplitudes(
  amplitudes: Float64Array[],
  spikeTimes: Float64Array[],
  parents: number[],
  side: 'below' | 'above' | undefined,
  manual: Manual,
): Float64Array {
  const threshold = manual.split.find((s) => s.unit === parents[0])?.amplitudeThreshold;
  const spikes = parents.flatMap((p) =>
    Array.from(amplitudes[p], (a, i) => ({ a, t: spikeTimes[p][i] })).filter(
      (x) => side === undefined || Math.abs(x.a) > threshold! === (side === 'above'),
    ),
  );
  if (parents.length > 1) spikes.sort((x, y) => x.t - y.t);
  return Float64Array.from(spikes, (x) => x.a);
}

/** Each unit's per-spike amplitudes (µV), aligned with its spike times: the sort's `spikeAmplitudes`. */
function spikeAmplitudes(d: ResultData): Float64Array[] {
  const values = d.arrays.spikeAmplitudes?.data;
  const ends = d.arrays.spikeTimesIndex?.data;
  if (!values || !ends)
    throw new ParameterError(
      'split',
      'a sort result with per-spike amplitudes (spikeAmplitudes)',
      Object.keys(d.arrays).join(', '),
    );
  return raggedRows({ values: Float64Array.from(values), ends });
}

/**
 * The manual parameters, validated (unit indices in range, no unit both merged and split or in two merges); undefined
 * when none are given.
 */
function checkManual(params: Record<string, unknown>, n: number): Manual | undefined {
  const { labels = {}, merge = [], split = [] } = params as { labels?: unknown; merge?: unknown; split?: unknown };
  if (params.labels === undefined && params.merge === undefined && params.split === undefined) return undefined;
  const unit = (where: string, u: unknown): number => {
    const i = typeof u === 'string' && /^\d+$/.test(u) ? Number(u) : u;
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= n)
      throw new ParameterError(where, `a unit index of the sort (0-${n - 1})`, u);
    return i;
  };
  if (!labels || typeof labels !== 'object' || Array.isArray(labels))
    throw new ParameterError('labels', 'an object of unit index: label', labels);
  const checkedLabels: Record<number, UnitLabel> = {};
  for (const [u, l] of Object.entries(labels)) {
    if (!LABELS.includes(l as UnitLabel)) throw new ParameterError(`labels.${u}`, LABELS.join(' / '), l);
    checkedLabels[unit('labels', u)] = l as UnitLabel;
  }
  const used = new Set<number>();
  const once = (where: string, u: number) => {
    if (used.has(u)) throw new ParameterError(where, 'each unit in at most one merge or split', u);
    used.add(u);
  };
  if (!Array.isArray(split)) throw new ParameterError('split', 'a list of { unit, amplitudeThreshold }', split);
  const checkedSplit = split.map((s: unknown, k): CurationSplit => {
    const { unit: u, amplitudeThreshold: t, ...rest } = (s ?? {}) as Record<string, unknown>;
    if (Object.keys(rest).length || typeof t !== 'number' || !Number.isFinite(t) || t <= 0)
      throw new ParameterError(`split[${k}]`, '{ unit, amplitudeThreshold (µV > 0) }', s);
    const i = unit(`split[${k}].unit`, u);
    once(`split[${k}].unit`, i);
    return { unit: i, amplitudeThreshold: t };
  });
  if (!Array.isArray(merge)) throw new ParameterError('merge', 'a list of unit groups, e.g. [[0, 3]]', merge);
  const checkedMerge = merge.map((g: unknown, k) => {
    if (!Array.isArray(g) || g.length < 2) throw new ParameterError(`merge[${k}]`, 'two or more unit indices', g);
    return g.map((u) => {
      const i = unit(`merge[${k}]`, u);
      once(`merge[${k}]`, i);
      return i;
    });
  });
  return { labels: checkedLabels, merge: checkedMerge, split: checkedSplit };
}

/** Rows `rows` (first axis) of a result array of two or more dimensions. */
function keptRows(
  a: { data: ArrayLike<number>; shape: readonly number[] },
  rows: number[],
): { data: Float32Array; shape: number[] } {
  const len = a.shape.slice(1).reduce((x, y) => x * y, 1);
  const data = new Float32Array(rows.length * len);
  rows.forEach((r, i) =>
    data.set(
      Array.from({ length: len }, (_, j) => a.data[r * len + j]),
      i * len,
    ),
  );
  return { data, shape: [rows.length, ...a.shape.slice(1)] };
}
