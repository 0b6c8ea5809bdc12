import { ParameterError, type Matrix } from '@spyglass-wasm/core';
import type { ClusterlessModel, MarkedSpikes } from '../encoding/clusterless-model.js';
import { decodingKernels } from '../wasm/kernels.js';
import { clusterlessAccumulateReference } from '../reference/clusterless.js';
import { spikeBins, type TimeBins } from './time-bins.js';

export interface ClusterlessOptions {
  backend?: 'wasm' | 'reference';
  /** Mark-kernel terms below e^-cutoff of a spike's largest term are skipped (default 30). */
  cutoff?: number;
  /**
   * Decoding spikes per block (default 4096) and encoding spikes per block (default: as many as
   * keep the block's position kernels within 256 KB, so they stay in cache).
   */
  decodeBlock?: number;
  encodeBlock?: number;
  onProgress?: (fraction: number) => void;
}

/** A spike's joint-intensity floor, relative to its largest bin (keeps one odd spike from zeroing bins). */
const FLOOR = 1e-12;

/**
 * Clusterless log-likelihood (nTime × nBins):
 * −Δt Σ_groups λ_g(x) + Σ_spikes log(Δt · meanRate/nEnc · Σ_e K_pos(x − x_e) K_mark(m − m_e) / occupancy(x)),
 * with Gaussian kernels (positionStd, waveformStd). Memory stays bounded by blocks of decoding ×
 * encoding spikes. The Wasm path (SIMD mark distances, a register-blocked sum over four decoding spikes
 * at a time) skips terms < e^-cutoff of each spike's largest (relative error of the sum ≤
 * nEnc·e^-cutoff); with `cutoff: Infinity` it equals the TypeScript reference to ~1e-14.
 *
 * @example
 * const ll = clusterlessLikelihood(model, groups, makeTimeBins(720, 900));
 */
export function clusterlessLikelihood(
  model: ClusterlessModel,
  groups: readonly MarkedSpikes[],
  bins: TimeBins,
  options: ClusterlessOptions = {},
): Matrix<Float64Array> {
  const env = model.env,
    nb = env.nBins,
    dt = bins.binSize;
  const out = new Float64Array(bins.nTime * nb);
  const base = new Float64Array(nb);
  for (const g of model.groups) for (let b = 0; b < nb; b++) base[b] -= dt * g.groundIntensity[b];
  for (let t = 0; t < bins.nTime; t++) out.set(base, t * nb);
  const logOcc = Float64Array.from(model.occupancy, (o, b) => (o > 0 && env.isInterior[b] ? Math.log(o) : NaN));
  const scale = 1 / (2 * model.waveformStd ** 2);
  const totalSpikes = groups.reduce((s, g) => s + g.times.length, 0);
  let done = 0;
  if (groups.length !== model.groups.length)
    throw new ParameterError('groups', `${model.groups.length} electrode groups (as encoded)`, `${groups.length}`);
  groups.forEach((g, gi) => {
    const enc = model.groups[gi];
    const dim = enc.marks.cols;
    if (g.marks.cols !== dim || g.marks.rows !== g.times.length) {
      throw new ParameterError(
        `groups[${gi}].marks`,
        `${g.times.length} × ${dim} (spikes × encoded features)`,
        `${g.marks.rows} × ${g.marks.cols}`,
      );
    }
    const sb = spikeBins(g.times, bins);
    const idx: number[] = [];
    // Spikes with a non-finite mark feature carry no usable information and are skipped.
    outer: for (let i = 0; i < sb.length; i++) {
      if (sb[i] < 0) continue;
      for (let j = 0; j < dim; j++) if (!Number.isFinite(g.marks.data[i * dim + j])) continue outer;
      idx.push(i);
    }
    const dec = new Float64Array(idx.length * dim);
    idx.forEach((i, k) => {
      for (let j = 0; j < dim; j++) dec[k * dim + j] = g.marks.data[i * dim + j];
    });
    const constant =
      Math.log((dt * enc.meanRate) / Math.max(1, enc.marks.rows)) -
      (dim / 2) * Math.log(2 * Math.PI * model.waveformStd ** 2);
    const { acc, xmin } =
      options.backend === 'reference'
        ? clusterlessAccumulateReference(env, enc, dec, idx.length, scale, model.positionStd)
        : accumulateWasm(model, enc, dec, idx.length, scale, options);
    for (let k = 0; k < idx.length; k++) {
      const row = acc.subarray(k * nb, (k + 1) * nb);
      let mx = 0;
      for (let b = 0; b < nb; b++) if (row[b] > mx) mx = row[b];
      const floor = mx > 0 ? mx * FLOOR : Number.MIN_VALUE;
      const t = sb[idx[k]];
      const o = out.subarray(t * nb, (t + 1) * nb);
      for (let b = 0; b < nb; b++) {
        if (!env.isInterior[b]) continue;
        o[b] += constant - xmin[k] + Math.log(Math.max(row[b], floor)) - logOcc[b];
      }
    }
    done += g.times.length;
    options.onProgress?.(done / Math.max(1, totalSpikes));
  });
  return { data: out, rows: bins.nTime, cols: nb };
}

function accumulateWasm(
  model: ClusterlessModel,
  enc: ClusterlessModel['groups'][number],
  dec: Float64Array,
  nDec: number,
  scale: number,
  options: ClusterlessOptions,
) {
  const { exports: k, heap } = decodingKernels.get();
  const nb = model.env.nBins,
    dim = enc.marks.cols,
    nEnc = enc.marks.rows;
  const bd = options.decodeBlock ?? 4096,
    be = options.encodeBlock ?? Math.max(16, Math.floor(POSITION_BLOCK_BYTES / (8 * nb)));
  const cutoff = options.cutoff ?? 30;
  const acc = new Float64Array(nDec * nb),
    xmin = new Float64Array(nDec).fill(Infinity);
  heap.scoped(() => {
    const pEnc = heap.put(transpose(enc.marks.data, nEnc, dim));
    const pScratch = heap.alloc(Math.min(be, nEnc) * 36);
    const env = model.env;
    const pCenters = heap.put(transpose(env.centers.data, nb, env.dims));
    const pPos = heap.put(enc.positions.data);
    const norm = 1 / Math.pow(Math.sqrt(2 * Math.PI) * model.positionStd, env.dims),
      inv = 1 / (2 * model.positionStd ** 2);
    for (let d0 = 0; d0 < nDec; d0 += bd) {
      const d1 = Math.min(nDec, d0 + bd),
        nd = d1 - d0;
      heap.scoped(() => {
        const pDec = heap.put(dec.subarray(d0 * dim, d1 * dim));
        const pX = heap.put(xmin.subarray(d0, d1));
        k.markMinDistance(pDec, nd, pEnc, nEnc, nEnc, dim, scale, pX);
        const pAcc = heap.alloc(nd * nb * 8);
        heap.f64(pAcc, nd * nb).fill(0);
        const pK = heap.alloc(Math.min(be, nEnc) * nb * 8);
        for (let e0 = 0; e0 < nEnc; e0 += be) {
          const e1 = Math.min(nEnc, e0 + be);
          k.positionKernel(pCenters, nb, env.dims, pPos + e0 * env.dims * 8, e1 - e0, norm, inv, pK);
          k.markAccumulate(pDec, nd, pEnc + e0 * 8, e1 - e0, nEnc, dim, scale, pX, cutoff, pK, nb, pAcc, pScratch);
        }
        acc.set(heap.f64(pAcc, nd * nb), d0 * nb);
        xmin.set(heap.f64(pX, nd), d0);
      });
    }
  });
  return { acc, xmin };
}

/** Encoding blocks of this many bytes of position kernel stay in L2 while four decoding spikes sum over them. */
const POSITION_BLOCK_BYTES = 256 * 1024;

/** Feature-major copy of (rows × cols) marks, so the kernel loads one feature of two spikes at once. */
function transpose(data: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = data[r * cols + c];
  return t;
}
