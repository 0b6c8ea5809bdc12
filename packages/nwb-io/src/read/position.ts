import type { Matrix } from '@spyglass-wasm/core';
import type { H5Reader } from './h5-reader.js';
import { type SeriesTiming, asNumber, describeValue, readTiming } from './timing.js';

/** A SpatialSeries (position, head direction, …) with its samples and times. */
export interface SpatialSeries {
  path: string;
  name: string;
  /** Samples × dimensions, in `unit` after `conversion`. */
  data: Matrix<Float64Array>;
  timestamps: Float64Array;
  timing: SeriesTiming;
  unit: string;
  referenceFrame?: string;
  /** What must not pass silently: a NaN conversion or starting time, a rate of 1e300, missing timestamps. */
  warnings: string[];
}

const SPATIAL = new Set(['SpatialSeries']);

/**
 * Every SpatialSeries in the file's processing modules and acquisition (Position,
 * CompassDirection…). One that cannot be read is left out and recorded in `r.skipped`.
 */
export function readSpatialSeries(r: H5Reader): SpatialSeries[] {
  const paths = [...r.findTyped('/processing', SPATIAL), ...r.findTyped('/acquisition', SPATIAL)];
  const out: SpatialSeries[] = [];
  for (const path of paths) {
    try {
      out.push(r.guard(path, () => readOne(r, path)));
    } catch (err) {
      r.skipped.push({ path, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

function readOne(r: H5Reader, path: string): SpatialSeries {
  const dataPath = `${path}/data`;
  const shape = r.metadata(dataPath).shape ?? [];
  if (shape.length < 1 || shape.length > 2) r.fail(dataPath, '(time) or (time × dimensions) data', shape);
  const rows = shape[0],
    cols = shape.length > 1 ? shape[1] : 1;
  const warnings: string[] = [];
  const conversionValue = r.attr(dataPath, 'conversion');
  const offsetValue = r.attr(dataPath, 'offset');
  const conversion = conversionValue === undefined ? 1 : asNumber(conversionValue);
  const offset = offsetValue === undefined ? 0 : asNumber(offsetValue);
  if (!(Number.isFinite(conversion) && conversion !== 0))
    warnings.push(`${dataPath}@conversion: ${describeValue(conversionValue)} is not a finite, non-zero gain`);
  if (!Number.isFinite(offset))
    warnings.push(`${dataPath}@offset: ${describeValue(offsetValue)} is not a finite offset`);
  const data = r.numbers(dataPath).map((v) => v * conversion + offset);
  const { timing, problem } = readTiming(r, path, rows);
  if (problem) warnings.push(problem);
  const timestamps =
    timing.kind === 'timestamps'
      ? r.numbers(`${path}/timestamps`)
      : Float64Array.from({ length: rows }, (_, i) => timing.startingTime + i / timing.rate);
  return {
    path,
    name: path.split('/').pop()!,
    data: { data, rows, cols },
    timestamps,
    timing,
    unit: r.attrString(dataPath, 'unit') ?? 'meters',
    referenceFrame: r.optionalString(`${path}/reference_frame`),
    warnings,
  };
}
