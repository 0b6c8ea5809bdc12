// A sortable, paged table for DynamicTables (electrodes, units, intervals, any other).
import { fmt, h, mount } from '../dom.js';

export interface TableOptions {
  columns: string[];
  rows: (number | string)[][];
  /** Column header tooltips. */
  descriptions?: Record<string, string>;
  pageSize?: number;
  /** Called with the row index (into `rows`) when a row is clicked, and whether to add to the selection. */
  onSelect?: (row: number, add: boolean) => void;
  isSelected?: (row: number) => boolean;
  /** Column sorted by default (index) and direction. */
  sort?: { column: number; descending: boolean };
}

/**
 * Renders `rows` under sortable headers (click a header; again to reverse), `pageSize` rows a page.
 * Returns the element and a refresh (after the selection changes).
 *
 * @example
 * const { el } = dataTable({ columns: ['id', 'quality'], rows: [[0, 'good']] });
 */
export function dataTable(o: TableOptions): { el: HTMLElement; refresh(): void } {
  const pageSize = o.pageSize ?? 200;
  let sort = o.sort ?? { column: -1, descending: false };
  let page = 0;
  const wrap = h('div', { class: 'table-wrap' });
  const order = () => {
    const idx = o.rows.map((_, i) => i);
    if (sort.column < 0) return idx;
    const c = sort.column;
    return idx.sort((a, b) => {
      const x = o.rows[a][c],
        y = o.rows[b][c];
      const cmp =
        typeof x === 'number' && typeof y === 'number'
          ? Number.isNaN(x)
            ? 1
            : Number.isNaN(y)
              ? -1
              : x - y
          : String(x).localeCompare(String(y), undefined, { numeric: true });
      return sort.descending ? -cmp : cmp;
    });
  };
  const render = () => {
    const idx = order();
    const pages = Math.max(1, Math.ceil(idx.length / pageSize));
    page = Math.min(page, pages - 1);
    const shown = idx.slice(page * pageSize, (page + 1) * pageSize);
    const head = h(
      'tr',
      {},
      o.columns.map((c, i) =>
        h(
          'th',
          {
            title: o.descriptions?.[c] || `sort by ${c}`,
            class: sort.column === i ? 'sorted' : '',
            onclick: () => {
              sort = { column: i, descending: sort.column === i ? !sort.descending : false };
              render();
            },
          },
          c,
          sort.column === i ? (sort.descending ? ' ▼' : ' ▲') : '',
        ),
      ),
    );
    const body = shown.map((r) =>
      h(
        'tr',
        {
          class: o.isSelected?.(r) ? 'selected' : '',
          dataset: { row: String(r) },
          onclick: o.onSelect ? (e: MouseEvent) => o.onSelect!(r, e.ctrlKey || e.metaKey || e.shiftKey) : undefined,
        },
        o.rows[r].map((v) => h('td', { class: typeof v === 'number' ? 'num' : '' }, fmt(v))),
      ),
    );
    const pager =
      pages > 1
        ? h(
            'div',
            { class: 'pager' },
            h('button', { disabled: page === 0, onclick: () => (page--, render()) }, '‹ prev'),
            ` rows ${page * pageSize + 1}–${Math.min(idx.length, (page + 1) * pageSize)} of ${idx.length} `,
            h('button', { disabled: page >= pages - 1, onclick: () => (page++, render()) }, 'next ›'),
          )
        : h('div', { class: 'pager' }, `${idx.length} row${idx.length === 1 ? '' : 's'}`);
    mount(
      wrap,
      h('div', { class: 'table-scroll' }, h('table', { class: 'data' }, h('thead', {}, head), h('tbody', {}, body))),
      pager,
    );
  };
  render();
  return { el: wrap, refresh: render };
}
