// Sorted units: every column of the Units table (sortable), and for the chosen units their mean
// waveforms on every channel, amplitudes over time, ISI histogram and autocorrelogram, a pair's
// cross-correlogram, and a raster of all units.
import { searchSorted } from '@spyglass-wasm/core';
import type { ViewContext } from '../context.js';
import { fmt, h, mount } from '../dom.js';
import { correlogram, firingRate, isiHistogram, refractoryViolations } from '../lib/spikes.js';
import { PALETTE, axis, histogramPlot, makePlot, shadingPlugin, uPlot } from '../plots/plot.js';
import { waveformGrid } from '../plots/waveform-grid.js';
import { NO_TRACE_QUERY } from '../lib/trace-params.js';
import { setParams } from '../url-state.js';
import type { UnitsData } from '../worker/nwb-api.js';
import { dataTable } from './table.js';

const REFRACTORY_MS = 1.5;
const HIDDEN = new Set(['spike_times', 'waveform_mean', 'waveform_sd', 'waveforms', 'spike_amplitudes']);

export function unitsView(ctx: ViewContext): HTMLElement {
  const root = h('div', { class: 'units' }, h('p', { class: 'muted' }, 'reading units…'));
  setParams({ view: 'units', path: undefined, ...NO_TRACE_QUERY });
  ctx.api
    .units()
    .then((u) =>
      u ? showUnits(ctx, root, u) : mount(root, h('p', { class: 'muted' }, 'This file has no Units table.')),
    )
    .catch((err) => ctx.fail(err));
  return root;
}

function showUnits(ctx: ViewContext, root: HTMLElement, u: UnitsData): void {
  const all = u.spikeTimes.flatMap((t) => (t.length ? [t[0], t[t.length - 1]] : []));
  const span: [number, number] = [Math.min(...all), Math.max(...all)];
  const shown = u.table.colnames.filter((c) => !HIDDEN.has(c));
  const columns = ['id', 'spikes', 'rate (Hz)', `ISI < ${REFRACTORY_MS} ms (%)`, ...shown];
  const rows = u.ids.map((id, i) => {
    const t = u.spikeTimes[i];
    const row = u.table.rows[i];
    return [
      id,
      t.length,
      firingRate(t, span),
      100 * refractoryViolations(t, REFRACTORY_MS).fraction,
      ...shown.map((c) => row[u.table.colnames.indexOf(c)]),
    ];
  });
  let selected: number[] = [0];
  const plots = h('div', { class: 'unit-plots' });
  const raster = h('div', { class: 'plot', dataset: { testid: 'raster-plot' } });
  const heading = h('h3', { class: 'unit-heading' });
  const table = dataTable({
    columns,
    rows,
    descriptions: {
      ...u.table.descriptions,
      spikes: 'number of spikes',
      'rate (Hz)': 'spikes / span of all spike times',
      [`ISI < ${REFRACTORY_MS} ms (%)`]: 'inter-spike intervals shorter than the refractory period',
    },
    pageSize: 100,
    isSelected: (r) => selected.includes(r),
    onSelect: (r, add) => {
      selected = add && selected[0] !== r ? [selected[0], r] : [r];
      table.refresh();
      drawSelection();
    },
  });
  let rasterPlot: uPlot | undefined;
  const drawSelection = () => {
    const [a, b] = selected;
    heading.textContent = b === undefined ? `Unit ${u.ids[a]}` : `Units ${u.ids[a]} and ${u.ids[b]}`;
    mount(plots);
    const box = (testid: string) => {
      const el = h('div', { class: 'plot small-plot', dataset: { testid } });
      plots.append(el);
      return el;
    };
    if (u.waveforms) {
      const wide = h('div', { class: 'plot wide-plot', dataset: { testid: 'waveform-plot' } });
      plots.append(wide);
      drawWaveforms(wide, u, selected);
    }
    if (u.amplitudes) drawAmplitudes(box('amplitude-plot'), u, selected, span);
    const ta = u.spikeTimes[a];
    histogramPlot(box('isi-plot'), isiHistogram(ta, { binMs: 1, maxMs: 100 }), {
      title: `ISI, unit ${u.ids[a]}: ${fmt(100 * refractoryViolations(ta, REFRACTORY_MS).fraction)}% < ${REFRACTORY_MS} ms`,
      xLabel: 'inter-spike interval (ms)',
      yLabel: 'count',
      color: PALETTE[0],
      marks: [REFRACTORY_MS],
    });
    histogramPlot(box('acg-plot'), correlogram(ta, ta, { binMs: 1, windowMs: 50 }), {
      title: `Autocorrelogram, unit ${u.ids[a]}`,
      xLabel: 'lag (ms)',
      yLabel: 'count',
      color: PALETTE[0],
    });
    if (b !== undefined) {
      const tb = u.spikeTimes[b];
      histogramPlot(box('acg2-plot'), correlogram(tb, tb, { binMs: 1, windowMs: 50 }), {
        title: `Autocorrelogram, unit ${u.ids[b]}`,
        xLabel: 'lag (ms)',
        yLabel: 'count',
        color: PALETTE[1],
      });
      histogramPlot(box('ccg-plot'), correlogram(ta, tb, { binMs: 1, windowMs: 50 }), {
        title: `Cross-correlogram: unit ${u.ids[b]} relative to unit ${u.ids[a]}`,
        xLabel: 'lag (ms)',
        yLabel: 'count',
        color: PALETTE[2],
      });
    } else {
      plots.append(
        h(
          'div',
          { class: 'plot small-plot placeholder' },
          'Ctrl- or shift-click a second unit for its cross-correlogram.',
        ),
      );
    }
    rasterPlot?.redraw();
  };
  mount(
    root,
    h(
      'p',
      { class: 'hint' },
      `${u.ids.length} units, spikes from ${fmt(span[0])} to ${fmt(span[1])} s. Click a row to show the unit; ctrl- or shift-click a second unit for a cross-correlogram. Click a column header to sort.`,
    ),
    table.el,
    heading,
    plots,
    raster,
  );
  requestAnimationFrame(() => {
    drawSelection();
    rasterPlot = drawRaster(ctx, raster, u, span, () => selected);
  });
}

/** Volts (NWB's unit for waveforms and amplitudes) shown as µV; a file in µV or arbitrary units as it is. */
function microvolts(values: ArrayLike<number>[]): { scale: number; unit: string } {
  let peak = 0;
  for (const v of values) for (let i = 0; i < v.length; i++) peak = Math.max(peak, Math.abs(v[i]) || 0);
  return peak > 0 && peak < 0.01 ? { scale: 1e6, unit: 'µV' } : { scale: 1, unit: 'µV (as stored)' };
}

/** The selected units' mean waveforms, one cell per channel of their group (waveform_mean, 3-D in NWB). */
function drawWaveforms(el: HTMLElement, u: UnitsData, selected: number[]): void {
  const wf = u.waveforms!;
  const { scale, unit } = microvolts(selected.map((r) => wf.values[r]));
  el.append(
    h(
      'div',
      { class: 'plot-title' },
      `Mean waveform${wf.channels > 1 ? `, each of ${wf.channels} channels` : ''}: ${selected
        .map((r) => `unit ${u.ids[r]}`)
        .join(', ')}`,
    ),
  );
  waveformGrid(
    el,
    selected.map((r, k) => ({
      label: `unit ${u.ids[r]}`,
      color: PALETTE[k],
      values: Float64Array.from(wf.values[r], (v) => v * scale),
    })),
    { samples: wf.samples, channels: wf.channels, unit, rate: wf.rate },
  );
}

/** Each spike's amplitude over the session (spike_amplitudes), a dot per spike, one colour per selected unit. */
function drawAmplitudes(el: HTMLElement, u: UnitsData, selected: number[], span: [number, number]): void {
  const { scale, unit } = microvolts(selected.map((r) => u.amplitudes![r]));
  const points = selected.map((r) => ({
    t: u.spikeTimes[r],
    a: Float64Array.from(u.amplitudes![r], (v) => v * scale),
  }));
  let lo = Infinity,
    hi = -Infinity;
  for (const p of points) for (const v of p.a) ((lo = Math.min(lo, v)), (hi = Math.max(hi, v)));
  const pad = (hi - lo) * 0.05 || 1;
  makePlot(
    el,
    {
      title: `Amplitudes over time: ${selected.map((r) => `unit ${u.ids[r]}`).join(', ')}`,
      height: 200,
      legend: { show: false },
      scales: {
        x: { time: false, range: () => span },
        y: { range: () => [Math.min(0, lo - pad), Math.max(0, hi + pad)] },
      },
      axes: [axis('time (s)'), axis(`amplitude (${unit})`, { size: 55 })],
      series: [{}, { show: false }],
      hooks: {
        // a dot per spike, drawn directly: uPlot's series want one shared x array, spikes have their own times
        draw: [
          (p: uPlot) => {
            const c = p.ctx;
            const r = Math.max(1, devicePixelRatio * 1.2);
            c.save();
            c.beginPath();
            c.rect(p.bbox.left, p.bbox.top, p.bbox.width, p.bbox.height);
            c.clip();
            points.forEach(({ t, a }, k) => {
              c.fillStyle = PALETTE[k] + 'cc';
              for (let i = 0; i < t.length; i++)
                c.fillRect(p.valToPos(t[i], 'x', true) - r, p.valToPos(a[i], 'y', true) - r, 2 * r, 2 * r);
            });
            c.restore();
          },
        ],
      },
    },
    [Float64Array.of(span[0], span[1]), Float64Array.of(0, 0)] as unknown as uPlot.AlignedData,
  );
}

/** One row of ticks per unit over time; the selected units in colour. Drag to zoom, double-click to reset. */
function drawRaster(
  ctx: ViewContext,
  el: HTMLElement,
  u: UnitsData,
  span: [number, number],
  selected: () => number[],
): uPlot {
  const n = u.ids.length;
  const height = Math.min(520, Math.max(180, n * 9 + 80));
  const plot = makePlot(
    el,
    {
      title: 'Raster, all units (drag to zoom, double-click for the whole session)',
      height,
      legend: { show: false },
      scales: {
        x: { time: false, range: (_u, min, max) => [min ?? span[0], max ?? span[1]] },
        y: { range: [-0.5, n - 0.5] },
      },
      axes: [
        axis('time (s)'),
        axis('unit', {
          size: 50,
          splits: () =>
            Array.from({ length: n }, (_, i) => i).filter((i) => (n - 1 - i) % Math.max(1, Math.ceil(n / 20)) === 0),
          values: (_u, splits) => splits.map((i) => String(u.ids[n - 1 - i])),
          grid: { show: false },
        }),
      ],
      series: [{}, { show: false }],
      plugins: [shadingPlugin(() => ctx.shading())],
      hooks: {
        draw: [
          (p: uPlot) => {
            const c = p.ctx;
            const { min, max } = p.scales.x;
            const sel = selected();
            const rowPx = Math.max(1, (p.bbox.height / n) * 0.8);
            c.save();
            c.beginPath();
            c.rect(p.bbox.left, p.bbox.top, p.bbox.width, p.bbox.height);
            c.clip();
            for (let r = 0; r < n; r++) {
              const k = sel.indexOf(r);
              c.strokeStyle = k >= 0 ? PALETTE[k] : '#555';
              c.lineWidth = (k >= 0 ? 1.5 : 1) * devicePixelRatio;
              const yc = p.valToPos(n - 1 - r, 'y', true);
              const t = u.spikeTimes[r];
              c.beginPath();
              for (let i = searchSorted(t, min!); i < t.length && t[i] <= max!; i++) {
                const x = Math.round(p.valToPos(t[i], 'x', true)) + 0.5;
                c.moveTo(x, yc - rowPx / 2);
                c.lineTo(x, yc + rowPx / 2);
              }
              c.stroke();
            }
            c.restore();
          },
        ],
      },
      cursor: { drag: { x: true, y: false } },
    },
    [Float64Array.of(span[0], span[1]), Float64Array.of(0, 0)] as unknown as uPlot.AlignedData,
  );
  // Start on the first minute: the spikes of a long session merge into a wall.
  if (span[1] - span[0] > 60) plot.setScale('x', { min: Math.floor(span[0]), max: Math.floor(span[0]) + 60 });
  return plot;
}
