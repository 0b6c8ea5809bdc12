// One object chosen in the tree: a table (DynamicTable, TimeIntervals, electrodes) read when it is
// opened, or what an object is (type, description, shape) and the values of a small dataset.
import type { ViewContext } from '../context.js';
import { fmt, h, mount } from '../dom.js';
import { findNodes, viewFor } from '../lib/tree.js';
import { setParams } from '../url-state.js';
import { dataTable } from './table.js';

export function objectView(ctx: ViewContext, path?: string): HTMLElement {
  if (!path) return h('p', { class: 'muted' }, 'Choose an object in the tree.');
  setParams({ view: 'object', path, t: undefined, dur: undefined });
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
          dataTable({ columns, rows: t.rows.map((r, i) => [t.ids[i], ...r]), descriptions: t.descriptions, pageSize: 200 }).el,
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
          object.shape ? h('tr', {}, h('th', {}, 'shape'), h('td', {}, `[${object.shape.map(fmt).join(' × ')}]`)) : null,
          object.dtype ? h('tr', {}, h('th', {}, 'type'), h('td', {}, object.dtype)) : null,
          object.children ? h('tr', {}, h('th', {}, 'children'), h('td', {}, object.children.join(', '))) : null,
          preview !== undefined ? h('tr', {}, h('th', {}, 'value'), h('td', { class: 'preview' }, preview)) : null,
        ),
        kind === 'traces' ? h('p', {}, h('button', { onclick: () => ctx.show('traces', path) }, 'Show traces')) : null,
        kind === 'position' ? h('p', {}, h('button', { onclick: () => ctx.show('position', path) }, 'Show position')) : null,
      );
    })
    .catch((err) => ctx.fail(err));
  return root;
}
