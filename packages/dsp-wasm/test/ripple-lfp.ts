import type { createRng } from '@spyglass-wasm/core';

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
