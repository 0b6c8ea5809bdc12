// A posterior over position bins as a heat map under a uPlot: the image is drawn into the plot area
// on every redraw (so zoom and resize keep it aligned with the axes), lines (true position, MAP)
// are ordinary uPlot series over it.
import { axis, makePlot, uPlot, type Shading } from './plot.js';

/** Viridis at ten even steps (matplotlib's perceptually uniform map), interpolated linearly between. */
const VIRIDIS = [
  '#440154',
  '#482878',
  '#3e4989',
  '#31688e',
  '#26828e',
  '#1f9e89',
  '#35b779',
  '#6ece58',
  '#b5de2b',
  '#fde725',
].map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));

/** The viridis colour of `v` in [0, 1] as [r, g, b] (0–255); values outside are clamped. */
function viridis(v: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x)),
    f = x - i;
  const a = VIRIDIS[i],
    b = VIRIDIS[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + f * (b[k] - a[k]))) as [number, number, number];
}

/** What a heat map shows: `values` is rows (one per time) × columns (one per position), row-major. */
export interface HeatmapData {
  time: ArrayLike<number>;
  position: ArrayLike<number>;
  values: ArrayLike<number>;
}

/**
 * The image of a heat map, one pixel per (position, time) cell, position increasing upwards,
 * scaled so the `quantile` of the non-zero values is the top colour (a peaked posterior would
 * otherwise leave most of the map dark).
 */
function heatmapImage(d: HeatmapData, quantile = 0.99): ImageData {
  const rows = d.time.length,
    cols = d.position.length;
  const nonzero = Float64Array.from(d.values)
    .filter((v) => v > 0)
    .sort();
  const top = nonzero.length ? nonzero[Math.min(nonzero.length - 1, Math.floor(quantile * nonzero.length))] : 1;
  const img = new ImageData(Math.max(1, rows), Math.max(1, cols));
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const [R, G, B] = viridis(d.values[r * cols + c] / top);
      const p = ((cols - 1 - c) * rows + r) * 4;
      ((img.data[p] = R), (img.data[p + 1] = G), (img.data[p + 2] = B), (img.data[p + 3] = 255));
    }
  }
  return img;
}

/** A line drawn over the heat map, sampled at the heat map's times (NaN: no line there). */
export interface Overlay {
  label: string;
  values: ArrayLike<number>;
  color: string;
  dash?: number[];
  points?: boolean;
}

/**
 * A heat map of `d` (time on x, position on y) with `overlays` drawn over it and optional
 * `marks` (e.g. the ripple) as outlined spans. Cells are `d.position`'s spacing tall and the
 * rows' spacing wide.
 *
 * @example
 * heatmapPlot(el, { time, position, values: posterior }, { title: 'posterior', yLabel: 'position (cm)', overlays: [{
 * label: 'true', values: truth, color: '#ff4d4d' }] });
 */
export function heatmapPlot(
  container: HTMLElement,
  d: HeatmapData,
  o: {
    title: string;
    yLabel: string;
    xLabel?: string;
    height?: number;
    overlays?: Overlay[];
    marks?: Shading[];
    legend?: boolean;
    onZoom?: (min: number, max: number) => void;
  },
): uPlot {
  const rows = d.time.length,
    cols = d.position.length;
  const dt = rows > 1 ? (d.time[rows - 1] - d.time[0]) / (rows - 1) : 0.002;
  const dp = cols > 1 ? (d.position[cols - 1] - d.position[0]) / (cols - 1) : 1;
  const x0 = d.time[0] - dt / 2,
    x1 = d.time[rows - 1] + dt / 2,
    y0 = d.position[0] - dp / 2,
    y1 = d.position[cols - 1] + dp / 2;
  const image = document.createElement('canvas');
  image.width = Math.max(1, rows);
  image.height = Math.max(1, cols);
  image.getContext('2d')!.putImageData(heatmapImage(d), 0, 0);
  const overlays = o.overlays ?? [];
  const draw = (u: uPlot) => {
    const ctx = u.ctx;
    const left = u.valToPos(x0, 'x', true),
      right = u.valToPos(x1, 'x', true);
    const top = u.valToPos(y1, 'y', true),
      bottom = u.valToPos(y0, 'y', true);
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(image, left, top, right - left, bottom - top);
    for (const m of o.marks ?? []) {
      ctx.strokeStyle = m.color;
      ctx.lineWidth = 2;
      ctx.setLineDash([5, 3]);
      for (let i = 0; i < m.start.length; i++) {
        const a = u.valToPos(m.start[i], 'x', true),
          b = u.valToPos(m.stop[i], 'x', true);
        ctx.strokeRect(a, u.bbox.top + 1, b - a, u.bbox.height - 2);
      }
    }
    ctx.restore();
  };
  return makePlot(
    container,
    {
      title: o.title,
      height: o.height ?? 280,
      onZoom: o.onZoom,
      legend: { show: (o.legend ?? true) && overlays.length > 0 },
      scales: { x: { time: false, range: [x0, x1] }, y: { range: [y0, y1] } },
      axes: [axis(o.xLabel ?? 'time (s)'), axis(o.yLabel, { size: 56 })],
      series: [
        {},
        ...overlays.map((l) => ({
          label: l.label,
          stroke: l.color,
          width: 1.5,
          dash: l.dash,
          spanGaps: false,
          ...(l.points
            ? { paths: () => null, points: { show: true, size: 3, fill: l.color, stroke: l.color } }
            : { points: { show: false } }),
        })),
      ],
      hooks: { drawClear: [draw] },
    },
    [Float64Array.from(d.time), ...overlays.map((l) => Float64Array.from(l.values))] as unknown as uPlot.AlignedData,
  );
}
