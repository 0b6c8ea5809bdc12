import { asinh, cos, cosh, pow, sin, sinh } from '@spyglass-wasm/core';
import { type Complex, add, conj, cx, div, exp, mul, prod, scale, sqrt, sub } from '../lib/complex.js';

/** Zeros, poles and gain of a filter. */
export interface Zpk {
  z: Complex[];
  p: Complex[];
  k: number;
}

/** Analog Butterworth prototype of order n (scipy.signal.buttap). */
export function buttap(n: number): Zpk {
  const p: Complex[] = [];
  for (let m = -n + 1; m < n; m += 2) p.push(scale(exp(cx(0, (Math.PI * m) / (2 * n))), -1));
  return { z: [], p, k: 1 };
}

/** Analog Chebyshev type I prototype of order n with rp dB passband ripple (scipy.signal.cheb1ap). */
export function cheb1ap(n: number, rp: number): Zpk {
  const eps = Math.sqrt(pow(10, 0.1 * rp) - 1);
  const mu = asinh(1 / eps) / n;
  const p: Complex[] = [];
  for (let m = -n + 1; m < n; m += 2) {
    const theta = (Math.PI * m) / (2 * n);
    // −sinh(mu + iθ) = −(sinh mu cos θ + i cosh mu sin θ)
    p.push(cx(-sinh(mu) * cos(theta), -cosh(mu) * sin(theta)));
  }
  let k = prod(p.map((v) => scale(v, -1))).re;
  if (n % 2 === 0) k /= Math.sqrt(1 + eps * eps);
  return { z: [], p, k };
}

/** Low-pass prototype to low-pass at angular frequency wo (scipy.signal.lp2lp_zpk). */
export function lp2lp({ z, p, k }: Zpk, wo: number): Zpk {
  return { z: z.map((v) => scale(v, wo)), p: p.map((v) => scale(v, wo)), k: k * pow(wo, p.length - z.length) };
}

/** Low-pass prototype to high-pass (scipy.signal.lp2hp_zpk). */
export function lp2hp({ z, p, k }: Zpk, wo: number): Zpk {
  const degree = p.length - z.length;
  const w = cx(wo);
  return {
    z: [...z.map((v) => div(w, v)), ...zeros(degree)],
    p: p.map((v) => div(w, v)),
    k: k * div(prod(z.map((v) => scale(v, -1))), prod(p.map((v) => scale(v, -1)))).re,
  };
}

/** Low-pass prototype to band-pass centred at wo with bandwidth bw (scipy.signal.lp2bp_zpk). */
export function lp2bp({ z, p, k }: Zpk, wo: number, bw: number): Zpk {
  const degree = p.length - z.length;
  const split = (list: Complex[]) => {
    const half = list.map((v) => scale(v, bw / 2));
    const root = half.map((v) => sqrt(sub(mul(v, v), cx(wo * wo))));
    return [...half.map((v, i) => add(v, root[i])), ...half.map((v, i) => sub(v, root[i]))];
  };
  return { z: [...split(z), ...zeros(degree)], p: split(p), k: k * pow(bw, degree) };
}

/** Low-pass prototype to band-stop centred at wo with bandwidth bw (scipy.signal.lp2bs_zpk). */
export function lp2bs({ z, p, k }: Zpk, wo: number, bw: number): Zpk {
  const degree = p.length - z.length;
  const split = (list: Complex[]) => {
    const inv = list.map((v) => div(cx(bw / 2), v));
    const root = inv.map((v) => sqrt(sub(mul(v, v), cx(wo * wo))));
    return [...inv.map((v, i) => add(v, root[i])), ...inv.map((v, i) => sub(v, root[i]))];
  };
  const zj = Array.from({ length: degree }, () => cx(0, wo));
  return {
    z: [...split(z), ...zj, ...zj.map(conj)],
    p: split(p),
    k: k * div(prod(z.map((v) => scale(v, -1))), prod(p.map((v) => scale(v, -1)))).re,
  };
}

/** Analog to digital by the bilinear transform at sampling rate fs (scipy.signal.bilinear_zpk). */
export function bilinear({ z, p, k }: Zpk, fs: number): Zpk {
  const degree = p.length - z.length;
  const fs2 = cx(2 * fs);
  return {
    z: [...z.map((v) => div(add(fs2, v), sub(fs2, v))), ...Array.from({ length: degree }, () => cx(-1))],
    p: p.map((v) => div(add(fs2, v), sub(fs2, v))),
    k: k * div(prod(z.map((v) => sub(fs2, v))), prod(p.map((v) => sub(fs2, v)))).re,
  };
}

function zeros(n: number): Complex[] {
  return Array.from({ length: Math.max(n, 0) }, () => cx(0));
}
