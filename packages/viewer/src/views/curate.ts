// The Curate tab: the newest sort in this browser's store, one row per unit with its metrics;
// label units (accept / mua / noise), tick units to merge, set an amplitude to split a unit at;
// "Record curation" runs the `curate` step on the sort (its parent, as Spyglass's Curation table
// records) in the run worker. Then: download the analysis NWB files of the curation and its sort,
// and an RO-Crate zip of it all that `spyglass verify` recomputes.
import type { ViewContext } from '../context.js';
import { fmt, h, mount } from '../dom.js';
import type { CurationOutcome, CurationParams, Download, SortForCuration } from '../worker/curate-api.js';
import type { RunSource } from '../worker/run-api.js';
import { runApi } from './run.js';

const LABELS = ['accept', 'mua', 'noise'] as const;
/** Metrics shown beside each unit (the sort records more; these are the ones curation rules use). */
const METRICS: [string, string][] = [
  ['snr', 'SNR'],
  ['firingRate', 'rate (Hz)'],
  ['isiViolationsRatio', 'ISI viol.'],
  ['presenceRatio', 'presence'],
  ['amplitudeCutoff', 'amp. cutoff'],
  ['isolationDistance', 'isol. dist.'],
];

/** The curation being edited, kept across tab switches for the same sort. */
interface Draft {
  sortKey: string;
  labels: Record<number, string>;
  merge: number[][];
  split: Record<number, number>;
  ticked: Set<number>;
  outcome?: CurationOutcome;
  busy?: string;
  error?: string;
}
let draft: Draft | undefined;

/** The curate step's parameters of a draft: only what the user changed, in sort-unit indices. */
function draftParams(d: Pick<Draft, 'labels' | 'merge' | 'split'>, sort: SortForCuration): CurationParams {
  const labels = Object.fromEntries(Object.entries(d.labels).filter(([u, l]) => sort.units[Number(u)].label !== l));
  const split = Object.entries(d.split).map(([u, t]) => ({ unit: Number(u), amplitudeThreshold: t }));
  return {
    ...(Object.keys(labels).length ? { labels } : {}),
    ...(d.merge.length ? { merge: d.merge } : {}),
    ...(split.length ? { split } : {}),
  };
}

/** Saves bytes from the worker as a download. */
function save(f: Download): void {
  const url = URL.createObjectURL(new Blob([f.bytes as BlobPart]));
  const a = h('a', { href: url, download: f.name.split('/').pop()! });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function curateView(ctx: ViewContext, source: File | string): HTMLElement {
  const el = h('div', { class: 'curate-view' }, h('p', { class: 'muted' }, 'Reading the sorts in this browser…'));
  const runSource: RunSource =
    typeof source === 'string' ? { url: new URL(source, location.href).href } : { file: source, name: source.name };
  runApi()
    .latestSort()
    .then((sort) => {
      if (!sort)
        return mount(
          el,
          h('h2', {}, 'Curate a sort'),
          h(
            'p',
            { class: 'muted curate-empty' },
            'No sort in this browser yet: run Spike sorting in the Run tab first.',
          ),
        );
      if (draft?.sortKey !== sort.key)
        draft = { sortKey: sort.key, labels: {}, merge: [], split: {}, ticked: new Set() };
      render(el, sort, draft, runSource);
    })
    .catch((err) => ctx.fail(err));
  return el;
}

function render(el: HTMLElement, sort: SortForCuration, d: Draft, source: RunSource): void {
  const redraw = () => el.isConnected && render(el, sort, d, source);
  const label = (u: number) => d.labels[u] ?? sort.units[u].label;
  const mergedInto = (u: number) => d.merge.find((g) => g.includes(u));
  const edit = (f: () => void) => () => {
    f();
    d.outcome = undefined;
    d.error = undefined;
    redraw();
  };
  const run = async (what: string, f: () => Promise<void>) => {
    d.busy = what;
    d.error = undefined;
    redraw();
    try {
      await f();
    } catch (err) {
      d.error = err instanceof Error ? err.message : String(err);
    }
    d.busy = undefined;
    redraw();
  };
  const params = draftParams(d, sort);
  const rows = sort.units.map((u) => {
    const group = mergedInto(u.index);
    return h(
      'tr',
      { dataset: { unit: String(u.index), label: label(u.index) }, class: `label-${label(u.index)}` },
      h(
        'td',
        {},
        h('input', {
          type: 'checkbox',
          class: 'merge-tick',
          checked: d.ticked.has(u.index),
          disabled: !!group || u.index in d.split,
          title: 'tick two or more units, then Merge',
          onchange: edit(() => (d.ticked.has(u.index) ? d.ticked.delete(u.index) : d.ticked.add(u.index))),
        }),
      ),
      h('td', {}, String(u.index)),
      h('td', {}, u.group),
      h('td', {}, String(u.spikes)),
      h(
        'td',
        {},
        h(
          'select',
          {
            class: 'label-select',
            onchange: (e: Event) => edit(() => (d.labels[u.index] = (e.target as HTMLSelectElement).value))(),
          },
          LABELS.map((l) =>
            h('option', { value: l, selected: label(u.index) === l }, l + (l === u.label ? ' (rules)' : '')),
          ),
        ),
      ),
      METRICS.map(([m]) => h('td', { class: 'num' }, fmt(u.metrics[m]))),
      h(
        'td',
        {},
        group
          ? `merged: ${group.join(' + ')}`
          : u.mergeWith.length
            ? h('span', { class: 'muted' }, `looks like ${u.mergeWith.join(', ')}`)
            : '',
      ),
      h(
        'td',
        {},
        sort.hasAmplitudes && !group
          ? h('input', {
              type: 'number',
              class: 'split-input',
              min: 0,
              step: 1,
              placeholder: 'µV',
              value: d.split[u.index] ?? '',
              onchange: (e: Event) =>
                edit(() => {
                  const v = Number((e.target as HTMLInputElement).value);
                  if (v > 0) d.split[u.index] = v;
                  else delete d.split[u.index];
                })(),
            })
          : '',
      ),
    );
  });
  const o = d.outcome;
  mount(
    el,
    h('h2', {}, 'Curate a sort'),
    h(
      'p',
      { class: 'hint' },
      `Sort ${sort.key.slice(0, 20)}… (${new Date(sort.createdAt).toLocaleString()}), ${sort.units.length} units, labelled by the metric rules. Relabel units, tick units and press Merge, `,
      sort.hasAmplitudes
        ? 'or give an amplitude (µV) to split a unit at; '
        : h(
            'span',
            { title: 'the sort result records no per-spike amplitudes' },
            'splitting by amplitude needs a sort that records per-spike amplitudes (this one does not); ',
          ),
      'then record the curation: it is a curate step whose parent is the sort, with the same key as spyglass curate computes on these parameters.',
    ),
    h(
      'table',
      { class: 'data-table curate-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['merge', 'unit', 'group', 'spikes', 'label', ...METRICS.map(([, n]) => n), 'merges', 'split at'].map((c) =>
            h('th', {}, c),
          ),
        ),
      ),
      h('tbody', {}, rows),
    ),
    h(
      'div',
      { class: 'curate-controls' },
      h(
        'button',
        {
          class: 'merge-button',
          disabled: d.ticked.size < 2,
          onclick: edit(() => (d.merge.push([...d.ticked].sort((a, b) => a - b)), d.ticked.clear())),
        },
        `Merge ticked (${d.ticked.size})`,
      ),
      h(
        'button',
        {
          class: 'reset-button',
          disabled: !Object.keys(params).length,
          onclick: edit(() => Object.assign(d, { labels: {}, merge: [], split: {}, ticked: new Set() })),
        },
        'Reset',
      ),
      h(
        'button',
        {
          class: 'primary curate-button',
          disabled: !!d.busy,
          onclick: () =>
            void run('recording the curation', async () => {
              d.outcome = await runApi().curate(sort.key, params);
            }),
        },
        'Record curation',
      ),
      h('span', { class: 'muted' }, d.busy ? `${d.busy}…` : ''),
    ),
    h(
      'details',
      { class: 'curate-params' },
      h('summary', {}, 'Curation parameters (for spyglass curate --params)'),
      h('pre', {}, JSON.stringify(params, null, 2)),
    ),
    d.error ? h('p', { class: 'warn curate-error' }, d.error) : null,
    o
      ? h(
          'div',
          { class: 'curate-result', dataset: { key: o.key, cached: String(o.cached) } },
          h(
            'p',
            {},
            h('b', {}, o.cached ? 'cached' : 'recorded'),
            ` · ${o.summary.units} units kept (${o.summary.noise} noise, ${o.summary.mua} mua${o.summary.merged ? `, ${o.summary.merged} merged` : ''}) · key `,
            h('code', { class: 'result-key' }, o.key),
          ),
          h(
            'div',
            { class: 'unit-labels' },
            o.units.map((u) =>
              h(
                'span',
                { class: `unit-label ${u.label}` },
                `${u.sortedUnits.join('+')}${u.split ? ` (${u.split})` : ''}:${u.label}`,
              ),
            ),
          ),
          h(
            'div',
            { class: 'curate-controls' },
            h(
              'button',
              {
                class: 'download-nwb',
                disabled: !!d.busy,
                onclick: () =>
                  void run('reading the analysis files', async () =>
                    (await runApi().analysisFiles(o.key)).forEach(save),
                  ),
              },
              'Download analysis NWB files',
            ),
            h(
              'button',
              {
                class: 'download-crate',
                disabled: !!d.busy,
                onclick: () =>
                  void run('building the RO-Crate zip', async () => save(await runApi().crateZip(o.key, source))),
              },
              'Download RO-Crate zip',
            ),
          ),
          h(
            'p',
            { class: 'hint' },
            'The crate holds the session file, the sort and curate results, their analysis NWB files and parameters, with checksums: ',
            h('code', {}, 'spyglass verify CRATE.zip'),
            ' recomputes it.',
          ),
        )
      : null,
  );
}
