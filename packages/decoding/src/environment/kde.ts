import type { Matrix } from '@spyglass-wasm/core';
import type { Environment } from './environment.js';

/**
 * Gaussian kernel density of `samples` (rows × dims, cm) at every bin centre: the mean over samples
 * of the product of per-dimension normal densities with standard deviation `std` (cm). Rows with a
 * NaN are skipped. Optional `weights` per row.
 */
export function kdeAtBins(env: Environment, samples: Matrix<Float64Array>, std: number): Float64Array {
  const out = new Float64Array(env.nBins);
  const dims = env.dims;
  const norm = 1 / Math.pow(Math.sqrt(2 * Math.PI) * std, dims);
  const inv = 1 / (2 * std * std);
  // Per-dimension kernels over that dimension's bin centres (separable), then the outer product.
  const per: Float64Array[] = [];
  for (let d = 0; d < dims; d++) per.push(new Float64Array(env.shape[d]));
  let n = 0;
  for (let i = 0; i < samples.rows; i++) {
    let ok = true;
    for (let d = 0; d < dims; d++) {
      const v = samples.data[i * dims + d];
      if (!Number.isFinite(v)) { ok = false; break; }
      const e = env.edges[d], k = per[d];
      for (let j = 0; j < k.length; j++) {
        const c = e[j] + env.binSize / 2 - v;
        k[j] = Math.exp(-c * c * inv);
      }
    }
    if (!ok) continue;
    n++;
    if (dims === 1) for (let b = 0; b < env.nBins; b++) out[b] += per[0][b];
    else {
      const [nx, ny] = env.shape, kx = per[0], ky = per[1];
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
export function interpolatePosition(times: Float64Array, position: Matrix<Float64Array>, at: ArrayLike<number>): Matrix<Float64Array> {
  const dims = position.cols;
  const out = new Float64Array(at.length * dims);
  let j = 0;
  for (let i = 0; i < at.length; i++) {
    const t = at[i];
    if (!(t >= times[0] && t <= times[times.length - 1])) {
      for (let d = 0; d < dims; d++) out[i * dims + d] = NaN;
      continue;
    }
    if (t < times[j]) j = 0;
    while (j + 1 < times.length - 1 && times[j + 1] <= t) j++;
    const t0 = times[j], t1 = times[Math.min(j + 1, times.length - 1)];
    const f = t1 > t0 ? (t - t0) / (t1 - t0) : 0;
    for (let d = 0; d < dims; d++) {
      const a = position.data[j * dims + d], b = position.data[Math.min(j + 1, times.length - 1) * dims + d];
      out[i * dims + d] = a + f * (b - a);
    }
  }
  return { data: out, rows: at.length, cols: dims };
}
