/**
 * A list of variable-length rows stored flat: `values` and the end of each row in it, as NWB's
 * VectorData + VectorIndex (spike times per unit, marks per electrode group).
 */
export interface Ragged<T extends ArrayLike<number> = Float64Array> {
  values: T;
  /** End (exclusive) of each row in `values`. */
  ends: Int32Array;
}

/**
 * Joins rows into one Ragged.
 *
 * @example
 * raggedFrom([Float64Array.of(1, 2), Float64Array.of(3)]); // { values: [1, 2, 3], ends: [2, 3] }
 */
export function raggedFrom(rows: readonly Float64Array[]): Ragged<Float64Array> {
  const values = new Float64Array(rows.reduce((a, r) => a + r.length, 0));
  const ends = new Int32Array(rows.length);
  let at = 0;
  rows.forEach((r, i) => {
    values.set(r, at);
    ends[i] = at += r.length;
  });
  return { values, ends };
}

/** The rows of a Ragged, as views into its values. */
export function raggedRows<T extends Float64Array | Float32Array | Int32Array>(r: {
  values: T;
  ends: ArrayLike<number>;
}): T[] {
  return Array.from(r.ends, (end, i) => r.values.subarray(i ? r.ends[i - 1] : 0, end) as T);
}

/**
 * Joins typed arrays end to end into a new one of the given type.
 *
 * @example
 * concatArrays([Float64Array.of(1), Float64Array.of(2, 3)], Float64Array); // [1, 2, 3]
 */
export function concatArrays<
  T extends Float32Array | Float64Array | Int32Array | Uint32Array | Int16Array | Uint8Array,
>(parts: readonly T[], Type: new (n: number) => T): T {
  const out = new Type(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}
