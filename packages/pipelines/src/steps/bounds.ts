import { ParameterError } from '@spyglass-wasm/core';

/**
 * A band's high edge below Nyquist: the one bound a parameter schema cannot check, since the rate
 * is known only from the input (the schema has already checked 0 <= low < high).
 */
export function belowNyquist(band: [number, number], fs: number): [number, number] {
  if (!(band[1] < fs / 2))
    throw new ParameterError('band', `[low, high] Hz with high < ${fs / 2} (Nyquist of the ${fs} Hz input)`, band);
  return band;
}
