import { exp, log, pow } from '@spyglass-wasm/core';
/**
 * A `valley` for isUnimodal where any dip counts. Two units of one shape and nearly one size
 * project as two overlapping Gaussians whose density dips only a little between them (d' ≈ 2.8:
 * to 0.85 of the lower peak); a single unit, however skewed or heavy-tailed, makes no dip. Used
 * where the projection was not chosen to look split (held-out points, a merge test).
 */
export const ANY_DIP = 0.95;

/**
 * Whether 1-D values look like one population: a two-component Gaussian mixture (EM) must beat a
 * single Gaussian by the BIC margin AND its density must have two modes with a valley between them
 * (the density between the component means dips below `valley` × the lower peak). This is the test
 * isosplit-style clustering applies to the projection of two clusters onto the line through their
 * centres: one population → merge, two → keep apart.
 *
 * With `heavyTails`, the components are Student t (4 degrees of freedom), not Gaussians: where
 * each population has heavy tails (dense data, spikes overlapped by others'), two Gaussians fit
 * one mode with a narrow component and the other mode plus all the tails with a broad one, which
 * shows no valley (two tetrode units of one shape at 140 and 180 µV in a dense 120-s recording pass
 * for one that way). Not used by the sorter yet: it also finds the amplitude modes of one bursting
 * unit (spikes ×0.8 within a burst) and splits it.
 */
export function isUnimodal(
  values: ArrayLike<number>,
  options: { bicMargin?: number; valley?: number; heavyTails?: boolean } = {},
): boolean {
  const n = values.length;
  if (n < 20) return true;
  const bicMargin = options.bicMargin ?? 10;
  const valley = options.valley ?? 0.8;
  // A large cluster is fitted on its quantiles, each standing for n/m values: the EM fits cost m,
  // not n, per iteration, and the quantiles keep the distribution's shape (its modes and valley).
  const points = n > 2 * QUANTILES ? quantiles(values, QUANTILES) : values;
  const m = points.length;
  let mean = 0;
  for (let i = 0; i < m; i++) mean += points[i];
  mean /= m;
  let v = 0;
  for (let i = 0; i < m; i++) v += (points[i] - mean) ** 2;
  const sd = Math.sqrt(v / m) || 1;
  const z = Float64Array.from(points, (q) => (q - mean) / sd);
  const sorted = Float64Array.from(z).sort();
  const whole = points === values;
  if (options.heavyTails) {
    const { ll: ll1 } = fitT(z, 1, Infinity);
    const fit = better(fitT(z, 2, sorted[m >> 1]), fitT(z, 2, centralCut(sorted)));
    return oneMode(fit, ll1, tKernel, n, m, whole, bicMargin, valley);
  }
  // One Gaussian: log-likelihood of standardized data.
  const ll1 = -0.5 * m * (log(2 * Math.PI) + 1);
  // Two Gaussians by EM, started from a median split and from the best two-group cut (a small
  // second mode far out is found only from the latter); the better fit counts.
  const fit = better(fitTwoGaussians(z, sorted[m >> 1]), fitTwoGaussians(z, centralCut(sorted)));
  return oneMode(fit, ll1, (q) => exp(-0.5 * q ** 2), n, m, whole, bicMargin, valley);
}

const better = (a: TwoGaussians, b: TwoGaussians): TwoGaussians => (a.ll >= b.ll ? a : b);

/**
 * The decision for a two-component fit (`kernel`: a component's unnormalized shape) against one
 * component of log-likelihood `ll1`, on m points standing for n values (`whole`: one each): one
 * mode unless the two beat one by the BIC margin and the mixture's density dips below `valley` ×
 * the lower peak between the component means.
 */
function oneMode(
  { w, m1, m2, s1, s2, ll: ll2 }: TwoGaussians,
  ll1: number,
  kernel: (q: number) => number,
  n: number,
  m: number,
  whole: boolean,
  bicMargin: number,
  valley: number,
): boolean {
  // log-likelihoods of the m points scaled to the n values they stand for; BIC's penalty counts n
  const gain = whole ? 2 * (ll2 - ll1) : (2 * (ll2 - ll1) * n) / m;
  if (gain < 3 * log(n) + bicMargin) return true;
  const density = (q: number) => (w / s1) * kernel((q - m1) / s1) + ((1 - w) / s2) * kernel((q - m2) / s2);
  const lo = Math.min(m1, m2),
    hi = Math.max(m1, m2);
  const peak = Math.min(density(m1), density(m2));
  let minBetween = Infinity;
  for (let g = 1; g < 100; g++) minBetween = Math.min(minBetween, density(lo + ((hi - lo) * g) / 100));
  return !(minBetween < valley * peak);
}

/** Degrees of freedom of the t components: tails like a unit's projection in dense data. */
const NU = 4;
/** The t density's constant for NU = 4: Γ(5/2) / (Γ(2) √(4π)). */
const T_CONSTANT = 1.329340388179137 / Math.sqrt(4 * Math.PI);

/** The Student t density (NU degrees of freedom) at standardized distance q, times its scale. */
function tKernel(q: number): number {
  return T_CONSTANT * pow(1 + (q * q) / NU, -(NU + 1) / 2);
}

/**
 * EM for a mixture of `k` Student t distributions (1 or 2; NU degrees of freedom) on standardized
 * values; with two, started from the split at `cut`.
 */
function fitT(z: Float64Array, k: 1 | 2, cut: number): TwoGaussians {
  const n = z.length;
  let m1 = 0,
    m2 = 0,
    n1 = 0;
  for (const q of z)
    if (k === 1 || q < cut) {
      m1 += q;
      n1++;
    } else m2 += q;
  m1 /= n1 || 1;
  m2 /= n - n1 || 1;
  let w = k === 1 ? 1 : Math.min(0.99, Math.max(0.01, n1 / n)),
    s1 = k === 1 ? 1 : 0.5,
    s2 = 0.5,
    ll2 = -Infinity;
  const r = new Float64Array(n),
    u1 = new Float64Array(n),
    u2 = new Float64Array(n);
  for (let it = 0; it < 100; it++) {
    let ll = 0;
    for (let i = 0; i < n; i++) {
      const qa = (z[i] - m1) / s1,
        qb = (z[i] - m2) / s2;
      const a = (w / s1) * tKernel(qa);
      const b = k === 1 ? 0 : ((1 - w) / s2) * tKernel(qb);
      const t = a + b || 1e-300;
      r[i] = a / t;
      // the t's weights: a value far out in a component's tail counts less towards its mean and spread
      u1[i] = (NU + 1) / (NU + qa * qa);
      u2[i] = (NU + 1) / (NU + qb * qb);
      ll += log(t);
    }
    let sr = 0,
      su1 = 0,
      su2 = 0,
      sm1 = 0,
      sm2 = 0;
    for (let i = 0; i < n; i++) {
      sr += r[i];
      su1 += r[i] * u1[i];
      su2 += (1 - r[i]) * u2[i];
      sm1 += r[i] * u1[i] * z[i];
      sm2 += (1 - r[i]) * u2[i] * z[i];
    }
    if (k === 2) w = Math.min(0.99, Math.max(0.01, sr / n));
    m1 = sm1 / (su1 || 1e-12);
    if (k === 2) m2 = sm2 / (su2 || 1e-12);
    let v1 = 0,
      v2 = 0;
    for (let i = 0; i < n; i++) {
      const da = z[i] - m1,
        db = z[i] - m2;
      v1 += r[i] * u1[i] * (da * da);
      v2 += (1 - r[i]) * u2[i] * (db * db);
    }
    s1 = Math.max(0.05, Math.sqrt(v1 / (sr || 1e-12)));
    if (k === 2) s2 = Math.max(0.05, Math.sqrt(v2 / (n - sr || 1e-12)));
    const done = Math.abs(ll - ll2) < 1e-6 * Math.abs(ll);
    ll2 = ll;
    if (done) break;
  }
  return { w, m1, m2, s1, s2, ll: ll2 };
}

/** Quantiles isUnimodal fits instead of the values when there are more than twice as many. */
const QUANTILES = 500;

/** The m quantiles (i + ½)/m of the values, ascending. */
function quantiles(values: ArrayLike<number>, m: number): Float64Array {
  const sorted = Float64Array.from(values).sort();
  return Float64Array.from({ length: m }, (_, i) => sorted[Math.floor(((i + 0.5) * sorted.length) / m)]);
}

interface TwoGaussians {
  w: number;
  m1: number;
  m2: number;
  s1: number;
  s2: number;
  ll: number;
}

/** EM for a two-Gaussian mixture of standardized values, started from the split at `cut`. */
export function fitTwoGaussians(z: Float64Array, cut: number): TwoGaussians {
  const n = z.length;
  let w: number,
    m1 = 0,
    m2 = 0,
    n1 = 0;
  for (const q of z)
    if (q < cut) {
      m1 += q;
      n1++;
    } else m2 += q;
  m1 /= n1 || 1;
  m2 /= n - n1 || 1;
  w = Math.min(0.99, Math.max(0.01, n1 / n));
  let s1 = 0.5,
    s2 = 0.5,
    ll2 = -Infinity;
  const r = new Float64Array(n);
  const root2pi = Math.sqrt(2 * Math.PI);
  for (let it = 0; it < 100; it++) {
    let ll = 0;
    // the same arithmetic as (w / s1) · exp(−½ ((z − m1) / s1) ** 2): the weights hoisted out of
    // the loop and q ** 2 written q · q (exactly what pow gives for an exponent of 2)
    const wa = w / s1,
      wb = (1 - w) / s2;
    // the M step's sums in the same pass, each in i order as a pass of its own would add them
    let sr = 0,
      sm1 = 0,
      sm2 = 0;
    for (let i = 0; i < n; i++) {
      const zi = z[i];
      const qa = (zi - m1) / s1,
        qb = (zi - m2) / s2;
      const a = wa * exp(-0.5 * (qa * qa));
      const b = wb * exp(-0.5 * (qb * qb));
      const t = a + b || 1e-300;
      const ri = a / t;
      r[i] = ri;
      ll += log(t / root2pi);
      sr += ri;
      sm1 += ri * zi;
      sm2 += (1 - ri) * zi;
    }
    w = Math.min(0.99, Math.max(0.01, sr / n));
    m1 = sm1 / (sr || 1e-12);
    m2 = sm2 / (n - sr || 1e-12);
    let v1 = 0,
      v2 = 0;
    for (let i = 0; i < n; i++) {
      const da = z[i] - m1,
        db = z[i] - m2;
      v1 += r[i] * (da * da);
      v2 += (1 - r[i]) * (db * db);
    }
    s1 = Math.max(0.05, Math.sqrt(v1 / (sr || 1e-12)));
    s2 = Math.max(0.05, Math.sqrt(v2 / (n - sr || 1e-12)));
    const done = Math.abs(ll - ll2) < 1e-6 * Math.abs(ll);
    ll2 = ll;
    if (done) break;
  }
  return { w, m1, m2, s1, s2, ll: ll2 };
}

/** bestCut among the central 96 % of sorted values: outliers would draw the cut to themselves. */
export function centralCut(sorted: Float64Array): number {
  const n = sorted.length;
  return bestCut(sorted.subarray(Math.floor(0.02 * n), Math.ceil(0.98 * n)));
}

/** The cut between two groups of 1-D values that maximizes the between-group variance (Otsu). */
function bestCut(values: ArrayLike<number>): number {
  const v = Float64Array.from(values).sort();
  const n = v.length;
  let total = 0;
  for (const q of v) total += q;
  let left = 0,
    best = -Infinity,
    cut = v[0];
  for (let i = 1; i < n; i++) {
    left += v[i - 1];
    const between = i * (n - i) * (left / i - (total - left) / (n - i)) ** 2;
    if (between > best) {
      best = between;
      cut = (v[i - 1] + v[i]) / 2;
    }
  }
  return cut;
}
