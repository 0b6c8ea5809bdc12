// Position: the animal's path (x against y) and each coordinate and the speed over time, with the
// ticked interval tables shaded. Positions in metres are shown in cm, the unit of a linear track.
import type { ViewContext } from '../context.js';
import { fmt, fmtSeconds, h, mount } from '../dom.js';
import { speedFromPosition } from '../lib/windowing.js';
import { PALETTE, axis, makePlot, shadingPlugin, uPlot } from '../plots/plot.js';
import { NO_TRACE_QUERY } from '../lib/trace-params.js';
import { setParams } from '../url-state.js';
import type { PositionData } from '../worker/nwb-api.js';

const AXES = ['x', 'y', 'z'];

export function positionView(ctx: ViewContext, path?: string): HTMLElement {
  const root = h('div', { class: 'position' }, h('p', { class: 'muted' }, 'reading position…'));
  ctx.api
    .position()
    .then((all) => {
      if (all.length === 0) return mount(root, h('p', { class: 'muted' }, 'This file has no SpatialSeries.'));
      const p = all.find((s) => s.path === path) ?? all[0];
      setParams({ view: 'position', path: p.path, ...NO_TRACE_QUERY });
      const select = h(
        'select',
        { onchange: (e: Event) => ctx.show('position', (e.target as HTMLSelectElement).value) },
        all.map((s) =>
          h(
            'option',
            { value: s.path, selected: s.path === p.path },
            `${s.path} (${s.dims}-D, ${s.t.length.toLocaleString()} samples)`,
          ),
        ),
      );
      const trajectory = h('div', { class: 'plot', dataset: { testid: 'trajectory-plot' } });
      const timePlots = h('div', { class: 'plot', dataset: { testid: 'position-plot' } });
      const speedPlot = h('div', { class: 'plot', dataset: { testid: 'speed-plot' } });
      const { scale, unit } = displayUnit(p.unit);
      const duration = p.t[p.t.length - 1] - p.t[0];
      mount(
        root,
        h(
          'div',
          { class: 'toolbar' },
          h('label', {}, 'series ', select),
          h(
            'span',
            { class: 'muted' },
            `${fmtSeconds(duration)} at ${fmt((p.t.length - 1) / duration)} Hz · unit ${p.unit}${p.referenceFrame ? ` · reference frame: ${p.referenceFrame}` : ''}`,
          ),
        ),
        h(
          'div',
          { class: 'position-grid' },
          p.dims >= 2 ? h('div', { class: 'traj-box' }, trajectory) : null,
          h('div', { class: 'time-box' }, timePlots, speedPlot),
        ),
        h(
          'p',
          { class: 'hint' },
          'Drag across a time plot to zoom both; double-click to zoom out. Shaded spans are the interval tables ticked in the sidebar.',
        ),
      );
      requestAnimationFrame(() => drawPosition(ctx, p, scale, unit, trajectory, timePlots, speedPlot));
    })
    .catch((err) => ctx.fail(err));
  return root;
}

function displayUnit(unit: string): { scale: number; unit: string } {
  return /^met(er|re)s?$|^m$/.test(unit) ? { scale: 100, unit: 'cm' } : { scale: 1, unit };
}

function drawPosition(
  ctx: ViewContext,
  p: PositionData,
  scale: number,
  unit: string,
  trajectory: HTMLElement,
  timePlots: HTMLElement,
  speedPlot: HTMLElement,
): void {
  const n = p.t.length;
  const coord = (k: number) => Float64Array.from({ length: n }, (_, i) => p.data[i * p.dims + k] * scale);
  const coords = Array.from({ length: Math.min(p.dims, 3) }, (_, k) => coord(k));
  const rate = (n - 1) / (p.t[n - 1] - p.t[0]);
  // Speed averaged over ~0.25 s: frame-to-frame tracking jitter otherwise dominates it.
  const speed = speedFromPosition(
    p.t,
    Float64Array.from(p.data, (v) => v * scale),
    p.dims,
    Math.max(1, Math.round(rate * 0.25)),
  );
  // The path with equal cm per pixel on both axes (the plot is square), so a track keeps its shape.
  const extent = (v: Float64Array) => {
    let lo = Infinity,
      hi = -Infinity;
    for (const x of v) if (Number.isFinite(x)) ((lo = Math.min(lo, x)), (hi = Math.max(hi, x)));
    return [lo, hi] as const;
  };
  const [x0, x1] = extent(coords[0]);
  const [y0, y1] = coords[1] ? extent(coords[1]) : [0, 0];
  const half = (Math.max(x1 - x0, y1 - y0, 1e-9) / 2) * 1.08;
  const xRange: [number, number] = [(x0 + x1) / 2 - half, (x0 + x1) / 2 + half];
  const yRange: [number, number] = [(y0 + y1) / 2 - half, (y0 + y1) / 2 + half];
  const sync = uPlot.sync('position-time');
  const cursor = { sync: { key: sync.key, setSeries: false } };
  // Zooming one time plot zooms the other.
  const linked: uPlot[] = [];
  const setScale = [
    (u: uPlot, key: string) => {
      if (key !== 'x') return;
      const { min, max } = u.scales.x;
      for (const o of linked)
        if (o !== u && (o.scales.x.min !== min || o.scales.x.max !== max)) o.setScale('x', { min: min!, max: max! });
    },
  ];
  if (p.dims >= 2) {
    const side = Math.min(460, Math.max(280, trajectory.clientWidth));
    makePlot(
      trajectory,
      {
        mode: 2,
        title: 'Path',
        height: side,
        legend: { show: false },
        scales: { x: { time: false, range: xRange }, y: { range: yRange } },
        axes: [axis(`x (${unit})`), axis(`y (${unit})`, { size: 55 })],
        series: [{}, { stroke: PALETTE[0] + 'aa', width: 1, paths: uPlot.paths.linear!(), points: { show: false } }],
      },
      [null, [coords[0], coords[1]]] as unknown as uPlot.AlignedData,
    );
  }
  const timeOpts = (
    title: string,
    yLabel: string,
    series: uPlot.Series[],
    height: number,
  ): Omit<uPlot.Options, 'width'> => ({
    title,
    height,
    cursor,
    scales: { x: { time: false } },
    axes: [axis('time (s)'), axis(yLabel, { size: 60 })],
    series: [{ label: 'time (s)', value: (_u, v) => (v == null ? '' : fmt(v)) }, ...series],
    plugins: [shadingPlugin(() => ctx.shading())],
    hooks: { setScale },
  });
  const posPlot = makePlot(
    timePlots,
    {
      ...timeOpts(
        `Position`,
        `position (${unit})`,
        coords.map((_, k) => ({
          label: `${AXES[k]} (${unit})`,
          stroke: PALETTE[k],
          width: 1,
          value: (_u: uPlot, v: number | null) => (v == null ? '' : fmt(v)),
        })),
        230,
      ),
    },
    [p.t, ...coords] as unknown as uPlot.AlignedData,
  );
  const spPlot = makePlot(
    speedPlot,
    timeOpts(
      'Speed (averaged over 0.25 s)',
      `speed (${unit}/s)`,
      [
        {
          label: `speed (${unit}/s)`,
          stroke: PALETTE[3],
          width: 1,
          fill: PALETTE[3] + '22',
          value: (_u: uPlot, v: number | null) => (v == null ? '' : fmt(v)),
        },
      ],
      200,
    ),
    [p.t, speed] as unknown as uPlot.AlignedData,
  );
  linked.push(posPlot, spPlot);
  timePlots.dataset.drawn = '1';
}
