import { createRng } from '@spyglass-wasm/core';

/**
 * Adds Gaussian-enveloped ripples (150–220 Hz, 5–35 µV, σ 8–20 ms, a phase per channel) to an LFP of
 * `rows` × `cols`, one every `every[0]` + U(0, 1) · `every[1]` s from 0.5 s to 0.5 s before the end.
 */
export function addRipples(
  lfp: Float32Array,
  {
    rows,
    cols,
    fs,
    rng,
    every,
  }: { rows: number; cols: number; fs: number; rng: ReturnType<typeof createRng>; every: [number, number] },
): void {
  for (let peak = 0.5; peak < rows / fs - 0.5; peak += every[0] + rng.uniform() * every[1]) {
    const sd = 0.008 + rng.uniform() * 0.012,
      amp = 5 + rng.uniform() * 30,
      freq = 150 + rng.uniform() * 70;
    for (let i = Math.floor((peak - 5 * sd) * fs); i < Math.ceil((peak + 5 * sd) * fs); i++)
      for (let c = 0; c < cols; c++)
        lfp[i * cols + c] +=
          amp * Math.exp(-0.5 * ((i / fs - peak) / sd) ** 2) * Math.sin(2 * Math.PI * freq * (i / fs) + c);
  }
}

/**
 * The 105-s session the windowed-detector tests share: `cols` channels of noise with ripples at
 * 1 kHz, read in odd 997-row windows; jittered times with a 2 s gap at 70 s; speed unknown for
 * 0.5 s at 30 s and at a few single samples, running from 90 to 100 s.
 */
export function windowedSession(cols: number, seed: number) {
  const fs = 1000,
    rows = 105 * fs;
  const rng = createRng(seed);
  const lfp = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let c = 0; c < cols; c++) lfp[i * cols + c] = rng.normal() * 8;
  addRipples(lfp, { rows, cols, fs, rng, every: [0.3, 0.6] });
  const time = Float64Array.from({ length: rows }, (_, i) => i / fs + rng.uniform() * 2e-5 + (i >= 70 * fs ? 2 : 0));
  const speed = Float64Array.from({ length: rows }, (_, i) =>
    (i >= 30_000 && i < 30_500) || i % 9_973 === 0 ? NaN : i >= 90_000 && i < 100_000 ? 20 : 1 + Math.sin(i / 900),
  );
  return {
    fs,
    rows,
    cols,
    windowRows: 997,
    lfp,
    time,
    speed,
    band: { band: [150, 250] as [number, number], transition: 25 },
    common: { fs, smoothingSigma: 0.004, minimumDuration: 0.015, zscoreThreshold: 2 },
    reader: { rows, cols, read: (a: number, b: number) => lfp.slice(a * cols, b * cols) },
    margin: 1000,
  };
}
