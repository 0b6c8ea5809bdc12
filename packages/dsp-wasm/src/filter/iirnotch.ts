import { checkNumber, checkOptionNames, cos, tan } from '@spyglass-wasm/core';

/**
 * Second-order IIR notch at w0 Hz with quality factor Q, like `scipy.signal.iirnotch(w0, Q, fs=fs)`
 * (fs default 2: w0 then in half-cycles per sample). Returns transfer-function coefficients and
 * the same filter as one SOS row, for sosfilt.
 *
 * @example
 * const { sos } = iirnotch(60, 30, { fs: 30000 }); // remove mains hum
 * const clean = sosfiltfilt(sos, raw);
 */
export function iirnotch(
  w0: number,
  Q: number,
  options: { fs?: number } = {},
): { b: Float64Array; a: Float64Array; sos: Float64Array } {
  checkOptionNames('iirnotch', options, ['fs']);
  const fs = checkNumber('fs', options.fs ?? 2, { min: 0, exclusiveMin: true });
  checkNumber('w0', w0, { min: 0, max: fs / 2, exclusiveMin: true, exclusiveMax: true });
  checkNumber('Q', Q, { min: 0, exclusiveMin: true });
  const w = (2 * w0) / fs;
  const bw = (w / Q) * Math.PI;
  const wr = w * Math.PI;
  const gb = 1 / Math.SQRT2;
  const beta = (Math.sqrt(1 - gb * gb) / gb) * tan(bw / 2);
  const gain = 1 / (1 + beta);
  const b = Float64Array.from([gain, -2 * gain * cos(wr), gain]);
  const a = Float64Array.from([1, -2 * gain * cos(wr), 2 * gain - 1]);
  return { b, a, sos: Float64Array.from([...b, ...a]) };
}
