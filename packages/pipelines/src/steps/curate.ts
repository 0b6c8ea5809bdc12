import { ParameterError, raggedFrom } from '@spyglass-wasm/core';
import type { ResultData, Step, StepOutput } from '@spyglass-wasm/provenance';
import { DEFAULT_CURATION_RULES, autoCurate, codeHash as sortCode, startCuration, type CurationRule, type QualityMetrics, type UnitLabel } from '@spyglass-wasm/spike-sort';
import sortPackage from '@spyglass-wasm/spike-sort/package.json';
import { analysisNwb } from '../nwb/analysis-file.js';
import { unitSpikeTimes, writeUnitsNwb } from '../nwb/units.js';
import { stepCode } from './code.js';

/**
 * Metric-based curation of a sort result (Spyglass's curation with metric rules): each unit is
 * labelled by the first rule it fails ('noise', then 'mua'), else 'accept'; the units whose label
 * is in `keep` (default accept and mua) go on, in the same spikeTimes + spikeTimesIndex form as a
 * sort result, so `decode` takes either.
 */
export const curateStep: Step = {
  name: 'curate',
  description: 'Metric-based curation of a sorting (labels accept / mua / noise; keeps the chosen labels)',
  code: stepCode(sortPackage, [], { [sortPackage.name]: sortCode }),
  inputs: ['sorting'],
  paramSets: { default: { keep: ['accept', 'mua'] } },
  optionalParams: ['rules'],
  async run({ sorting }, params) {
    if (sorting.kind !== 'result') throw new ParameterError('sorting', 'a sort result', sorting.kind);
    return curateData(sorting.data, params);
  },
  analysisFile: analysisNwb('curate', (d, w) => {
    const units = d.json.units as { label: string; sortedUnit: number }[];
    writeUnitsNwb(d, w, {
      curation_label: { values: units.map((u) => u.label), description: 'curation label (accept, mua) from the metric rules' },
      sorted_unit: { values: units.map((u) => u.sortedUnit), description: 'row of the unit in the sort result it was curated from' },
    });
  }),
};

/** The curation itself, on a sort result's data. */
export function curateData(d: ResultData, params: Record<string, unknown>): StepOutput {
  const units = d.json.units as { group: string; metrics: QualityMetrics }[] | undefined;
  if (!units) throw new ParameterError('sorting', 'a sort result with per-unit metrics', Object.keys(d.json).join(', '));
  const rules = (params.rules as CurationRule[] | undefined) ?? DEFAULT_CURATION_RULES;
  const keep = new Set((params.keep as UnitLabel[] | undefined) ?? ['accept', 'mua']);
  const spikeTimes = unitSpikeTimes(d);
  const curated = autoCurate(startCuration(spikeTimes), units.map((u) => u.metrics), rules);
  const kept = curated.labels.flatMap((l, i) => (keep.has(l) ? [i] : []));
  const flat = raggedFrom(kept.map((i) => curated.spikeTimes[i]));
  return {
    arrays: {
      spikeTimes: { data: flat.values, shape: [flat.values.length] },
      spikeTimesIndex: { data: flat.ends, shape: [kept.length] },
      ...(d.arrays.waveformMean ? { waveformMean: keptRows(d.arrays.waveformMean, kept) } : {}),
    },
    json: { ...d.json, units: kept.map((i) => ({ ...units[i], label: curated.labels[i], sortedUnit: i })), labels: curated.labels, rules, keep: [...keep] },
    summary: { units: kept.length, noise: curated.labels.filter((l) => l === 'noise').length, mua: curated.labels.filter((l) => l === 'mua').length },
  };
}

/** Rows `rows` of a 2-D result array. */
function keptRows(a: { data: ArrayLike<number>; shape: readonly number[] }, rows: number[]): { data: Float32Array; shape: number[] } {
  const len = a.shape[1];
  const data = new Float32Array(rows.length * len);
  rows.forEach((r, i) => data.set(Array.from({ length: len }, (_, j) => a.data[r * len + j]), i * len));
  return { data, shape: [rows.length, len] };
}
