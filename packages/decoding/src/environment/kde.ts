import { interpolate, type Matrix, exp, pow } from '@spyglass-wasm/core';
import type { Environment } from './environment.js';

/**
 * Gaussian kernel density of `samples` (rows × dims, cm) at every bin centre: the mean over samples
 * of the product of per-dimension normal densities with standard deviation `std` (cm). Rows with a
 * NaN are skipped. Optional `weights` per row.
 */
export function kdeAtBins(env: Environment, samples: Matrix<Float64Array>, std: number): Float64Array {
  const out = new Float64Array(env.nBins);
  const dims = env.dims;
  const norm = 1 / pow(Math.sqrt(2 * Math.PI) * std, dims);
  const inv = 1 / (2 * std * std);
  // Per-dimension kernels over that dimension's bin centres (separable), then the outer product.
  const per: Float64Array[] = [];
  for (let d = 0; d < dims; d++) per.push(new Float64Array(env.shape[d]));
  let n = 0;
  for (let i = 0; i < samples.rows; i++) {
    let ok = true;
    for (let d = 0; d < dims; d++) {
      const v = samples.data[i * dims + d];
      if (!Number.isFinite(v)) {
        ok = false;
        break;
      }
      const e = env.edges[d],
        k = per[d];
      for (let j = 0; j < k.length; j++) {
        const c = e[j] + env.binSize / 2 - v;
        k[j] = exp(-c * c * inv);
      }
    }
    if (!ok) continue;
    n++;
    if (dims === 1) for (let b = 0; b < env.nBins; b++) out[b] += per[0][b];
    else {
      const [nx, ny] = env.shape,
        kx = per[0],
        ky = per[1];
      for (let x = 0; x < nx; x++) {
        const a = kx[x];
        if (a < 1e-300) continue;
        for (let y = 0; y < ny; y++) out[x * ny + y] += a * ky[y];
      }
    }
  }
  const scale = n > 0 ? norm / n : 0;
  for (let b = 0; b < env.nBins; b++) out[b] *= scale;
  return out;
}

/** Linear interpolation of a (rows × dims) position series at `times` (NaN outside its span). */
export function interpolatePosition(
  times: Float64Array,
  position: Matrix<Float64Array>,
  at: ArrayLike<number>,
): Matrix<Float64Array> {
  return {
    data: interpolate(times, position.data, at, { cols: position.cols, outside: 'nan' }),
    rows: at.length,
    cols: position.cols,
  };
}
