import { cos, exp as realExp, hypot, sin } from '@spyglass-wasm/core';
/** A complex number; the filter-design code works on small lists of these. */
export interface Complex {
  re: number;
  im: number;
}

export const cx = (re: number, im = 0): Complex => ({ re, im });
export const add = (a: Complex, b: Complex): Complex => cx(a.re + b.re, a.im + b.im);
export const sub = (a: Complex, b: Complex): Complex => cx(a.re - b.re, a.im - b.im);
export const mul = (a: Complex, b: Complex): Complex => cx(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
export const scale = (a: Complex, s: number): Complex => cx(a.re * s, a.im * s);
export const conj = (a: Complex): Complex => cx(a.re, -a.im);
export const abs = (a: Complex): number => hypot(a.re, a.im);
export const isReal = (a: Complex): boolean => a.im === 0;

export function div(a: Complex, b: Complex): Complex {
  // Smith's algorithm, as C/numpy do, to avoid overflow and keep rounding close to numpy's.
  if (Math.abs(b.re) >= Math.abs(b.im)) {
    if (b.re === 0 && b.im === 0) return cx(a.re / 0, a.im / 0);
    const r = b.im / b.re,
      d = b.re + b.im * r;
    return cx((a.re + a.im * r) / d, (a.im - a.re * r) / d);
  }
  const r = b.re / b.im,
    d = b.re * r + b.im;
  return cx((a.re * r + a.im) / d, (a.im * r - a.re) / d);
}

/** Principal square root. */
export function sqrt(a: Complex): Complex {
  if (a.im === 0) return a.re >= 0 ? cx(Math.sqrt(a.re), a.im) : cx(0, Math.sign(1 / a.im || 1) * Math.sqrt(-a.re));
  const m = abs(a);
  const re = Math.sqrt((m + a.re) / 2);
  const im = Math.sign(a.im) * Math.sqrt((m - a.re) / 2);
  return cx(re, im);
}

export function exp(a: Complex): Complex {
  const e = realExp(a.re);
  return cx(e * cos(a.im), e * sin(a.im));
}

/** Product of a list (1 for an empty list). */
export function prod(list: Complex[]): Complex {
  return list.reduce(mul, cx(1));
}
