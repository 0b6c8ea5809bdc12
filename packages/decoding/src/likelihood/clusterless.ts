import { ParameterError, type Matrix, log, pow } from '@spyglass-wasm/core';
import type { ClusterlessModel, MarkedSpikes } from '../encoding/clusterless-model.js';
import { decodingKernels } from '../wasm/kernels.js';
import { clusterlessAccumulateReference } from '../reference/clusterless.js';
import { spikeBins, type TimeBins } from './time-bins.js';
import type { LikelihoodRows } from './sorted.js';

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
  const rows = clusterlessRows(model, groups, bins, options);
  return { data: rows.compute(0, bins.nTime, options.onProgress), rows: bins.nTime, cols: model.env.nBins };
}

/**
 * clusterlessLikelihood rows [start, end) at a time, bit for bit: each group's decoding spikes are
 * ordered by time bin (stably, so a bin adds its spikes in the same order), and a read computes
 * the rows of its own spikes only (each spike's sum does not depend on the spikes computed with
 * it). Memory holds the decoding spikes' marks and the rows read, never nTime × nBins; the cost of
 * a read is its spikes' (the filter reads each row several times: the likelihood is recomputed
 * each time).
 *
 * @example
 * const ll = clusterlessLikelihoodRows(model, groups, makeTimeBins(720, 900));
 * const first = ll.read(0, 2000); // 2000 × ll.cols
 */
export function clusterlessLikelihoodRows(
  model: ClusterlessModel,
  groups: readonly MarkedSpikes[],
  bins: TimeBins,
  options: Omit<ClusterlessOptions, 'onProgress'> = {},
): LikelihoodRows {
  const rows = clusterlessRows(model, groups, bins, options);
  return { rows: bins.nTime, cols: model.env.nBins, read: (start, end) => rows.compute(start, end) };
}

/** The decoding spikes of each group ordered by bin, and the rows [start, end) computed from them. */
function clusterlessRows(
  model: ClusterlessModel,
  groups: readonly MarkedSpikes[],
  bins: TimeBins,
  options: ClusterlessOptions,
) {
  const env = model.env,
    nb = env.nBins,
    dt = bins.binSize,
    nTime = bins.nTime;
  const base = new Float64Array(nb);
  for (const g of model.groups) for (let b = 0; b < nb; b++) base[b] -= dt * g.groundIntensity[b];
  const logOcc = Float64Array.from(model.occupancy, (o, b) => (o > 0 && env.isInterior[b] ? log(o) : NaN));
  const scale = 1 / (2 * model.waveformStd ** 2);
  if (groups.length !== model.groups.length)
    throw new ParameterError('groups', `${model.groups.length} electrode groups (as encoded)`, `${groups.length}`);
  const prepared = groups.map((g, gi) => {
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
    // Spikes with a non-finite mark feature carry no usable information and are skipped; the rest
    // are counting-sorted by bin, stably: first[t] is the first of bin t's spikes
    const first = new Int32Array(nTime + 1);
    const usable = (i: number) => {
      if (sb[i] < 0) return false;
      for (let j = 0; j < dim; j++) if (!Number.isFinite(g.marks.data[i * dim + j])) return false;
      return true;
    };
    for (let i = 0; i < sb.length; i++) if (usable(i)) first[sb[i] + 1]++;
    for (let t = 0; t < nTime; t++) first[t + 1] += first[t];
    const dec = new Float64Array(first[nTime] * dim),
      bin = new Int32Array(first[nTime]);
    const next = first.slice(0, nTime);
    for (let i = 0; i < sb.length; i++) {
      if (!usable(i)) continue;
      const k = next[sb[i]]++;
      bin[k] = sb[i];
      for (let j = 0; j < dim; j++) dec[k * dim + j] = g.marks.data[i * dim + j];
    }
    const constant =
      log((dt * enc.meanRate) / Math.max(1, enc.marks.rows)) - (dim / 2) * log(2 * Math.PI * model.waveformStd ** 2);
    return { enc, dim, first, dec, bin, constant, spikes: g.times.length };
  });
  const totalSpikes = groups.reduce((s, g) => s + g.times.length, 0);
  return {
    /** Rows [start, end) (end - start) × nBins; `onProgress` after each group, by spikes. */
    compute(start: number, end: number, onProgress?: (fraction: number) => void): Float64Array {
      const out = new Float64Array((end - start) * nb);
      for (let t = 0; t < end - start; t++) out.set(base, t * nb);
      let done = 0;
      for (const { enc, dim, first, dec, bin, constant, spikes } of prepared) {
        const a = first[start],
          n = first[end] - a;
        const marks = dec.subarray(a * dim, (a + n) * dim);
        const { acc, xmin } =
          options.backend === 'reference'
            ? clusterlessAccumulateReference(env, enc, marks, n, scale, model.positionStd)
            : accumulateWasm(model, enc, marks, n, scale, options);
        for (let k = 0; k < n; k++) {
          const row = acc.subarray(k * nb, (k + 1) * nb);
          let mx = 0;
          for (let b = 0; b < nb; b++) if (row[b] > mx) mx = row[b];
          const floor = mx > 0 ? mx * FLOOR : Number.MIN_VALUE;
          const t = bin[a + k] - start;
          const o = out.subarray(t * nb, (t + 1) * nb);
          for (let b = 0; b < nb; b++) {
            if (!env.isInterior[b]) continue;
            o[b] += constant - xmin[k] + log(Math.max(row[b], floor)) - logOcc[b];
          }
        }
        done += spikes;
        onProgress?.(done / Math.max(1, totalSpikes));
      }
      return out;
    },
  };
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
    const norm = 1 / pow(Math.sqrt(2 * Math.PI) * model.positionStd, env.dims),
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
