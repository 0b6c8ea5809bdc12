import type { Matrix } from '@spyglass-wasm/core';
import type { H5Reader } from './h5-reader.js';
import { type SeriesTiming, readTiming } from './timing.js';

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
}

const SPATIAL = new Set(['SpatialSeries']);

/** Every SpatialSeries in the file's processing modules and acquisition (Position, CompassDirection…). */
export function readSpatialSeries(r: H5Reader): SpatialSeries[] {
  const paths = [...r.findTyped('/processing', SPATIAL), ...r.findTyped('/acquisition', SPATIAL)];
  return paths.map((path) => {
    const ds = r.dataset(`${path}/data`);
    const shape = ds.shape ?? [];
    const rows = shape[0] ?? 0, cols = shape.length > 1 ? shape[1] : 1;
    const conversion = r.attrNumber(`${path}/data`, 'conversion') ?? 1;
    const offset = r.attrNumber(`${path}/data`, 'offset') ?? 0;
    const data = r.numbers(`${path}/data`).map((v) => v * conversion + offset);
    const timing = readTiming(r, path, rows);
    const timestamps =
      timing.kind === 'timestamps' ? r.numbers(`${path}/timestamps`) : Float64Array.from({ length: rows }, (_, i) => timing.startingTime + i / timing.rate);
    return {
      path,
      name: path.split('/').pop()!,
      data: { data, rows, cols },
      timestamps,
      timing,
      unit: r.attrString(`${path}/data`, 'unit') ?? 'meters',
      referenceFrame: r.optionalString(`${path}/reference_frame`),
    };
  });
}
