import { describe, expect, it } from 'vitest';
import { createRng, symmetricEigen } from '@spyglass-wasm/core';
import { blankArtifacts, detectPeaks, isolationScore, isosplit } from '../src/index.js';
import { fisherDirection } from '../src/cluster/branch-split.js';
import { isosplitUncached } from '../src/cluster/isosplit.js';
import { fitTwoGaussians } from '../src/cluster/unimodality.js';
import { nearestRows } from '../src/metrics/nearest.js';
import { pairFitsSpikes } from '../src/sort/collisions.js';
import { catmullRom, extractSnippets } from '../src/features/snippets.js';

/** The isolation score by brute force: every row's neighbours among all rows, in row order. */
function isolationScoreByAllRows(points: Float32Array, na: number, nb: number, k: number, neighbours: number): number {
  const n = na + nb,
    m = Math.min(neighbours, n - 1);
  const all = Int32Array.from({ length: n }, (_, j) => j);
  let same = 0;
  for (let i = 0; i < n; i++) for (const j of nearestRows(points, k, i, all, m)) if (j < na === i < na) same++;
  return same / (n * m);
}

describe('isolationScore from a k-d tree', () => {
  it('gives exactly the brute-force score, with many equal distances and duplicate points', () => {
    const rng = createRng(11);
    for (const [n, k, m] of [
      [300, 3, 5],
      [200, 1, 4],
      [150, 10, 5],
      [7, 2, 10],
    ]) {
      // Small integer coordinates: equal distances everywhere, so ties must go to the lower row.
      const points = Float32Array.from({ length: n * k }, () => rng.int(5));
      const na = Math.floor(n / 3);
      const scored = (p: Float32Array) =>
        isolationScore({ data: p, rows: n, cols: k }, { firstGroup: na, neighbours: m });
      expect(scored(points)).toBe(isolationScoreByAllRows(points, na, n - na, k, m));
      const smooth = Float32Array.from({ length: n * k }, () => rng.normal());
      expect(scored(smooth)).toBe(isolationScoreByAllRows(smooth, na, n - na, k, m));
    }
  });
});

describe('snippets by direct offsets', () => {
  it('equal the clamped Catmull-Rom interpolation to the bit, inside the data and at its edges', () => {
    const rng = createRng(5);
    const rows = 400,
      cols = 4;
    const x = { data: Float32Array.from({ length: rows * cols }, () => rng.normal()), rows, cols };
    const at = (t: number, c: number) => x.data[Math.min(rows - 1, Math.max(0, t)) * cols + c];
    const peaks = [1, 2.5, 30.25, 200, 200.75, 398.5, 399].map((time) => ({
      sample: Math.round(time),
      time,
      channel: 0,
      z: 0,
    }));
    const s = extractSnippets(x, peaks, { before: 10, after: 20 });
    peaks.forEach((p, i) => {
      const base = Math.floor(p.time),
        f = p.time - base;
      for (let k = 0; k < 30; k++)
        for (let c = 0; c < cols; c++) {
          const t = base + k - 10;
          const v = f === 0 ? at(t, c) : catmullRom(at(t - 1, c), at(t, c), at(t + 1, c), at(t + 2, c), f);
          expect(s.data[(i * 30 + k) * cols + c]).toBe(Math.fround(v));
        }
    });
  });
});

describe('detection within rows', () => {
  it('finds the peaks a detection over all the data finds there, with and without neighbours', () => {
    const rng = createRng(8);
    const rows = 3000,
      cols = 4;
    const x = {
      data: Float32Array.from({ length: rows * cols }, () => rng.normal() * (rng.uniform() < 0.02 ? 8 : 1)),
      rows,
      cols,
    };
    for (const neighbours of [
      undefined,
      [
        [0, 1],
        [0, 1, 2],
        [1, 2, 3],
        [2, 3],
      ],
    ]) {
      const options = { noise: [1, 1, 1, 1], threshold: 3, sweep: 5, margin: 20, neighbours };
      const all = detectPeaks(x, options);
      for (const span of [
        [0, 3000],
        [0, 40],
        [100, 101],
        [500, 900],
        [2950, 3000],
      ] as [number, number][]) {
        const within = detectPeaks(x, { ...options, rows: span });
        expect(within).toEqual(all.filter((p) => p.sample >= span[0] && p.sample < span[1]));
      }
    }
  });
});

describe('tetrode detection, unrolled', () => {
  it('finds the peaks of the general loop over channels (a fifth, silent channel never wins), ties to the lower channel', () => {
    const rng = createRng(9);
    const rows = 4000;
    // Small integers shared by a row's channels half the time: peaks tied across channels, so the
    // channel a peak is given to is tested.
    const four = new Float32Array(rows * 4);
    for (let r = 0; r < rows; r++) {
      const shared = Math.round(rng.normal() * (rng.uniform() < 0.03 ? 6 : 1));
      for (let c = 0; c < 4; c++) four[r * 4 + c] = shared + (rng.uniform() < 0.5 ? 0 : Math.round(rng.normal()));
    }
    const five = new Float32Array(rows * 5);
    for (let r = 0; r < rows; r++) five.set(four.subarray(r * 4, r * 4 + 4), r * 5);
    for (const [sign, noise] of [
      ['neg', [1, 1, 1, 1]],
      ['pos', [1, 1, 1, 1]],
      ['neg', [1, 2, 1, 0.5]],
    ] as const) {
      const options = { threshold: 3, sweep: 5, margin: 20, sign };
      const tetrode = detectPeaks({ data: four, rows, cols: 4 }, { ...options, noise });
      const general = detectPeaks({ data: five, rows, cols: 5 }, { ...options, noise: [...noise, 1] });
      expect(tetrode.length).toBeGreaterThan(20);
      expect(tetrode).toEqual(general);
    }
  });
});

describe('artifact blanking in one flat pass', () => {
  it('blanks ±half rows around every row with a sample beyond the threshold, overlaps once', () => {
    const rows = 50,
      cols = 3;
    const x = { data: Float32Array.from({ length: rows * cols }, (_, i) => (i % 7) - 3), rows, cols };
    for (const [r, c, v] of [
      [10, 2, 500],
      [10, 0, -500],
      [12, 1, 600],
      [40, 2, 700],
      [49, 0, -800],
    ])
      x.data[r * cols + c] = v;
    const expected = x.data.slice();
    for (const r of [8, 9, 10, 11, 12, 13, 14, 38, 39, 40, 41, 42, 47, 48, 49])
      expected.fill(0, r * cols, (r + 1) * cols);
    blankArtifacts(x, 100, 2);
    expect(Array.from(x.data)).toEqual(Array.from(expected));
  });
});

describe('detection of a long recording in blocks', () => {
  it('finds the peaks that exclusion over every channel one by one finds (no block edge moves one)', () => {
    const rng = createRng(12);
    const rows = 200_000,
      cols = 4;
    const x = {
      data: Float32Array.from({ length: rows * cols }, () => rng.normal() * (rng.uniform() < 0.02 ? 8 : 1)),
      rows,
      cols,
    };
    const options = { noise: [1, 1, 1, 1], threshold: 4, sweep: 15, margin: 20 };
    const blocked = detectPeaks(x, options);
    const everyChannel = detectPeaks(x, { ...options, neighbours: [0, 1, 2, 3].map(() => [0, 1, 2, 3]) });
    expect(blocked.length).toBeGreaterThan(1000);
    expect(blocked).toEqual(everyChannel);
  });
});

describe('isosplit remembering side sums and settled pair tests', () => {
  it('gives the labels of the plain loops (every sum and test done again), with ties and a test space', () => {
    const rng = createRng(21);
    for (const [n, d, integer] of [
      [900, 2, true],
      [1200, 3, false],
      [700, 4, true],
    ] as const) {
      // Two tight units close together (cut apart, then the same pair tested again after each
      // merge) and a long unimodal one that k-means cuts into pieces merged one at a time.
      const data = new Float32Array(n * d);
      for (let i = 0; i < n; i++) {
        const unit = i % 4; // 0, 1: the tight pair; 2, 3: the long unit
        for (let j = 0; j < d; j++) {
          const v =
            unit < 2 ? (j === 0 ? 3 * unit : 0) + 0.4 * rng.normal() : j === 0 ? 30 * rng.normal() : 40 + rng.normal();
          data[i * d + j] = integer ? Math.round(4 * v) / 4 : v;
        }
      }
      // the test space: the points and a second, noisier copy of them
      const wide = new Float32Array(n * 2 * d);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < d; j++) {
          wide[i * 2 * d + j] = data[i * d + j];
          wide[i * 2 * d + d + j] = Math.round(2 * (data[i * d + j] + 0.2 * rng.normal()));
        }
      for (const testSpace of [undefined, { data: wide, rows: n, cols: 2 * d }]) {
        const options = { seed: 3, initialClusters: 20, testSpace };
        const points = { data, rows: n, cols: d };
        expect(isosplit(points, options)).toEqual(isosplitUncached(points, options));
      }
    }
  });
});

/** Two-Gaussian EM as three passes per iteration (E step, then the M step's sums, then the spreads). */
function twoGaussiansByPasses(z: Float64Array, cut: number) {
  const n = z.length;
  let m1 = 0,
    m2 = 0,
    n1 = 0;
  for (const q of z)
    if (q < cut) {
      m1 += q;
      n1++;
    } else m2 += q;
  m1 /= n1 || 1;
  m2 /= n - n1 || 1;
  let w = Math.min(0.99, Math.max(0.01, n1 / n)),
    s1 = 0.5,
    s2 = 0.5,
    ll2 = -Infinity;
  const r = new Float64Array(n);
  const root2pi = Math.sqrt(2 * Math.PI);
  for (let it = 0; it < 100; it++) {
    let ll = 0;
    for (let i = 0; i < n; i++) {
      const qa = (z[i] - m1) / s1,
        qb = (z[i] - m2) / s2;
      const a = (w / s1) * Math.exp(-0.5 * qa ** 2);
      const b = ((1 - w) / s2) * Math.exp(-0.5 * qb ** 2);
      const t = a + b || 1e-300;
      r[i] = a / t;
      ll += Math.log(t / root2pi);
    }
    let sr = 0,
      sm1 = 0,
      sm2 = 0;
    for (let i = 0; i < n; i++) {
      sr += r[i];
      sm1 += r[i] * z[i];
      sm2 += (1 - r[i]) * z[i];
    }
    w = Math.min(0.99, Math.max(0.01, sr / n));
    m1 = sm1 / (sr || 1e-12);
    m2 = sm2 / (n - sr || 1e-12);
    let v1 = 0,
      v2 = 0;
    for (let i = 0; i < n; i++) {
      v1 += r[i] * (z[i] - m1) ** 2;
      v2 += (1 - r[i]) * (z[i] - m2) ** 2;
    }
    s1 = Math.max(0.05, Math.sqrt(v1 / (sr || 1e-12)));
    s2 = Math.max(0.05, Math.sqrt(v2 / (n - sr || 1e-12)));
    const done = Math.abs(ll - ll2) < 1e-6 * Math.abs(ll);
    ll2 = ll;
    if (done) break;
  }
  return { w, m1, m2, s1, s2, ll: ll2 };
}

describe('two-Gaussian EM in one pass per E step', () => {
  it('fits exactly what the three passes fit, on two modes, one mode and tied values', () => {
    const rng = createRng(8);
    const samples = [
      Float64Array.from({ length: 400 }, (_, i) => (i % 3 ? 0 : 3) + rng.normal()),
      Float64Array.from({ length: 300 }, () => rng.normal()),
      Float64Array.from({ length: 250 }, () => Math.round(2 * rng.normal()) / 2),
    ];
    for (const z of samples)
      for (const cut of [0, 0.7, -1.2]) expect(fitTwoGaussians(z, cut)).toEqual(twoGaussiansByPasses(z, cut));
  });
});

type Stack = { data: Float32Array; units: number; length: number; channels: number };

/** Template u of `t` read `lag` samples later, zero where it has no sample. */
function shiftedTemplate(t: Stack, u: number, lag: number): Float32Array {
  const { length: L, channels: C } = t;
  const out = new Float32Array(L * C);
  for (let s = 0; s < L; s++)
    if (s - lag >= 0 && s - lag < L) for (let c = 0; c < C; c++) out[s * C + c] = t.data[(u * L + s - lag) * C + c];
  return out;
}

const dotOf = (x: Float32Array, y: Float32Array) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
};

/** The fraction of spikes the pair fits as well as the unit's own template, every shift recomputed per spike. */
function pairFitsByShifts(
  t: Stack,
  snippets: Float32Array,
  members: number[],
  unit: number,
  a: number,
  b: number,
  maxLag: number,
) {
  const dim = t.length * t.channels;
  const own = t.data.subarray(unit * dim, (unit + 1) * dim);
  const best = (u: number, target: Float32Array) => {
    let top: { lag: number; along: number; explained: number } | undefined;
    for (let lag = -maxLag; lag <= maxLag; lag++) {
      const v = shiftedTemplate(t, u, lag);
      let along = 0,
        norm = 0;
      // over the overlap only, as the sorter sums them
      for (let j = Math.max(0, lag) * t.channels; j < Math.min(t.length, t.length + lag) * t.channels; j++) {
        along += target[j] * v[j];
        norm += v[j] * v[j];
      }
      if (!(along > 0 && norm > 0)) continue;
      const explained = (along * along) / norm;
      if (!top || explained > top.explained) top = { lag, along, explained };
    }
    return top;
  };
  const residual = (s: Float32Array, first: number, second: number) => {
    const energy = dotOf(s, s);
    const one = best(first, s);
    if (!one) return energy;
    const va = shiftedTemplate(t, first, one.lag);
    const rest = s.map((q, j) => q - (one.along / dotOf(va, va)) * va[j]);
    const two = best(second, rest);
    if (!two) return energy - one.explained;
    const vb = shiftedTemplate(t, second, two.lag);
    const [aa, bb, ab, sa, sb] = [dotOf(va, va), dotOf(vb, vb), dotOf(va, vb), dotOf(s, va), dotOf(s, vb)];
    const det = aa * bb - ab * ab;
    if (!(det > 1e-12 * aa * bb)) return energy - one.explained;
    return energy - (sa * (sa * bb - sb * ab) + sb * (sb * aa - sa * ab)) / det;
  };
  let better = 0;
  for (const i of members) {
    const s = snippets.subarray(i * dim, (i + 1) * dim);
    const byOwn = dotOf(s, s) - dotOf(s, own) ** 2 / dotOf(own, own);
    if (Math.min(residual(s, a, b), residual(s, b, a)) <= byOwn) better++;
  }
  return members.length ? better / members.length : 0;
}

describe('collision test per spike with shifted templates made once', () => {
  it('counts the spikes that recomputing every shift per spike counts, with ties', () => {
    const rng = createRng(4);
    const length = 20,
      channels = 3,
      dim = length * channels;
    // integer templates (many equal products); spikes of unit 2, and sums of units 0 and 1 at a lag
    const data = Float32Array.from({ length: 3 * dim }, () => rng.int(7) - 3);
    const t = { data, units: 3, length, channels };
    const spikes = 90;
    const snippets = new Float32Array(spikes * dim);
    for (let i = 0; i < spikes; i++) {
      const a = shiftedTemplate(t, i % 3 ? 0 : 2, rng.int(5) - 2),
        b = shiftedTemplate(t, 1, rng.int(9) - 4);
      const noise = i % 2 ? 1 : 3;
      for (let j = 0; j < dim; j++)
        snippets[i * dim + j] = a[j] + (i % 3 ? b[j] : 0) + Math.round(noise * rng.normal());
    }
    const members = Array.from({ length: spikes }, (_, i) => i);
    for (const maxLag of [0, 3, 6]) {
      const fraction = pairFitsSpikes(t, snippets, members, { unit: 2, a: 0, b: 1 }, maxLag);
      expect(fraction).toBe(pairFitsByShifts(t, snippets, members, 2, 0, 1, maxLag));
    }
  });
});

/** Fisher's direction with every entry of the within-group covariance summed on its own. */
function fisherByFullSums(x: Float32Array, dim: number, labels: Int32Array): Float64Array {
  const n = labels.length;
  const mean = [new Float64Array(dim), new Float64Array(dim)],
    count = [0, 0];
  labels.forEach((l, i) => {
    count[l]++;
    for (let j = 0; j < dim; j++) mean[l][j] += x[i * dim + j];
  });
  for (const l of [0, 1]) for (let j = 0; j < dim; j++) mean[l][j] /= count[l];
  const within = new Float64Array(dim * dim);
  labels.forEach((l, i) => {
    for (let a = 0; a < dim; a++)
      for (let b = 0; b < dim; b++)
        within[a * dim + b] += ((x[i * dim + a] - mean[l][a]) * (x[i * dim + b] - mean[l][b])) / n;
  });
  const { values, vectors } = symmetricEigen({ data: within, rows: dim, cols: dim });
  const top = Math.max(...values);
  const w = new Float64Array(dim);
  for (let r = 0; r < dim; r++) {
    if (!(values[r] > 1e-12 * top)) continue;
    let c = 0;
    for (let j = 0; j < dim; j++) c += vectors[j * dim + r] * (mean[1][j] - mean[0][j]);
    for (let j = 0; j < dim; j++) w[j] += (c / values[r]) * vectors[j * dim + r];
  }
  return w;
}

describe("Fisher's direction from the upper triangle", () => {
  it('equals the direction from every entry summed on its own, with ties and a flat axis', () => {
    const rng = createRng(6);
    for (const [n, dim] of [
      [200, 8],
      [57, 3],
      [400, 5],
    ]) {
      const labels = Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
      // small integers (many equal products), the last axis flat in one run
      for (const flat of [false, true]) {
        const x = Float32Array.from({ length: n * dim }, (_, k) =>
          flat && k % dim === dim - 1 ? 2 : rng.int(5) + (labels[Math.floor(k / dim)] ? 1 : 0),
        );
        expect(fisherDirection(x, dim, labels)).toEqual(fisherByFullSums(x, dim, labels));
      }
    }
  });
});
