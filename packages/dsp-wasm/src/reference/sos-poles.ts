import type { FloatArray } from '@spyglass-wasm/core';

/**
 * Plain TypeScript reference of assembly/sos-poles.ts (the same operations in the same order, so
 * the same bits): decimate's backward pass with the poles on every row, last row first, and the
 * zeros only on rows where (r + phase) % q == 0, written there. `table` is sosPolesTable's
 * (unsplatted: nsec × (a1, a2), then the ntaps numerator); `state` the kernel's layout (each
 * section's last two outputs in alternating slots, nsec × 2 × stride, then a ring of ntaps × stride);
 * `done` the rows filtered since the state was set.
 */
export function sosPolesKeepReference(
  table: { poles: Float64Array; taps: Float64Array },
  x: FloatArray,
  rows: number,
  cols: number,
  state: Float64Array,
  stride: number,
  done: number,
  keep: { phase: number; q: number },
): void {
  const nsec = table.poles.length / 2,
    ntaps = table.taps.length;
  const ring = 2 * nsec * stride;
  const round = x instanceof Float32Array ? Math.fround : (v: number) => v;
  let pos = (ntaps - (done % ntaps)) % ntaps,
    parity = done & 1;
  for (let r = rows - 1; r >= 0; r--) {
    const kept = (r + keep.phase) % keep.q === 0;
    for (let ch = 0; ch < cols; ch++) {
      let v = x[r * cols + ch];
      for (let s = 0; s < nsec; s++) {
        // this row's output overwrites y[n-2] (slot `parity`); y[n-1] is in the other slot
        const older = (2 * s + parity) * stride + ch,
          newer = (2 * s + (parity ^ 1)) * stride + ch;
        const y = v - (table.poles[2 * s] * state[newer] + table.poles[2 * s + 1] * state[older]);
        state[older] = y;
        v = y;
      }
      state[ring + pos * stride + ch] = v;
      if (!kept) continue;
      let acc = 0;
      for (let k = 0, slot = pos; k < ntaps; k++, slot = slot + 1 === ntaps ? 0 : slot + 1)
        acc += table.taps[k] * state[ring + slot * stride + ch];
      x[r * cols + ch] = round(acc);
    }
    pos = pos === 0 ? ntaps - 1 : pos - 1;
    parity ^= 1;
  }
}
