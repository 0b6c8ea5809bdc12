import { ParameterError } from '@spyglass-wasm/core';

/**
 * Named parameter sets per step, as Spyglass's parameter tables hold them. 'default' carries
 * Spyglass's defaults: LFP 0–400 Hz FIR decimated to 1 kHz; theta 5–11 Hz; ripple 150–250 Hz with
 * Kay's detector; sorting 600–6000 Hz on tetrodes.
 */
export const PARAMETER_SETS: Record<string, Record<string, Record<string, unknown>>> = {
  lfp: {
    default: { targetFs: 1000, passband: 400, stopband: 425, attenuation: 120 },
  },
  'lfp-band': {
    default: { band: [5, 11], transition: 1, attenuation: 60 },
    theta: { band: [5, 11], transition: 1, attenuation: 60 },
    ripple: { band: [150, 250], transition: 25, attenuation: 60 },
  },
  ripples: {
    default: { detector: 'kay', band: [150, 250], transition: 25, zscoreThreshold: 2, minimumDuration: 0.015, smoothingSigma: 0.004, speedThreshold: 4, speedRule: 'endpoints', closeEventThreshold: 0, positionSmoothing: 0.125, speedSmoothing: 0.1 },
    kay: { detector: 'kay', band: [150, 250], transition: 25, zscoreThreshold: 2, minimumDuration: 0.015, smoothingSigma: 0.004, speedThreshold: 4, speedRule: 'endpoints', closeEventThreshold: 0, positionSmoothing: 0.125, speedSmoothing: 0.1 },
    karlsson: { detector: 'karlsson', band: [150, 250], transition: 25, zscoreThreshold: 3, minimumDuration: 0.015, smoothingSigma: 0.004, speedThreshold: 4, speedRule: 'endpoints', closeEventThreshold: 0, positionSmoothing: 0.125, speedSmoothing: 0.1 },
  },
  sort: {
    // Spyglass's tetrode band; threshold 4 MAD as spike-sort measured (Spyglass's 5 loses spikes of SNR 5-6 units)
    default: { band: [600, 6000], threshold: 4, group: null, series: null },
  },
  curate: { default: { keep: ['accept', 'mua'] } },
  // marks: threshold in MAD noise units (spike-sort's detector), not Spyglass's fixed 100 µV
  marks: { default: { threshold: 5, band: [600, 6000] } },
  linearize: { default: {} },
  decode: {
    default: { mode: 'sorted', trainFraction: 0.8, binSize: 0.002, stateSpace: 'continuous', movementVar: 6, placeBinSize: 2, positionStd: 6 },
    clusterless: { mode: 'clusterless', trainFraction: 0.8, binSize: 0.002, stateSpace: 'continuous', movementVar: 6, placeBinSize: 2, positionStd: 6, waveformStd: 24, markThreshold: 5 },
  },
};

/**
 * The parameters of a named set merged with explicit overrides: a set name (`'kay'`) or
 * a parameter object; unknown set names are an error naming the step.
 *
 * @example
 * resolveParams('ripples', 'karlsson', { zscoreThreshold: 2.5 });
 */
export function resolveParams(step: string, set: string | Record<string, unknown> = 'default', overrides: Record<string, unknown> = {}): { name?: string; params: Record<string, unknown> } {
  const sets = PARAMETER_SETS[step] ?? { default: {} };
  if (typeof set === 'string') {
    const base = sets[set];
    if (!base) throw new ParameterError(`${step} parameter set`, `one of ${Object.keys(sets).join(', ')}`, set);
    const changed = Object.keys(overrides).length > 0;
    return { name: changed ? undefined : set, params: { ...base, ...overrides } };
  }
  return { params: { ...(sets.default ?? {}), ...set, ...overrides } };
}
