import { type Complex, abs, conj, cx, isReal, sub } from '../lib/complex.js';
import type { Zpk } from './zpk.js';

/**
 * Second-order sections from zeros, poles and gain, with scipy's 'nearest' pairing for digital
 * filters (scipy.signal.zpk2sos): poles closest to the unit circle go last, each paired with its
 * nearest zeros. Returns nsec × 6 rows [b0 b1 b2 a0 a1 a2].
 */
export function zpk2sos({ z: z0, p: p0, k }: Zpk): Float64Array {
  if (z0.length === 0 && p0.length === 0) return Float64Array.from([k, 0, 0, 1, 0, 0]);
  let p = [...p0, ...fill(Math.max(z0.length - p0.length, 0))];
  let z = [...z0, ...fill(Math.max(p0.length - z0.length, 0))];
  const nsec = Math.floor((Math.max(p.length, z.length) + 1) / 2);
  if (p.length % 2 === 1) {
    p.push(cx(0));
    z.push(cx(0));
  }
  z = cplxreal(z);
  p = cplxreal(p);
  const sos = new Float64Array(nsec * 6);
  const take = (list: Complex[], i: number) => list.splice(i, 1)[0];
  const worst = (list: Complex[]) => argmin(list.map((v) => Math.abs(1 - abs(v))));
  const realCount = (list: Complex[]) => list.filter(isReal).length;

  for (let si = nsec - 1; si >= 0; si--) {
    const p1 = take(p, worst(p));
    let section: [Complex[], Complex[]];
    if (isReal(p1) && realCount(p) === 0) {
      const z1 = take(z, nearest(z, p1, 'real'));
      section = [
        [z1, cx(0)],
        [p1, cx(0)],
      ];
    } else if (z.length === p.length + 1 && !isReal(p1) && realCount(p) === 1 && realCount(z) === 1) {
      // One real pole and zero left: this complex pole must take a complex zero.
      const z1 = take(z, nearest(z, p1, 'complex'));
      section = [
        [z1, conj(z1)],
        [p1, conj(p1)],
      ];
    } else {
      let p2: Complex;
      if (isReal(p1)) {
        const reals = p.map((v, i) => [v, i] as const).filter(([v]) => isReal(v));
        p2 = take(p, reals[worst(reals.map(([v]) => v))][1]);
      } else {
        p2 = conj(p1);
      }
      if (z.length === 0) {
        section = [[], [p1, p2]];
      } else {
        const z1 = take(z, nearest(z, p1, 'any'));
        if (!isReal(z1))
          section = [
            [z1, conj(z1)],
            [p1, p2],
          ];
        else if (z.length > 0)
          section = [
            [z1, take(z, nearest(z, p1, 'real'))],
            [p1, p2],
          ];
        else section = [[z1], [p1, p2]];
      }
    }
    const b = poly(section[0]);
    const a = poly(section[1]);
    sos.set(b, si * 6 + 3 - b.length);
    sos.set(a, si * 6 + 6 - a.length);
  }
  for (let i = 0; i < 3; i++) sos[i] *= k;
  return sos;
}

/** Monic polynomial with the given roots (real coefficients; roots are real or conjugate pairs). */
function poly(roots: Complex[]): number[] {
  let c: Complex[] = [cx(1)];
  for (const r of roots) {
    const next = [...c, cx(0)];
    for (let i = 0; i < c.length; i++) {
      const t = c[i];
      next[i + 1] = cx(next[i + 1].re - (t.re * r.re - t.im * r.im), next[i + 1].im - (t.re * r.im + t.im * r.re));
    }
    c = next;
  }
  return c.map((v) => v.re);
}

/**
 * Orders complex values as scipy's _cplxreal: complex ones with positive imaginary part (conjugate
 * pairs merged), sorted by real part then |imag|, followed by the real ones sorted.
 */
function cplxreal(list: Complex[]): Complex[] {
  if (list.length === 0) return [];
  const tol = 100 * Number.EPSILON;
  const sorted = [...list].sort((a, b) => a.re - b.re || Math.abs(a.im) - Math.abs(b.im));
  const isR = (v: Complex) => Math.abs(v.im) <= tol * abs(v);
  const reals = sorted.filter(isR).map((v) => cx(v.re));
  const rest = sorted.filter((v) => !isR(v));
  const pos = rest.filter((v) => v.im > 0);
  const neg = rest.filter((v) => v.im < 0);
  if (pos.length !== neg.length) throw new Error('zpk2sos: a complex value has no matching conjugate');
  sortRuns(pos, tol);
  sortRuns(neg, tol);
  const merged = pos.map((v, i) => {
    if (abs(sub(v, conj(neg[i]))) > tol * abs(neg[i]))
      throw new Error('zpk2sos: a complex value has no matching conjugate');
    return cx((v.re + neg[i].re) / 2, (v.im - neg[i].im) / 2);
  });
  return [...merged, ...reals];
}

/** Within runs of (nearly) equal real part, sort by |imag| (in place). */
function sortRuns(list: Complex[], tol: number): void {
  let start = 0;
  for (let i = 1; i <= list.length; i++) {
    const same = i < list.length && list[i].re - list[i - 1].re <= tol * abs(list[i - 1]);
    if (!same) {
      if (i - start > 1) {
        const run = list.slice(start, i).sort((a, b) => Math.abs(a.im) - Math.abs(b.im));
        list.splice(start, run.length, ...run);
      }
      start = i;
    }
  }
}

function nearest(from: Complex[], to: Complex, which: 'real' | 'complex' | 'any'): number {
  const order = from
    .map((v, i) => [abs(sub(v, to)), i] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, i]) => i);
  if (which === 'any') return order[0];
  const found = order.find((i) => isReal(from[i]) === (which === 'real'));
  if (found === undefined) throw new Error(`zpk2sos: no ${which} zero left to pair`);
  return found;
}

function argmin(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] < values[best]) best = i;
  return best;
}

function fill(n: number): Complex[] {
  return Array.from({ length: n }, () => cx(0));
}
