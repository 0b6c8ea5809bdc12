import { checkNumber, checkOptionNames, createRng, medianInPlace, type Matrix } from '@spyglass-wasm/core';
import { fitPca, projectPca } from '../features/pca.js';
import { pointsMatrix } from '../features/points.js';
import { nearestRows } from './nearest.js';

export interface NoiseOverlapOptions {
  /** Samples per waveform and channels: waveforms and clips are length × channels, row-major. */
  length: number;
  channels: number;
  /** Neighbours whose membership counts (default 5), principal components (default 10). */
  neighbours?: number;
  components?: number;
  /**
   * Keep every `stride`-th sample (default 1). A 600–6000 Hz waveform sampled at 30 kHz loses
   * nothing at stride 2, and the principal components cost a quarter.
   */
  stride?: number;
  /** At most this many spikes and clips (default 1000); fewer than `minSpikes` (default 10) gives NaN. */
  maxSpikes?: number;
  minSpikes?: number;
  seed?: number;
}

const NOISE_OVERLAP_OPTIONS = [
  'length',
  'channels',
  'neighbours',
  'components',
  'stride',
  'maxSpikes',
  'minSpikes',
  'seed',
] as const;

/**
 * Noise overlap (Chung et al. 2017, SpikeInterface's `nn_noise_overlap`): how much a unit's
 * waveforms mix with clips of the recording taken at random times. As many clips as spikes;
 * both lose their projection on the clips' average weighted by each clip's value where the unit's
 * median waveform peaks (the bias of random sampling towards spikes), go to 10 principal
 * components together, and the score is 1 − isolation: 0 for a unit apart from the noise, near
 * 0.5 for a unit made of noise.
 *
 * @example
 * noiseOverlap(unitWaveforms, clips, { length: 90, channels: 4 }); // 0.02
 */
export function noiseOverlap(waveforms: Float32Array, clips: Float32Array, options: NoiseOverlapOptions): number {
  checkOptionNames('noiseOverlap', options, NOISE_OVERLAP_OPTIONS);
  const full = options.length * options.channels;
  const rng = createRng(options.seed ?? 1);
  const n0 = waveforms.length / full;
  if (n0 < (options.minSpikes ?? 10) || clips.length < full) return NaN;
  const n = Math.min(n0, options.maxSpikes ?? 1000, clips.length / full);
  const stride = options.stride ?? 1,
    { channels } = options;
  const kept = Math.ceil(options.length / stride),
    d = kept * channels;
  const a = pick(waveforms, n0, n, full, rng, stride, channels),
    b = pick(clips, clips.length / full, n, full, rng, stride, channels);
  // Where the unit's median waveform is largest, and the clips' average weighted by their value there.
  const centre = new Float64Array(d);
  const column = new Float64Array(n);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) column[i] = a[i * d + j];
    centre[j] = medianInPlace(column, n);
  }
  let peak = 0;
  for (let j = 1; j < d; j++) if (Math.abs(centre[j]) > Math.abs(centre[peak])) peak = j;
  let total = 0;
  for (let i = 0; i < n; i++) total += b[i * d + peak];
  const z = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) z[j] += (b[i * d + peak] / total) * b[i * d + j];
  removeComponent(a, n, d, z);
  removeComponent(b, n, d, z);
  const both = new Float32Array(2 * n * d);
  both.set(a);
  both.set(b, n * d);
  const k = Math.min(options.components ?? 10, d);
  const all = { data: both, rows: 2 * n, cols: d };
  const features = projectPca(fitPca(all, { components: k, seed: options.seed ?? 1 }), all);
  return 1 - isolationScore(features, { firstGroup: n, neighbours: options.neighbours ?? 5 });
}

export interface IsolationScoreOptions {
  /** The first this many rows are one group, the remaining rows the other. */
  firstGroup: number;
  /** Nearest neighbours of each point that are looked at (default 5). */
  neighbours?: number;
}

/**
 * Isolation of two groups of points (rows × dimensions: the first `firstGroup` rows, then the
 * rest): the fraction of each point's nearest neighbours (itself excluded) that belong to its own
 * group. 1 when the groups are apart, 0.5 when they are mixed.
 *
 * @example
 * isolationScore({ data: features, rows: 200, cols: 10 }, { firstGroup: 100, neighbours: 5 }); // 1: apart
 */
export function isolationScore(pointMatrix: Matrix<Float32Array>, options: IsolationScoreOptions): number {
  checkOptionNames('isolationScore', options, ['firstGroup', 'neighbours']);
  const { data: points, rows: n, cols: k } = pointsMatrix(pointMatrix, 'points');
  const na = checkNumber('firstGroup', options?.firstGroup, { min: 0, max: n, integer: true });
  const neighbours = checkNumber('neighbours', options.neighbours ?? 5, { min: 1, integer: true });
  const m = Math.min(neighbours, n - 1);
  if (m < 1) return NaN;
  let same = 0;
  if (!points.subarray(0, n * k).every(Number.isFinite)) {
    const all = Int32Array.from({ length: n }, (_, j) => j);
    for (let i = 0; i < n; i++) for (const j of nearestRows(points, k, i, all, m)) if (j < na === i < na) same++;
    return same / (n * m);
  }
  const near = new KdTree(points, n, k, m);
  const found = new Int32Array(m);
  for (let i = 0; i < n; i++) {
    near.nearest(i, found);
    for (const j of found) if (j < na === i < na) same++;
  }
  return same / (n * m);
}

/**
 * Exact nearest neighbours from a k-d tree (median splits along the coordinate of largest spread,
 * leaves of up to 16 rows): a subtree is skipped only when its splitting plane alone is farther
 * than the m-th nearest so far. The same neighbours as `nearestRows` over every row in order: the
 * m smallest (distance, row) pairs, distances summed the same way, whatever order rows are visited in.
 */
class KdTree {
  private readonly index: Int32Array;
  // per node: rows [lo, hi) of `index`, and for an inner node its split (dim < 0: a leaf) and children
  private readonly lo: number[] = [];
  private readonly hi: number[] = [];
  private readonly dim: number[] = [];
  private readonly split: number[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  private readonly bestD: Float64Array;
  private readonly bestJ: Int32Array;

  constructor(
    private readonly points: Float32Array,
    n: number,
    private readonly k: number,
    private readonly m: number,
  ) {
    this.index = Int32Array.from({ length: n }, (_, j) => j);
    this.build(0, n);
    this.bestD = new Float64Array(m);
    this.bestJ = new Int32Array(m);
  }

  private build(lo: number, hi: number): number {
    const { points, k, index } = this;
    const node = this.lo.length;
    this.lo.push(lo);
    this.hi.push(hi);
    this.dim.push(-1);
    this.split.push(0);
    this.left.push(-1);
    this.right.push(-1);
    if (hi - lo <= 16) return node;
    let dim = 0,
      spread = -1;
    for (let c = 0; c < k; c++) {
      let min = Infinity,
        max = -Infinity;
      for (let r = lo; r < hi; r++) {
        const v = points[index[r] * k + c];
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (max - min > spread) {
        spread = max - min;
        dim = c;
      }
    }
    index.subarray(lo, hi).sort((a, b) => points[a * k + dim] - points[b * k + dim] || a - b);
    const mid = (lo + hi) >> 1;
    this.dim[node] = dim;
    this.split[node] = points[index[mid] * k + dim];
    this.left[node] = this.build(lo, mid);
    this.right[node] = this.build(mid, hi);
    return node;
  }

  /** Writes the m rows nearest row i (itself excluded), nearest first, into `out`. */
  nearest(i: number, out: Int32Array): void {
    this.bestD.fill(Infinity);
    this.bestJ.fill(-1);
    this.visit(0, i);
    out.set(this.bestJ);
  }

  private visit(node: number, i: number): void {
    const dim = this.dim[node];
    if (dim < 0) {
      for (let r = this.lo[node]; r < this.hi[node]; r++) {
        const j = this.index[r];
        if (j !== i) this.consider(i, j);
      }
      return;
    }
    // points on the far side of the plane are at least |diff| away along dim
    const diff = this.points[i * this.k + dim] - this.split[node];
    const [near, far] = diff < 0 ? [this.left[node], this.right[node]] : [this.right[node], this.left[node]];
    this.visit(near, i);
    if (!(diff * diff > this.bestD[this.m - 1])) this.visit(far, i);
  }

  /** Row j into the m nearest of row i, kept sorted by (distance, row). */
  private consider(i: number, j: number): void {
    const { points, k, m, bestD, bestJ } = this;
    // a partial sum of squares only grows, so one already beyond the m-th nearest rules j out
    const bound = bestD[m - 1];
    let s = 0;
    for (let c = 0; c < k; c++) {
      s += (points[i * k + c] - points[j * k + c]) ** 2;
      if ((c & 3) === 3 && s > bound) return;
    }
    if (s > bound || (s === bound && j > bestJ[m - 1])) return;
    let at = m - 1;
    while (at > 0 && (bestD[at - 1] > s || (bestD[at - 1] === s && bestJ[at - 1] > j))) {
      bestD[at] = bestD[at - 1];
      bestJ[at] = bestJ[at - 1];
      at--;
    }
    bestD[at] = s;
    bestJ[at] = j;
  }
}

/** `count` of `n` rows (length × channels) chosen at random without replacement, every `stride`-th sample kept. */
function pick(
  x: Float32Array,
  n: number,
  count: number,
  d: number,
  rng: ReturnType<typeof createRng>,
  stride: number,
  channels: number,
): Float32Array {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(n - i);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const length = d / channels,
    kept = Math.ceil(length / stride);
  const out = new Float32Array(count * kept * channels);
  for (let i = 0; i < count; i++)
    for (let s = 0; s < kept; s++)
      for (let c = 0; c < channels; c++) out[(i * kept + s) * channels + c] = x[idx[i] * d + s * stride * channels + c];
  return out;
}

/** Removes from each of the n rows its projection on z. */
function removeComponent(x: Float32Array, n: number, d: number, z: Float64Array): void {
  let zz = 0;
  for (let j = 0; j < d; j++) zz += z[j] * z[j];
  if (!(zz > 0)) return;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] * z[j];
    for (let j = 0; j < d; j++) x[i * d + j] -= (s / zz) * z[j];
  }
}
