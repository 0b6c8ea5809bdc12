import { checkOptionNames, ParameterError, cos } from '@spyglass-wasm/core';

/** A window name, or [name, parameter] for parametric windows (['kaiser', beta]). */
export type WindowSpec = 'hamming' | 'hann' | 'hanning' | 'blackman' | 'boxcar' | 'rectangular' | ['kaiser', number];

/**
 * Window of length n like `scipy.signal.get_window(spec, n, fftbins=periodic)`: symmetric when
 * `periodic` is false (filter design), periodic when true (spectral analysis, scipy's default).
 *
 * @example
 * getWindow('hann', 1024);                        // welch's window
 * getWindow(['kaiser', 8.6], 101, { periodic: false }); // a FIR design window
 */
export function getWindow(spec: WindowSpec, n: number, options: { periodic?: boolean } = {}): Float64Array {
  checkOptionNames('getWindow', options, ['periodic']);
  const periodic = options.periodic ?? true;
  const w = new Float64Array(n);
  if (n === 1) return w.fill(1);
  const m = periodic ? n : n - 1; // periodic: a symmetric window of n+1 with the last point dropped
  const name = Array.isArray(spec) ? spec[0] : spec;
  for (let i = 0; i < n; i++) {
    const c = (2 * Math.PI * i) / m;
    switch (name) {
      case 'hamming':
        w[i] = 0.54 - 0.46 * cos(c);
        break;
      case 'hann':
      case 'hanning':
        w[i] = 0.5 - 0.5 * cos(c);
        break;
      case 'blackman':
        w[i] = 0.42 - 0.5 * cos(c) + 0.08 * cos(2 * c);
        break;
      case 'boxcar':
      case 'rectangular':
        w[i] = 1;
        break;
      case 'kaiser': {
        const beta = (spec as ['kaiser', number])[1];
        const r = (2 * i) / m - 1;
        w[i] = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / besselI0(beta);
        break;
      }
      default:
        throw new ParameterError('window', "'hamming', 'hann', 'blackman', 'boxcar' or ['kaiser', beta]", spec);
    }
  }
  return w;
}

/** Modified Bessel function of the first kind, order 0 (power series; converges for all x). */
function besselI0(x: number): number {
  let sum = 1,
    term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}
