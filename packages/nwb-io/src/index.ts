export { openNwb, NwbFile, type NwbObject, type ProcessingModule } from './file/nwb-file.js';
export type { NwbSource } from './source/nwb-source.js';
export type { OpenOptions } from './source/open-h5.js';
export type { NwbMetadata } from './read/metadata.js';
export type { ElectrodesTable } from './read/electrodes.js';
export {
  ElectricalSeries,
  type ElectricalSeriesInfo,
  type ReadOptions,
  type SampleScale,
  type RawSamples,
} from './read/electrical-series.js';
export type { SeriesTiming } from './read/timing.js';
export type { UnitsTable } from './read/units.js';
export type { SpatialSeries } from './read/position.js';
export type { TimeIntervalsTable } from './read/intervals.js';
export type { DynamicTable, Column, ColumnValues } from './read/dynamic-table.js';
export { loadH5wasm } from './h5/h5wasm.js';
export {
  NwbWriter,
  type NwbFileInput,
  type ElectrodesInput,
  type ElectrodeGroupInput,
  type ElectricalSeriesInput,
  type UnitsInput,
  type TimeIntervalsInput,
  type TimeSeriesInput,
  type SeriesAppender,
} from './write/nwb-writer.js';
export type { ColumnInput } from './write/typed-objects.js';
/** SHA-256 of this package's sources at build time (provenance step versions carry it). */
export { CODE_HASH as codeHash } from './code-hash.generated.js';
