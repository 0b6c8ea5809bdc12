import { exp, pow } from '@spyglass-wasm/core';
import type { Matrix } from '@spyglass-wasm/core';
import type { Environment } from '../environment/environment.js';

/** Rows [e0, e1) of the normalised Gaussian position kernel: out[e, b] = N(centre_b; x_e, std). */
export function positionKernelRows(
  env: Environment,
  positions: Matrix<Float64Array>,
  e0: number,
  e1: number,
  std: number,
  out: Float64Array,
): void {
  const d = env.dims,
    c = env.centers.data,
    nb = env.nBins;
  const norm = 1 / pow(Math.sqrt(2 * Math.PI) * std, d),
    inv = 1 / (2 * std * std);
  for (let e = e0; e < e1; e++) {
    const row = (e - e0) * nb;
    for (let b = 0; b < nb; b++) {
      let d2 = 0;
      for (let k = 0; k < d; k++) {
        const v = c[b * d + k] - positions.data[e * d + k];
        d2 += v * v;
      }
      out[row + b] = d2 * inv > 40 ? 0 : norm * exp(-d2 * inv);
    }
  }
}
