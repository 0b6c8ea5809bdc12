import { log } from '@spyglass-wasm/core';
import type { Matrix } from '@spyglass-wasm/core';
import type { SortedSpikesModel } from '../encoding/sorted-model.js';
import { decodingKernels } from '../wasm/kernels.js';
import { sortedLogLikelihoodReference } from '../reference/sorted.js';
import { spikeBins, type TimeBins } from './time-bins.js';

export interface LikelihoodOptions {
  /** 'wasm' (default) or the plain TypeScript 'reference'. */
  backend?: 'wasm' | 'reference';
}

/**
 * Poisson log-likelihood of sorted spikes in each time bin at each position bin:
 * sum_units [k log(λ(x) Δt) − λ(x) Δt] (the log k! term is the same at every position and dropped).
 * Returns nTime × nBins.
 *
 * @example
 * const ll = sortedSpikesLikelihood(model, units.spikeTimes, makeTimeBins(600, 900));
 */
export function sortedSpikesLikelihood(
  model: SortedSpikesModel,
  spikeTimes: readonly Float64Array[],
  bins: TimeBins,
  options: LikelihoodOptions = {},
): Matrix<Float64Array> {
  const { logRate, baseline, spikeBin, spikeUnit } = likelihoodInputs(model, spikeTimes, bins);
  const nBins = model.env.nBins;
  if (options.backend === 'reference')
    return sortedLogLikelihoodReference(spikeBin, spikeUnit, logRate, baseline, nBins, bins.nTime);
  return {
    data: sortedKernel(spikeBin, spikeUnit, logRate, baseline, nBins, bins.nTime),
    rows: bins.nTime,
    cols: nBins,
  };
}

/** A log-likelihood read rows [start, end) at a time (row-major), so that it is never held whole. */
export interface LikelihoodRows {
  rows: number;
  cols: number;
  read(start: number, end: number): Float64Array;
}

/**
 * sortedSpikesLikelihood rows [start, end) at a time, bit for bit: the spikes are ordered by time
 * bin (stably, so each bin adds its spikes in the same order), and a chunk's rows are computed
 * from its own spikes in memory of the chunk's size.
 *
 * @example
 * const ll = sortedSpikesLikelihoodRows(model, spikes, bins);
 * const first = ll.read(0, 2000); // 2000 × ll.cols
 */
export function sortedSpikesLikelihoodRows(
  model: SortedSpikesModel,
  spikeTimes: readonly Float64Array[],
  bins: TimeBins,
  options: LikelihoodOptions = {},
): LikelihoodRows {
  const { logRate, baseline, spikeBin, spikeUnit } = likelihoodInputs(model, spikeTimes, bins);
  const nTime = bins.nTime,
    nBins = model.env.nBins;
  // stable counting sort by bin (spikes outside the bins dropped, as the kernel skips them)
  const first = new Int32Array(nTime + 1);
  for (const t of spikeBin) if (t >= 0 && t < nTime) first[t + 1]++;
  for (let t = 0; t < nTime; t++) first[t + 1] += first[t];
  const byBin = new Int32Array(first[nTime]),
    unitByBin = new Int32Array(first[nTime]);
  const next = first.slice(0, nTime);
  spikeBin.forEach((t, s) => {
    if (t < 0 || t >= nTime) return;
    byBin[next[t]] = t;
    unitByBin[next[t]++] = spikeUnit[s];
  });
  return {
    rows: nTime,
    cols: nBins,
    read(start, end) {
      const a = first[start],
        b = first[end];
      const bin = byBin.slice(a, b).map((t) => t - start),
        unit = unitByBin.subarray(a, b);
      return options.backend === 'reference'
        ? sortedLogLikelihoodReference(bin, unit, logRate, baseline, nBins, end - start).data
        : sortedKernel(bin, unit, logRate, baseline, nBins, end - start);
    },
  };
}

/** Per-unit log rates × dt, the baseline (minus the summed rates × dt) and each spike's bin and unit. */
function likelihoodInputs(model: SortedSpikesModel, spikeTimes: readonly Float64Array[], bins: TimeBins) {
  const nBins = model.env.nBins,
    dt = bins.binSize;
  const logRate = new Float64Array(model.rates.length);
  const baseline = new Float64Array(nBins);
  for (let u = 0; u < model.nUnits; u++)
    for (let b = 0; b < nBins; b++) {
      const r = model.rates[u * nBins + b] * dt;
      logRate[u * nBins + b] = log(r);
      baseline[b] -= r;
    }
  const binsOf: Int32Array[] = [],
    unitsOf: Int32Array[] = [];
  spikeTimes.forEach((st, u) => {
    const k = spikeBins(st, bins);
    binsOf.push(k);
    unitsOf.push(new Int32Array(k.length).fill(u));
  });
  return { logRate, baseline, spikeBin: concatI32(binsOf), spikeUnit: concatI32(unitsOf) };
}

function sortedKernel(
  spikeBin: Int32Array,
  spikeUnit: Int32Array,
  logRate: Float64Array,
  baseline: Float64Array,
  nBins: number,
  nTime: number,
): Float64Array {
  const { exports: k, heap } = decodingKernels.get();
  return heap.scoped(() => {
    const pOut = heap.alloc(nTime * nBins * 8);
    const pB = heap.put(spikeBin),
      pU = heap.put(spikeUnit),
      pL = heap.put(logRate),
      pBase = heap.put(baseline);
    k.sortedLogLikelihood(pB, pU, spikeBin.length, pL, pBase, nBins, pOut, nTime);
    return heap.f64(pOut, nTime * nBins).slice();
  });
}

function concatI32(parts: Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
