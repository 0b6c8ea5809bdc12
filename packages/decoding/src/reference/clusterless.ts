import { exp } from '@spyglass-wasm/core';
import type { Environment } from '../environment/environment.js';
import type { ClusterlessGroupModel } from '../encoding/clusterless-model.js';
import { positionKernelRows } from '../likelihood/position-kernel.js';

/**
 * Plain TypeScript of markMinDistance + markAccumulate with no cutoff and exp:
 * acc[d, b] = Σ_e exp(−(x(d,e) − xmin[d])) K_pos[e, b].
 */
export function clusterlessAccumulateReference(
  env: Environment,
  enc: ClusterlessGroupModel,
  dec: Float64Array,
  nDec: number,
  scale: number,
  positionStd: number,
) {
  const nb = env.nBins,
    dim = enc.marks.cols,
    nEnc = enc.marks.rows;
  const K = new Float64Array(nEnc * nb);
  positionKernelRows(env, enc.positions, 0, nEnc, positionStd, K);
  const acc = new Float64Array(nDec * nb),
    xmin = new Float64Array(nDec);
  const x = new Float64Array(nEnc);
  for (let d = 0; d < nDec; d++) {
    let best = Infinity;
    for (let e = 0; e < nEnc; e++) {
      let s = 0;
      for (let j = 0; j < dim; j++) {
        const v = dec[d * dim + j] - enc.marks.data[e * dim + j];
        s += v * v;
      }
      x[e] = scale * s;
      best = Math.min(best, x[e]);
    }
    xmin[d] = best;
    for (let e = 0; e < nEnc; e++) {
      const w = exp(-(x[e] - best));
      for (let b = 0; b < nb; b++) acc[d * nb + b] += w * K[e * nb + b];
    }
  }
  return { acc, xmin };
}
