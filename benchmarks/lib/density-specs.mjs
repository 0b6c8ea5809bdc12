// The simulated tetrodes of the density bench (sort-density-child, learn-templates-ab): dense, sparse
// and realistic (MountainSort5's file's density), by seed and length.

/** The simulator's options for one `kind` of tetrode ('dense' | 'realistic' | else sparse). */
export function densitySpec(kind, seed, seconds) {
  if (kind === 'dense') return denseSpec(seed, seconds);
  if (kind === 'realistic') return realisticSpec(seed, seconds);
  return { seed, seconds, units: 8 };
}

/** 10 units at 20–40 Hz, amplitudes spread 60–240 µV (SNR about 5–20), seeded. */
function denseSpec(seed, seconds) {
  const units = 10;
  return {
    seed,
    seconds,
    units,
    amplitudes: Array.from({ length: units }, (_, u) => 60 + (180 * u) / (units - 1)),
    ratesHz: Array.from({ length: units }, (_, u) => 20 + (20 * ((u * 7 + seed) % units)) / (units - 1)),
  };
}

/**
 * The density of the file MountainSort5's 0.07 CPU-s per tetrode-second was measured on (36 units
 * on 4 tetrodes, ~88 k spikes in 300 s: 9 units and ~73 spikes/s per tetrode): 9 units at rates
 * spread geometrically over 2–20 Hz (74 spikes/s), amplitudes 60–240 µV, each its own waveform.
 */
function realisticSpec(seed, seconds) {
  const units = 9;
  return {
    seed,
    seconds,
    units,
    amplitudes: Array.from({ length: units }, (_, u) => 60 + (180 * u) / (units - 1)),
    ratesHz: Array.from({ length: units }, (_, u) => 2 * 10 ** (((u * 4 + seed) % units) / (units - 1))),
    regimes: { shapes: 'varied' },
  };
}
