// What every view gets: the worker, what the file holds, the intervals to shade, navigation.
import type { Remote } from 'comlink';
import type { TreeNode } from './lib/tree.js';
import type { Shading } from './plots/plot.js';
import type { FileSummary, IntervalsData, NwbApi } from './worker/nwb-api.js';

export type ViewName = 'overview' | 'traces' | 'position' | 'units' | 'object' | 'run' | 'curate';

export interface ViewContext {
  api: Remote<NwbApi>;
  summary: FileSummary;
  tree: TreeNode;
  intervals: IntervalsData[];
  /** Interval tables the user has switched on, coloured, for shading time plots. */
  shading(): Shading[];
  /** Opens a view; `path` picks the series/table it shows. */
  show(view: ViewName, path?: string): void;
  /** Reports an error in the status line. */
  fail(err: unknown): void;
}
