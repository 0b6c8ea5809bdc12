// The file's objects as a tree for the sidebar: built from the flat list the worker walks, and
// each node tagged with the view that shows it.

/** One HDF5 object as the worker lists it. */
export interface TreeEntry {
  path: string;
  kind: 'group' | 'dataset';
  neurodataType?: string;
  description?: string;
  shape?: number[];
  dtype?: string;
}

/** How the app shows an object when it is clicked. */
export type NodeView = 'traces' | 'position' | 'units' | 'table' | 'intervals' | 'info';

export interface TreeNode extends TreeEntry {
  name: string;
  view: NodeView;
  children: TreeNode[];
}

const TABLE_TYPES = new Set(['DynamicTable', 'ElectrodesTable', 'PlaceFieldTable', 'AlignedDynamicTable']);
const ELECTRICAL = new Set(['ElectricalSeries', 'SpikeEventSeries']);

/** The view for an object of this neurodata_type (and path, for untyped electrodes tables). */
export function viewFor(entry: Pick<TreeEntry, 'path' | 'neurodataType' | 'kind'>): NodeView {
  const t = entry.neurodataType;
  if (t && ELECTRICAL.has(t)) return 'traces';
  if (t === 'SpatialSeries') return 'position';
  if (t === 'Units') return 'units';
  if (t === 'TimeIntervals') return 'intervals';
  if ((t && TABLE_TYPES.has(t)) || (entry.path.endsWith('/electrodes') && entry.kind === 'group')) return 'table';
  return 'info';
}

/**
 * Nests a flat list of entries by path under a root node ('/'); parents missing from the list
 * are made as plain groups. Children sort typed objects first, then by name.
 *
 * @example
 * const root = buildTree([{ path: '/acquisition', kind: 'group' }, { path: '/acquisition/raw', kind: 'group',
 * neurodataType: 'ElectricalSeries' }]);
 * root.children[0].children[0].view; // 'traces'
 */
export function buildTree(entries: readonly TreeEntry[]): TreeNode {
  const root: TreeNode = { path: '/', name: '/', kind: 'group', view: 'info', children: [] };
  const byPath = new Map<string, TreeNode>([['/', root]]);
  const ensure = (path: string): TreeNode => {
    const hit = byPath.get(path);
    if (hit) return hit;
    const parentPath = path.slice(0, path.lastIndexOf('/')) || '/';
    const node: TreeNode = {
      path,
      name: path.slice(path.lastIndexOf('/') + 1),
      kind: 'group',
      view: 'info',
      children: [],
    };
    byPath.set(path, node);
    ensure(parentPath).children.push(node);
    return node;
  };
  for (const e of [...entries].sort((a, b) => a.path.length - b.path.length)) {
    if (e.path === '/') continue;
    const node = ensure(e.path);
    Object.assign(node, e, { view: viewFor(e) });
  }
  const sort = (n: TreeNode) => {
    n.children.sort((a, b) => Number(!a.neurodataType) - Number(!b.neurodataType) || a.name.localeCompare(b.name));
    n.children.forEach(sort);
  };
  sort(root);
  return root;
}

/** Every node below `root` (depth first) that `keep` accepts. */
export function findNodes(root: TreeNode, keep: (n: TreeNode) => boolean): TreeNode[] {
  const out: TreeNode[] = [];
  const visit = (n: TreeNode) => {
    if (keep(n)) out.push(n);
    n.children.forEach(visit);
  };
  visit(root);
  return out;
}
