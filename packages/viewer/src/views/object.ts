// One object chosen in the tree: a table (DynamicTable, TimeIntervals, electrodes) read when it is
// opened, or what an object is (type, description, shape) and the values of a small dataset.
import { maxOf, minOf } from '@spyglass-wasm/core';
import type { ViewContext } from '../context.js';
import { fmt, fmtSeconds, h, mount } from '../dom.js';
import { PALETTE, axis, makePlot, type uPlot } from '../plots/plot.js';
import { findNodes, viewFor } from '../lib/tree.js';
import { NO_TRACE_QUERY } from '../lib/trace-params.js';
import { setParams } from '../url-state.js';
import { dataTable } from './table.js';

export function objectView(ctx: ViewContext, path?: string): HTMLElement {
  if (!path) return h('p', { class: 'muted' }, 'Choose an object in the tree.');
  setParams({ view: 'object', path, ...NO_TRACE_QUERY });
  const node = findNodes(ctx.tree, (n) => n.path === path)[0];
  const root = h('div', { class: 'object' }, h('h2', {}, path), h('p', { class: 'muted' }, 'reading…'));
  const view = node ? node.view : 'info';
  if (view === 'table' || view === 'intervals' || view === 'units') {
    ctx.api
      .table(path)
      .then((t) => {
        const columns = ['id', ...t.colnames];
        mount(
          root,
          h('h2', {}, path),
          h('p', {}, h('span', { class: 'badge' }, t.neurodataType ?? 'table'), ' ', t.description ?? ''),
          view === 'intervals' ? intervalsTimeline(ctx, path) : null,
          dataTable({
            columns,
            rows: t.rows.map((r, i) => [t.ids[i], ...r]),
            descriptions: t.descriptions,
            pageSize: 200,
          }).el,
        );
      })
      .catch((err) => ctx.fail(err));
    return root;
  }
  ctx.api
    .info(path)
    .then(({ object, preview }) => {
      if (!object) return mount(root, h('h2', {}, path), h('p', { class: 'muted' }, 'Not in the file.'));
      const kind = viewFor(object);
      mount(
        root,
        h('h2', {}, path),
        h(
          'table',
          { class: 'kv' },
          h('tr', {}, h('th', {}, 'kind'), h('td', {}, object.kind)),
          object.neurodataType ? h('tr', {}, h('th', {}, 'neurodata_type'), h('td', {}, object.neurodataType)) : null,
          object.description ? h('tr', {}, h('th', {}, 'description'), h('td', {}, object.description)) : null,
          object.shape
            ? h('tr', {}, h('th', {}, 'shape'), h('td', {}, `[${object.shape.map(fmt).join(' × ')}]`))
            : null,
          object.dtype ? h('tr', {}, h('th', {}, 'type'), h('td', {}, object.dtype)) : null,
          object.children ? h('tr', {}, h('th', {}, 'children'), h('td', {}, object.children.join(', '))) : null,
          preview !== undefined ? h('tr', {}, h('th', {}, 'value'), h('td', { class: 'preview' }, preview)) : null,
        ),
        kind === 'traces' ? h('p', {}, h('button', { onclick: () => ctx.show('traces', path) }, 'Show traces')) : null,
        kind === 'position'
          ? h('p', {}, h('button', { onclick: () => ctx.show('position', path) }, 'Show position'))
          : null,
      );
    })
    .catch((err) => ctx.fail(err));
  return root;
}

/** The intervals of one TimeIntervals table as spans on a time axis (drag to zoom, double-click to reset). */
function intervalsTimeline(ctx: ViewContext, path: string): HTMLElement | null {
  const t = ctx.intervals.find((x) => x.path === path);
  if (!t || t.start.length === 0) return null;
  const lo = minOf(t.start),
    hi = maxOf(t.stop);
  const total = t.start.reduce((a, s, i) => a + (t.stop[i] - s), 0);
  const box = h('div', { class: 'plot', dataset: { testid: 'intervals-plot' } });
  const pad = (hi - lo) * 0.02 || 1;
  requestAnimationFrame(() =>
    makePlot(
      box,
      {
        title: `${t.start.length} interval${t.start.length === 1 ? '' : 's'}, ${fmtSeconds(total)} in total`,
        height: 130,
        legend: { show: false },
        scales: {
          x: { time: false, range: (_u, min, max) => [min ?? lo - pad, max ?? hi + pad] },
          y: { range: [0, 1] },
        },
        axes: [axis('time (s)'), axis('', { show: false })],
        series: [{}, { show: false }],
        hooks: {
          drawClear: [
            (u: uPlot) => {
              // Solid bars: here the intervals are the data.
              const c = u.ctx;
              c.save();
              c.fillStyle = PALETTE[0] + 'aa';
              for (let i = 0; i < t.start.length; i++) {
                const x0 = u.valToPos(t.start[i], 'x', true),
                  x1 = u.valToPos(t.stop[i], 'x', true);
                c.fillRect(x0, u.bbox.top + u.bbox.height * 0.2, Math.max(1, x1 - x0), u.bbox.height * 0.6);
              }
              c.restore();
            },
          ],
        },
        cursor: { drag: { x: true, y: false } },
      },
      [Float64Array.of(lo - pad, hi + pad), Float64Array.of(0, 0)] as unknown as uPlot.AlignedData,
    ),
  );
  return box;
}
