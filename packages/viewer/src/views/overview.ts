// The first page of an open file: session and subject, the probe drawn from the electrodes
// table, what series, tables and intervals the file holds.
import type { ViewContext } from '../context.js';
import { fmt, fmtSeconds, h } from '../dom.js';
import { electrodeLayout } from '../lib/geometry.js';
import { PALETTE } from '../plots/plot.js';
import { dataTable } from './table.js';

export function overviewView(ctx: ViewContext): HTMLElement {
  const { summary } = ctx;
  const m = summary.metadata;
  const facts: [string, unknown][] = [
    ['session', m.sessionDescription],
    ['identifier', m.identifier],
    ['session id', m.sessionId],
    ['start time', m.sessionStartTime],
    ['experimenter', m.experimenter.join('; ')],
    ['lab / institution', [m.lab, m.institution].filter(Boolean).join(', ')],
    ['experiment', m.experimentDescription],
    ['NWB version', m.nwbVersion],
    [
      'extensions',
      Object.keys(m.namespaces)
        .filter((n) => n !== 'core' && !n.startsWith('hdmf'))
        .join(', ') || 'none',
    ],
  ];
  const subject = Object.entries(m.subject ?? {});
  const el = summary.electrodes;
  return h(
    'div',
    { class: 'overview' },
    h(
      'div',
      { class: 'cards' },
      card('Session', keyValues(facts)),
      card(
        'Subject',
        subject.length ? keyValues(subject) : h('p', { class: 'muted' }, 'No subject in /general/subject.'),
      ),
      card(
        'Contents',
        h(
          'ul',
          { class: 'contents' },
          summary.series.map((s) =>
            h(
              'li',
              {},
              h('a', { href: '#', onclick: (e: Event) => (e.preventDefault(), ctx.show('traces', s.path)) }, s.path),
              ` — ${s.shape[1]} ch × ${s.shape[0].toLocaleString()} samples at ${fmt(s.rate)} Hz (${fmtSeconds(s.end - s.start)}), ${s.dtype}${s.chunks ? `, chunks ${s.chunks.join('×')}` : ', contiguous'}`,
              s.warnings.length ? h('span', { class: 'warn', title: s.warnings.join('\n') }, ' ⚠') : null,
            ),
          ),
          summary.spatial.map((p) =>
            h(
              'li',
              {},
              h('a', { href: '#', onclick: (e: Event) => (e.preventDefault(), ctx.show('position', p)) }, p),
              ' — position',
            ),
          ),
          summary.hasUnits
            ? h(
                'li',
                {},
                h('a', { href: '#', onclick: (e: Event) => (e.preventDefault(), ctx.show('units')) }, '/units'),
                ' — sorted units',
              )
            : null,
          ctx.intervals.map((t) =>
            h(
              'li',
              {},
              h('a', { href: '#', onclick: (e: Event) => (e.preventDefault(), ctx.show('object', t.path)) }, t.path),
              ` — ${t.start.length} intervals`,
            ),
          ),
        ),
      ),
    ),
    el
      ? h(
          'div',
          { class: 'cards' },
          card(`Electrodes (${el.ids.length})`, probeDrawing(el)),
          card(
            'Electrodes table',
            dataTable({
              columns: ['id', ...el.colnames.filter((c) => c !== 'group')],
              rows: el.ids.map((id, i) => [
                id,
                ...el.colnames.filter((c) => c !== 'group').map((c) => el.columns[c][i] as number | string),
              ]),
              pageSize: 50,
            }).el,
          ),
        )
      : h('p', { class: 'muted' }, 'This file has no electrodes table.'),
  );
}

function card(title: string, ...body: Node[]): HTMLElement {
  return h('section', { class: 'card' }, h('h3', {}, title), ...body);
}

function keyValues(rows: [string, unknown][]): HTMLElement {
  return h(
    'table',
    { class: 'kv' },
    rows
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, fmt(v)))),
  );
}

/** SVG of the electrode sites, coloured by group, labelled by row, with a 20 µm scale bar when coordinates are real. */
function probeDrawing(el: NonNullable<ViewContext['summary']['electrodes']>): HTMLElement {
  const layout = electrodeLayout(
    el.ids,
    el.groupNames,
    Object.fromEntries(Object.entries(el.columns).map(([k, v]) => [k, { values: v }])),
  );
  const xs = layout.sites.map((s) => s.x),
    ys = layout.sites.map((s) => s.y);
  const minX = Math.min(...xs),
    maxX = Math.max(...xs),
    minY = Math.min(...ys),
    maxY = Math.max(...ys);
  const span = Math.max(maxX - minX, maxY - minY, 20);
  const r = Math.max(2, Math.min(8, span / Math.max(8, Math.sqrt(layout.sites.length) * 4)));
  const pad = r * 4.5;
  const W = maxX - minX + 2 * pad,
    H = maxY - minY + 2 * pad + r * 3;
  const groups = [...new Set(el.groupNames)];
  const color = (g: string) => PALETTE[groups.indexOf(g) % PALETTE.length];
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `${minX - pad} ${-(maxY + pad)} ${W} ${H}`);
  svg.setAttribute('class', 'probe');
  const add = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    svg.append(e);
    return e;
  };
  for (const s of layout.sites) {
    const c = add('circle', {
      cx: s.x,
      cy: -s.y,
      r,
      fill: color(s.group),
      'fill-opacity': 0.85,
      stroke: '#333',
      'stroke-width': r / 8,
    });
    const t = document.createElementNS(NS, 'title');
    t.textContent = `row ${s.row}, id ${s.id}, ${s.group}${el.locations[s.row] ? `, ${el.locations[s.row]}` : ''}`;
    c.append(t);
    add(
      'text',
      { x: s.x, y: -s.y + r * 0.35, 'font-size': r, 'text-anchor': 'middle', fill: '#fff', 'font-weight': 600 },
      String(s.row),
    );
  }
  // Group names above each group of sites.
  for (const g of groups) {
    const mine = layout.sites.filter((s) => s.group === g);
    const cx = (Math.min(...mine.map((s) => s.x)) + Math.max(...mine.map((s) => s.x))) / 2;
    const top = Math.max(...mine.map((s) => s.y));
    add(
      'text',
      { x: cx, y: -top - r * 1.9, 'font-size': r * 1.05, 'text-anchor': 'middle', fill: color(g), 'font-weight': 600 },
      g,
    );
  }
  if (layout.source !== 'groups') {
    const x0 = minX - pad / 2,
      y0 = -(minY - pad / 2) + r;
    add('line', { x1: x0, y1: y0, x2: x0 + 20, y2: y0, stroke: '#333', 'stroke-width': r / 5 });
    add('text', { x: x0 + 10, y: y0 + r * 1.6, 'font-size': r * 1.1, 'text-anchor': 'middle', fill: '#333' }, '20 µm');
  }
  const legend = h(
    'div',
    { class: 'legend' },
    groups.map((g) =>
      h(
        'span',
        { class: 'swatch-item' },
        h('span', { class: 'swatch', style: `background:${color(g)}` }),
        `${g} (${el.groupNames.filter((x) => x === g).length})`,
      ),
    ),
    h('span', { class: 'muted' }, ` · positions from ${layout.source}; numbers are table rows`),
  );
  return h('div', { class: 'probe-wrap' }, svg as unknown as HTMLElement, legend);
}
