// One stored result drawn from its resultView (@spyglass-wasm/pipelines): a decode's posterior
// heat map with the true position and error summary, replay events with their posteriors and
// ripples, ripples (and MUA events) over speed, sort units; and its lineage graph. The viewer's Run tab and the
// `spyglass report` page both render through resultPanel.
import { interpolate } from '@spyglass-wasm/core';
import type {
  DecodeView,
  MuaEventsView,
  ReplayView,
  ResultView,
  RipplesView,
  SortView,
} from '@spyglass-wasm/pipelines';
import { fmt, h } from '../dom.js';
import { heatmapPlot } from '../plots/heatmap.js';
import { lineageSvg } from '../plots/lineage.js';
import { axis, makePlot, PALETTE, shadingPlugin, type uPlot } from '../plots/plot.js';

/** Plots are drawn once the panel is in the page (uPlot sizes itself to its container). */
type Later = (() => void)[];

// A long or wide table scrolls inside its own box (header kept in view), not the whole page.
const table = (head: string[], rows: (string | number)[][], cls = '') =>
  h(
    'div',
    { class: 'result-table' },
    h(
      'table',
      { class: `data-table ${cls}` },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          head.map((c) => h('th', {}, c)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((r) =>
          h(
            'tr',
            {},
            r.map((c) => h('td', {}, typeof c === 'number' ? fmt(c) : c)),
          ),
        ),
      ),
    ),
  );

function decodePanel(d: DecodeView, later: Later): HTMLElement {
  const plot = h('div', { class: 'plot heatmap', dataset: { testid: 'posterior-plot' } });
  const truth = d.truth ? interpolate(d.truth.time, d.truth.position, d.time, { outside: 'nan' }) : undefined;
  later.push(() =>
    heatmapPlot(
      plot,
      { time: d.time, position: d.position, values: d.posterior },
      {
        title: 'Decoded position: acausal posterior',
        yLabel: 'position (cm)',
        height: 320,
        // MAP first, so the true position is drawn over it
        overlays: [
          { label: 'MAP', values: d.map, color: '#ffffffaa', points: true },
          ...(truth ? [{ label: 'true position', values: truth, color: '#ff4040' }] : []),
        ],
      },
    ),
  );
  const fields = h('div', { class: 'plot heatmap', dataset: { testid: 'place-fields-plot' } });
  const pf = d.placeFields;
  if (pf) {
    later.push(() =>
      heatmapPlot(
        fields,
        { time: Float64Array.from(pf.units, (_, i) => i + 1), position: d.position, values: pf.fields },
        {
          title: 'Place fields of the encoding units (each scaled to its peak), ordered by peak position',
          xLabel: 'unit, by peak position',
          yLabel: 'position (cm)',
          height: 260,
          legend: false,
        },
      ),
    );
  }
  const e = d.error;
  const row = (name: string, s: Record<string, number>) => [
    name,
    s.medianRunningCm,
    s.medianCm,
    s.meanRunningCm,
    s.meanCm,
    s.nRunning,
    s.n,
  ];
  return h(
    'section',
    { class: 'result-decode' },
    h(
      'p',
      { class: 'hint' },
      `${d.mode} decoding; encoded on ${fmt(d.train[0])}–${fmt(d.train[1])} s, decoded ${fmt(d.decode[0])}–${fmt(d.decode[1])} s`,
      d.timeBinsMerged > 1 ? `; each image column averages ${d.timeBinsMerged} decoding bins` : '',
      d.truth ? '' : '; the true position could not be read (its source file is not at hand)',
    ),
    plot,
    h('h4', {}, 'Decoding error (cm)'),
    table(
      ['estimate', 'median, running', 'median, all', 'mean, running', 'mean, all', 'bins running', 'bins'],
      [row('MAP', e.map), row('posterior mean', e.posteriorMean)],
      'error-table',
    ),
    pf ? fields : null,
    pf
      ? h(
          'p',
          { class: 'hint' },
          `${pf.units.length} units; peak rates ${fmt(Math.min(...pf.peakHz))}–${fmt(Math.max(...pf.peakHz))} Hz. Left to right, units-table rows ${Array.from(pf.units.slice(0, 12)).join(', ')}${pf.units.length > 12 ? ', …' : ''}.`,
        )
      : null,
  );
}

function replayPanel(d: ReplayView, later: Later): HTMLElement {
  const shown = d.events.slice(0, 24);
  const grid = h('div', { class: 'replay-grid' });
  for (const [i, e] of shown.entries()) {
    const cell = h('div', {
      class: 'plot replay-event',
      dataset: { testid: 'replay-plot', significant: String(e.significant) },
    });
    grid.append(cell);
    const p = e.posterior;
    const line = Float64Array.from(
      p.time,
      (t) => e.startPosition + ((t - e.start) / (e.stop - e.start)) * (e.endPosition - e.startPosition),
    );
    const ripple = e.ripple
      ? [{ name: 'ripple', color: '#ff5a5a', start: [e.ripple.start], stop: [e.ripple.end] }]
      : [];
    later.push(() =>
      heatmapPlot(
        cell,
        { time: p.time, position: p.position, values: p.posterior },
        {
          title: `#${i + 1} ${e.direction}${e.significant ? ' ✓' : ''} · r=${fmt(e.replayScore)} p=${fmt(e.pValue)}`,
          yLabel: 'cm',
          height: 200,
          overlays: [{ label: 'fit', values: line, color: '#ffffff', dash: [4, 3] }],
          marks: ripple,
          legend: false,
        },
      ),
    );
  }
  return h(
    'section',
    { class: 'result-replay' },
    h(
      'p',
      { class: 'hint' },
      `${d.mode} replay, encoded on ${fmt(d.encode[0])}–${fmt(d.encode[1])} s. Each event: its posterior, the fitted trajectory (dashed) and, when ripples were the candidates, the ripple (red outline).`,
      d.events.length > shown.length ? ` The first ${shown.length} of ${d.events.length} events are drawn.` : '',
    ),
    grid,
    table(
      [
        '#',
        'start (s)',
        'stop (s)',
        'start (cm)',
        'end (cm)',
        'continuous',
        'score',
        'p',
        'direction',
        'significant',
        'ripple peak z',
      ],
      d.events.map((e, i) => [
        i + 1,
        e.start,
        e.stop,
        e.startPosition,
        e.endPosition,
        e.continuousFraction,
        e.replayScore,
        e.pValue,
        e.direction,
        e.significant ? 'yes' : 'no',
        e.ripple ? e.ripple.maxZscore : '',
      ]),
      'replay-table',
    ),
  );
}

/** The speed the events were gated by, the events shaded (`name`: ripples, MUA events). */
function speedPlot(d: RipplesView | MuaEventsView, name: string, testid: string, later: Later): HTMLElement {
  const plot = h('div', { class: 'plot', dataset: { testid } });
  const shading = [{ name, color: '#d62728', start: d.events.map((e) => e.start), stop: d.events.map((e) => e.end) }];
  if (d.speed) {
    const s = d.speed;
    later.push(() =>
      makePlot(
        plot,
        {
          title: `Speed, with the ${name} shaded`,
          height: 200,
          legend: { show: false },
          plugins: [shadingPlugin(() => shading)],
          scales: { x: { time: false } },
          axes: [axis('time (s)'), axis('speed (cm/s)', { size: 50 })],
          series: [{}, { stroke: PALETTE[0], width: 1 }],
        },
        [s.time, s.speed] as unknown as uPlot.AlignedData,
      ),
    );
  }
  return plot;
}

const eventRows = (d: RipplesView | MuaEventsView) =>
  d.events.slice(0, 500).map((e, i) => [i + 1, e.start, e.peak, e.end, e.maxZscore, e.speedAtPeak]);
const EVENT_HEAD = ['#', 'start (s)', 'peak (s)', 'end (s)', 'max z', 'speed at peak (cm/s)'];

function muaEventsPanel(d: MuaEventsView, later: Later): HTMLElement {
  const plot = speedPlot(d, 'MUA events', 'mua-speed-plot', later);
  const source = d.spikeSource === 'units' ? 'sorted units' : 'threshold crossings';
  return h(
    'section',
    { class: 'result-mua' },
    h(
      'p',
      { class: 'hint' },
      `${d.events.length} multiunit high-synchrony events of the ${source}, ${d.speedGated ? 'gated by speed' : 'not speed-gated'}.`,
    ),
    d.speed ? plot : null,
    table(EVENT_HEAD, eventRows(d), 'mua-table'),
  );
}

function ripplesPanel(d: RipplesView, later: Later): HTMLElement {
  const plot = speedPlot(d, 'ripples', 'ripples-speed-plot', later);
  const grid = h('div', { class: 'replay-grid' });
  d.snippets.forEach((sn, i) => {
    const e = d.events[i];
    const cell = h('div', { class: 'plot ripple-event', dataset: { testid: 'ripple-snippet' } });
    grid.append(cell);
    const one = [{ name: 'ripple', color: '#d62728', start: [e.start], stop: [e.end] }];
    // the LFP in the upper half of the plot, the ripple band and its envelope in the lower half
    const span = (a: ArrayLike<number>) => {
      let lo = Infinity,
        hi = -Infinity;
      for (let k = 0; k < a.length; k++) ((lo = Math.min(lo, a[k])), (hi = Math.max(hi, a[k])));
      return [lo, hi === lo ? lo + 1 : hi] as const;
    };
    const [l0, l1] = span(sn.lfp),
      [, b1] = span(sn.envelope);
    later.push(() =>
      makePlot(
        cell,
        {
          title: `#${i + 1} at ${fmt(e.peak)} s · z ${fmt(e.maxZscore)} · ch ${sn.channel}`,
          height: 190,
          legend: { show: false },
          plugins: [shadingPlugin(() => one)],
          scales: { x: { time: false }, lfp: { range: [l0 - (l1 - l0) * 1.1, l1] }, band: { range: [-b1, b1 * 3.2] } },
          axes: [axis('time (s)'), { show: false, scale: 'lfp' }],
          series: [
            {},
            { scale: 'lfp', stroke: '#555', width: 1 },
            { scale: 'band', stroke: PALETTE[0], width: 1 },
            { scale: 'band', stroke: '#d62728', width: 1.2 },
          ],
        },
        [sn.time, sn.lfp, sn.band, sn.envelope] as unknown as uPlot.AlignedData,
      ),
    );
  });
  return h(
    'section',
    { class: 'result-ripples' },
    h(
      'p',
      { class: 'hint' },
      `${d.events.length} ripples, ${d.detector} detector, ${d.speedGated ? 'gated by speed' : 'not speed-gated'}.`,
    ),
    d.speed ? plot : null,
    d.snippets.length
      ? h(
          'p',
          { class: 'hint' },
          `The first ${d.snippets.length} ripples: LFP (grey, top), the ripple band (blue) and its envelope (red) on the channel with the most ripple-band power, the event shaded.`,
        )
      : null,
    grid,
    table(EVENT_HEAD, eventRows(d), 'ripples-table'),
  );
}

function sortPanel(d: SortView, later: Later): HTMLElement {
  const metricNames = [...new Set(d.units.flatMap((u) => Object.keys(u.metrics)))];
  const plot = h('div', { class: 'plot', dataset: { testid: 'waveforms-plot' } });
  const len = d.units[0]?.waveform.length ?? 0;
  if (len) {
    later.push(() =>
      makePlot(
        plot,
        {
          title: 'Mean waveform of each unit (peak channel)',
          height: 220,
          legend: { show: false },
          scales: { x: { time: false } },
          axes: [axis('time (ms)'), axis('µV', { size: 50 })],
          series: [
            {},
            ...d.units.map((u, i) => ({
              label: `${i}`,
              stroke: PALETTE[i % PALETTE.length],
              width: u.label === 'noise' ? 0.7 : 1.4,
              dash: u.label === 'accept' ? undefined : [3, 3],
            })),
          ],
        },
        [
          Float64Array.from({ length: len }, (_, j) => (j * 1000) / d.fs),
          ...d.units.map((u) => u.waveform),
        ] as unknown as uPlot.AlignedData,
      ),
    );
  }
  return h(
    'section',
    { class: 'result-sort' },
    len ? plot : null,
    table(
      ['unit', 'group', 'label', 'peak channel', 'spikes', ...metricNames],
      d.units.map((u, i) => [
        i,
        u.group,
        u.label,
        u.peakChannel,
        u.spikeTimes.length,
        ...metricNames.map((m) => u.metrics[m] ?? ''),
      ]),
      'sort-table',
    ),
  );
}

/**
 * A result's panel: header (step, key, parameter set, summary), its plots and its lineage graph.
 * Call the returned `draw` once the element is in the page.
 *
 * @example
 * const { el, draw } = resultPanel(view); container.append(el); draw();
 */
export function resultPanel(v: ResultView): { el: HTMLElement; draw: () => void } {
  const later: Later = [];
  const d = v.data;
  const body =
    d?.kind === 'decode'
      ? decodePanel(d, later)
      : d?.kind === 'replay'
        ? replayPanel(d, later)
        : d?.kind === 'ripples'
          ? ripplesPanel(d, later)
          : d?.kind === 'mua-events'
            ? muaEventsPanel(d, later)
            : d?.kind === 'sort'
              ? sortPanel(d, later)
              : h('p', { class: 'muted' }, `No plot for ${v.step} results yet; its lineage is below.`);
  const summary = Object.entries(v.summary)
    .filter(([k, x]) => k !== 'analysisFile' && typeof x !== 'object')
    .map(([k, x]) => `${k} ${fmt(x)}`)
    .join(' · ');
  const el = h(
    'article',
    { class: 'result-panel', dataset: { step: v.step, key: v.key } },
    h('h2', {}, `${v.step} result`),
    h('div', { class: 'run-key' }, 'key ', h('code', { class: 'result-key' }, v.key)),
    h(
      'p',
      { class: 'hint' },
      `parameter set ${v.paramSetName ?? 'custom'} · finished ${v.createdAt}${summary ? ` · ${summary}` : ''}`,
    ),
    body,
    h('h3', {}, 'Lineage'),
    h(
      'p',
      { class: 'hint' },
      'Inputs (blue), parameter sets (orange) and code versions (grey) flow right into the results (green) that used them; hover a node for its checksum, parameters or key.',
    ),
    h('div', { class: 'lineage', dataset: { testid: 'lineage' } }, lineageSvg(v.lineage)),
  );
  return { el, draw: () => later.splice(0).forEach((f) => f()) };
}
