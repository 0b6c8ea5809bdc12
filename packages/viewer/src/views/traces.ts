// Raw traces: chosen channels of an ElectricalSeries over a time window, stacked, with pan and
// zoom. Each window is read (only its chunks), re-referenced and band-passed in the worker.
import type { ViewContext } from '../context.js';
import { fmt, fmtSeconds, h, mount } from '../dom.js';
import { readTraceParams, traceQuery } from '../lib/trace-params.js';
import { formatChannelList, parseChannelList } from '../lib/windowing.js';
import { PALETTE, axis, makePlot, shadingPlugin, type uPlot } from '../plots/plot.js';
import { getParam, setParams } from '../url-state.js';
import type { TraceWindow } from '../worker/nwb-api.js';

const DURATIONS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60];
/** Most samples one window may read (channels × rows), so a wide window on a big probe stays bounded. */
const MAX_SAMPLES = 24e6;

interface TraceState {
  path: string;
  channels: number[];
  t0: number;
  dur: number;
  bandpass: boolean;
  band: [number, number];
  commonRef: boolean;
  /** Vertical distance between channels, µV (undefined: from the data). */
  spacing?: number;
}

export function tracesView(ctx: ViewContext, path?: string): HTMLElement {
  const all = ctx.summary.series;
  if (all.length === 0) return h('p', { class: 'muted' }, 'This file has no ElectricalSeries.');
  const series = all.find((s) => s.path === path) ?? all.find((s) => s.path === getParam('path')) ?? all[0];
  const nch = series.shape[1];
  const highRate = series.rate >= 12000;
  // The address says what to show when it names this series (a link to this view), else defaults.
  const linked = getParam('path') === undefined || getParam('path') === series.path;
  const p = linked ? readTraceParams(location.search, nch) : {};
  const defaultBand: [number, number] = highRate ? [300, 6000] : [1, Math.min(300, Math.floor(series.rate * 0.45))];
  const st: TraceState = {
    path: series.path,
    channels: p.channels ?? Array.from({ length: Math.min(nch, 16) }, (_, i) => i),
    t0: p.t0 ?? series.start,
    dur: p.dur ?? (highRate ? 0.5 : 5),
    bandpass: p.bandpass === undefined ? highRate : p.bandpass !== null,
    band: p.bandpass ?? defaultBand,
    commonRef: p.commonRef ?? false,
  };
  const groups = ctx.summary.electrodes?.groupNames ?? [];
  const groupOf = (c: number) => groups[series.electrodeRows[c]] ?? '';
  const groupNames = [...new Set(series.electrodeRows.map((r) => groups[r] ?? ''))].filter(Boolean);
  const plotBox = h('div', { class: 'plot traces-plot', dataset: { testid: 'traces-plot' } });
  const info = h('div', { class: 'info-line' });
  let plot: uPlot | undefined;
  let request = 0;

  const channelInput = h('input', {
    class: 'channels',
    value: formatChannelList(st.channels),
    title: 'channels (columns of the series), e.g. 0-3, 8',
    size: 14,
  });
  const bandLo = h('input', { type: 'number', value: String(st.band[0]), min: '0.1', step: 'any', class: 'num-input' });
  const bandHi = h('input', { type: 'number', value: String(st.band[1]), min: '1', step: 'any', class: 'num-input' });
  const bpBox = h('input', { type: 'checkbox', checked: st.bandpass, id: 'bp' });
  const carBox = h('input', { type: 'checkbox', checked: st.commonRef, id: 'car' });
  const startInput = h('input', {
    type: 'number',
    value: String(st.t0),
    step: 'any',
    class: 'num-input',
    title: 'window start (s)',
  });
  const durSelect = h(
    'select',
    { title: 'window length' },
    DURATIONS.map((d) =>
      h('option', { value: String(d), selected: d === st.dur }, d < 1 ? `${d * 1000} ms` : `${d} s`),
    ),
  );

  const clampWindow = () => {
    const readCh = st.commonRef ? nch : st.channels.length;
    const maxDur = Math.min(
      series.end - series.start + 1 / series.rate,
      MAX_SAMPLES / (series.rate * Math.max(1, readCh)),
    );
    st.dur = Math.min(Math.max(st.dur, 20 / series.rate), maxDur);
    st.t0 = Math.min(Math.max(st.t0, series.start), Math.max(series.start, series.end + 1 / series.rate - st.dur));
  };

  const load = async () => {
    clampWindow();
    startInput.value = String(Number(st.t0.toFixed(4)));
    const id = ++request;
    setParams({
      view: 'traces',
      path: st.path,
      ...traceQuery({ ...st, bandpass: st.bandpass ? st.band : null }),
    });
    info.textContent = 'reading…';
    try {
      const w = await ctx.api.traces({
        path: st.path,
        t0: st.t0,
        t1: st.t0 + st.dur,
        channels: st.channels,
        bandpass: st.bandpass ? st.band : null,
        commonRef: st.commonRef,
        buckets: Math.max(200, Math.floor(plotBox.clientWidth || 1000) - 80),
      });
      if (id !== request) return;
      draw(w);
    } catch (err) {
      if (id === request) info.textContent = '';
      ctx.fail(err);
    }
  };

  /** What the plot's axes, ranges and scale bar read when they draw: changed in place on each window. */
  const shown = { t0: 0, t1: 1, spacing: 1, offsets: [] as number[], channels: [] as number[] };

  const draw = (w: TraceWindow) => {
    const n = w.ys.length;
    const spacing = st.spacing ?? autoSpacing(w.ys);
    const offsets = w.channels.map((_, k) => (n - 1 - k) * spacing);
    const ys = w.ys.map((y, k) => {
      const o = offsets[k];
      for (let i = 0; i < y.length; i++) y[i] += o; // the window's own (transferred) arrays
      return y;
    });
    const sameChannels = plot !== undefined && shown.channels.join() === w.channels.join();
    Object.assign(shown, { t0: w.t0, t1: w.t1, spacing, offsets, channels: w.channels });
    const data = [w.x, ...ys] as unknown as uPlot.AlignedData;
    if (sameChannels) {
      // Same channels: new data into the same plot, one redraw, no new canvas or layout.
      plot!.setData(data);
    } else {
      plot?.destroy();
      mount(plotBox);
      plot = tracePlot(n, w.channels, data);
    }
    plotBox.dataset.drawn = String(Number(plotBox.dataset.drawn ?? 0) + 1);
    const filt = [
      st.commonRef ? 'common median reference' : '',
      st.bandpass ? `band-pass ${st.band[0]}–${st.band[1]} Hz (Butterworth order 3, zero-phase)` : 'no filter',
    ]
      .filter(Boolean)
      .join(' · ');
    info.textContent = `${fmtSeconds(w.t0)} – ${fmtSeconds(w.t1)} · rows ${w.rows[0].toLocaleString()}–${w.rows[1].toLocaleString()} at ${fmt(w.rate)} Hz · ${filt} · ${w.envelope ? 'min/max per pixel' : 'every sample'} · chunks read ${w.chunkReads}, from cache ${w.cacheHits} · worker ${Math.round(w.workerMs)} ms (read ${Math.round(w.stageMs.read)}, filter ${Math.round(w.stageMs.filter)}, decimate ${Math.round(w.stageMs.decimate)})`;
  };

  /** The stacked-traces plot for `n` channels; ranges, axes and scale bar follow `shown`. */
  const tracePlot = (n: number, channels: number[], data: uPlot.AlignedData): uPlot =>
    makePlot(
      plotBox,
      {
        height: Math.min(760, Math.max(300, 52 * n + 80)),
        legend: { show: false },
        scales: {
          x: { time: false, range: () => [shown.t0, shown.t1] },
          y: { range: () => [-shown.spacing * 0.9, (n - 1) * shown.spacing + shown.spacing * 0.9] },
        },
        axes: [
          axis('time (s)', { values: (_u, splits) => splits.map((v) => fmt(Number(v.toPrecision(8)))) }),
          axis('channel', {
            label: () => `channel  (spacing ${fmt(shown.spacing)} µV)`,
            size: 110,
            splits: () => shown.offsets,
            values: () => shown.channels.map((c) => `ch ${c}${groupOf(c) ? ` · ${groupOf(c)}` : ''}`),
            grid: { show: false },
          }),
        ],
        series: [
          {},
          ...channels.map((c) => ({
            stroke: PALETTE[Math.max(0, groupNames.indexOf(groupOf(c))) % PALETTE.length],
            width: 1 / devicePixelRatio,
            points: { show: false },
          })),
        ],
        plugins: [shadingPlugin(() => ctx.shading()), scaleBarPlugin(() => shown.spacing)],
        onZoom: (min, max) => {
          st.t0 = min;
          st.dur = Math.max(max - min, 20 / series.rate);
          void load();
        },
      },
      data,
    );

  const step = (fraction: number) => () => {
    st.t0 += fraction * st.dur;
    void load();
  };
  const zoom = (factor: number) => () => {
    const mid = st.t0 + st.dur / 2;
    st.dur *= factor;
    st.t0 = mid - st.dur / 2;
    void load();
  };
  const gain = (factor: number) => () => {
    st.spacing =
      (st.spacing ??
        (plot ? (plot.scales.y.max! - plot.scales.y.min!) / Math.max(1, st.channels.length - 1 + 1.8) : 100)) * factor;
    void load();
  };

  channelInput.addEventListener('change', () => {
    const parsed = parseChannelList(channelInput.value, nch);
    if (!parsed?.length)
      return ctx.fail(
        new Error(`channels: expected a list such as 0-3, 8 within 0–${nch - 1}; got '${channelInput.value}'`),
      );
    st.channels = parsed;
    st.spacing = undefined;
    void load();
  });
  startInput.addEventListener('change', () => ((st.t0 = Number(startInput.value)), void load()));
  durSelect.addEventListener('change', () => ((st.dur = Number(durSelect.value)), void load()));
  bpBox.addEventListener('change', () => ((st.bandpass = bpBox.checked), (st.spacing = undefined), void load()));
  carBox.addEventListener('change', () => ((st.commonRef = carBox.checked), void load()));
  const bandChanged = () => {
    st.band = [Number(bandLo.value), Number(bandHi.value)];
    if (st.bandpass) void load();
  };
  bandLo.addEventListener('change', bandChanged);
  bandHi.addEventListener('change', bandChanged);
  const seriesSelect = h(
    'select',
    { onchange: (e: Event) => ctx.show('traces', (e.target as HTMLSelectElement).value) },
    all.map((s) =>
      h('option', { value: s.path, selected: s.path === st.path }, `${s.path} (${s.shape[1]} ch, ${fmt(s.rate)} Hz)`),
    ),
  );
  const groupButtons = groupNames.map((g) =>
    h(
      'button',
      {
        class: 'small',
        title: `show the channels of ${g}`,
        onclick: () => {
          st.channels = Array.from({ length: nch }, (_, c) => c).filter((c) => groupOf(c) === g);
          channelInput.value = formatChannelList(st.channels);
          st.spacing = undefined;
          void load();
        },
      },
      g,
    ),
  );

  const root = h(
    'div',
    { class: 'traces', tabindex: '0' },
    h(
      'div',
      { class: 'toolbar' },
      h('label', {}, 'series ', seriesSelect),
      h('label', {}, 'channels ', channelInput),
      groupButtons.length > 1
        ? h(
            'span',
            { class: 'group-buttons' },
            groupButtons,
            h(
              'button',
              {
                class: 'small',
                onclick: () => (
                  (st.channels = Array.from({ length: Math.min(nch, 64) }, (_, i) => i)),
                  (channelInput.value = formatChannelList(st.channels)),
                  (st.spacing = undefined),
                  void load()
                ),
              },
              'all',
            ),
          )
        : null,
    ),
    h(
      'div',
      { class: 'toolbar' },
      h('label', {}, 'start (s) ', startInput),
      h('label', {}, 'window ', durSelect),
      h(
        'span',
        { class: 'btn-group' },
        h('button', { title: 'back one window', onclick: step(-1) }, '«'),
        h('button', { title: 'back half a window (←)', onclick: step(-0.5) }, '◀'),
        h('button', { title: 'forward half a window (→)', onclick: step(0.5) }, '▶'),
        h('button', { title: 'forward one window', onclick: step(1) }, '»'),
      ),
      h(
        'span',
        { class: 'btn-group' },
        h('button', { title: 'zoom in (half the window)', onclick: zoom(0.5) }, 'zoom +'),
        h('button', { title: 'zoom out (twice the window)', onclick: zoom(2) }, 'zoom −'),
      ),
      h(
        'span',
        { class: 'btn-group' },
        h('button', { title: 'larger traces', onclick: gain(0.7) }, 'amp ↑'),
        h('button', { title: 'smaller traces', onclick: gain(1.4) }, 'amp ↓'),
      ),
      h('label', { class: 'check' }, bpBox, ' band-pass ', bandLo, '–', bandHi, ' Hz'),
      h('label', { class: 'check' }, carBox, ' common reference (median of all channels)'),
    ),
    plotBox,
    info,
    h(
      'p',
      { class: 'hint' },
      'Drag across the plot to zoom to a time range; ← → pan. Shaded spans are the interval tables ticked in the sidebar.',
    ),
  );
  root.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
    if (e.key === 'ArrowLeft') step(-0.5)();
    if (e.key === 'ArrowRight') step(0.5)();
  });
  // Wait for layout so the window is read at the plot's real width.
  requestAnimationFrame(() => void load());
  return root;
}

/**
 * A spacing that gives each channel's noise band room and lets spikes stand out: 9 × the largest
 * channel noise (median absolute deviation / 0.6745, robust to the spikes), rounded to 1-2-5.
 */
function autoSpacing(ys: Float32Array[]): number {
  let noise = 0;
  for (const y of ys) {
    if (y.length === 0) continue;
    const s = Float32Array.from(y).sort();
    const med = s[s.length >> 1];
    const dev = Float32Array.from(s, (v) => Math.abs(v - med)).sort();
    noise = Math.max(noise, dev[dev.length >> 1] / 0.6745);
  }
  return niceNumber(Math.max(noise * 9, 1e-3));
}

/** The nearest (on a log scale) of 1, 2, 5 × a power of ten. */
function niceNumber(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  return (m < Math.sqrt(2) ? 1 : m < Math.sqrt(10) ? 2 : m < Math.sqrt(50) ? 5 : 10) * p;
}

/** A vertical bar of half the channel spacing in the top-right corner, labelled in µV. */
function scaleBarPlugin(spacingNow: () => number): uPlot.Plugin {
  return {
    hooks: {
      draw: (u: uPlot) => {
        const spacing = spacingNow();
        const ctx = u.ctx;
        const bar = niceNumber(spacing / 2.5);
        const x = u.bbox.left + u.bbox.width - 12 * devicePixelRatio;
        const y0 = u.bbox.top + 10 * devicePixelRatio;
        const len = Math.abs(u.valToPos(bar, 'y', true) - u.valToPos(0, 'y', true));
        ctx.save();
        ctx.fillStyle = 'rgba(255,255,255,0.85)';
        ctx.fillRect(
          x - 70 * devicePixelRatio,
          y0 - 4 * devicePixelRatio,
          78 * devicePixelRatio,
          len + 8 * devicePixelRatio,
        );
        ctx.strokeStyle = '#111';
        ctx.lineWidth = 2 * devicePixelRatio;
        ctx.beginPath();
        ctx.moveTo(x, y0);
        ctx.lineTo(x, y0 + len);
        ctx.stroke();
        ctx.fillStyle = '#111';
        ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
        ctx.textAlign = 'right';
        ctx.textBaseline = 'middle';
        ctx.fillText(`${fmt(bar)} µV`, x - 6 * devicePixelRatio, y0 + len / 2);
        ctx.restore();
      },
    },
  };
}
