import type { Matrix } from '@spyglass-wasm/core';

/** Plain TypeScript of the Wasm kernel sortedLogLikelihood (same inputs, same math). */
export function sortedLogLikelihoodReference(
  spikeBin: Int32Array,
  spikeUnit: Int32Array,
  logRate: Float64Array,
  baseline: Float64Array,
  nBins: number,
  nTime: number,
): Matrix<Float64Array> {
  const out = new Float64Array(nTime * nBins);
  for (let t = 0; t < nTime; t++) out.set(baseline, t * nBins);
  for (let s = 0; s < spikeBin.length; s++) {
    const t = spikeBin[s];
    if (t < 0 || t >= nTime) continue;
    const u = spikeUnit[s];
    for (let b = 0; b < nBins; b++) out[t * nBins + b] += logRate[u * nBins + b];
  }
  return { data: out, rows: nTime, cols: nBins };
}
