// uPlot with the app's look (axes with units, light grid), sized to its container, and the
// plugins the views share: shaded time intervals and drag-to-zoom callbacks.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export { uPlot };

const AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", sans-serif';
const LABEL_FONT = '600 12px system-ui, -apple-system, "Segoe UI", sans-serif';

/** Distinct colours (Tableau 10), for electrode groups, units and interval tables. */
export const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/** An axis with the app's fonts and grid; `label` should carry the unit, e.g. "time (s)". */
export function axis(label: string, extra: Partial<uPlot.Axis> = {}): uPlot.Axis {
  return {
    label,
    font: AXIS_FONT,
    labelFont: LABEL_FONT,
    stroke: '#333',
    grid: { stroke: '#e8e8e8', width: 1 },
    ticks: { stroke: '#999', width: 1, size: 5 },
    ...extra,
  };
}

/** Time intervals drawn as translucent spans behind the series. */
export interface Shading {
  name: string;
  color: string;
  start: ArrayLike<number>;
  stop: ArrayLike<number>;
}

/** Draws `get()`'s intervals as spans under the data, clipped to the plot area. */
export function shadingPlugin(get: () => readonly Shading[]): uPlot.Plugin {
  return {
    hooks: {
      drawClear: (u: uPlot) => {
        const { left, top, width, height } = u.bbox;
        const ctx = u.ctx;
        ctx.save();
        ctx.beginPath();
        ctx.rect(left, top, width, height);
        ctx.clip();
        for (const s of get()) {
          ctx.fillStyle = s.color + '1c';
          for (let i = 0; i < s.start.length; i++) {
            const x0 = u.valToPos(s.start[i], 'x', true),
              x1 = u.valToPos(s.stop[i], 'x', true);
            if (x1 < left || x0 > left + width) continue;
            ctx.fillRect(x0, top, Math.max(1, x1 - x0), height);
          }
        }
        ctx.restore();
      },
    },
  };
}

/**
 * A uPlot in `container`, as wide as it is, re-sized with it. `onZoom` gets the x range of a
 * drag-selection (the selection is then cleared: the caller reloads data for that range).
 */
export function makePlot(
  container: HTMLElement,
  opts: Omit<uPlot.Options, 'width'> & { onZoom?: (min: number, max: number) => void },
  data: uPlot.AlignedData,
): uPlot {
  const { onZoom, ...rest } = opts;
  const width = Math.max(300, container.clientWidth || 800);
  const hooks: uPlot.Hooks.Arrays = { ...(rest.hooks ?? {}) };
  if (onZoom) {
    hooks.setSelect = [
      ...(hooks.setSelect ?? []),
      (u: uPlot) => {
        if (u.select.width < 3) return;
        const min = u.posToVal(u.select.left, 'x'),
          max = u.posToVal(u.select.left + u.select.width, 'x');
        u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        onZoom(min, max);
      },
    ];
  }
  const plot = new uPlot(
    {
      ...rest,
      width,
      hooks,
      cursor: { ...(onZoom ? { drag: { x: true, y: false, setScale: false } } : {}), ...(rest.cursor ?? {}) },
    },
    data,
    container,
  );
  const ro = new ResizeObserver(() => {
    const w = container.clientWidth;
    if (w > 0 && Math.abs(w - plot.width) > 2) plot.setSize({ width: w, height: plot.height });
  });
  ro.observe(container);
  const destroy = plot.destroy.bind(plot);
  plot.destroy = () => {
    ro.disconnect();
    destroy();
  };
  return plot;
}

/** Histogram bars (counts per bin) as a uPlot: x at bin centres, bars filling each bin. */
export function histogramPlot(
  container: HTMLElement,
  h: { edges: ArrayLike<number>; counts: ArrayLike<number> },
  o: { title: string; xLabel: string; yLabel: string; color: string; height?: number; marks?: number[] },
): uPlot {
  const n = h.counts.length;
  const centres = Float64Array.from({ length: n }, (_, i) => (h.edges[i] + h.edges[i + 1]) / 2);
  const marks = o.marks ?? [];
  return makePlot(
    container,
    {
      title: o.title,
      height: o.height ?? 200,
      legend: { show: false },
      scales: {
        x: { time: false, range: [h.edges[0], h.edges[n]] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.08)] },
      },
      axes: [axis(o.xLabel), axis(o.yLabel, { size: 50 })],
      series: [
        {},
        {
          stroke: o.color,
          fill: o.color + 'aa',
          width: 0,
          paths: uPlot.paths.bars!({ size: [1, Infinity], align: 0 }),
        },
      ],
      hooks: {
        draw: [
          (u: uPlot) => {
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = '#d62728';
            ctx.setLineDash([4, 3]);
            for (const m of marks) {
              const x = u.valToPos(m, 'x', true);
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
            }
            ctx.restore();
          },
        ],
      },
    },
    [centres, Float64Array.from(h.counts)] as unknown as uPlot.AlignedData,
  );
}
