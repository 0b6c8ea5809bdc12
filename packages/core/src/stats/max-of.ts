/**
 * The largest of `values` and `floor`, NaN ignored, in a loop: `Math.max(...values)` passes every
 * value as an argument and throws RangeError ("Maximum call stack size exceeded") past ~125 000 of
 * them (an hour of position at 30 Hz, a long sort's labels).
 *
 * @example
 * maxOf(Int32Array.of(2, -1, 5), -1); // 5
 * maxOf([], -1); // -1
 */
export function maxOf(values: ArrayLike<number>, floor = -Infinity): number {
  let m = floor;
  for (let i = 0; i < values.length; i++) if (values[i] > m) m = values[i];
  return m;
}

/** The smallest of `values` and `ceiling`, NaN ignored (maxOf's mirror). */
export function minOf(values: ArrayLike<number>, ceiling = Infinity): number {
  let m = ceiling;
  for (let i = 0; i < values.length; i++) if (values[i] < m) m = values[i];
  return m;
}
