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
  const nBins = model.env.nBins,
    dt = bins.binSize;
  const logRate = new Float64Array(model.rates.length);
  const baseline = new Float64Array(nBins);
  for (let u = 0; u < model.nUnits; u++)
    for (let b = 0; b < nBins; b++) {
      const r = model.rates[u * nBins + b] * dt;
      logRate[u * nBins + b] = Math.log(r);
      baseline[b] -= r;
    }
  const binsOf: Int32Array[] = [],
    unitsOf: Int32Array[] = [];
  spikeTimes.forEach((st, u) => {
    const k = spikeBins(st, bins);
    binsOf.push(k);
    unitsOf.push(new Int32Array(k.length).fill(u));
  });
  const spikeBin = concatI32(binsOf),
    spikeUnit = concatI32(unitsOf);
  if (options.backend === 'reference')
    return sortedLogLikelihoodReference(spikeBin, spikeUnit, logRate, baseline, nBins, bins.nTime);
  const { exports: k, heap } = decodingKernels.get();
  return heap.scoped(() => {
    const pOut = heap.alloc(bins.nTime * nBins * 8);
    const pB = heap.put(spikeBin),
      pU = heap.put(spikeUnit),
      pL = heap.put(logRate),
      pBase = heap.put(baseline);
    k.sortedLogLikelihood(pB, pU, spikeBin.length, pL, pBase, nBins, pOut, bins.nTime);
    return { data: heap.f64(pOut, bins.nTime * nBins).slice(), rows: bins.nTime, cols: nBins };
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
