import { ParameterError } from '@spyglass-wasm/core';
import { gaussianFilter1d } from '@spyglass-wasm/dsp-wasm';
import { openNwb, type NwbFile } from '@spyglass-wasm/nwb-io';
import type { ResultData, StepInput } from '../step.js';

/** Opens a file input as NWB, runs `fn`, and always closes it. */
export async function withNwb<T>(input: StepInput, role: string, fn: (nwb: NwbFile) => Promise<T> | T): Promise<T> {
  if (input.kind !== 'file') throw new ParameterError(role, 'an NWB file', `result ${input.key}`);
  const nwb = await openNwb(input.path);
  try {
    return await fn(nwb);
  } finally {
    nwb.close();
  }
}

/** A result input's data, or a typed error naming the role. */
export function resultData(input: StepInput | undefined, role: string): ResultData {
  if (!input || input.kind !== 'result') throw new ParameterError(role, 'a stored result', input ? input.path : 'nothing');
  return input.data;
}

/**
 * Speed (cm/s) at `times` from the session's first position series, as Spyglass's TrodesPosV1
 * defaults do it: position moving-averaged over `positionSmoothing` s (0.125), speed from
 * central differences, Gaussian-smoothed with σ `speedSmoothing` s (0.1), converted from the
 * series' unit and linearly interpolated to `times`.
 */
export function speedAt(nwb: NwbFile, times: Float64Array, o: { positionSmoothing?: number; speedSmoothing?: number } = {}): Float64Array | undefined {
  const [pos] = nwb.position();
  if (!pos || pos.timestamps.length < 3) return undefined;
  const toCm = /^m(eters?)?$/i.test(pos.unit) ? 100 : /^(mm|millimeters?)$/i.test(pos.unit) ? 0.1 : 1;
  const { data, rows, cols } = pos.data;
  const t = pos.timestamps;
  const rate = (rows - 1) / (t[rows - 1] - t[0]);
  const half = Math.max(0, Math.round(((o.positionSmoothing ?? 0.125) * rate - 1) / 2));
  const dims = Math.min(cols, 2);
  const smooth = new Float64Array(rows * dims);
  for (let c = 0; c < dims; c++) {
    for (let i = 0; i < rows; i++) {
      let s = 0, n = 0;
      for (let k = Math.max(0, i - half); k <= Math.min(rows - 1, i + half); k++) (s += data[k * cols + c]), n++;
      smooth[i * dims + c] = s / n;
    }
  }
  const v = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const a = Math.max(0, i - 1), b = Math.min(rows - 1, i + 1);
    let d2 = 0;
    for (let c = 0; c < dims; c++) d2 += (smooth[b * dims + c] - smooth[a * dims + c]) ** 2;
    v[i] = (Math.sqrt(d2) * toCm) / (t[b] - t[a]);
  }
  const speed = gaussianFilter1d(v, (o.speedSmoothing ?? 0.1) * rate, { mode: 'nearest' });
  const out = new Float64Array(times.length);
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    while (j < rows - 2 && t[j + 1] < times[i]) j++;
    const f = Math.min(1, Math.max(0, (times[i] - t[j]) / (t[j + 1] - t[j])));
    out[i] = speed[j] + f * (speed[j + 1] - speed[j]);
  }
  return out;
}

/** The session fields an analysis file copies from its source. */
export function sessionOf(nwb: NwbFile): { identifier: string; sessionDescription: string; sessionStartTime: string } {
  const m = nwb.metadata;
  return { identifier: m.identifier, sessionDescription: m.sessionDescription, sessionStartTime: m.sessionStartTime };
}
