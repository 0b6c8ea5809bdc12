// Where each electrode sits, for the probe drawing: the table's rel_x/rel_y (position on the probe,
// µm), else x/y, else each electrode group laid out as a small grid of its own.

interface ElectrodeSite {
  row: number;
  id: number;
  group: string;
  x: number;
  y: number;
}

export interface ElectrodeLayout {
  sites: ElectrodeSite[];
  /** Where the coordinates came from. */
  source: 'rel_x/rel_y' | 'x/y' | 'groups';
  /** Each group's horizontal offset in the drawing (groups are side by side, not overlapping). */
  groupOffsets: Record<string, number>;
}

type Columns = Record<string, { values: ArrayLike<unknown> } | undefined>;

/**
 * Site positions from an electrodes table. Coordinates from rel_x/rel_y (or x/y) are kept within
 * each group and groups are placed side by side, so tetrodes that share coordinates do not overlap.
 *
 * @example
 * const layout = electrodeLayout(table.ids, table.groupNames, table.columns);
 */
export function electrodeLayout(ids: ArrayLike<number>, groups: readonly string[], columns: Columns): ElectrodeLayout {
  const numeric = (name: string): number[] | undefined => {
    const v = columns[name]?.values;
    if (!v || v.length !== ids.length) return undefined;
    const nums = Array.from(v as ArrayLike<unknown>, Number);
    return nums.every(Number.isFinite) && new Set(nums).size > 1 ? nums : undefined;
  };
  let xs = numeric('rel_x'),
    ys = numeric('rel_y');
  let source: ElectrodeLayout['source'] = 'rel_x/rel_y';
  if (!xs && !ys) {
    xs = numeric('x');
    ys = numeric('y');
    source = 'x/y';
  }
  const names = [...new Set(groups)];
  const members = (g: string) => Array.from({ length: ids.length }, (_, i) => i).filter((i) => groups[i] === g);
  const sites: ElectrodeSite[] = [];
  const groupOffsets: Record<string, number> = {};
  if (!xs && !ys) {
    source = 'groups';
    let offset = 0;
    for (const g of names) {
      const rows = members(g);
      const side = Math.ceil(Math.sqrt(rows.length));
      groupOffsets[g] = offset;
      rows.forEach((row, k) =>
        sites.push({ row, id: ids[row], group: g, x: offset + (k % side) * 20, y: Math.floor(k / side) * 20 }),
      );
      offset += side * 20 + 40;
    }
    return { sites, source, groupOffsets };
  }
  const x = xs ?? Array.from({ length: ids.length }, () => 0);
  const y = ys ?? Array.from({ length: ids.length }, () => 0);
  let offset = 0;
  for (const g of names) {
    const rows = members(g);
    const minX = Math.min(...rows.map((r) => x[r])),
      maxX = Math.max(...rows.map((r) => x[r]));
    groupOffsets[g] = offset;
    for (const row of rows) sites.push({ row, id: ids[row], group: g, x: offset + x[row] - minX, y: y[row] });
    offset += maxX - minX + Math.max(40, maxX - minX);
  }
  sites.sort((a, b) => a.row - b.row);
  return { sites, source, groupOffsets };
}
