// Mean waveforms as small multiples: one cell per channel of the group, the selected units
// overlaid in their colours, one amplitude scale for every cell so channels compare at a glance
// (as phy and sortingview draw them). One canvas: a 64-channel shank stays one cheap element.

/** One unit's waveform on every channel: samples × channels, row-major. */
interface UnitWaveform {
  label: string;
  color: string;
  values: ArrayLike<number>;
}

const CELL_H = 96,
  PAD = 4,
  LABEL_H = 14;

/** Channels that hold data for at least one unit (a NaN column pads a smaller group). */
function usedChannels(units: readonly UnitWaveform[], samples: number, channels: number): number[] {
  return Array.from({ length: channels }, (_, c) => c).filter((c) =>
    units.some((u) => Array.from({ length: samples }, (_, s) => u.values[s * channels + c]).some(Number.isFinite)),
  );
}

/**
 * Draws `units` (each samples × channels) as a grid of per-channel cells into `el`, with a scale
 * bar of `scale.bar` units (e.g. 100 µV) in the first cell. Returns the canvas.
 *
 * @example
 * waveformGrid(box, [{ label: 'unit 3', color: '#1f77b4', values }], { samples: 90, channels: 4, unit: 'µV' });
 */
export function waveformGrid(
  el: HTMLElement,
  units: readonly UnitWaveform[],
  o: { samples: number; channels: number; unit: string; rate?: number },
): HTMLCanvasElement {
  const used = usedChannels(units, o.samples, o.channels);
  const width = Math.max(300, el.clientWidth || 600);
  const cols = Math.max(1, Math.min(used.length, Math.floor(width / 110)));
  const rows = Math.ceil(used.length / cols);
  const cellW = width / cols;
  const canvas = document.createElement('canvas');
  const dpr = devicePixelRatio;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(rows * CELL_H * dpr);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${rows * CELL_H}px`;
  const g = canvas.getContext('2d')!;
  g.scale(dpr, dpr);
  let peak = 0;
  for (const u of units) for (let i = 0; i < u.values.length; i++) peak = Math.max(peak, Math.abs(u.values[i]) || 0);
  peak ||= 1;
  const plotH = CELL_H - LABEL_H - 2 * PAD;
  used.forEach((c, k) => {
    const x0 = (k % cols) * cellW,
      y0 = Math.floor(k / cols) * CELL_H;
    const mid = y0 + LABEL_H + PAD + plotH / 2;
    g.fillStyle = '#666';
    g.font = '11px system-ui, sans-serif';
    g.fillText(`ch ${c}`, x0 + PAD, y0 + 11);
    g.strokeStyle = '#e4e4e4';
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(x0 + PAD, mid);
    g.lineTo(x0 + cellW - PAD, mid);
    g.stroke();
    for (const u of units) {
      g.strokeStyle = u.color;
      g.lineWidth = 1.5;
      g.beginPath();
      for (let s = 0; s < o.samples; s++) {
        const x = x0 + PAD + ((cellW - 2 * PAD) * s) / Math.max(1, o.samples - 1);
        const y = mid - ((u.values[s * o.channels + c] / peak) * plotH) / 2;
        if (s) g.lineTo(x, y);
        else g.moveTo(x, y);
      }
      g.stroke();
    }
  });
  // scale bar: a round amplitude near half the peak, at the first cell's right edge
  const bar = roundDown(peak / 2);
  const barPx = ((bar / peak) * plotH) / 2;
  const bx = cellW - PAD - 2;
  g.strokeStyle = '#222';
  g.lineWidth = 2;
  g.beginPath();
  g.moveTo(bx, LABEL_H + PAD + plotH / 2);
  g.lineTo(bx, LABEL_H + PAD + plotH / 2 - barPx);
  g.stroke();
  g.fillStyle = '#222';
  g.textAlign = 'right';
  g.fillText(`${bar} ${o.unit}`, bx - 4, LABEL_H + PAD + plotH / 2 - barPx / 2 + 4);
  if (o.rate) g.fillText(`${((o.samples / o.rate) * 1000).toFixed(1)} ms per cell`, width - PAD, 11);
  el.append(canvas);
  return canvas;
}

/** 1, 2 or 5 times a power of ten, at most `v`. */
function roundDown(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  return [5, 2, 1].map((m) => m * p).find((x) => x <= v) ?? p;
}
