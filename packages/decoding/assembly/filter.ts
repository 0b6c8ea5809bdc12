// Normalised forward filter and backward (Rauch-Tung-Striebel style) smoother of a discrete
// state-space model whose transition T[i, j] = P(next = j | now = i) is a sparse part plus a few
// rank-one parts: T = S + sum_l w_l u_l^T. Random walks are narrow bands of S (stored CSR), and
// uniform moves between discrete states are rank-one, so a step costs O(nnz + N) instead of O(N^2).
//   predT: CSR of S^T (rows = destination j, entries (i, S[i, j])), used forward.
//   predS: CSR of S   (rows = source i, entries (j, S[i, j])), used backward.
// likIndex[i] says which column of the log-likelihood row belongs to state-space bin i (several
// discrete states share one likelihood).

import { expNeg, expNeg2 } from './expneg';

// @ts-ignore: decorator
@inline
function f64At(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline
function setF64(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/**
 * One sparse row times a vector. Rows whose columns are consecutive (every row of a 1-D random
 * walk, runs of a 2-D one) take the SIMD path: two weights × two neighbours per step.
 */
// @ts-ignore: decorator
@inline
function rowDot(k0: i32, k1: i32, colIdx: usize, w: usize, v: usize): f64 {
  if (k1 <= k0) return 0;
  const c0 = load<i32>(colIdx + (<usize>k0 << 2));
  if (load<i32>(colIdx + (<usize>(k1 - 1) << 2)) - c0 == k1 - 1 - k0) {
    let acc = f64x2.splat(0);
    const wp = w + (<usize>k0 << 3), vp = v + (<usize>c0 << 3);
    const len = k1 - k0, pairs = len >> 1;
    for (let p = 0; p < pairs; p++) {
      const o = <usize>p << 4;
      acc = f64x2.add(acc, f64x2.mul(v128.load(wp + o), v128.load(vp + o)));
    }
    let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    if (len & 1) s += load<f64>(wp + (<usize>(len - 1) << 3)) * load<f64>(vp + (<usize>(len - 1) << 3));
    return s;
  }
  let s: f64 = 0;
  for (let k = k0; k < k1; k++) s += f64At(w, k) * f64At(v, load<i32>(colIdx + (<usize>k << 2)));
  return s;
}

// A separable 2-D random walk (GridWalk in src/state-space/transition.ts), set by setGridWalk
// before a filter or smoother call and cleared after: S[i, j] = scale[i] · k[Δx] · k[Δy] · mask[j].
let gNx: i32 = 0, gNy: i32 = 0, gR: i32 = 0, gK: usize = 0, gScale: usize = 0, gMask: usize = 0;
let gFrom: i32 = 0, gTo: i32 = 0, gTmpA: usize = 0, gTmpB: usize = 0;

/** Turns the separable path on (nx > 0) or off (nx = 0). tmpA, tmpB: nx·ny f64 scratch each. */
export function setGridWalk(
  nx: i32, ny: i32, radius: i32, k: usize, scale: usize, mask: usize,
  fromOffset: i32, toOffset: i32, tmpA: usize, tmpB: usize,
): void {
  gNx = nx; gNy = ny; gR = radius; gK = k; gScale = scale; gMask = mask;
  gFrom = fromOffset; gTo = toOffset; gTmpA = tmpA; gTmpB = tmpB;
}

/** out = K in on the nx × ny grid (K[i, j] = k[Δx]·k[Δy], zero beyond the edges); clobbers gTmpB. */
function gridConvolve(inp: usize, out: usize): void {
  const nx = gNx, ny = gNy, r = gR;
  // Along y (contiguous): gTmpB = K_y in.
  for (let ix = 0; ix < nx; ix++) {
    const row = inp + ((<usize>ix * <usize>ny) << 3), dst = gTmpB + ((<usize>ix * <usize>ny) << 3);
    for (let iy = 0; iy < ny; iy++) {
      const lo = max(-r, -iy), hi = min(r, ny - 1 - iy);
      let acc: f64 = 0;
      for (let d = lo; d <= hi; d++) acc += f64At(gK, d + r) * f64At(row, iy + d);
      setF64(dst, iy, acc);
    }
  }
  // Along x: each output row a weighted sum of whole rows, two bins per SIMD step.
  const pairs = ny >> 1;
  for (let ix = 0; ix < nx; ix++) {
    const dst = out + ((<usize>ix * <usize>ny) << 3);
    memory.fill(dst, 0, <usize>ny << 3);
    const lo = max(-r, -ix), hi = min(r, nx - 1 - ix);
    for (let d = lo; d <= hi; d++) {
      const c = f64At(gK, d + r);
      const src = gTmpB + ((<usize>(ix + d) * <usize>ny) << 3);
      const cv = f64x2.splat(c);
      for (let p = 0; p < pairs; p++) {
        const o = <usize>p << 4;
        v128.store(dst + o, f64x2.add(v128.load(dst + o), f64x2.mul(cv, v128.load(src + o))));
      }
      if (ny & 1) setF64(dst, ny - 1, f64At(dst, ny - 1) + c * f64At(src, ny - 1));
    }
  }
}

/** dst = S^T src by the separable walk: dst[to + j] = mask_j · (K (scale ⊙ src[from..]))_j, else 0. */
function predictGrid(src: usize, dst: usize, n: i32): void {
  const nb = gNx * gNy;
  memory.fill(dst, 0, <usize>n << 3);
  const s = src + (<usize>gFrom << 3);
  for (let i = 0; i < nb; i++) setF64(gTmpA, i, f64At(s, i) * f64At(gScale, i));
  const d = dst + (<usize>gTo << 3);
  gridConvolve(gTmpA, d);
  for (let j = 0; j < nb; j++) setF64(d, j, f64At(d, j) * f64At(gMask, j));
}

/** dst = S v by the separable walk: dst[from + i] = scale_i · (K (mask ⊙ v[to..]))_i, else 0. */
function backGrid(v: usize, dst: usize, n: i32): void {
  const nb = gNx * gNy;
  memory.fill(dst, 0, <usize>n << 3);
  const s = v + (<usize>gTo << 3);
  for (let j = 0; j < nb; j++) setF64(gTmpA, j, f64At(s, j) * f64At(gMask, j));
  const d = dst + (<usize>gFrom << 3);
  gridConvolve(gTmpA, d);
  for (let i = 0; i < nb; i++) setF64(d, i, f64At(d, i) * f64At(gScale, i));
}

/** dst = T^T src (one prediction step). */
function predict(src: usize, dst: usize, n: i32, rowPtr: usize, colIdx: usize, w: usize, nLow: i32, lowU: usize, lowW: usize): void {
  if (gNx > 0) predictGrid(src, dst, n);
  else for (let j = 0; j < n; j++) {
    setF64(dst, j, rowDot(load<i32>(rowPtr + (<usize>j << 2)), load<i32>(rowPtr + (<usize>(j + 1) << 2)), colIdx, w, src));
  }
  for (let l = 0; l < nLow; l++) {
    const wl = lowW + <usize>l * (<usize>n << 3);
    const ul = lowU + <usize>l * (<usize>n << 3);
    let dot: f64 = 0;
    for (let i = 0; i < n; i++) dot += f64At(wl, i) * f64At(src, i);
    if (dot == 0) continue;
    for (let j = 0; j < n; j++) setF64(dst, j, f64At(dst, j) + f64At(ul, j) * dot);
  }
}

/**
 * Causal filter. out[t] = normalised P(state_t | spikes up to t). Returns the log marginal
 * likelihood sum_t log sum_i pred_t[i] exp(ll_t[i]).
 */
export function forwardFilter(
  start: i32, end: i32, n: i32, loglik: usize, nL: i32, likIndex: usize,
  rowPtr: usize, colIdx: usize, w: usize, nLow: i32, lowU: usize, lowW: usize,
  init: usize, out: usize, pred: usize, logMarginalBefore: f64,
): f64 {
  const rowBytes = <usize>n << 3;
  // rows [start, end) of the whole run; the running sum continues so chunked runs add in the same order
  let logMarginal: f64 = logMarginalBefore;
  for (let t = start; t < end; t++) {
    const post = out + <usize>t * rowBytes;
    if (t == 0) memory.copy(pred, init, rowBytes);
    else predict(post - rowBytes, pred, n, rowPtr, colIdx, w, nLow, lowU, lowW);
    const ll = loglik + <usize>t * (<usize>nL << 3);
    let m = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = f64At(ll, load<i32>(likIndex + (<usize>i << 2)));
      if (v > m && f64At(pred, i) > 0) m = v;
    }
    // Two bins per step: post = pred * exp(ll - m), zero where pred is zero (outside the track).
    let acc = f64x2.splat(0);
    const mv = f64x2.splat(m);
    const pairs = n >> 1;
    for (let q = 0; q < pairs; q++) {
      const i = q << 1;
      const llv = f64x2.replace_lane(
        f64x2.splat(f64At(ll, load<i32>(likIndex + (<usize>i << 2)))), 1, f64At(ll, load<i32>(likIndex + (<usize>(i + 1) << 2))),
      );
      const pv = v128.load(pred + (<usize>i << 3));
      const v = v128.and(f64x2.mul(pv, expNeg2(f64x2.sub(mv, llv))), f64x2.gt(pv, f64x2.splat(0)));
      v128.store(post + (<usize>i << 3), v);
      acc = f64x2.add(acc, v);
    }
    let sum: f64 = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    if (n & 1) {
      const i = n - 1;
      const p = f64At(pred, i);
      const v = p > 0 ? p * expNeg(m - f64At(ll, load<i32>(likIndex + (<usize>i << 2)))) : 0;
      setF64(post, i, v);
      sum += v;
    }
    if (sum > 0 && isFinite(sum)) {
      const inv = 1.0 / sum;
      for (let i = 0; i < n; i++) setF64(post, i, f64At(post, i) * inv);
      logMarginal += Math.log(sum) + m;
    } else {
      memory.copy(post, pred, rowBytes); // no usable likelihood: keep the prediction
    }
  }
  return logMarginal;
}

/** Acausal smoother: out[t] = normalised P(state_t | all spikes), from the filter's output. */
export function backwardSmoother(
  start: i32, end: i32, nTime: i32, n: i32, filtered: usize,
  rowPtr: usize, colIdx: usize, w: usize,
  fwdPtr: usize, fwdIdx: usize, fwdW: usize,
  nLow: i32, lowU: usize, lowW: usize,
  out: usize, pred: usize, ratio: usize,
): void {
  const rowBytes = <usize>n << 3;
  // rows [start, end) of the whole run, last first; the run's last row is the filter's
  let from = end - 1;
  if (end == nTime) {
    const last = <usize>(nTime - 1) * rowBytes;
    memory.copy(out + last, filtered + last, rowBytes);
    from = nTime - 2;
  }
  for (let t = from; t >= start; t--) {
    const f = filtered + <usize>t * rowBytes;
    const next = out + <usize>(t + 1) * rowBytes;
    const dst = out + <usize>t * rowBytes;
    predict(f, pred, n, rowPtr, colIdx, w, nLow, lowU, lowW);
    for (let j = 0; j < n; j++) {
      const p = f64At(pred, j);
      setF64(ratio, j, p > 0 ? f64At(next, j) / p : 0);
    }
    // back[i] = sum_j T[i, j] ratio[j]
    if (gNx > 0) backGrid(ratio, dst, n);
    else for (let i = 0; i < n; i++) {
      setF64(dst, i, rowDot(load<i32>(fwdPtr + (<usize>i << 2)), load<i32>(fwdPtr + (<usize>(i + 1) << 2)), fwdIdx, fwdW, ratio));
    }
    for (let l = 0; l < nLow; l++) {
      const wl = lowW + <usize>l * rowBytes;
      const ul = lowU + <usize>l * rowBytes;
      let dot: f64 = 0;
      for (let j = 0; j < n; j++) dot += f64At(ul, j) * f64At(ratio, j);
      if (dot == 0) continue;
      for (let i = 0; i < n; i++) setF64(dst, i, f64At(dst, i) + f64At(wl, i) * dot);
    }
    let sum: f64 = 0;
    for (let i = 0; i < n; i++) {
      const v = f64At(dst, i) * f64At(f, i);
      setF64(dst, i, v);
      sum += v;
    }
    if (sum > 0) {
      const inv = 1.0 / sum;
      for (let i = 0; i < n; i++) setF64(dst, i, f64At(dst, i) * inv);
    }
  }
}
