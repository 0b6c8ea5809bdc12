// A lineage graph drawn as SVG, laid out in layers by depth: every node sits one column right of
// the deepest node it uses, so inputs, parameter sets and code versions stand left of the results
// that used them and the result asked for stands rightmost. A handful of nodes needs no layout
// library; rows in a column follow the mean row of their inputs to keep edges short.
import type { LineageGraph, LineageNodeKind } from '@spyglass-wasm/provenance';

const SVG = 'http://www.w3.org/2000/svg';
const KIND_COLOR: Record<LineageNodeKind, string> = {
  file: '#1f77b4',
  paramset: '#ff7f0e',
  code: '#7f7f7f',
  result: '#2ca02c',
};
const W = 230,
  H = 38,
  GAP_X = 60,
  GAP_Y = 14,
  PAD = 10;

/** Column (depth) and row of each node: column = 1 + the largest column of its inputs. */
function layerLayout(g: Pick<LineageGraph, 'nodes' | 'edges'>): Map<string, { col: number; row: number }> {
  const inputs = new Map<string, string[]>(g.nodes.map((n) => [n.id, []]));
  for (const e of g.edges) inputs.get(e.to)?.push(e.from);
  const col = new Map<string, number>();
  const depth = (id: string, seen = new Set<string>()): number => {
    if (col.has(id)) return col.get(id)!;
    if (seen.has(id)) return 0; // a cycle cannot happen in a lineage; stay finite if it does
    seen.add(id);
    const ins = (inputs.get(id) ?? []).filter((i) => inputs.has(i));
    const c = ins.length ? 1 + Math.max(...ins.map((i) => depth(i, seen))) : 0;
    col.set(id, c);
    return c;
  };
  g.nodes.forEach((n) => depth(n.id));
  const pos = new Map<string, { col: number; row: number }>();
  const columns = Math.max(0, ...col.values()) + 1;
  for (let c = 0; c < columns; c++) {
    const here = g.nodes.filter((n) => col.get(n.id) === c);
    const key = (id: string) => {
      const rows = (inputs.get(id) ?? []).map((i) => pos.get(i)?.row).filter((r): r is number => r !== undefined);
      return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : 0;
    };
    here
      .sort((a, b) => key(a.id) - key(b.id) || a.kind.localeCompare(b.kind) || a.label.localeCompare(b.label))
      .forEach((n, row) => pos.set(n.id, { col: c, row }));
  }
  return pos;
}

function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  ...children: (SVGElement | string)[]
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  e.append(...children);
  return e;
}

/**
 * The graph as an SVG element: nodes coloured by kind (file, parameter set, code version,
 * result), the root outlined, each node's detail as its tooltip, edges labelled by input role.
 *
 * @example
 * container.append(lineageSvg(view.lineage));
 */
export function lineageSvg(g: LineageGraph): SVGSVGElement {
  const pos = layerLayout(g);
  const cols = Math.max(0, ...[...pos.values()].map((p) => p.col)) + 1;
  const rows = Math.max(0, ...[...pos.values()].map((p) => p.row)) + 1;
  const width = PAD * 2 + cols * W + (cols - 1) * GAP_X,
    height = PAD * 2 + rows * (H + GAP_Y);
  const xy = (id: string) => {
    const p = pos.get(id)!;
    return { x: PAD + p.col * (W + GAP_X), y: PAD + p.row * (H + GAP_Y) };
  };
  const svg = el('svg', {
    xmlns: SVG,
    class: 'lineage-graph',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': 'lineage graph',
  });
  svg.append(
    el(
      'defs',
      {},
      el(
        'marker',
        {
          id: 'lineage-arrow',
          viewBox: '0 0 10 10',
          refX: 10,
          refY: 5,
          markerWidth: 7,
          markerHeight: 7,
          orient: 'auto-start-reverse',
        },
        el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#999' }),
      ),
    ),
  );
  for (const e of g.edges) {
    if (!pos.has(e.from) || !pos.has(e.to)) continue;
    const a = xy(e.from),
      b = xy(e.to);
    const x1 = a.x + W,
      y1 = a.y + H / 2,
      x2 = b.x,
      y2 = b.y + H / 2,
      mx = (x1 + x2) / 2;
    svg.append(
      el(
        'path',
        {
          class: 'lineage-edge',
          d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`,
          fill: 'none',
          stroke: '#bbb',
          'stroke-width': 1.2,
          'marker-end': 'url(#lineage-arrow)',
        },
        el('title', {}, e.role),
      ),
    );
    // the role at the curve's middle, where edges from one input or into one result have parted
    if (e.role !== 'params' && e.role !== 'code')
      svg.append(
        el('text', { x: mx, y: (y1 + y2) / 2 - 3, 'text-anchor': 'middle', 'font-size': 10, fill: '#666' }, e.role),
      );
  }
  for (const n of g.nodes) {
    const { x, y } = xy(n.id);
    const root = n.id === g.root;
    const label = n.label.length > 34 ? `${n.label.slice(0, 33)}…` : n.label;
    svg.append(
      el(
        'g',
        { class: `lineage-node ${n.kind}`, 'data-kind': n.kind, 'data-id': n.id },
        el('title', {}, n.detail),
        el('rect', {
          x,
          y,
          width: W,
          height: H,
          rx: 6,
          fill: '#fff',
          stroke: KIND_COLOR[n.kind],
          'stroke-width': root ? 3 : 1.5,
        }),
        el('rect', { x, y, width: 6, height: H, rx: 2, fill: KIND_COLOR[n.kind] }),
        el('text', { x: x + 12, y: y + 15, 'font-size': 12, 'font-weight': root ? 700 : 500, fill: '#222' }, label),
        el(
          'text',
          { x: x + 12, y: y + 30, 'font-size': 10, fill: '#777' },
          n.kind === 'paramset'
            ? 'parameter set'
            : n.kind === 'code'
              ? 'code version'
              : n.kind === 'file'
                ? 'input file'
                : 'result',
        ),
      ),
    );
  }
  return svg;
}
