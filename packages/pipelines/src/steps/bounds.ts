import { ParameterError, checkNumber } from '@spyglass-wasm/core';

/**
 * Bounds of the parameters users set most, checked before any work so a typo cannot exhaust
 * memory (attenuation 100000 dB asks for millions of taps) or run silently wrong (a band above
 * Nyquist, a zero smoothing width). Each error names the parameter.
 */
export const checkParam = {
  attenuation: (v: unknown) => checkNumber('attenuation', v, { min: 1, max: 200 }),
  transition: (v: unknown) => checkNumber('transition', v, { min: 0.1, max: 1000 }),
  threshold: (v: unknown) => checkNumber('threshold', v, { min: 1, max: 100 }),
  zscoreThreshold: (v: unknown) => checkNumber('zscoreThreshold', v, { min: 0, max: 100, exclusiveMin: true }),
  smoothingSigma: (v: unknown) => checkNumber('smoothingSigma', v, { min: 1e-4, max: 1 }),
  /** A [low, high] band in Hz with 0 <= low < high < fs / 2 (when fs is known). */
  band(v: unknown, fs?: number): [number, number] {
    const ok = Array.isArray(v) && v.length === 2 && v.every(Number.isFinite) && v[0] >= 0 && v[1] > v[0] && (fs === undefined || v[1] < fs / 2);
    if (!ok) throw new ParameterError('band', `[low, high] Hz with 0 <= low < high${fs ? ` < ${fs / 2} (Nyquist)` : ''}`, v);
    return v as [number, number];
  },
};
