import { checkSos } from './sos.js';

/**
 * Initial state of each section for a step response's steady state, like
 * `scipy.signal.sosfilt_zi(sos)`: nsec × 2. Multiply by the first sample to start without a
 * transient; repeat per channel for (nsec × channels × 2).
 */
export function sosfiltZi(sos: ArrayLike<number>): Float64Array {
  const nsec = checkSos(sos);
  const zi = new Float64Array(nsec * 2);
  let scale = 1;
  for (let s = 0; s < nsec; s++) {
    const [b0, b1, b2, , a1, a2] = Array.from({ length: 6 }, (_, j) => sos[s * 6 + j]);
    // Steady state of one transposed-direct-form-II section for a unit step (lfilter_zi).
    const z0 = (b1 - a1 * b0 + (b2 - a2 * b0)) / (1 + a1 + a2);
    const z1 = b2 - a2 * b0 - a2 * z0;
    zi[s * 2] = scale * z0;
    zi[s * 2 + 1] = scale * z1;
    scale *= (b0 + b1 + b2) / (1 + a1 + a2);
  }
  return zi;
}

/** zi (nsec × 2) scaled per channel by `first` (length channels): nsec × channels × 2. */
export function ziForChannels(zi: Float64Array, first: ArrayLike<number>): Float64Array {
  const nsec = zi.length / 2;
  const cols = first.length;
  const out = new Float64Array(nsec * cols * 2);
  for (let s = 0; s < nsec; s++)
    for (let c = 0; c < cols; c++) {
      out[(s * cols + c) * 2] = zi[s * 2] * first[c];
      out[(s * cols + c) * 2 + 1] = zi[s * 2 + 1] * first[c];
    }
  return out;
}
