import type { FloatArray, Matrix } from '@spyglass-wasm/core';
import { type PadType, fillExtendedRows } from './pad.js';
import type { SosSession } from './sos-session.js';
import { ziForChannels } from './sosfilt-zi.js';

/** Forward output held at once (besides the warm-up rows): small enough to stay off fresh pages. */
const SEGMENT_BYTES = 1 << 24;
/** The backward pass's free response must fall below this (from a unit state) within the warm-up. */
const DECAY_TO = 1e-22;
/** Longest warm-up worth having; slower-decaying designs keep the whole forward output. */
const MAX_WARM_UP = 1 << 20;

const warmUpCache = new Map<string, number>();

/**
 * Rows after which the SOS cascade's free response from any unit state has fallen below DECAY_TO
 * (with a margin), or Infinity if it decays slower than MAX_WARM_UP rows. A backward pass started
 * that many rows late, from an approximate state, matches the exact one to far below float64
 * rounding (1e-22 of the state, whose size is that of the signal times the sections' gains).
 */
export function warmUpRows(sos: ArrayLike<number>): number {
  const key = Array.prototype.join.call(sos, ',');
  const hit = warmUpCache.get(key);
  if (hit !== undefined) return hit;
  const nsec = sos.length / 6;
  let worst = 0;
  for (let unit = 0; unit < 2 * nsec && worst < Infinity; unit++) {
    const z = new Float64Array(2 * nsec);
    z[unit] = 1;
    let quietSince = 0;
    let r = 0;
    for (; r < MAX_WARM_UP && r - quietSince < 256; r++) {
      let v = 0,
        size = 0;
      for (let s = 0; s < nsec; s++) {
        const c = s * 6;
        const y = sos[c] * v + z[2 * s];
        z[2 * s] = sos[c + 1] * v - sos[c + 4] * y + z[2 * s + 1];
        z[2 * s + 1] = sos[c + 2] * v - sos[c + 5] * y;
        size = Math.max(size, Math.abs(y), Math.abs(z[2 * s]), Math.abs(z[2 * s + 1]));
        v = y;
      }
      if (!(size < DECAY_TO)) quietSince = r + 1;
    }
    worst = r - quietSince < 256 ? Infinity : Math.max(worst, quietSince);
  }
  const rows = worst === Infinity ? Infinity : Math.ceil(worst * 1.25) + 64;
  if (warmUpCache.size > 64) warmUpCache.clear();
  warmUpCache.set(key, rows);
  return rows;
}

/**
 * sosfiltfilt over x extended by `edge` rows each side, keeping only rows 0, q, 2q, … of x's part
 * in `out`, without ever holding the whole forward output: the signal goes in segments. The
 * forward pass runs once, straight through; each segment's backward pass starts `warm` rows past
 * the segment's end, from the steady state of the forward output there, and those warm-up rows'
 * outputs are dropped. The last segment starts from the true end, as scipy. With `warm` from
 * warmUpRows the kept rows match the one-piece pass to ~1e-22 of the state (float64 rounding is
 * 1e-16); `warm` = Infinity makes a single segment. Memory: one segment, not the recording.
 */
export function filtfiltKeepEvery<T extends FloatArray>(
  s: SosSession<T>,
  m: Matrix<T>,
  edge: number,
  padtype: PadType | null,
  zi: Float64Array,
  out: T,
  every: { q: number; warm: number; polesApart: boolean },
): T {
  const { q, warm } = every;
  const { rows, cols } = m;
  const n = rows + 2 * edge;
  const segmentRows = Number.isFinite(warm)
    ? Math.max(4 * warm, Math.floor(SEGMENT_BYTES / (cols * m.data.BYTES_PER_ELEMENT)))
    : n;
  const fwd = new (m.data.constructor as { new (k: number): T })(Math.min(n, segmentRows + warm) * cols);
  let a = 0; // extended row of fwd's row 0
  let done = 0; // forward output exists for extended rows [a, done)
  while (a < n) {
    const b = a + segmentRows + warm >= n ? n : a + segmentRows;
    const e = Math.min(b + warm, n);
    forwardRows(s, m, edge, padtype, zi, fwd, a, done, e);
    done = e;
    const lastRow = fwd.subarray((e - 1 - a) * cols, (e - a) * cols);
    const keep = { edge, rows, q, out };
    if (every.polesApart) {
      const poles = s.polesKeeping;
      poles.setSteady(lastRow);
      // The zeros only on the kept rows: half the arithmetic of the full sections on every row.
      backwardKeeping(s, fwd, cols, a, b, e, keep, (lo, hi) => poles.filter(hi - lo, (((lo - edge) % q) + q) % q, q));
    } else {
      const forwardState = s.getState();
      s.setState(ziForChannels(zi, lastRow));
      backwardKeeping(s, fwd, cols, a, b, e, keep, (lo, hi) => s.filter(true, hi - lo));
      s.setState(forwardState);
    }
    fwd.copyWithin(0, (b - a) * cols, (e - a) * cols);
    a = b;
  }
  return out;
}

/** Forward-filters extended rows [r0, r1) into fwd (whose row 0 is extended row `a`), a block at a time. */
function forwardRows<T extends FloatArray>(
  s: SosSession<T>,
  m: Matrix<T>,
  edge: number,
  padtype: PadType | null,
  zi: Float64Array,
  fwd: T,
  a: number,
  r0: number,
  r1: number,
): void {
  const { rows, cols } = m;
  for (let lo = r0; lo < r1; lo += s.blockRows) {
    const hi = Math.min(lo + s.blockRows, r1);
    fillExtendedRows(m.data, rows, cols, edge, padtype, s.data, lo, hi);
    // Row 0 of the extended signal sets the steady-state initial conditions.
    if (lo === 0) s.setState(ziForChannels(zi, s.data.subarray(0, cols)));
    s.filter(false, hi - lo);
    fwd.set(s.data.subarray(0, (hi - lo) * cols), (lo - a) * cols);
  }
}

/** Copies x's rows 0, q, 2q, … among block rows [lo, end) (extended rows; block row 0 is `lo`) into out. */
function copyKept<T extends FloatArray>(
  block: T,
  lo: number,
  end: number,
  cols: number,
  keep: { edge: number; q: number; out: T },
): void {
  const { edge, q, out } = keep;
  // element by element: a subarray per kept row cost more than the copy (60 000 rows a call)
  for (let r = edge + Math.ceil(Math.max(lo - edge, 0) / q) * q; r < end; r += q) {
    const src = (r - lo) * cols,
      dst = ((r - edge) / q) * cols;
    for (let c = 0; c < cols; c++) out[dst + c] = block[src + c];
  }
}

/**
 * Backward-filters fwd's extended rows [a, e), last block first, with `filterBlock` (the full
 * sections, or the poles with the zeros on kept rows only: the same output to ~1e-15 of RMS, from
 * the same steady state at the segment's end), copying x's rows 0, q, 2q, … among [a, b) into out.
 */
function backwardKeeping<T extends FloatArray>(
  s: SosSession<T>,
  fwd: T,
  cols: number,
  a: number,
  b: number,
  e: number,
  keep: { edge: number; rows: number; q: number; out: T },
  filterBlock: (lo: number, hi: number) => void,
): void {
  const { edge, rows } = keep;
  for (let hi = e; hi > a; hi -= s.blockRows) {
    const lo = Math.max(a, hi - s.blockRows);
    s.data.set(fwd.subarray((lo - a) * cols, (hi - a) * cols));
    filterBlock(lo, hi);
    copyKept(s.data, lo, Math.min(hi, b, edge + rows), cols, keep);
  }
}
